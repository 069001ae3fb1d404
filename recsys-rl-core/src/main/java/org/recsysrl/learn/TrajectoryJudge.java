package org.recsysrl.learn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.ope.policy.TargetPolicy;
import org.recsysrl.ope.sequential.FeedbackTrajectories;
import org.recsysrl.ope.sequential.FittedQEvaluation;
import org.recsysrl.ope.sequential.LoggedTrajectory;
import org.recsysrl.ope.sequential.SequentialEstimate;
import org.recsysrl.ope.sequential.SequentialEstimator;
import org.recsysrl.ope.sequential.SequentialEstimators;
import org.recsysrl.ope.sequential.WeightedTrajectory;
import org.recsysrl.util.Rng;

/**
 * Judges policies by multi-step estimates of their discounted return on one held-out log: the
 * estimators of {@code ope --multi-step} ({@link SequentialEstimators#all()}: pdis, wpdis, dr, wdr,
 * fqe) with the same cross-fitted fitted-Q value model, built once for the log and refitted per
 * target, and a paired bootstrap of the difference of two targets' estimates (the same resampled
 * trajectories for both), which is what a deploy decision needs.
 */
public final class TrajectoryJudge {
    private final FeedbackTrajectories log;
    private final FittedQEvaluation.Design design;
    private final double gamma;

    /**
     * @param log a single-item log whose rows carry {@code session} and {@code step}
     * @param gamma the discount, in [0, 1]
     * @param ridge the value model's per-action ridge
     * @param folds cross-fitting folds (at most one per trajectory)
     * @throws org.recsysrl.util.UserInputException if the rows cannot be grouped into trajectories
     */
    public TrajectoryJudge(LoggedFeedback log, double gamma, double ridge, int folds) {
        this.log = FeedbackTrajectories.of(log);
        List<LoggedTrajectory> trajectories = this.log.trajectories();
        this.design = FittedQEvaluation.design(trajectories, log.numItems(), null, 0,
                Math.max(1, Math.min(folds, trajectories.size())), ridge, FittedQEvaluation.POOLED_RIDGE);
        this.gamma = gamma;
    }

    /** The discount. */
    public double gamma() {
        return gamma;
    }

    /** One target's log as the estimators read it, and its estimates. */
    public record Judged(String target, List<WeightedTrajectory> weighed, List<SequentialEstimate> estimates) {
        /** The estimate named {@code estimator}, or null. */
        public SequentialEstimate estimate(String estimator) {
            for (SequentialEstimate e : estimates) {
                if (e.estimator().equals(estimator)) {
                    return e;
                }
            }
            return null;
        }
    }

    /** Every multi-step estimate of {@code target}, each with a 95 % bootstrap interval of {@code resamples}. */
    public Judged judge(TargetPolicy target, int resamples, long seed) {
        List<WeightedTrajectory> weighed = design.weigh(log.distributions(target), gamma);
        return new Judged(target.name(), weighed, SequentialEstimators.estimateAll(SequentialEstimators.all(), weighed,
                gamma, resamples, seed));
    }

    /** The logging policy's own discounted return on the log (mean over trajectories, bootstrap interval). */
    public SequentialEstimate onPolicy(int resamples, long seed) {
        return log.onPolicy(gamma, resamples, seed);
    }

    /**
     * A difference of two targets' estimates and its 95 % paired percentile bootstrap interval.
     *
     * @param value estimate(second) − estimate(first) on the whole log
     */
    public record Difference(String estimator, String first, String second, double value, double low, double high) {
    }

    /**
     * {@code estimator}'s estimate of {@code second} minus that of {@code first}, with the interval
     * of the differences on {@code resamples} resamples of the trajectories, the same resample for
     * both targets.
     */
    public Difference difference(SequentialEstimator estimator, Judged first, Judged second, int resamples,
            long seed) {
        int n = first.weighed().size();
        if (second.weighed().size() != n) {
            throw new IllegalArgumentException("the targets were judged on different logs");
        }
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        double value = estimator.estimate(second.weighed(), all, gamma) - estimator.estimate(first.weighed(), all, gamma);
        double[] boot = new double[resamples];
        Rng rng = new Rng(seed);
        int[] idx = new int[n];
        for (int b = 0; b < resamples; b++) {
            for (int i = 0; i < n; i++) {
                idx[i] = rng.nextInt(n);
            }
            boot[b] = estimator.estimate(second.weighed(), idx, gamma) - estimator.estimate(first.weighed(), idx, gamma);
        }
        Arrays.sort(boot);
        double low = resamples == 0 ? value : percentile(boot, 0.025);
        double high = resamples == 0 ? value : percentile(boot, 0.975);
        return new Difference(estimator.name(), first.target(), second.target(), value, low, high);
    }

    /** The estimator of {@link SequentialEstimators#all()} named {@code name}. */
    public static SequentialEstimator estimator(String name) {
        return SequentialEstimators.byNames(new ArrayList<>(List.of(name))).get(0);
    }

    private static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
