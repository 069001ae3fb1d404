package org.recsysrl.ope.estimator;

/**
 * An off-policy estimator. It turns its input (for bandit and slate logs an {@link OpeInput}; the
 * multi-step side uses its own trajectory input) into per-unit {@link UnitTerms} — one unit per
 * logged row or trajectory — whose ratio of sums is the estimate. Keeping estimators in this form
 * lets one bootstrap resample units for every estimator and target at once, which gives the
 * confidence intervals and paired comparisons on the same resamples.
 *
 * @param <I> the input type
 */
public interface Estimator<I> {
    /** The estimator's short name as used on the command line ({@code ips}, {@code dr}, ...). */
    String name();

    /** Per-unit terms of the estimate on {@code input}. */
    UnitTerms terms(I input);
}
