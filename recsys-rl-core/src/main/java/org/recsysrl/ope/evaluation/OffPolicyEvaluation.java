package org.recsysrl.ope.evaluation;

import org.recsysrl.ope.LoggedFeedback;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.recsysrl.ope.estimator.Estimator;
import org.recsysrl.ope.estimator.Estimators;
import org.recsysrl.ope.estimator.ItemGroups;
import org.recsysrl.ope.estimator.OpeInput;
import org.recsysrl.ope.estimator.UnitTerms;
import org.recsysrl.ope.model.RewardModel;
import org.recsysrl.ope.policy.TargetPolicy;

/**
 * Runs estimators for several target policies on one log, with one shared bootstrap: every estimate
 * gets a 95 % percentile interval, the logging policy's on-policy value (its mean reward) is
 * reported with its own interval, and every later target is compared with the first on the same
 * resamples (a paired bootstrap interval of the difference).
 */
public final class OffPolicyEvaluation {
    private OffPolicyEvaluation() {
    }

    /**
     * The difference {@code second − first} of two targets' values under one estimator.
     *
     * @param estimator estimator name
     * @param first     the reference target
     * @param second    the compared target
     * @param difference point difference
     * @param low       2.5 % paired-bootstrap percentile
     * @param high      97.5 % paired-bootstrap percentile
     */
    public record Comparison(String estimator, String first, String second, double difference, double low,
            double high) {
    }

    /**
     * Everything one run produced.
     *
     * @param rows        rows of the log
     * @param onPolicy    the logging policy's mean reward with its bootstrap interval
     * @param estimates   per target (in order), per estimator (in order)
     * @param comparisons each later target against the first
     * @param overOnPolicy every target, per estimator, against the logging policy's on-policy value (its
     *                    mean reward on the log, named {@value #ON_POLICY}) on the same resamples: the
     *                    paired gain over the policy that logged
     * @param bootstrap   number of bootstrap replicates
     * @param seed        bootstrap seed
     */
    public record Report(int rows, Estimate onPolicy, List<List<Estimate>> estimates, List<Comparison> comparisons,
            List<Comparison> overOnPolicy, int bootstrap, long seed) {
        /** The comparison of {@code target}'s {@code estimator} estimate with the logging policy's value, or null. */
        public Comparison overOnPolicy(String estimator, String target) {
            for (Comparison c : overOnPolicy) {
                if (c.estimator().equals(estimator) && c.second().equals(target)) {
                    return c;
                }
            }
            return null;
        }
    }

    /** The name of the logging policy in {@link Report#overOnPolicy} comparisons. */
    public static final String ON_POLICY = "logging policy";

    /**
     * Estimates every target with every estimator. {@code model} may be {@code null} when no estimator
     * needs one.
     */
    public static Report run(LoggedFeedback log, List<TargetPolicy> targets, List<Estimator<OpeInput>> estimators,
            RewardModel model, int bootstrap, long seed) {
        return run(log, targets, estimators, model, null, bootstrap, seed);
    }

