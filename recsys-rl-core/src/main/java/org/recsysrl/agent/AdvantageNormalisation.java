package org.recsysrl.agent;

/**
 * How PPO normalises advantages ({@code ppo.advantage_norm}), parsed once when the learner is
 * built: over the whole rollout, per minibatch (the original's), or not at all.
 */
public enum AdvantageNormalisation {
    /** Once over the whole rollout, before the epochs. */
    ROLLOUT("rollout"),
    /** Within each minibatch. */
    MINIBATCH("minibatch"),
    /** Not normalised. */
    NONE("none");

    private final String id;

    AdvantageNormalisation(String id) {
        this.id = id;
    }

    /** The setting's value, e.g. {@code minibatch}. */
    public String id() {
        return id;
    }

    /**
     * The normalisation named {@code id} (the config layer has validated it).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static AdvantageNormalisation of(String id) {
        for (AdvantageNormalisation n : values()) {
            if (n.id.equals(id)) {
                return n;
            }
        }
        throw new IllegalArgumentException("unknown ppo.advantage_norm '" + id + "'");
    }
}
