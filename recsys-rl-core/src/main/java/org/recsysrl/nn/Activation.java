package org.recsysrl.nn;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Activation functions applied elementwise in place. Their names ({@link #id()}: {@code tanh},
 * {@code relu}, {@code elu}) are the values of {@code model.activation}, which the config layer
 * parses once into this enum.
 */
public enum Activation {
    /** f(x) = tanh(x); f' = 1 - y^2. */
    TANH,
    /** f(x) = max(x, 0); f' = y &gt; 0 ? 1 : 0. */
    RELU,
    /** f(x) = x &gt; 0 ? x : exp(x) - 1 (alpha = 1); f' = y &gt; 0 ? 1 : y + 1. */
    ELU;

    private static final List<String> IDS = Arrays.stream(values()).map(Activation::id).toList();

    /** The name used in {@code model.activation}: {@code tanh}, {@code relu} or {@code elu}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Every name, in declaration order. */
    public static List<String> ids() {
        return IDS;
    }

    /**
     * The activation named exactly {@code id} (the config layer's parse).
     *
     * @throws IllegalArgumentException for a name not in {@link #ids()} (the config layer checks
     *     user input first, with a message naming the key)
     */
    public static Activation of(String id) {
        for (Activation a : values()) {
            if (a.id().equals(id)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown model.activation " + id + "; one of " + IDS);
    }

    /**
     * Applies the function in place: {@code a[i] = f(a[i])} for {@code i < n}. Modifies {@code a}.
     */
    public void forwardInPlace(float[] a, int n) {
        switch (this) {
            case TANH:
                Kernels.tanhInPlace(a, n);
                break;
            case RELU:
                for (int i = 0; i < n; i++) {
                    // keeps NaN as NaN; maps -0 to 0
                    a[i] = a[i] > 0f ? a[i] : (a[i] <= 0f ? 0f : a[i]);
                }
                break;
            case ELU:
                for (int i = 0; i < n; i++) {
                    float x = a[i];
                    a[i] = x > 0f ? x : (float) Math.expm1(x);
                }
                break;
            default:
                throw new AssertionError(this);
        }
    }

    /**
     * Chain rule through the activation, using only its output: {@code dy[i] *= f'(x_i)} for
     * {@code i < n}, where f' is expressed through {@code y[i] = f(x_i)} (tanh: 1 - y^2; relu:
     * y &gt; 0 ? 1 : 0; elu: y &gt; 0 ? 1 : y + 1). Modifies {@code dy}; reads {@code y}.
     */
    public void backwardInPlace(float[] y, float[] dy, int n) {
        switch (this) {
            case TANH:
                for (int i = 0; i < n; i++) {
                    float v = y[i];
                    dy[i] *= 1f - v * v;
                }
                break;
            case RELU:
                for (int i = 0; i < n; i++) {
                    if (!(y[i] > 0f)) {
                        dy[i] = 0f;
                    }
                }
                break;
            case ELU:
                for (int i = 0; i < n; i++) {
                    float v = y[i];
                    if (!(v > 0f)) {
                        dy[i] *= v + 1f;
                    }
                }
                break;
            default:
                throw new AssertionError(this);
        }
    }
}