    /**
     * As {@link #run(LoggedFeedback, List, List, RewardModel, int, long)}, with a discrete item embedding
     * for the marginalized estimators ({@code mips}, {@code mdr}); {@code groups} may be {@code null}.
     */
    public static Report run(LoggedFeedback log, List<TargetPolicy> targets, List<Estimator<OpeInput>> estimators,
            RewardModel model, ItemGroups groups, int bootstrap, long seed) {
        if (targets.isEmpty() || estimators.isEmpty()) {
            throw new IllegalArgumentException("need at least one target and one estimator");
        }
        for (Estimator<OpeInput> e : estimators) {
            if (Estimators.needsModel(e.name()) && model == null) {
                throw new IllegalArgumentException(e.name() + " needs a reward model");
            }
        }
        List<UnitTerms> all = new ArrayList<>();
        double[] rewards = new double[log.rows()];
        for (int r = 0; r < log.rows(); r++) {
            rewards[r] = log.reward(r);
        }
        all.add(UnitTerms.mean(rewards, null));
        List<OpeInput> inputs = new ArrayList<>();
        for (TargetPolicy t : targets) {
            OpeInput in = OpeInput.prepare(log, t, model, groups);
            inputs.add(in);
            for (Estimator<OpeInput> e : estimators) {
                all.add(e.terms(in));
            }
        }
        double[][] reps = Bootstrap.replicates(all, bootstrap, seed);
        Estimate onPolicy = summarise("on-policy", ON_POLICY, all.get(0), reps[0], List.of());
        List<List<Estimate>> estimates = new ArrayList<>();
        int idx = 1;
        for (int ti = 0; ti < targets.size(); ti++) {
            List<Estimate> row = new ArrayList<>();
            String support = inputs.get(ti).supportWarning();
            for (Estimator<OpeInput> e : estimators) {
                List<String> warnings = new ArrayList<>();
                if (support != null) {
                    warnings.add(support);
                }
                row.add(summarise(e.name(), targets.get(ti).name(), all.get(idx), reps[idx], warnings));
                idx++;
            }
            estimates.add(row);
        }
        List<Comparison> comparisons = new ArrayList<>();
        int m = estimators.size();
        for (int ti = 1; ti < targets.size(); ti++) {
            for (int ei = 0; ei < m; ei++) {
                int a = 1 + ei;
                int b = 1 + ti * m + ei;
                double[] diff = new double[bootstrap];
                for (int k = 0; k < bootstrap; k++) {
                    diff[k] = reps[b][k] - reps[a][k];
                }
                double point = estimates.get(ti).get(ei).value() - estimates.get(0).get(ei).value();
                comparisons.add(new Comparison(estimators.get(ei).name(), targets.get(0).name(), targets.get(ti).name(),
                        point, Bootstrap.quantile(diff, 0.025), Bootstrap.quantile(diff, 0.975)));
            }
        }
        return new Report(log.rows(), onPolicy, estimates, comparisons,
                overOnPolicy(targets, estimators, estimates, onPolicy, reps), bootstrap, seed);
    }

    /** Every target's estimates minus the on-policy mean reward, paired on the same replicates ({@code reps[0]}). */
    private static List<Comparison> overOnPolicy(List<TargetPolicy> targets, List<Estimator<OpeInput>> estimators,
            List<List<Estimate>> estimates, Estimate onPolicy, double[][] reps) {
        List<Comparison> out = new ArrayList<>();
        int m = estimators.size();
        for (int ti = 0; ti < targets.size(); ti++) {
            for (int ei = 0; ei < m; ei++) {
                double[] own = reps[1 + ti * m + ei];
                double[] diff = new double[own.length];
                for (int k = 0; k < own.length; k++) {
                    diff[k] = own[k] - reps[0][k];
                }
                out.add(new Comparison(estimators.get(ei).name(), ON_POLICY, targets.get(ti).name(),
                        estimates.get(ti).get(ei).value() - onPolicy.value(), Bootstrap.quantile(diff, 0.025),
                        Bootstrap.quantile(diff, 0.975)));
            }
        }
        return out;
    }

    /** Summarises terms and their replicates into an {@link Estimate}, adding the weight diagnostics. */
    public static Estimate summarise(String estimator, String target, UnitTerms terms, double[] replicates,
            List<String> warnings) {
        double ess = Double.NaN;
        double max = Double.NaN;
        List<String> w = new ArrayList<>(warnings);
        if (terms.weights() != null) {
            double s = 0;
            double s2 = 0;
            max = Double.NEGATIVE_INFINITY;
            for (double x : terms.weights()) {
                s += x;
                s2 += x * x;
                max = Math.max(max, x);
            }
            ess = s2 == 0 ? 0 : s * s / s2;
            if (ess < Math.max(10, 0.01 * terms.units())) {
                w.add(String.format(Locale.ROOT, "few effective samples: ESS %.1f of %d; the estimate rests on a few"
                        + " heavily weighted rows and its interval may be too narrow", ess, terms.units()));
            }
        }
        int nan = 0;
        for (double r : replicates) {
            if (!Double.isFinite(r)) {
                nan++;
            }
        }
        if (nan > 0) {
            w.add(nan + " of " + replicates.length + " bootstrap replicates were undefined (zero weight sum)");
        }
        double value = terms.estimate();
        if (!Double.isFinite(value)) {
            w.add("undefined on this log: the weights sum to 0 (the target never shows what the logger showed)");
        }
        return new Estimate(estimator, target, value, Bootstrap.quantile(replicates, 0.025),
                Bootstrap.quantile(replicates, 0.975), Bootstrap.standardDeviation(replicates), ess, max,
                terms.units(), w, terms.notes());
    }
}
