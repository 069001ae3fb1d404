package org.recsysrl.nn;

import java.util.Arrays;
import java.util.List;
import org.recsysrl.util.Rng;

/**
 * How a network's linear layers are initialised ({@code model.init}, parsed once by the config
 * layer into this enum).
 */
public enum WeightInit {
    /** PyTorch's {@code nn.Linear} default, uniform ±1/√fan_in for weights and biases (the original's). */
    PYTORCH("pytorch"),
    /** Orthogonal weights times a gain chosen per layer, zero biases ({@link Init#orthogonal(Linear, double, Rng)}). */
    ORTHOGONAL("orthogonal");

    private static final List<String> IDS = Arrays.stream(values()).map(WeightInit::id).toList();

    private final String id;

    WeightInit(String id) {
        this.id = id;
    }

    /** The name used in {@code model.init}. */
    public String id() {
        return id;
    }

    /** Every name, in declaration order. */
    public static List<String> ids() {
        return IDS;
    }

    /**
     * The scheme named {@code id}.
     *
     * @throws IllegalArgumentException for a name not in {@link #ids()} (the config layer checks
     *     user input first, with a message naming the key)
     */
    public static WeightInit of(String id) {
        for (WeightInit w : values()) {
            if (w.id.equals(id)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown model.init " + id + "; one of " + IDS);
    }

    /**
     * Initialises {@code layer} by this scheme; {@code gain} scales the orthogonal weights and is
     * not used by {@link #PYTORCH}. Advances {@code rng} as {@link Init#pytorchDefault} or
     * {@link Init#orthogonal(Linear, double, Rng)} does.
     */
    public void initialise(Linear layer, double gain, Rng rng) {
        switch (this) {
            case PYTORCH -> Init.pytorchDefault(layer, rng);
            case ORTHOGONAL -> Init.orthogonal(layer, gain, rng);
            default -> throw new AssertionError(this);
        }
    }
}
