package org.recsysrl.agent;

/**
 * A policy that learns while it acts, from each step's immediate reward (a contextual bandit):
 * after every step the runner reports the observation the action was chosen on, the action and
 * the reward.
 */
public interface OnlinePolicy extends Policy {
    /** Learns from one step: {@code obs[off .. off + observationSize)} was observed, {@code action} taken. */
    void learn(float[] obs, int off, int action, float reward);

    /**
     * Learns from one step that showed the slate {@code slate[slateOff .. slateOff + slateSize())}:
     * the user took position {@code choice} (−1: none) and the step earned {@code reward}. The
     * default serves single-item policies: {@code learn(obs, off, slate[slateOff], reward)}.
     */
    default void learnSlate(float[] obs, int off, int[] slate, int slateOff, int choice, float reward) {
        learn(obs, off, slate[slateOff], reward);
    }
}
