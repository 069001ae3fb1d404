package org.recsysrl.ope.sequential;

import java.util.List;

/**
 * Per-decision importance sampling (Precup et al. 2000): each reward is weighted by the ratios of
 * the decisions before and at its step only,
 *
 * <pre>  V̂_PDIS = (1/n) Σ_i Σ_{t&lt;T_i} γ^t w_{i,0:t} r_{i,t},   w_{i,0:t} = Π_{k≤t} ρ_{i,k}</pre>
 *
 * Unbiased when μ puts mass wherever π does; its variance grows with the horizon as the products do.
 */
public final class PerDecisionIs implements SequentialEstimator {
    @Override
    public String name() {
        return "pdis";
    }

    @Override
    public boolean needsModel() {
        return false;
    }

    @Override
    public double estimate(List<WeightedTrajectory> data, int[] index, double gamma) {
        return ClippedDoublyRobust.perDecision(data, index, gamma, Double.POSITIVE_INFINITY, false);
    }
}
