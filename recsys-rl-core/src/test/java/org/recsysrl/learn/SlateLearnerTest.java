package org.recsysrl.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.config.PolicyNetworkConfig;
import org.recsysrl.nn.Activation;
import org.recsysrl.nn.WeightInit;
import org.recsysrl.ope.Impression;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.util.Rng;
import org.recsysrl.util.UserInputException;

/**
 * The slate learner on a synthetic slate bandit: two one-hot contexts, five actions, slates of two;
 * the item at position k pays a Bernoulli reward of mean MEAN[c][a] × ATTENTION[k] (so the
 * independence assumption holds), logged ε-greedy around a poor slate.
 */
class SlateLearnerTest {
    static final int ACTIONS = 5;
    static final int K = 2;
    static final double[][] MEAN = {{0.9, 0.1, 0.7, 0.2, 0.1}, {0.1, 0.2, 0.1, 0.6, 0.9}};
    static final double[] ATTENTION = {1.0, 0.6};
    /** The logger's slate (in both contexts) and its exploration: a uniform slate with probability ε. */
    static final int[] LOGGER_SLATE = {1, 2};
    static final double EPSILON = 0.5;

    static double loggerPropensity(int k, int a) {
        return (LOGGER_SLATE[k] == a ? 1 - EPSILON : 0) + EPSILON / ACTIONS;
    }

    static LoggedFeedback log(int rows, long seed) {
        Rng rng = Rng.stream(seed, 1);
        LoggedFeedback.Builder b = LoggedFeedback.builder("synthetic slates");
        for (int r = 0; r < rows; r++) {
            int c = rng.nextInt(2);
            int[] slate = LOGGER_SLATE.clone();
            if (rng.nextDouble() < EPSILON) {
                slate[0] = rng.nextInt(ACTIONS);
                do {
                    slate[1] = rng.nextInt(ACTIONS);
                } while (slate[1] == slate[0]);
            }
            double[] props = new double[K];
            double[] rewards = new double[K];
            double total = 0;
            for (int k = 0; k < K; k++) {
                props[k] = loggerPropensity(k, slate[k]);
                rewards[k] = rng.nextDouble() < MEAN[c][slate[k]] * ATTENTION[k] ? 1 : 0;
                total += rewards[k];
            }
            b.add(new Impression(r, "r" + r, "u" + r, "e" + (r / 4), r % 4, c == 0 ? new double[] {1, 0}
                    : new double[] {0, 1}, 0, List.of("i" + slate[0], "i" + slate[1]), props, Double.NaN, rewards,
                    total, null));
        }
        return b.build();
    }

    static ActorCritic model() {
        return new ActorCritic(ActorCritic.Spec.of(2, ACTIONS).slates(K), PolicyNetworkConfig.of(List.of(8), List.of(4),
                Activation.TANH, WeightInit.PYTORCH), Rng.stream(1, 1));
    }

    /** The exact value of the model's Plackett–Luce policy: ½ Σ_c Σ_k Σ_a M_c[k][a] · MEAN[c][a] · ATTENTION[k]. */
    static double trueValue(ActorCritic model) {
        ActorCritic.Workspace ws = model.newWorkspace(2);
        model.policy(ws, new float[] {1, 0, 0, 1}, 2);
        double v = 0;
        double[] probs = new double[ACTIONS];
        double[] m = new double[K * ACTIONS];
        for (int c = 0; c < 2; c++) {
            for (int a = 0; a < ACTIONS; a++) {
                probs[a] = ws.probs()[c * ACTIONS + a];
            }
            SlateObjectives.marginals(probs, 0, ACTIONS, K, m);
            for (int k = 0; k < K; k++) {
                for (int a = 0; a < ACTIONS; a++) {
                    v += 0.5 * m[k * ACTIONS + a] * MEAN[c][a] * ATTENTION[k];
                }
            }
        }
        return v;
    }

