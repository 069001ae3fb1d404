package org.recsysrl.ope.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.ope.estimator.Estimators;
import org.recsysrl.ope.estimator.ItemGroups;
import org.recsysrl.ope.estimator.OpeInput;
import org.recsysrl.ope.estimator.UnitTerms;
import org.recsysrl.ope.model.RewardModel;
import org.recsysrl.ope.policy.TargetPolicy;
import org.recsysrl.ope.sequential.ActionDistribution;
import org.recsysrl.ope.sequential.FittedQEvaluation;
import org.recsysrl.ope.sequential.LoggedTrajectory;
import org.recsysrl.util.Rng;

/**
 * The one-step form of a simulator log through the bandit estimators of {@code ope.estimator}
 * (those the sequential package has no twin of: {@code sndr}, {@code switch-dr}, {@code dros}),
 * with the same cross-fitted reward model as the sequential one-step forms and the same
 * bootstrap over whole episodes.
 */
final class BanditEstimates {
    /** The bandit estimators run in addition to ips, snips, dr and dm. */
    static final List<String> EXTRA = List.of("sndr", "switch-dr", "dros");

    private BanditEstimates() {
    }

    /** One estimate: the value and its 95 % interval. */
    record Value(String estimator, double value, double low, double high, double ess) {
    }

    /**
     * @param feedback the log in the logged-feedback format (rows in the order of {@code rounds})
     * @param rounds the one-step view, for the model's features
     * @param models the reward model of each fold (round i valued by {@code models[i % F]})
     * @param target the target's distribution at every round
     * @param episodes the episode of every round (bootstrap clusters)
     */
    static List<Value> estimate(LoggedFeedback feedback, List<LoggedTrajectory> rounds, FittedQEvaluation[] models,
            List<ActionDistribution[]> target, String targetName, int[] episodes, int resamples, long seed) {
        return estimate(OpeInput.prepare(feedback, policy(target, targetName), model(rounds, models, target)), EXTRA,
                episodes, resamples, seed);
    }

    /**
     * The marginalized estimators {@code mips} and {@code mdr} over the item embedding {@code groups}
     * (the log must carry the logger's distribution on every row), with the same reward model as
     * {@link #estimate(LoggedFeedback, List, FittedQEvaluation[], List, String, int[], int, long)};
     * named {@code mips:EMBEDDING} and {@code mdr:EMBEDDING}.
     */
    static List<Value> marginalized(LoggedFeedback feedback, List<LoggedTrajectory> rounds,
            FittedQEvaluation[] models, List<ActionDistribution[]> target, String targetName, ItemGroups groups,
            int[] episodes, int resamples, long seed) {
        OpeInput in = OpeInput.prepare(feedback, policy(target, targetName), model(rounds, models, target), groups);
        List<Value> out = new ArrayList<>();
        for (Value v : estimate(in, Estimators.marginalizedNames(), episodes, resamples, seed)) {
            out.add(new Value(v.estimator() + ":" + groups.name(), v.value(), v.low(), v.high(), v.ess()));
        }
        return out;
    }

    /** The fold models as a {@link RewardModel} of the log's rows (row i valued by {@code models[i % F]}). */
    private static RewardModel model(List<LoggedTrajectory> rounds, FittedQEvaluation[] models,
            List<ActionDistribution[]> target) {
        return new RewardModel() {
            @Override
            public double predict(LoggedFeedback log, int row, int position, int item) {
                return models[row % models.length].q(rounds.get(row).features()[0], item);
            }

            @Override
            public double expectedUnder(TargetPolicy t, LoggedFeedback log, int row, int position, double[] scratch) {
                return models[row % models.length].value(rounds.get(row).features()[0], target.get(row)[0]);
            }
        };
    }

    /** The target as recorded at every round (rows in the order of the rounds). */
    static TargetPolicy policy(List<ActionDistribution[]> target, String targetName) {
        return new TargetPolicy() {
            @Override
            public String name() {
                return targetName;
            }

            @Override
            public double probability(LoggedFeedback log, int row, int position, int item) {
                return target.get(row)[0].probability(item);
            }

            @Override
            public void distribution(LoggedFeedback log, int row, int position, double[] out) {
                System.arraycopy(target.get(row)[0].toDense(), 0, out, 0, out.length);
            }
        };
    }

    /**
     * The estimators {@code names} on a prepared input, each with its 95 % percentile interval from
     * {@code resamples} bootstrap draws of whole episodes ({@code episodes}: the episode of every
     * row) and the ESS of its weights.
     */
    static List<Value> estimate(OpeInput input, List<String> names, int[] episodes, int resamples, long seed) {
        int[][] members = clusters(episodes);
        List<Value> out = new ArrayList<>();
        for (int k = 0; k < names.size(); k++) {
            UnitTerms terms = Estimators.byName(names.get(k)).terms(input);
            double value = terms.estimate();
            double low = value;
            double high = value;
            if (resamples > 0) {
                Rng rng = Rng.stream(seed, k);
                double[] boot = new double[resamples];
                for (int b = 0; b < resamples; b++) {
                    boot[b] = resampled(terms, members, rng);
                }
                Arrays.sort(boot);
                low = quantile(boot, 0.025);
                high = quantile(boot, 0.975);
            }
            out.add(new Value(names.get(k), value, low, high, ess(terms.weights())));
        }
        return out;
    }

    private static double resampled(UnitTerms t, int[][] members, Rng rng) {
        int c = t.components();
        double[] num = new double[c];
        double[] den = new double[c];
        for (int draw = 0; draw < members.length; draw++) {
            for (int u : members[rng.nextInt(members.length)]) {
                for (int j = 0; j < c; j++) {
                    num[j] += t.numerator()[u * c + j];
                    den[j] += t.denominator() == null ? 1 : t.denominator()[u * c + j];
                }
            }
        }
        double total = 0;
        for (int j = 0; j < c; j++) {
            total += num[j] / den[j];
        }
        return total;
    }

    private static int[][] clusters(int[] ids) {
        int count = 0;
        for (int id : ids) {
            count = Math.max(count, id + 1);
        }
        int[] sizes = new int[count];
        for (int id : ids) {
            sizes[id]++;
        }
        int[][] out = new int[count][];
        for (int c = 0; c < count; c++) {
            out[c] = new int[sizes[c]];
            sizes[c] = 0;
        }
        for (int i = 0; i < ids.length; i++) {
            out[ids[i]][sizes[ids[i]]++] = i;
        }
        return out;
    }

    private static double ess(double[] w) {
        if (w == null) {
            return Double.NaN;
        }
        double s = 0;
        double s2 = 0;
        for (double x : w) {
            s += x;
            s2 += x * x;
        }
        return s2 == 0 ? 0 : s * s / s2;
    }

    private static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
