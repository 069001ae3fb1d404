package org.recsysrl.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replicates of one model — checkpoints of the same algorithm and encoder trained with different
 * seeds, named {@code name}, {@code name@dir2}, {@code name@dir3} in a report — summarised by the
 * mean of their test means and a 95% Student-t interval over the replicates:
 * {@code mean ± t(0.975, n−1) · sd / √n}, with sd the sample standard deviation of the n means.
 * This interval is about training randomness (the seed); each replicate's bootstrap interval is
 * about the test users.
 */
public final class Replicates {
    /** One model's replicates on one metric. */
    public record Group(String name, List<String> members, double[] values, double mean, double halfWidth) {
        /** The number of replicates. */
        public int n() {
            return values.length;
        }
    }

    /** t(0.975, df) for df = 1..30; beyond, the normal 1.96. */
    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
        2.056, 2.052, 2.048, 2.045, 2.042};

    private Replicates() {
    }

    /** The two-sided 95% Student-t quantile for {@code df} degrees of freedom (df ≥ 1). */
    public static double t975(int df) {
        if (df < 1) {
            throw new IllegalArgumentException("degrees of freedom must be >= 1: " + df);
        }
        return df <= T975.length ? T975[df - 1] : 1.96;
    }

    /** The name without the {@code @…} suffix that tells replicates apart. */
    public static String baseName(String name) {
        int at = name.indexOf('@');
        return at < 0 ? name : name.substring(0, at);
    }

    /**
     * Groups the given (non-baseline) models with a test result by {@link #baseName} and returns
     * the groups of two or more, in order of first appearance.
     */
    public static List<Group> of(List<OfflineBenchmark.ModelRun> models, String metric) {
        Map<String, List<OfflineBenchmark.ModelRun>> byName = new LinkedHashMap<>();
        for (OfflineBenchmark.ModelRun m : models) {
            if (!m.baseline() && m.test() != null) {
                byName.computeIfAbsent(baseName(m.name()), k -> new ArrayList<>()).add(m);
            }
        }
        List<Group> groups = new ArrayList<>();
        for (Map.Entry<String, List<OfflineBenchmark.ModelRun>> e : byName.entrySet()) {
            List<OfflineBenchmark.ModelRun> runs = e.getValue();
            if (runs.size() < 2) {
                continue;
            }
            double[] v = new double[runs.size()];
            List<String> members = new ArrayList<>();
            for (int i = 0; i < v.length; i++) {
                v[i] = runs.get(i).test().mean(metric);
                members.add(runs.get(i).name());
            }
            groups.add(summarise(e.getKey(), members, v));
        }
        return groups;
    }

    /** Mean and t-interval half-width of {@code values} (at least two). */
    static Group summarise(String name, List<String> members, double[] values) {
        int n = values.length;
        double mean = 0;
        for (double x : values) {
            mean += x;
        }
        mean /= n;
        double ss = 0;
        for (double x : values) {
            ss += (x - mean) * (x - mean);
        }
        double sd = Math.sqrt(ss / (n - 1));
        return new Group(name, List.copyOf(members), values.clone(), mean, t975(n - 1) * sd / Math.sqrt(n));
    }
}
