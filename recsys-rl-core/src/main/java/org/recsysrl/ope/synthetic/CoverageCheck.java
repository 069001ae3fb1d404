package org.recsysrl.ope.synthetic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.recsysrl.ope.Estimate;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.ope.OffPolicyEvaluation;
import org.recsysrl.ope.estimator.Estimator;
import org.recsysrl.ope.estimator.Estimators;
import org.recsysrl.ope.estimator.OpeInput;
import org.recsysrl.ope.model.RewardModel;
import org.recsysrl.ope.model.RidgeRewardModel;
import org.recsysrl.ope.policy.TargetPolicy;

/**
 * How often the 95 % bootstrap intervals cover the true value on the synthetic bandit: {@code repeats}
 * independent logs of {@code rows} rounds, a softmax target over the true logits, each estimator's
 * interval compared with the exact value. The standard problem: 20 contexts of dimension 3, 10 items,
 * logger temperature 1 with a uniform exploration share ε = 0.1 (weights ≤ 100), target temperature
 * 0.5, ridge reward model (λ = 1), cross-fitted on two folds.
 */
public final class CoverageCheck {
    /**
     * The result.
     *
     * @param trueValue   the target's exact value
     * @param coverage    per estimator, the fraction of repeats whose interval covered it
     * @param meanError   per estimator, the mean of (estimate − truth)
     * @param rmse        per estimator, the root mean squared error
     */
    public record Result(double trueValue, Map<String, Double> coverage, Map<String, Double> meanError,
            Map<String, Double> rmse) {
    }

    private CoverageCheck() {
    }

    /** Runs the check; {@code estimators} by name. */
    public static Result run(int repeats, int rows, int bootstrap, List<String> estimators, long seed) {
        return run(repeats, rows, bootstrap, estimators, 0.1, seed);
    }

    /** As {@link #run(int, int, int, List, long)} with the logger's uniform exploration share ε. */
    public static Result run(int repeats, int rows, int bootstrap, List<String> estimators, double epsilon,
            long seed) {
        SyntheticBandit bandit = new SyntheticBandit(20, 3, 10, 1.0, epsilon, seed);
        TargetPolicy target = bandit.softmaxTarget(0.5);
        double truth = bandit.trueValue(target);
        List<Estimator<OpeInput>> es = new ArrayList<>();
        for (String n : estimators) {
            es.add(Estimators.byName(n));
        }
        Map<String, Double> cover = new LinkedHashMap<>();
        Map<String, Double> err = new LinkedHashMap<>();
        Map<String, Double> sq = new LinkedHashMap<>();
        for (String n : estimators) {
            cover.put(n, 0.0);
            err.put(n, 0.0);
            sq.put(n, 0.0);
        }
        for (int rep = 0; rep < repeats; rep++) {
            LoggedFeedback log = bandit.log(rows, seed * 1_000_003L + rep, false);
            RewardModel model = RidgeRewardModel.crossFitted(log, 1.0, 1.0, 2);
            OffPolicyEvaluation.Report report = OffPolicyEvaluation.run(log, List.of(target), es, model, bootstrap,
                    seed + rep);
            for (Estimate e : report.estimates().get(0)) {
                cover.merge(e.estimator(), e.covers(truth) ? 1.0 : 0.0, Double::sum);
                err.merge(e.estimator(), e.value() - truth, Double::sum);
                sq.merge(e.estimator(), (e.value() - truth) * (e.value() - truth), Double::sum);
            }
        }
        cover.replaceAll((k, v) -> v / repeats);
        err.replaceAll((k, v) -> v / repeats);
        sq.replaceAll((k, v) -> Math.sqrt(v / repeats));
        return new Result(truth, cover, err, sq);
    }
}
