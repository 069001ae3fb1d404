package org.recsysrl.ope.sequential;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.recsysrl.util.Rng;

/**
 * Runs the multi-step estimators with their uncertainty: a percentile bootstrap over trajectories
 * (trajectories are the independent units; the value model is held fixed, so the interval covers the
 * estimator's sampling noise, not the model's refit), the effective sample size and the largest weight.
 */
public final class SequentialEstimators {
    /** Bootstrap resamples used unless told otherwise. */
    public static final int DEFAULT_RESAMPLES = 200;

    private SequentialEstimators() {
    }

    /** Every multi-step estimator: pdis, wpdis, dr, wdr, fqe. */
    public static List<SequentialEstimator> all() {
        return List.of(new PerDecisionIs(), new WeightedPerDecisionIs(), new TrajectoryDoublyRobust(),
                new WeightedDoublyRobust(), new DirectValue("fqe"));
    }

    /** The clipped forms {@code cpdis} and {@code cdr} with every cumulative weight clipped at {@code clip}. */
    public static List<SequentialEstimator> clipped(double clip) {
        return List.of(new ClippedDoublyRobust(clip, false), new ClippedDoublyRobust(clip, true));
    }

    /**
     * The multi-step estimators named in {@code names} (each one of {@link #all()}'s names), in that
     * order.
     *
     * @throws org.recsysrl.util.UserInputException naming the unknown name and the known ones
     */
    public static List<SequentialEstimator> byNames(List<String> names) {
        List<SequentialEstimator> out = new ArrayList<>();
        for (String n : names) {
            SequentialEstimator found = null;
            for (SequentialEstimator e : all()) {
                if (e.name().equals(n.trim())) {
                    found = e;
                }
            }
            if (found == null) {
                throw new org.recsysrl.util.UserInputException("--estimators " + n + ": not a multi-step estimator; use "
                        + String.join(",", all().stream().map(SequentialEstimator::name).toList()));
            }
            out.add(found);
        }
        return out;
    }

    /** The one-step (bandit) forms, applied to trajectories of one step with γ = 0: ips, snips, dr, dm. */
    public static List<SequentialEstimator> oneStep() {
        return List.of(renamed(new PerDecisionIs(), "ips"), renamed(new WeightedPerDecisionIs(), "snips"),
                renamed(new TrajectoryDoublyRobust(), "dr"), new DirectValue("dm"));
    }

