package org.recsysrl.agent;

/**
 * Anything that picks items: a trained agent or a reference policy.
 *
 * <p>Row {@code b} of {@code obs} ({@code observationSize} floats from {@code b * observationSize})
 * is the observation of environment {@code b}; the chosen item goes to {@code actionsOut[b]}, or
 * for a policy of slates of K ({@link #slateSize()}) the slate to {@code actionsOut[b·K .. b·K + K)}.
 * Reference policies that need the environment's hidden state (the greedy oracle) are bound to
 * their environments when constructed.
 */
public interface Policy {
    /** Chooses one action per observation row; writes {@code actionsOut[0..batch)}. */
    void act(float[] obs, int batch, int[] actionsOut);

    /**
     * Chooses one allowed action per observation row. {@code allowed} is null (every action
     * allowed) or [batch][words] bitsets as in {@link org.recsysrl.env.ActionMasking}. The default
     * ignores the mask; policies that can pick a forbidden item override it.
     */
    default void act(float[] obs, int batch, long[] allowed, int[] actionsOut) {
        act(obs, batch, actionsOut);
    }

    /**
     * Chooses one allowed action per row given the item history beside each observation
     * ({@code histories}: row b from {@code b · L}, as {@link org.recsysrl.env.VectorEnv#histories()};
     * null when none is kept). The default ignores the history; policies that read it override this.
     */
    default void act(float[] obs, int[] histories, int batch, long[] allowed, int[] actionsOut) {
        act(obs, batch, allowed, actionsOut);
    }

    /** Actions this policy chooses per row: 1, or the slate size K of a slate environment. */
    default int slateSize() {
        return 1;
    }

    /** Length of the item history this policy reads (0: none). */
    default int historyLength() {
        return 0;
    }

    /** A short name for reports, e.g. {@code "ppo"}, {@code "random"}. */
    String name();
}