    @Test
    void bothObjectivesLearnABetterSlatePolicyThanTheLogger() {
        LoggedFeedback log = log(4000, 3);
        LoggedSlates data = LoggedSlates.of(log, ACTIONS, K, 2, "synthetic");
        double loggerValue = 0;
        for (int c = 0; c < 2; c++) {
            for (int k = 0; k < K; k++) {
                for (int a = 0; a < ACTIONS; a++) {
                    loggerValue += 0.5 * loggerPropensity(k, a) * MEAN[c][a] * ATTENTION[k];
                }
            }
        }
        // the best slate: (0, 2) in context 0, (4, 3) in context 1: 0.9 + 0.42 and 0.9 + 0.36, mean 1.29
        for (OffPolicyLearner.Objective objective : OffPolicyLearner.Objective.values()) {
            ActorCritic model = model();
            OffPolicyLearner.Settings s = new OffPolicyLearner.Settings(objective, null, 25, 3, 64, 0.01, 0.25, 1.0, 9);
            OffPolicyLearner.Result result = new OffPolicyLearner(s, line -> { }).train(model, data);
            double after = trueValue(model);
            assertTrue(after > 1.1, objective + ": learned value " + after + " (logger " + loggerValue + ")");
            assertTrue(after > 1.5 * loggerValue, objective + ": " + after + " against the logger's " + loggerValue);
            double estimate = objective == OffPolicyLearner.Objective.BANDITNET ? result.chosen().heldOut().snips()
                    : result.chosen().heldOut().dr();
            assertEquals(after, estimate, 0.1, objective.toString());
            assertEquals(data.meanReward(data.split(0.25, 9).heldOut()), result.loggerHeldOut(), 1e-12);
        }
    }

    @Test
    void heldOutEstimatesOfTheUniformPolicyByHand() {
        // all parameters 0: π uniform, every position's marginal 1/5, so w = 0.2 / μ
        ActorCritic model = model();
        java.util.Arrays.fill(model.parameters().data(), 0f);
        LoggedSlates data = LoggedSlates.of(log(40, 2), ACTIONS, K, 2, "synthetic");
        int[] rows = {0, 1, 2, 3, 4, 5, 6, 7};
        double ips = 0;
        double[] sumW = new double[K];
        double[] sumWr = new double[K];
        for (int r : rows) {
            for (int k = 0; k < K; k++) {
                double w = 0.2 / data.propensity(r, k);
                ips += w * data.reward(r, k) / rows.length;
                sumW[k] += w;
                sumWr[k] += w * data.reward(r, k);
            }
        }
        boolean[] none = new boolean[data.rows()];
        OffPolicyLearner.Estimates e = SlateFeedback.estimate(model, data, rows,
                SlateFeedback.RewardModel.fit(data, none, 1.0));
        assertEquals(ips, e.ips(), 1e-6);
        assertEquals(sumWr[0] / sumW[0] + sumWr[1] / sumW[1], e.snips(), 1e-6);
        // on a whole log: every row's Σ_k 0.2 / μ_k · r_k over the rows
        double whole = 0;
        for (int r = 0; r < data.rows(); r++) {
            for (int k = 0; k < K; k++) {
                whole += 0.2 / data.propensity(r, k) * data.reward(r, k) / data.rows();
            }
        }
        assertEquals(whole, data.estimate(model, 1.0).ips(), 1e-6);
        assertEquals(data.rows(), data.estimate(model, 1.0).rows());
    }

    @Test
    void refusesRowsOfAnotherSlateSizeAndSlateRewardsWithoutPositions() {
        LoggedFeedback single = OffPolicyLearnerTest.log(20, 1);
        UserInputException size = assertThrows(UserInputException.class,
                () -> LoggedSlates.of(single, 4, K, 2, "--data x"));
        assertTrue(size.getMessage().startsWith("--data x: row 1 shows 1 items"), size.getMessage());
        LoggedFeedback.Builder b = LoggedFeedback.builder("totals");
        b.add(new Impression(0, "r0", "u0", "e0", 0, new double[] {1, 0}, 0, List.of("i0", "i1"),
                new double[] {0.5, 0.5}, Double.NaN, null, 1.0, null));
        UserInputException totals = assertThrows(UserInputException.class,
                () -> LoggedSlates.of(b.build(), ACTIONS, K, 2, "--data y"));
        assertTrue(totals.getMessage().contains("without position_rewards"), totals.getMessage());
    }
}