    /** {@code e} under another name (the one-step forms are the multi-step ones on one-step trajectories). */
    public static SequentialEstimator renamed(SequentialEstimator e, String name) {
        return new SequentialEstimator() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean needsModel() {
                return e.needsModel();
            }

            @Override
            public double estimate(List<WeightedTrajectory> data, int[] index, double gamma) {
                return e.estimate(data, index, gamma);
            }
        };
    }

    /**
     * {@code estimator} on {@code data} with a 95 % percentile bootstrap of {@code resamples} resamples
     * of the trajectories (0: no interval, low = high = the estimate), drawn from {@code seed}.
     *
     * @throws IllegalArgumentException if the log is empty or the estimator needs a model that is missing
     */
    public static SequentialEstimate estimate(SequentialEstimator estimator, List<WeightedTrajectory> data,
            double gamma, int resamples, long seed) {
        return estimate(estimator, data, gamma, resamples, seed, null);
    }

    /**
     * As {@link #estimate(SequentialEstimator, List, double, int, long)}, with the bootstrap resampling
     * whole clusters: {@code cluster[i]} in [0, C) is the cluster of unit i (null: every unit its own).
     * The one-step form needs it: the rounds of one episode are not independent, so its rounds are
     * drawn together.
     */
    public static SequentialEstimate estimate(SequentialEstimator estimator, List<WeightedTrajectory> data,
            double gamma, int resamples, long seed, int[] cluster) {
        if (data.isEmpty()) {
            throw new IllegalArgumentException("no trajectories to estimate from");
        }
        if (!(gamma >= 0 && gamma <= 1)) {
            throw new IllegalArgumentException("discount " + gamma + " not in [0, 1]");
        }
        if (estimator.needsModel()) {
            for (WeightedTrajectory tr : data) {
                if (!tr.hasModel()) {
                    throw new IllegalArgumentException(estimator.name() + " needs a value model's Q̂ and V̂");
                }
            }
        }
        int n = data.size();
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        double value = estimator.estimate(data, all, gamma);
        double low = value;
        double high = value;
        if (resamples > 0) {
            int[][] members = members(cluster, n);
            Rng rng = new Rng(seed);
            double[] boot = new double[resamples];
            for (int b = 0; b < resamples; b++) {
                boot[b] = estimator.estimate(data, resample(rng, n, members), gamma);
            }
            Arrays.sort(boot);
            low = percentile(boot, 0.025);
            high = percentile(boot, 0.975);
        }
        return new SequentialEstimate(estimator.name(), value, low, high, n, effectiveSampleSize(data),
                largestWeight(data));
    }

    /**
     * The paired comparison of two targets on the same log: {@code estimator}'s value of
     * {@code second} minus its value of {@code first} (the same trajectories weighed for each target,
     * in the same order), with a 95 % percentile interval from {@code resamples} bootstrap resamples
     * that draw the same trajectories for both — so the noise the two estimates share (the same
     * users, the same rewards) cancels in the difference. The result's ESS and largest weight are NaN.
     */
    public static SequentialEstimate difference(SequentialEstimator estimator, List<WeightedTrajectory> first,
            List<WeightedTrajectory> second, double gamma, int resamples, long seed) {
        return difference(estimator, first, estimator, second, gamma, resamples, seed);
    }

    /**
     * As {@link #difference(SequentialEstimator, List, List, double, int, long)}, with an estimator of
     * its own for each target (the same method bound to each target's data, e.g.
     * {@link PerDecisionIndependentIps}); the result is named after {@code firstEstimator}.
     */
    public static SequentialEstimate difference(SequentialEstimator firstEstimator, List<WeightedTrajectory> first,
            SequentialEstimator secondEstimator, List<WeightedTrajectory> second, double gamma, int resamples,
            long seed) {
        int n = first.size();
        if (n == 0 || second.size() != n) {
            throw new IllegalArgumentException("paired comparison needs the same, non-empty trajectories for both"
                    + " targets (" + n + " and " + second.size() + ")");
        }
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        double value = secondEstimator.estimate(second, all, gamma) - firstEstimator.estimate(first, all, gamma);
        double low = value;
        double high = value;
        if (resamples > 0) {
            Rng rng = new Rng(seed);
            double[] boot = new double[resamples];
            for (int b = 0; b < resamples; b++) {
                int[] idx = resample(rng, n, null);
                boot[b] = secondEstimator.estimate(second, idx, gamma) - firstEstimator.estimate(first, idx, gamma);
            }
            Arrays.sort(boot);
            low = percentile(boot, 0.025);
            high = percentile(boot, 0.975);
        }
        return new SequentialEstimate(firstEstimator.name(), value, low, high, n, Double.NaN, Double.NaN);
    }

    /** One bootstrap draw of n units: each unit uniformly, or whole clusters ({@code members}) uniformly. */
    private static int[] resample(Rng rng, int n, int[][] members) {
        if (members == null) {
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = rng.nextInt(n);
            }
            return idx;
        }
        int[][] drawn = new int[members.length][];
        int size = 0;
        for (int c = 0; c < members.length; c++) {
            drawn[c] = members[rng.nextInt(members.length)];
            size += drawn[c].length;
        }
        int[] idx = new int[size];
        int at = 0;
        for (int[] m : drawn) {
            System.arraycopy(m, 0, idx, at, m.length);
            at += m.length;
        }
        return idx;
    }

    /** Every estimator of {@code estimators} on the same data, each with its own bootstrap stream. */
    public static List<SequentialEstimate> estimateAll(List<SequentialEstimator> estimators,
            List<WeightedTrajectory> data, double gamma, int resamples, long seed) {
        return estimateAll(estimators, data, gamma, resamples, seed, null);
    }

    /** As above, the bootstrap drawing whole clusters ({@code cluster[i]} of unit i, or null). */
    public static List<SequentialEstimate> estimateAll(List<SequentialEstimator> estimators,
            List<WeightedTrajectory> data, double gamma, int resamples, long seed, int[] cluster) {
        List<SequentialEstimate> out = new ArrayList<>();
        for (int k = 0; k < estimators.size(); k++) {
            out.add(estimate(estimators.get(k), data, gamma, resamples, Rng.stream(seed, k).nextLong(), cluster));
        }
        return out;
    }

    /** The units of every cluster, or null for none. */
    private static int[][] members(int[] cluster, int n) {
        if (cluster == null) {
            return null;
        }
        if (cluster.length != n) {
            throw new IllegalArgumentException(cluster.length + " cluster ids for " + n + " units");
        }
        int count = 0;
        for (int c : cluster) {
            if (c < 0) {
                throw new IllegalArgumentException("cluster id " + c + " is negative");
            }
            count = Math.max(count, c + 1);
        }
        int[] sizes = new int[count];
        for (int c : cluster) {
            sizes[c]++;
        }
        int[][] out = new int[count][];
        for (int c = 0; c < count; c++) {
            out[c] = new int[sizes[c]];
            sizes[c] = 0;
        }
        for (int i = 0; i < n; i++) {
            out[cluster[i]][sizes[cluster[i]]++] = i;
        }
        java.util.List<int[]> nonEmpty = new ArrayList<>();
        for (int[] m : out) {
            if (m.length > 0) {
                nonEmpty.add(m);
            }
        }
        return nonEmpty.toArray(new int[0][]);
    }

    /** (Σ_i W_i)² / Σ_i W_i², W_i the product of all of trajectory i's ratios (0 when every W_i is 0). */
    public static double effectiveSampleSize(List<WeightedTrajectory> data) {
        double sum = 0;
        double sumSq = 0;
        for (WeightedTrajectory tr : data) {
            double w = 1;
            for (double r : tr.ratios()) {
                w *= r;
            }
            sum += w;
            sumSq += w * w;
        }
        return sumSq == 0 ? 0 : sum * sum / sumSq;
    }

    /** max over trajectories i and steps t of w_{i,0:t}. */
    public static double largestWeight(List<WeightedTrajectory> data) {
        double max = 0;
        for (WeightedTrajectory tr : data) {
            double w = 1;
            for (double r : tr.ratios()) {
                w *= r;
                max = Math.max(max, w);
            }
        }
        return max;
    }

    /** The linear-interpolation percentile q of sorted values. */
    static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
