package org.recsysrl.ope;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.ope.estimator.Estimator;
import org.recsysrl.ope.estimator.InversePropensity;
import org.recsysrl.ope.estimator.ItemGroups;
import org.recsysrl.ope.estimator.MarginalizedDoublyRobust;
import org.recsysrl.ope.estimator.MarginalizedIps;
import org.recsysrl.ope.estimator.OpeInput;
import org.recsysrl.ope.model.RewardModel;
import org.recsysrl.ope.policy.TargetPolicy;
import org.recsysrl.util.Rng;

/**
 * MIPS on a synthetic bandit whose reward depends on the item only through its group: unbiased, and
 * with a fraction of IPS's variance; and biased once the item has an effect of its own, where the
 * marginalized DR stays unbiased if its model's error depends on the item only through the group. 10 contexts,
 * 40 items in 4 groups of 10, a softmax logger mixed with 5 % uniform exploration, a sharper softmax
 * target on other logits; Bernoulli rewards; 300 logs of 500 rows from a fixed seed. The true value
 * is exact (Σ_x p(x) Σ_a π(a | x) m(x, a)).
 */
class MarginalizedSyntheticTest {
    private static final int CONTEXTS = 10;
    private static final int ITEMS = 40;
    private static final int GROUPS = 4;
    private static final int ROWS = 500;
    private static final int LOGS = 300;

    /** The problem: logger and target distributions per context, and the mean reward of every (x, a). */
    private record Problem(double[][] logger, double[][] target, double[][] meanReward) {
        double truth() {
            double v = 0;
            for (int x = 0; x < CONTEXTS; x++) {
                for (int a = 0; a < ITEMS; a++) {
                    v += target[x][a] * meanReward[x][a] / CONTEXTS;
                }
            }
            return v;
        }
    }

    private static int group(int item) {
        return item / (ITEMS / GROUPS);
    }

    /** {@code itemEffect}: how much each item's own random effect moves its click probability. */
    private static Problem problem(double itemEffect) {
        Rng rng = Rng.stream(23, 1);
        double[][] logger = new double[CONTEXTS][];
        double[][] target = new double[CONTEXTS][];
        double[][] mean = new double[CONTEXTS][ITEMS];
        double[] own = new double[ITEMS];
        for (int a = 0; a < ITEMS; a++) {
            own[a] = rng.nextGaussian();
        }
        for (int x = 0; x < CONTEXTS; x++) {
            logger[x] = softmax(rng, 1.0, 0.05);
            target[x] = softmax(rng, 0.3, 0.0);
            double[] byGroup = new double[GROUPS];
            for (int g = 0; g < GROUPS; g++) {
                byGroup[g] = rng.nextGaussian();
            }
            for (int a = 0; a < ITEMS; a++) {
                mean[x][a] = 1 / (1 + Math.exp(-(byGroup[group(a)] + itemEffect * own[a])));
            }
        }
        return new Problem(logger, target, mean);
    }

    /** A softmax of Gaussian logits at {@code temperature}, mixed with {@code epsilon} uniform. */
    private static double[] softmax(Rng rng, double temperature, double epsilon) {
        double[] p = new double[ITEMS];
        double sum = 0;
        for (int a = 0; a < ITEMS; a++) {
            p[a] = Math.exp(rng.nextGaussian() / temperature);
            sum += p[a];
        }
        for (int a = 0; a < ITEMS; a++) {
            p[a] = (1 - epsilon) * p[a] / sum + epsilon / ITEMS;
        }
        return p;
    }

    private static LoggedFeedback draw(Problem p, Rng rng) {
        List<String> ids = new ArrayList<>();
        int[] all = new int[ITEMS];
        for (int a = 0; a < ITEMS; a++) {
            ids.add("i" + a);
            all[a] = a;
        }
        LoggedFeedback.Builder b = LoggedFeedback.builder("synthetic").catalog(ids);
        for (int r = 0; r < ROWS; r++) {
            int x = rng.nextInt(CONTEXTS);
            double u = rng.nextDouble();
            int a = 0;
            for (double c = p.logger()[x][0]; c < u && a < ITEMS - 1; c += p.logger()[x][++a]) {
                // walk the cumulative distribution
            }
            double reward = rng.nextDouble() < p.meanReward()[x][a] ? 1 : 0;
            b.addIndexed(r, null, null, null, -1, new double[] {x}, 0, new int[] {a},
                    new double[] {p.logger()[x][a]}, Double.NaN, null, reward, all, p.logger()[x]);
        }
        return b.build();
    }

