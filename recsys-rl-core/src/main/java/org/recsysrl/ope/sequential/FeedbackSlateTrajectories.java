package org.recsysrl.ope.sequential;

import java.util.ArrayList;
import java.util.List;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.ope.policy.TargetPolicy;
import org.recsysrl.util.UserInputException;

/**
 * A logged-feedback file of slates read as trajectories (the rows of one {@code session} in
 * {@code step} order, as {@link FeedbackTrajectories}), for the multi-step slate estimators: the
 * importance-sampling and doubly robust estimators on whole-slate ratios π(A|x) / μ(A|x) (μ the
 * logged {@code slate_propensity}, π the target's {@link TargetPolicy#slateProbability}), the slate
 * value model {@link SlateFittedQEvaluation}, and {@link PerDecisionIndependentIps} when the rows
 * carry per-position rewards.
 *
 * <p>The state is the row's {@code context}. With candidate blocks (the context ends with, or
 * holds from {@code offset} on, one block of {@code width} features per action, as the
 * interest-evolution environment's observation does) the state is the context before the first
 * block and each shown action's features are its block; without, every item has a coefficient of
 * its own at every position.
 */
public final class FeedbackSlateTrajectories {
    /** The slate value model's coefficients at most (beyond it the one-hot form needs candidate blocks). */
    public static final int MAX_FEATURES = 2_000;
    private final LoggedFeedback log;
    private final List<int[]> rows;
    private final int slateSize;
    private final int blockOffset;
    private final int blockWidth;
    private final boolean positions;
    private final boolean quadratic;

    private FeedbackSlateTrajectories(LoggedFeedback log, List<int[]> rows, int slateSize, int blockOffset,
            int blockWidth, boolean positions, boolean quadratic) {
        this.quadratic = quadratic;
        this.log = log;
        this.rows = rows;
        this.slateSize = slateSize;
        this.blockOffset = blockOffset;
        this.blockWidth = blockWidth;
        this.positions = positions;
    }

    /**
     * Groups {@code log}'s slate rows into trajectories.
     *
     * @param blockOffset where the context's candidate blocks start, or −1 for none
     * @param blockWidth the features per candidate block (with {@code blockOffset} ≥ 0)
     * @throws UserInputException if a row has no session, step or {@code slate_propensity}, slates
     *     differ in length, a session repeats a step, or the candidate blocks do not fit the context
     */
    public static FeedbackSlateTrajectories of(LoggedFeedback log, int blockOffset, int blockWidth) {
        return of(log, blockOffset, blockWidth, false);
    }

    /**
     * As {@link #of(LoggedFeedback, int, int)}; with {@code quadraticState} the value model's state is
     * {@link SlateFittedQEvaluation#quadraticState} of the context (before the blocks).
     */
    public static FeedbackSlateTrajectories of(LoggedFeedback log, int blockOffset, int blockWidth,
            boolean quadraticState) {
        List<int[]> rows = FeedbackTrajectories.sessions(log);
        int k = log.slateLength(0);
        boolean positions = true;
        for (int r = 0; r < log.rows(); r++) {
            if (log.slateLength(r) != k) {
                throw new UserInputException(log.source() + " row " + (r + 1) + " shows " + log.slateLength(r)
                        + " items, row 1 shows " + k + ": multi-step slate estimates need slates of one length");
            }
            if (Double.isNaN(log.slatePropensity(r))) {
                throw new UserInputException(log.source() + " row " + (r + 1) + " has no slate_propensity: multi-step"
                        + " slate estimates weigh whole slates; log the logger's probability of the slate it showed");
            }
            positions &= log.hasPositionRewards(r) || log.reward(r) == 0;
        }
        if (blockOffset >= 0 && (blockWidth < 1
                || blockOffset + (long) log.numItems() * blockWidth > log.contextDim())) {
            throw new UserInputException("ope.model.candidates=" + blockOffset + "," + blockWidth + ": the context has "
                    + log.contextDim() + " features, too few for " + log.numItems() + " blocks of " + blockWidth
                    + " from " + blockOffset + "; give OFFSET,WIDTH of the context's per-item blocks");
        }
        FeedbackSlateTrajectories out = new FeedbackSlateTrajectories(log, rows, k, blockOffset, blockWidth, positions,
                quadraticState);
        int d = out.stateDim();
        int features = (quadraticState ? d + d * (d + 1) / 2 : d) + 1
                + k * (blockOffset >= 0 ? blockWidth : log.numItems());
        if (features > MAX_FEATURES) {
            throw new UserInputException(log.source() + ": the slate value model would have " + features
                    + " coefficients (" + k + " positions × " + log.numItems() + " items, " + d + " state features"
                    + (quadraticState ? " and their products" : "") + "): give the context's per-item blocks with"
                    + " --set ope.model.candidates=OFFSET,WIDTH, or use --estimators pdis,wpdis,pdiips (no model)");
        }
        return out;
    }

    private int stateDim() {
        return blockOffset >= 0 ? blockOffset : log.contextDim();
    }

    /** The row indices of every trajectory, in step order. */
    public List<int[]> rows() {
        return rows;
    }

