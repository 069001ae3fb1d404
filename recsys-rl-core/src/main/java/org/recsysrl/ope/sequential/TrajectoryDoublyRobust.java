package org.recsysrl.ope.sequential;

import java.util.List;

/**
 * The doubly robust estimator for trajectories (Jiang &amp; Li 2016; the per-decision form of Thomas
 * &amp; Brunskill 2016): the value model's estimate of the start, corrected step by step by the
 * importance-weighted errors of the model,
 *
 * <pre>  V̂_DR = (1/n) Σ_i Σ_{t&lt;T_i} γ^t [ w_{i,0:t} (r_{i,t} − Q̂(s_{i,t}, a_{i,t})) + w_{i,0:t−1} V̂(s_{i,t}) ]</pre>
 *
 * with w_{i,0:−1} = 1 and V̂(s) = Σ_a π(a|s) Q̂(s, a). Unbiased when the ratios are exact whatever the
 * model; with an exact model its variance is only that of the rewards and transitions. With every
 * ratio 1 and V̂(s_t) = Q̂(s_t, a_t) (a deterministic target that took the logged actions) the model
 * cancels and it is the trajectories' discounted return.
 */
public final class TrajectoryDoublyRobust implements SequentialEstimator {
    @Override
    public String name() {
        return "dr";
    }

    @Override
    public boolean needsModel() {
        return true;
    }

    @Override
    public double estimate(List<WeightedTrajectory> data, int[] index, double gamma) {
        return ClippedDoublyRobust.perDecision(data, index, gamma, Double.POSITIVE_INFINITY, true);
    }
}
