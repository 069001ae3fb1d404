package org.recsysrl.config;

import java.util.List;

/**
 * Offline evaluation on logs ({@code benchmark}, and {@code evaluate} on checkpoints trained on
 * logs): the protocol that splits each user's history, the metrics' cut-offs, tuning and the
 * confidence intervals.
 *
 * @param protocol {@code loo} (each user's last interaction is the test item, the one before it the
 *     validation item), {@code temporal} (a global cutoff time; test = each user's first
 *     interaction(s) at or after it) or {@code user-fraction} (each user's last
 *     {@code data.holdout_fraction} / {@code data.holdout_last}, the chronological split of the
 *     {@code movielens} environment)
 * @param cutoffFraction temporal: the cutoff is the time by which this fraction of all
 *     interactions happened (used when {@code cutoffTime} is empty)
 * @param cutoffTime temporal: the cutoff itself, in the log's time unit (an integer) or an ISO-8601
 *     date such as {@code 2016-01-01} ("" = use {@code cutoffFraction})
 * @param targets temporal: {@code first} (each user's first interaction after the cutoff) or
 *     {@code all} (every one)
 * @param coldUsers temporal: also test users whose first interaction comes after the cutoff (with
 *     an empty history)
 * @param k the cut-off of the main table and of tuning
 * @param ks every cut-off reported (HR, NDCG, MRR, Recall, Precision at each)
 * @param tuneMetric metric maximised on the validation part when choosing hyperparameters
 *     ({@code ndcg}, {@code hr}, {@code mrr}, {@code recall}), at {@code k}
 * @param excludeKnown exclude each user's known items (the history) from the ranking; switch off
 *     for domains with repeat consumption
 * @param bootstrap resamples of the users for the 95 % confidence intervals
 * @param seed seed of the tie-breaking order, the bootstrap, the paired test and random baselines
 * @param threads threads for fitting and scoring (0 = every core)
 */
public record EvalConfig(String protocol, double cutoffFraction, String cutoffTime, String targets,
        boolean coldUsers, int k,
        List<Integer> ks, String tuneMetric, boolean excludeKnown, int bootstrap, long seed, int threads) {

    public static final List<String> PROTOCOLS = List.of("loo", "temporal", "user-fraction");
    public static final List<String> TARGETS = List.of("first", "all");
    public static final List<String> TUNE_METRICS = List.of("ndcg", "hr", "mrr", "recall");

    /** Leave-one-out, K = 10 (also 1, 5, 20), tuned on NDCG@10, 1,000 bootstrap resamples. */
    public static EvalConfig defaults() {
        return new EvalConfig("loo", 0.8, "", "first", true, 10, List.of(1, 5, 10, 20), "ndcg", true, 1000, 0L, 0);
    }

    public EvalConfig {
        ks = ks == null ? null : List.copyOf(ks);
    }

    /** The cut-offs reported: {@link #ks()} plus {@link #k()}, ascending, without repeats. */
    public int[] cutoffs() {
        java.util.TreeSet<Integer> all = new java.util.TreeSet<>(ks);
        all.add(k);
        return all.stream().mapToInt(Integer::intValue).toArray();
    }

    void validate() {
        Validation.oneOf("eval.protocol", protocol, PROTOCOLS);
        Validation.inRange("eval.cutoff_fraction", cutoffFraction, 0.0, false, 1.0, false);
        Validation.check(cutoffTime != null, "eval.cutoff_time must be a string (\"\" = use eval.cutoff_fraction)");
        Validation.oneOf("eval.targets", targets, TARGETS);
        Validation.check(k >= 1 && k <= 1000, "eval.k must be in [1, 1000] (got " + k + ")");
        Validation.check(ks != null && !ks.isEmpty(), "eval.ks must list at least one cut-off, e.g. 1,5,10,20");
        for (int c : ks) {
            Validation.check(c >= 1 && c <= 1000, "eval.ks entries must be in [1, 1000] (got " + c + ")");
        }
        Validation.oneOf("eval.tune_metric", tuneMetric, TUNE_METRICS);
        Validation.check(bootstrap >= 100 && bootstrap <= 100_000,
                "eval.bootstrap must be in [100, 100000] (got " + bootstrap + ")");
        Validation.check(threads >= 0 && threads <= 256, "eval.threads must be in [0, 256] (got " + threads + ")");
    }
}
