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

    /** Every multi-step estimator: pdis, wpdis, dr, fqe. */
    public static List<SequentialEstimator> all() {
        return List.of(new PerDecisionIs(), new WeightedPerDecisionIs(), new TrajectoryDoublyRobust(),
                new DirectValue("fqe"));
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
            Rng rng = new Rng(seed);
            double[] boot = new double[resamples];
            int[] idx = new int[n];
            for (int b = 0; b < resamples; b++) {
                for (int i = 0; i < n; i++) {
                    idx[i] = rng.nextInt(n);
                }
                boot[b] = estimator.estimate(data, idx, gamma);
            }
            Arrays.sort(boot);
            low = percentile(boot, 0.025);
            high = percentile(boot, 0.975);
        }
        return new SequentialEstimate(estimator.name(), value, low, high, n, effectiveSampleSize(data),
                largestWeight(data));
    }

    /** Every estimator of {@code estimators} on the same data, each with its own bootstrap stream. */
    public static List<SequentialEstimate> estimateAll(List<SequentialEstimator> estimators,
            List<WeightedTrajectory> data, double gamma, int resamples, long seed) {
        List<SequentialEstimate> out = new ArrayList<>();
        for (int k = 0; k < estimators.size(); k++) {
            out.add(estimate(estimators.get(k), data, gamma, resamples, Rng.stream(seed, k).nextLong()));
        }
        return out;
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
