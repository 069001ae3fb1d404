package org.recsysrl.ope.sequential;

import java.util.List;

/**
 * An off-policy estimator of a target policy's expected discounted return
 * V(π) = E_π[Σ_t γ^t r_t] from trajectories logged under another policy μ. Implementations are
 * stateless; {@link SequentialEstimators#estimate} adds the bootstrap interval, the effective sample
 * size and the largest weight.
 */
public interface SequentialEstimator {
    /** The short name reports use. */
    String name();

    /** Whether the estimator reads the value model's Q̂ and V̂ (every trajectory must then carry them). */
    boolean needsModel();

    /**
     * The estimate from the trajectories {@code data[index[0]], …, data[index[m−1]]} (the bootstrap
     * passes resampled indices; a plain estimate passes 0 … n−1).
     */
    double estimate(List<WeightedTrajectory> data, int[] index, double gamma);
}
