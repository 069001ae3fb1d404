package org.recsysrl.eval;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A model's full-ranking evaluation on one task: per-user values of every metric (kept, so that
 * means get bootstrap confidence intervals and two models can be compared user by user) and the
 * catalog-level figures computed over all lists.
 *
 * @param model the model's name
 * @param users evaluated users (dense log indices), in the task's order
 * @param metrics metric names, e.g. {@code hr@10}, {@code ndcg@10}, {@code novelty@10}
 * @param values per-user values, user-major: user k's metric m is {@code values[k * metrics.size() + m]}
 * @param catalog catalog-level figures: {@code coverage@K} (distinct items recommended / catalog
 *     size) and {@code gini@K} (Gini coefficient of exposure) at every cut-off
 * @param seconds wall time of the evaluation
 */
public record RankingResult(String model, int[] users, List<String> metrics, double[] values,
        Map<String, Double> catalog, double seconds) {

    /** Number of evaluated users. */
    public int userCount() {
        return users.length;
    }

    /** Index of {@code metric} in {@link #metrics()}, or -1. */
    public int indexOf(String metric) {
        return metrics.indexOf(metric);
    }

    /** The per-user values of {@code metric}, in user order (a new array; NaN where undefined). */
    public double[] column(String metric) {
        int m = indexOf(metric);
        if (m < 0) {
            throw new IllegalArgumentException("no metric " + metric + " (have " + metrics + ")");
        }
        int width = metrics.size();
        double[] out = new double[users.length];
        for (int k = 0; k < users.length; k++) {
            out[k] = values[k * width + m];
        }
        return out;
    }

    /** The mean of {@code metric} over the users where it is defined (NaN if none). */
    public double mean(String metric) {
        double[] c = column(metric);
        double s = 0;
        int n = 0;
        for (double v : c) {
            if (!Double.isNaN(v)) {
                s += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    @Override
    public String toString() {
        return "RankingResult[" + model + ", " + users.length + " users, " + metrics + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RankingResult r && model.equals(r.model) && Arrays.equals(users, r.users)
                && metrics.equals(r.metrics) && Arrays.equals(values, r.values) && catalog.equals(r.catalog);
    }

    @Override
    public int hashCode() {
        return model.hashCode() * 31 + Arrays.hashCode(values);
    }
}