    /** Whether every row has per-position rewards (a row without clicks counts: all 0), as {@code pdiips} needs. */
    public boolean hasPositionRewards() {
        return positions;
    }

    /** The trajectories as the slate value model and estimators read them. */
    public List<SlateTrajectory> trajectories() {
        List<SlateTrajectory> out = new ArrayList<>(rows.size());
        int n = log.numItems();
        for (int[] r : rows) {
            int len = r.length;
            double[][] x = new double[len][];
            double[][] cand = blockOffset >= 0 ? new double[len][] : null;
            int[][] slates = new int[len][slateSize];
            double[] rew = new double[len];
            double[][] pr = positions ? new double[len][slateSize] : null;
            double[] p = new double[len];
            double[][] pp = positions ? new double[len][slateSize] : null;
            for (int t = 0; t < len; t++) {
                double[] ctx = log.contextOf(r[t]);
                x[t] = java.util.Arrays.copyOf(ctx, stateDim());
                if (quadratic) {
                    x[t] = SlateFittedQEvaluation.quadraticState(x[t]);
                }
                if (cand != null) {
                    cand[t] = java.util.Arrays.copyOfRange(ctx, blockOffset, blockOffset + n * blockWidth);
                }
                rew[t] = log.reward(r[t]);
                p[t] = log.slatePropensity(r[t]);
                for (int k = 0; k < slateSize; k++) {
                    slates[t][k] = log.item(r[t], k);
                    if (positions) {
                        pr[t][k] = log.hasPositionRewards(r[t]) ? log.positionReward(r[t], k) : 0;
                        pp[t][k] = log.propensity(r[t], k);
                    }
                }
            }
            out.add(new SlateTrajectory(x, cand, slates, rew, pr, p, pp));
        }
        return out;
    }

    /** {@code target} at every step: its probability of the logged slate and its marginals over the log's items. */
    public List<SlateTargetStep[]> targetSteps(TargetPolicy target) {
        int n = log.numItems();
        double[] scratch = new double[n];
        List<SlateTargetStep[]> out = new ArrayList<>(rows.size());
        for (int[] r : rows) {
            SlateTargetStep[] at = new SlateTargetStep[r.length];
            for (int t = 0; t < r.length; t++) {
                ActionDistribution[] marginals = new ActionDistribution[slateSize];
                for (int k = 0; k < slateSize; k++) {
                    target.distribution(log, r[t], log.position(r[t]) + k, scratch);
                    marginals[k] = FeedbackTrajectories.normalised(scratch, target.name());
                }
                at[t] = new SlateTargetStep(Math.min(1, target.slateProbability(log, r[t])), marginals);
            }
            out.add(at);
        }
        return out;
    }

    /**
     * The estimators named in {@code names} for {@code target} ({@link SequentialEstimators#all()}'s
     * names and {@value PerDecisionIndependentIps#NAME}, bound to this log and target), in order.
     *
     * @throws UserInputException for an unknown name, or {@code pdiips} without per-position rewards
     */
    public List<SequentialEstimator> estimators(List<String> names, List<SlateTargetStep[]> target) {
        List<SequentialEstimator> out = new ArrayList<>();
        for (String name : names) {
            if (name.trim().equals(PerDecisionIndependentIps.NAME)) {
                if (!positions) {
                    throw new UserInputException("--estimators " + PerDecisionIndependentIps.NAME + ": " + log.source()
                            + " has rows with a reward but no per-position rewards; log \"rewards\" per position");
                }
                out.add(PerDecisionIndependentIps.of(trajectories(), target));
            } else {
                out.addAll(SequentialEstimators.byNames(List.of(name)));
            }
        }
        return out;
    }

    /** The default estimators: pdis, wpdis, dr, wdr, fqe, and pdiips when the rows have per-position rewards. */
    public List<String> defaultNames() {
        List<String> names = new ArrayList<>(SequentialEstimators.all().stream().map(SequentialEstimator::name).toList());
        if (positions) {
            names.add(PerDecisionIndependentIps.NAME);
        }
        return names;
    }

    /**
     * The trajectories weighed for {@code target}: whole-slate ratios, and when one of
     * {@code estimators} needs it the slate value model's Q̂ and V̂ (ridge {@code ridge},
     * cross-fitted over {@code folds} folds, at most one per trajectory).
     */
    public List<WeightedTrajectory> weigh(List<SlateTargetStep[]> target, List<SequentialEstimator> estimators,
            double gamma, double ridge, int folds) {
        List<SlateTrajectory> data = trajectories();
        if (estimators.stream().noneMatch(SequentialEstimator::needsModel)) {
            return SlateFittedQEvaluation.ratiosOnly(data, target);
        }
        return SlateFittedQEvaluation.design(data, log.numItems(), blockOffset >= 0 ? blockWidth : 0,
                Math.max(1, Math.min(folds, data.size())), ridge, true).weigh(target, gamma);
    }

    /** The logging policy's own value, the mean discounted return, as {@link FeedbackTrajectories#onPolicy}. */
    public SequentialEstimate onPolicy(double gamma, int resamples, long seed) {
        return FeedbackTrajectories.onPolicy(log, rows, gamma, resamples, seed);
    }
}