    private static TargetPolicy target(Problem p) {
        return new TargetPolicy() {
            @Override
            public String name() {
                return "sharp";
            }

            @Override
            public double probability(LoggedFeedback log, int row, int position, int item) {
                return p.target()[(int) log.context(row, 0)][item];
            }
        };
    }

    /** Per estimator: the mean and the variance of its estimates over the logs. */
    private static double[][] moments(Problem p, List<Estimator<OpeInput>> estimators, RewardModel model) {
        Rng rng = Rng.stream(23, 2);
        double[][] sums = new double[estimators.size()][2];
        String[] labels = new String[ITEMS];
        for (int a = 0; a < ITEMS; a++) {
            labels[a] = "g" + group(a);
        }
        ItemGroups groups = ItemGroups.ofLabels("group", List.of(labels));
        for (int l = 0; l < LOGS; l++) {
            OpeInput in = OpeInput.prepare(draw(p, rng), target(p), model, groups);
            for (int k = 0; k < estimators.size(); k++) {
                double v = estimators.get(k).terms(in).estimate();
                sums[k][0] += v;
                sums[k][1] += v * v;
            }
        }
        double[][] out = new double[estimators.size()][2];
        for (int k = 0; k < out.length; k++) {
            out[k][0] = sums[k][0] / LOGS;
            out[k][1] = (sums[k][1] - LOGS * out[k][0] * out[k][0]) / (LOGS - 1);
        }
        return out;
    }

    /**
     * A model wrong by a function of the group alone (0.3 + 0.1·group for every item): the residual
     * r − q̂ then depends on the item only through its group when the reward does.
     */
    private static final RewardModel GROUP_LEVEL = (log, row, position, item) -> 0.3 + 0.1 * group(item);

    /** The true mean reward plus an error that depends on the item only through its group. */
    private static RewardModel trueUpToGroup(Problem p) {
        return (log, row, position, item) -> p.meanReward()[(int) log.context(row, 0)][item] + 0.2
                - 0.15 * group(item);
    }

    /** A model whose error differs between items of one group (item 0 of group 0 alone is off). */
    private static final RewardModel ITEM_LEVEL = (log, row, position, item) -> item == 0 ? 0.9 : 0.3;

    @Test
    void withoutADirectEffectMipsIsUnbiasedWithLessVarianceThanIps() {
        Problem p = problem(0.0);
        double truth = p.truth();
        double[][] m = moments(p, List.of(new InversePropensity(), new MarginalizedIps(),
                new MarginalizedDoublyRobust()), GROUP_LEVEL);
        double ipsVar = m[0][1];
        double mipsVar = m[1][1];
        // unbiased: the mean over 300 logs within 4 standard errors of the truth
        assertThat(Math.abs(m[0][0] - truth)).isLessThan(4 * Math.sqrt(ipsVar / LOGS));
        assertThat(Math.abs(m[1][0] - truth)).isLessThan(4 * Math.sqrt(mipsVar / LOGS));
        assertThat(Math.abs(m[2][0] - truth)).isLessThan(4 * Math.sqrt(m[2][1] / LOGS));
        // the variance: well under half of IPS's (the weights over 4 groups instead of 40 items)
        assertThat(mipsVar).isLessThan(0.5 * ipsVar);
        assertThat(m[2][1]).isLessThan(0.5 * ipsVar);
        // a model whose error differs within a group biases MDR even here
        double[] itemLevel = moments(p, List.of(new MarginalizedDoublyRobust()), ITEM_LEVEL)[0];
        assertThat(Math.abs(itemLevel[0] - truth)).isGreaterThan(4 * Math.sqrt(itemLevel[1] / LOGS));
    }

    @Test
    void withADirectEffectMipsIsBiasedAndMdrIsNotWhenTheModelGetsTheItemsRight() {
        Problem p = problem(1.5);
        double truth = p.truth();
        double[][] m = moments(p, List.of(new InversePropensity(), new MarginalizedIps(),
                new MarginalizedDoublyRobust()), trueUpToGroup(p));
        assertThat(Math.abs(m[0][0] - truth)).isLessThan(4 * Math.sqrt(m[0][1] / LOGS));
        assertThat(Math.abs(m[1][0] - truth)).isGreaterThan(4 * Math.sqrt(m[1][1] / LOGS));
        // MDR: unbiased when the model's error depends on the item only through its group
        assertThat(Math.abs(m[2][0] - truth)).isLessThan(4 * Math.sqrt(m[2][1] / LOGS));
        assertThat(m[2][1]).isLessThan(0.5 * m[0][1]);
    }
}
