package org.recsysrl.ope.sequential;

/**
 * One logged trajectory of a single-item environment, as fitted-Q evaluation reads it: the state
 * features, the logged action, its reward and the logging policy's probability of it at every step
 * t = 0 … T−1. The trajectory ends after step T−1 (terminal, or cut by the time limit: both are
 * treated as the end, with value 0 after it).
 *
 * @param features [T][d] the state features s_t
 * @param actions a_t, in [0, actionCount)
 * @param rewards r_t
 * @param propensities μ(a_t | s_t) in (0, 1]
 */
public record LoggedTrajectory(double[][] features, int[] actions, double[] rewards, double[] propensities) {
    public LoggedTrajectory {
        int t = actions.length;
        if (t == 0 || features.length != t || rewards.length != t || propensities.length != t) {
            throw new IllegalArgumentException("a trajectory needs at least one step and one entry per step in every"
                    + " field");
        }
        for (double p : propensities) {
            if (!(p > 0 && p <= 1)) {
                throw new IllegalArgumentException("propensity " + p + " not in (0, 1]");
            }
        }
    }

    /** T. */
    public int length() {
        return actions.length;
    }
}
