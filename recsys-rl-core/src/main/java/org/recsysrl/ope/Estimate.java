package org.recsysrl.ope;

import java.util.List;

/**
 * One estimator's estimate of one policy's value, with its uncertainty and diagnostics.
 *
 * @param estimator     estimator name
 * @param target        target policy name
 * @param value         the point estimate (on the whole log)
 * @param low           2.5 % bootstrap percentile
 * @param high          97.5 % bootstrap percentile
 * @param standardError bootstrap standard deviation
 * @param ess           effective sample size (Σw)² / Σw² of the estimator's weights, or NaN
 * @param maxWeight     largest weight, or NaN
 * @param units         number of units (rows or trajectories)
 * @param warnings      plain warnings (no support, few effective samples)
 * @param notes         remarks (tuned hyperparameters)
 */
public record Estimate(String estimator, String target, double value, double low, double high,
        double standardError, double ess, double maxWeight, int units, List<String> warnings, List<String> notes) {

    /** Whether {@code v} lies in the 95 % interval. */
    public boolean covers(double v) {
        return v >= low && v <= high;
    }
}
