package org.recsysrl.ope.sequential;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.ope.policy.TargetPolicy;
import org.recsysrl.util.UserInputException;

/**
 * A logged-feedback file read as trajectories: the rows of one {@code session}, in the order of
 * their {@code step}, form a trajectory (sessions in the order they first appear). This is how the
 * multi-step estimators run on a log from {@code recsys-rl log} or from production.
 */
public final class FeedbackTrajectories {
    private final LoggedFeedback log;
    private final List<int[]> rows;

    private FeedbackTrajectories(LoggedFeedback log, List<int[]> rows) {
        this.log = log;
        this.rows = rows;
    }

    /**
     * Groups {@code log}'s rows into trajectories.
     *
     * @throws UserInputException if a row has no session or step, a session repeats a step, or a
     *     row shows a slate (the multi-step estimators read single items)
     */
    public static FeedbackTrajectories of(LoggedFeedback log) {
        if (!log.isOneStep()) {
            throw new UserInputException(log.source() + " shows slates of up to " + log.maxSlateLength() + " items: the"
                    + " multi-step estimators read one item per step");
        }
        List<int[]> out = sessions(log);
        return new FeedbackTrajectories(log, out);
    }

    /**
     * The row indices of every session of {@code log}, in step order (sessions in the order they first
     * appear).
     *
     * @throws UserInputException if a row has no session or step, or a session repeats a step
     */
    static List<int[]> sessions(LoggedFeedback log) {
        Map<String, List<Integer>> bySession = new LinkedHashMap<>();
        for (int r = 0; r < log.rows(); r++) {
            if (log.session(r) == null || log.step(r) < 0) {
                throw new UserInputException(log.source() + " row " + (r + 1) + " has no session or no step: multi-step"
                        + " estimates need both on every line, to order impressions into trajectories");
            }
            bySession.computeIfAbsent(log.session(r), k -> new ArrayList<>()).add(r);
        }
        List<int[]> out = new ArrayList<>(bySession.size());
        for (Map.Entry<String, List<Integer>> e : bySession.entrySet()) {
            int[] r = e.getValue().stream().mapToInt(Integer::intValue).toArray();
            Integer[] boxed = e.getValue().toArray(new Integer[0]);
            java.util.Arrays.sort(boxed, java.util.Comparator.comparingInt(log::step));
            for (int k = 0; k < r.length; k++) {
                r[k] = boxed[k];
                if (k > 0 && log.step(r[k]) == log.step(r[k - 1])) {
                    throw new UserInputException(log.source() + ": session " + e.getKey() + " has two rows of step "
                            + log.step(r[k]) + ": every step of a session must appear once");
                }
            }
            out.add(r);
        }
        return out;
    }

    /** The row indices of every trajectory, in step order. */
    public List<int[]> rows() {
        return rows;
    }

    /** The trajectories as fitted-Q evaluation reads them (features: the rows' context). */
    public List<LoggedTrajectory> trajectories() {
        List<LoggedTrajectory> out = new ArrayList<>(rows.size());
        for (int[] r : rows) {
            double[][] x = new double[r.length][];
            int[] a = new int[r.length];
            double[] rew = new double[r.length];
            double[] p = new double[r.length];
            for (int t = 0; t < r.length; t++) {
                x[t] = log.contextOf(r[t]);
                a[t] = log.item(r[t], 0);
                rew[t] = log.reward(r[t]);
                p[t] = log.propensity(r[t], 0);
            }
            out.add(new LoggedTrajectory(x, a, rew, p));
        }
        return out;
    }

    /** {@code target}'s distribution over the log's items at every step. */
    public List<ActionDistribution[]> distributions(TargetPolicy target) {
        int n = log.numItems();
        double[] scratch = new double[n];
        List<ActionDistribution[]> out = new ArrayList<>(rows.size());
        for (int[] r : rows) {
            ActionDistribution[] d = new ActionDistribution[r.length];
            for (int t = 0; t < r.length; t++) {
                target.distribution(log, r[t], log.position(r[t]), scratch);
                d[t] = normalised(scratch, target.name());
            }
            out.add(d);
        }
        return out;
    }

