package org.recsysrl.agent;

/**
 * A policy that learns while it acts, from each step's immediate reward (a contextual bandit):
 * after every step the runner reports the observation the action was chosen on, the action and
 * the reward.
 */
public interface OnlinePolicy extends Policy {
    /** Learns from one step: {@code obs[off .. off + observationSize)} was observed, {@code action} taken. */
    void learn(float[] obs, int off, int action, float reward);
}
