package org.recsysrl.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
 * The off-policy learner on a synthetic contextual bandit: two one-hot contexts, four actions,
 * each context with its own best action, logged by a policy that mostly shows a poor action.
 */
class OffPolicyLearnerTest {
    static final int ACTIONS = 4;
    /** Expected reward of action a in context c. */
    static final double[][] MEAN = {{0.9, 0.2, 0.3, 0.1}, {0.1, 0.3, 0.2, 0.8}};
    /** The logger: action 1 with probability 0.55, the others 0.15 each, in both contexts. */
    static final double[] LOGGER = {0.15, 0.55, 0.15, 0.15};

    /** A log of {@code rows} rows in sessions of 5 steps, Bernoulli rewards. */
    static LoggedFeedback log(int rows, long seed) {
        Rng rng = Rng.stream(seed, 1);
        LoggedFeedback.Builder b = LoggedFeedback.builder("synthetic");
        for (int r = 0; r < rows; r++) {
            int c = rng.nextInt(2);
            double u = rng.nextDouble();
            int a = 0;
            double acc = LOGGER[0];
            while (u > acc && a < ACTIONS - 1) {
                a++;
                acc += LOGGER[a];
            }
            double reward = rng.nextDouble() < MEAN[c][a] ? 1 : 0;
            b.add(new Impression(r, "r" + r, "u" + r, "e" + (r / 5), r % 5, c == 0 ? new double[] {1, 0}
                    : new double[] {0, 1}, 0, List.of("i" + a), new double[] {LOGGER[a]}, Double.NaN, null, reward,
                    null));
        }
        return b.build();
    }

    static ActorCritic model() {
        return new ActorCritic(ActorCritic.Spec.of(2, ACTIONS), PolicyNetworkConfig.of(List.of(8), List.of(4), Activation.TANH,
                WeightInit.PYTORCH), Rng.stream(1, 1));
    }

    /** The true value of the model's softmax policy: Σ_c ½ Σ_a π(a|c) mean(c, a). */
    static double trueValue(ActorCritic model) {
        ActorCritic.Workspace ws = model.newWorkspace(2);
        model.policy(ws, new float[] {1, 0, 0, 1}, 2);
        double v = 0;
        for (int c = 0; c < 2; c++) {
            for (int a = 0; a < ACTIONS; a++) {
                v += 0.5 * ws.probs()[c * ACTIONS + a] * MEAN[c][a];
            }
        }
        return v;
    }

    @Test
    void bothObjectivesLearnTheBestActionOfEachContext() {
        LoggedFeedback log = log(6000, 3);
        double loggerValue = 0;
        for (int c = 0; c < 2; c++) {
            for (int a = 0; a < ACTIONS; a++) {
                loggerValue += 0.5 * LOGGER[a] * MEAN[c][a];
            }
        }
        for (OffPolicyLearner.Objective objective : OffPolicyLearner.Objective.values()) {
            ActorCritic model = model();
            double before = trueValue(model);
            OffPolicyLearner.Settings s = new OffPolicyLearner.Settings(objective, null, 40, 5, 64, 0.01, 0.25, 1.0, 9);
            OffPolicyLearner.Result result = new OffPolicyLearner(s, line -> { }).train(model,
                    LoggedBandit.of(log, ACTIONS, 2, "synthetic"));
            double after = trueValue(model);
            // the best policy earns 0.85; the logger 0.32; the initial near-uniform policy about 0.36
            assertTrue(after > 0.75, objective + ": learned value " + after + " (before " + before + ")");
            assertTrue(after > loggerValue + 0.3, objective + ": " + after + " against the logger's " + loggerValue);
            assertEquals(objective == OffPolicyLearner.Objective.BANDITNET ? 4 : 1, result.runs().size());
            // the held-out estimate of the chosen policy is near its true value (about 1,500 held-out rows)
            double estimate = objective == OffPolicyLearner.Objective.BANDITNET ? result.chosen().heldOut().snips()
                    : result.chosen().heldOut().dr();
            assertEquals(after, estimate, 0.08, objective.toString());
            assertTrue(result.chosen().bestEpoch() >= 1);
        }
    }

    @Test
    void heldOutEstimatesOfTheUniformPolicyByHand() {
        // all parameters 0: π = 1/4 everywhere, so w = 0.25 / p
        LoggedFeedback log = log(40, 5);
        LoggedBandit data = LoggedBandit.of(log, ACTIONS, 2, "synthetic");
        ActorCritic model = model();
        java.util.Arrays.fill(model.parameters().data(), 0f);
        int[] rows = {0, 1, 2, 3, 4, 5, 6, 7};
        boolean[] none = new boolean[data.rows()];
        java.util.Arrays.fill(none, true);
        OffPolicyLearner.Estimates e = OffPolicyLearner.estimate(model, data, rows,
                OffPolicyLearner.RewardQ.fit(data, none, 1.0));
        double sw = 0;
        double swr = 0;
        double sw2 = 0;
        for (int r : rows) {
            double w = 0.25 / data.propensity(r);
            sw += w;
            swr += w * data.reward(r);
            sw2 += w * w;
        }
        assertEquals(swr / rows.length, e.ips(), 1e-6);
        assertEquals(swr / sw, e.snips(), 1e-6);
        assertEquals(sw * sw / sw2, e.ess(), 1e-6);
        assertEquals(sw / rows.length, e.meanWeight(), 1e-6);
    }

    @Test
    void theSplitKeepsSessionsWholeAndHoldsOutTheShareAsked() {
        LoggedBandit data = LoggedBandit.of(log(1000, 2), ACTIONS, 2, "synthetic");
        LoggedBandit.Split split = data.split(0.2, 4);
        assertEquals(1000, split.train().length + split.heldOut().length);
        assertEquals(200, split.heldOut().length, 5);
        Set<String> heldSessions = new HashSet<>();
        for (int r : split.heldOut()) {
            heldSessions.add(data.log().session(r));
        }
        for (int r : split.train()) {
            assertTrue(!heldSessions.contains(data.log().session(r)), "session " + data.log().session(r) + " on both sides");
        }
    }

    @Test
    void refusesALogOfOtherActionsOrContexts() {
        LoggedFeedback log = log(50, 1);
        UserInputException wrongWidth = assertThrows(UserInputException.class, () -> LoggedBandit.of(log, ACTIONS, 3, "x"));
        assertTrue(wrongWidth.getMessage().contains("2 features"), wrongWidth.getMessage());
        UserInputException fewActions = assertThrows(UserInputException.class, () -> LoggedBandit.of(log, 2, 2, "x"));
        assertTrue(fewActions.getMessage().contains("is not one of the environment's 2 actions"), fewActions.getMessage());
        assertEquals(7, LoggedBandit.actionOf("i7"));
        assertEquals(12, LoggedBandit.actionOf("12"));
        assertEquals(-1, LoggedBandit.actionOf("item3"));
        assertEquals(-1, LoggedBandit.actionOf("i"));
    }
}
