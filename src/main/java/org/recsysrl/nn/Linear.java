package org.recsysrl.nn;

/**
 * A dense layer {@code y = x W^T + b} whose parameters live in a {@link ParameterStore}: it
 * allocates {@code name + ".weight"} with shape {@code [out, in]} and {@code name + ".bias"} with
 * shape {@code [out]} (PyTorch {@code nn.Linear} layout). The caller provides inputs and
 * outputs; the layer keeps one scratch buffer for its forward kernel, so one layer must not run
 * forward passes on two threads at once.
 */
public final class Linear {
    private final ParameterStore store;
    private final String name;
    private final int in;
    private final int out;
    private final int weightOffset;
    private final int biasOffset;
    /** Workspace of the forward kernel (the SIMD backend transposes W into it), in·out floats. */
    private final float[] scratch;

    /**
     * Allocates the weight and bias in {@code store} (which must not be frozen yet). Values are
     * zero until an {@link Init} method is applied.
     *
     * @throws IllegalArgumentException if a size is not positive or the names are taken
     */
    public Linear(ParameterStore store, String name, int in, int out) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("Linear '" + name + "' needs positive sizes: in=" + in + ", out=" + out);
        }
        this.store = store;
        this.name = name;
        this.in = in;
        this.out = out;
        this.weightOffset = store.allocate(name + ".weight", out, in);
        this.biasOffset = store.allocate(name + ".bias", out);
        this.scratch = new float[in * out];
    }

    /** Input width. */
    public int in() {
        return in;
    }

    /** Output width. */
    public int out() {
        return out;
    }

    /** Offset of the {@code [out, in]} weight in the store's data()/grad(). */
    public int weightOffset() {
        return weightOffset;
    }

    /** Offset of the {@code [out]} bias in the store's data()/grad(). */
    public int biasOffset() {
        return biasOffset;
    }

    /** The layer name (prefix of its parameter names). */
    public String name() {
        return name;
    }

    /** The store holding the parameters. */
    public ParameterStore store() {
        return store;
    }

    /**
     * {@code y[b*out+o] = bias[o] + sum_i x[b*in+i] W[o,i]} for {@code b < batch}, via
     * {@link Kernels#linearForward}. Overwrites {@code y[0 .. batch*out)}.
     */
    public void forward(float[] x, float[] y, int batch) {
        float[] p = store.data();
        Kernels.linearForward(x, batch, in, p, weightOffset, p, biasOffset, out, y, scratch);
    }

    /**
     * Backward pass for upstream gradient {@code dy [batch*out]} and the forward input
     * {@code x [batch*in]}: accumulates {@code dW += dy^T x} and {@code db += sum_b dy} into
     * {@code store.grad()}; if {@code dx != null} overwrites {@code dx[0 .. batch*in) = dy W}.
     * {@code dy} is not modified.
     */
    public void backward(float[] x, float[] dy, float[] dx, int batch) {
        float[] g = store.grad();
        Kernels.linearBackwardParams(dy, x, batch, in, out, g, weightOffset, g, biasOffset);
        if (dx != null) {
            Kernels.linearBackwardInput(dy, batch, out, store.data(), weightOffset, in, dx);
        }
    }

    /** E.g. {@code Linear[actor.backbone.0: 8 -> 64]}. */
    @Override
    public String toString() {
        return "Linear[" + name + ": " + in + " -> " + out + "]";
    }
}
