package org.recsysrl.agent;

/**
 * Anything that picks items: a trained agent or a reference policy.
 *
 * <p>Row {@code b} of {@code obs} ({@code observationSize} floats from {@code b * observationSize})
 * is the observation of environment {@code b}; the chosen item goes to {@code actionsOut[b]}.
 * Reference policies that need the environment's hidden state (the greedy oracle) are bound to
 * their environments when constructed.
 */
public interface Policy {
    /** Chooses one action per observation row; writes {@code actionsOut[0..batch)}. */
    void act(float[] obs, int batch, int[] actionsOut);

    /** A short name for reports, e.g. {@code "ppo"}, {@code "random"}. */
    String name();
}