    static ActionDistribution normalised(double[] p, String name) {
        double sum = 0;
        for (double v : p) {
            sum += v;
        }
        if (!(sum > 0)) {
            throw new UserInputException("target " + name + " puts no probability on the log's items");
        }
        double[] q = new double[p.length];
        for (int a = 0; a < p.length; a++) {
            q[a] = p[a] / sum;
        }
        return ActionDistribution.dense(q);
    }

    /**
     * Every multi-step estimator ({@link SequentialEstimators#all()}) of {@code target} on this log:
     * the value model is {@link FittedQEvaluation} on the rows' context (no item features), ridge
     * {@code ridge}, cross-fitted over {@code folds} folds (at most one per trajectory).
     */
    public List<SequentialEstimate> estimate(TargetPolicy target, double gamma, double ridge, int folds, int resamples,
            long seed) {
        return estimate(target, SequentialEstimators.all(), gamma, ridge, folds, resamples, seed);
    }

    /**
     * As {@link #estimate(TargetPolicy, double, double, int, int, long)} with the given estimators
     * (the value model is fitted only when one of them needs it).
     */
    public List<SequentialEstimate> estimate(TargetPolicy target, List<SequentialEstimator> estimators, double gamma,
            double ridge, int folds, int resamples, long seed) {
        return SequentialEstimators.estimateAll(estimators, weigh(target, estimators, gamma, ridge, folds), gamma,
                resamples, seed);
    }

    /**
     * The trajectories weighed for {@code target} (in the log's session order): their ratios, and —
     * when one of {@code estimators} needs it — the fitted-Q value model's Q̂ and V̂, as
     * {@link #estimate} uses them; the input of a paired comparison
     * ({@link SequentialEstimators#difference}).
     */
    public List<WeightedTrajectory> weigh(TargetPolicy target, List<SequentialEstimator> estimators, double gamma,
            double ridge, int folds) {
        List<LoggedTrajectory> data = trajectories();
        List<ActionDistribution[]> dists = distributions(target);
        if (estimators.stream().noneMatch(SequentialEstimator::needsModel)) {
            List<WeightedTrajectory> weighed = new ArrayList<>(data.size());
            for (int i = 0; i < data.size(); i++) {
                LoggedTrajectory tr = data.get(i);
                weighed.add(new WeightedTrajectory(tr.rewards(), FittedQEvaluation.ratios(tr, dists.get(i))));
            }
            return weighed;
        }
        FittedQEvaluation.Design design = FittedQEvaluation.design(data, log.numItems(), null, 0,
                Math.max(1, Math.min(folds, data.size())), ridge, FittedQEvaluation.POOLED_RIDGE);
        return design.weigh(dists, gamma);
    }

    /**
     * The logging policy's own value: the logged trajectories' mean discounted return
     * (1/n) Σ_i Σ_t γ^t r_{i,t}, with the same bootstrap over trajectories (named {@code on-policy}).
     */
    public SequentialEstimate onPolicy(double gamma, int resamples, long seed) {
        return onPolicy(log, rows, gamma, resamples, seed);
    }

    /**
     * The mean discounted return of {@code log}'s sessions (rows' total rewards; single items or
     * slates), with its bootstrap over trajectories: a log's on-policy value.
     *
     * @throws UserInputException if a row has no session or step, or a session repeats a step
     */
    public static SequentialEstimate meanReturn(LoggedFeedback log, double gamma, int resamples, long seed) {
        return onPolicy(log, sessions(log), gamma, resamples, seed);
    }

    /** The mean discounted return of the trajectories {@code rows} of {@code log} (rows' total rewards). */
    static SequentialEstimate onPolicy(LoggedFeedback log, List<int[]> rows, double gamma, int resamples, long seed) {
        List<WeightedTrajectory> data = new ArrayList<>(rows.size());
        for (int[] r : rows) {
            double[] rewards = new double[r.length];
            double[] ones = new double[r.length];
            for (int t = 0; t < r.length; t++) {
                rewards[t] = log.reward(r[t]);
                ones[t] = 1;
            }
            data.add(new WeightedTrajectory(rewards, ones));
        }
        return SequentialEstimators.estimate(SequentialEstimators.renamed(new PerDecisionIs(), "on-policy"), data, gamma,
                resamples, seed);
    }
}
