package org.recsysrl.ope.sequential;

/**
 * A multi-step estimator's estimate of the target policy's expected discounted return.
 *
 * @param estimator the estimator's short name ({@code pdis}, {@code wpdis}, {@code dr}, {@code fqe})
 * @param value the point estimate on the whole log
 * @param low the 2.5 % percentile of the bootstrap over trajectories
 * @param high the 97.5 % percentile
 * @param trajectories n, the trajectories in the log
 * @param effectiveSampleSize (Σ_i W_i)² / Σ_i W_i², W_i the product of trajectory i's ratios over all
 *     its steps: n when the target is the logging policy, near 1 when one trajectory carries the estimate
 * @param largestWeight the largest cumulative ratio ρ_{0:t} of any trajectory and step
 */
public record SequentialEstimate(String estimator, double value, double low, double high, int trajectories,
        double effectiveSampleSize, double largestWeight) {
}
