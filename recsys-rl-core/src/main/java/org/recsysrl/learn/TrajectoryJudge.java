package org.recsysrl.learn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.ope.policy.TargetPolicy;
import org.recsysrl.ope.sequential.FeedbackSlateTrajectories;
import org.recsysrl.ope.sequential.FeedbackTrajectories;
import org.recsysrl.ope.sequential.FittedQEvaluation;
import org.recsysrl.ope.sequential.LoggedTrajectory;
import org.recsysrl.ope.sequential.PerDecisionIs;
import org.recsysrl.ope.sequential.SequentialEstimate;
import org.recsysrl.ope.sequential.SequentialEstimator;
import org.recsysrl.ope.sequential.SequentialEstimators;
import org.recsysrl.ope.sequential.SlateFittedQEvaluation;
import org.recsysrl.ope.sequential.SlateTargetStep;
import org.recsysrl.ope.sequential.WeightedTrajectory;
import org.recsysrl.util.Rng;

/**
 * Judges policies by multi-step estimates of their discounted return on one held-out log: the
 * estimators of {@code ope --multi-step} ({@link SequentialEstimators#all()}: pdis, wpdis, dr, wdr,
 * fqe) with the same cross-fitted fitted-Q value model, built once for the log and refitted per
 * target, and a paired bootstrap of the difference of two targets' estimates (the same resampled
 * trajectories for both), or of a target's estimate and the logging policy's own discounted return,
 * which is what a deploy decision needs. On a slate log ({@link #slates}) the estimators run on
 * whole-slate ratios with the slate value model {@link SlateFittedQEvaluation}, as
 * {@code ope --multi-step} does on slates, with {@code pdiips} besides.
 */
public final class TrajectoryJudge {
    private final FeedbackTrajectories log;
    private final FittedQEvaluation.Design design;
    private final FeedbackSlateTrajectories slateLog;
    private final SlateFittedQEvaluation.Design slateDesign;
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
        this.slateLog = null;
        this.slateDesign = null;
        this.gamma = gamma;
    }

    private TrajectoryJudge(FeedbackSlateTrajectories slates, SlateFittedQEvaluation.Design design, double gamma) {
        this.log = null;
        this.design = null;
        this.slateLog = slates;
        this.slateDesign = design;
        this.gamma = gamma;
    }

    /**
     * A judge of slate policies on a slate log whose rows carry {@code session}, {@code step} and
     * {@code slate_propensity}: whole-slate ratios, the slate value model on the context's candidate
     * blocks ({@code blockOffset}, {@code blockWidth}; −1 for none) with a quadratic state basis when
     * {@code quadraticState}, cross-fitted over {@code folds} folds.
     *
     * @throws org.recsysrl.util.UserInputException if the rows cannot be grouped into slate trajectories
     */
    public static TrajectoryJudge slates(LoggedFeedback log, double gamma, double ridge, int folds, int blockOffset,
            int blockWidth, boolean quadraticState) {
        FeedbackSlateTrajectories slates = FeedbackSlateTrajectories.of(log, blockOffset, blockWidth, quadraticState);
        var trajectories = slates.trajectories();
        return new TrajectoryJudge(slates, SlateFittedQEvaluation.design(trajectories, log.numItems(),
                blockOffset >= 0 ? blockWidth : 0, Math.max(1, Math.min(folds, trajectories.size())), ridge, true),
                gamma);
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
        if (slateLog != null) {
            List<SlateTargetStep[]> steps = slateLog.targetSteps(target);
            List<WeightedTrajectory> weighed = slateDesign.weigh(steps, gamma);
            return new Judged(target.name(), weighed, SequentialEstimators.estimateAll(
                    slateLog.estimators(slateLog.defaultNames(), steps), weighed, gamma, resamples, seed));
        }
        List<WeightedTrajectory> weighed = design.weigh(log.distributions(target), gamma);
        return new Judged(target.name(), weighed, SequentialEstimators.estimateAll(SequentialEstimators.all(), weighed,
                gamma, resamples, seed));
    }

    /** The logging policy's own discounted return on the log (mean over trajectories, bootstrap interval). */
    public SequentialEstimate onPolicy(int resamples, long seed) {
        return slateLog != null ? slateLog.onPolicy(gamma, resamples, seed) : log.onPolicy(gamma, resamples, seed);
    }

    /** Trajectories of the log. */
    public int trajectories() {
        return slateLog != null ? slateLog.rows().size() : log.rows().size();
    }

    /**
     * {@code estimator}'s estimate of {@code target} minus the logging policy's own discounted return
     * (the mean over the logged trajectories of Σ_t γ^t r_t, the on-policy value the log measures
     * directly), with the 95 % interval of the differences on {@code resamples} resamples of the
     * trajectories, the same resample for both: the gain over the policy that logged.
     */
    public Difference gainOverLogger(SequentialEstimator estimator, Judged target, int resamples, long seed) {
        List<WeightedTrajectory> logged = new ArrayList<>(target.weighed().size());
        for (WeightedTrajectory t : target.weighed()) {
            double[] ones = new double[t.length()];
            Arrays.fill(ones, 1);
            logged.add(new WeightedTrajectory(t.rewards(), ones));
        }
        SequentialEstimate d = SequentialEstimators.difference(SequentialEstimators.renamed(new PerDecisionIs(),
                "on-policy"), logged, estimator, target.weighed(), gamma, resamples, seed);
        return new Difference(estimator.name(), LOGGER, target.target(), d.value(), d.low(), d.high());
    }

    /** The name of the logging policy in {@link #gainOverLogger}'s differences. */
    public static final String LOGGER = "logging policy";

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
