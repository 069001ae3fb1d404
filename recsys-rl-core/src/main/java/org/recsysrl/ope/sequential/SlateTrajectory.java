package org.recsysrl.ope.sequential;

/**
 * One logged trajectory whose actions are slates, step t = 0 … T−1, as the multi-step slate
 * estimators and {@link SlateFittedQEvaluation} read it. The trajectory ends after step T−1 (value 0
 * after it).
 *
 * @param features [T][d] the state features s_t
 * @param candidates [T][n·q] the features of every action a ∈ [0, n) at step t (action a's q
 *     features from a·q), for actions whose meaning changes from step to step (candidate slots); or
 *     null, when an action is the same item at every step (the model then gives each item and
 *     position a coefficient of its own)
 * @param slates [T][K] the shown actions in position order (distinct within a slate)
 * @param rewards r_t, the step's total reward
 * @param positionRewards [T][K] the reward of each position (summing to r_t), or null when only the
 *     totals are known (the position-factored estimator then does not apply)
 * @param propensities μ(A_t | s_t) in (0, 1], the logging policy's probability of the whole slate
 * @param positionPropensities [T][K] μ(a_{t,k} at k | s_t) in (0, 1], or null (with
 *     {@code positionRewards})
 */
public record SlateTrajectory(double[][] features, double[][] candidates, int[][] slates, double[] rewards,
        double[][] positionRewards, double[] propensities, double[][] positionPropensities) {
    public SlateTrajectory {
        int t = slates.length;
        if (t == 0 || features.length != t || rewards.length != t || propensities.length != t
                || (candidates != null && candidates.length != t)) {
            throw new IllegalArgumentException("a slate trajectory needs at least one step and one entry per step in"
                    + " every field");
        }
        if ((positionRewards == null) != (positionPropensities == null)) {
            throw new IllegalArgumentException("position rewards and position propensities go together");
        }
        int k = slates[0].length;
        for (int s = 0; s < t; s++) {
            if (slates[s].length != k || k == 0) {
                throw new IllegalArgumentException("step " + s + ": every slate of a trajectory needs the same"
                        + " number of positions, at least one");
            }
            checkProbability(propensities[s]);
            if (positionRewards != null) {
                if (positionRewards[s].length != k || positionPropensities[s].length != k) {
                    throw new IllegalArgumentException("step " + s + ": one position reward and propensity per"
                            + " position");
                }
                for (double p : positionPropensities[s]) {
                    checkProbability(p);
                }
            }
        }
    }

    private static void checkProbability(double p) {
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("propensity " + p + " not in (0, 1]");
        }
    }

    /** T. */
    public int length() {
        return slates.length;
    }

    /** K, the positions of every slate. */
    public int slateSize() {
        return slates[0].length;
    }

    /** Whether per-position rewards and propensities are known. */
    public boolean hasPositions() {
        return positionRewards != null;
    }
}
