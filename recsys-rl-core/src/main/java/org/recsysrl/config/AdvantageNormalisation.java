package org.recsysrl.config;

import java.util.Arrays;
import java.util.List;

/**
 * How PPO normalises advantages ({@code ppo.advantage_norm}), parsed once by the config layer:
 * over the whole rollout (the original's), per minibatch, or not at all.
 */
public enum AdvantageNormalisation {
    /** Once over the whole rollout, before the epochs. */
    ROLLOUT("rollout"),
    /** Within each minibatch. */
    MINIBATCH("minibatch"),
    /** Not normalised. */
    NONE("none");

    private static final List<String> IDS = Arrays.stream(values()).map(AdvantageNormalisation::id).toList();

    private final String id;

    AdvantageNormalisation(String id) {
        this.id = id;
    }

    /** The setting's value, e.g. {@code minibatch}. */
    public String id() {
        return id;
    }

    /** Every value, in declaration order. */
    public static List<String> ids() {
        return IDS;
    }

    /**
     * The normalisation named {@code id}.
     *
     * @throws IllegalArgumentException for any other name (the config layer checks user input
     *     first, with a message naming the key)
     */
    public static AdvantageNormalisation of(String id) {
        for (AdvantageNormalisation n : values()) {
            if (n.id.equals(id)) {
                return n;
            }
        }
        throw new IllegalArgumentException("unknown ppo.advantage_norm " + id + "; one of " + IDS);
    }
}
