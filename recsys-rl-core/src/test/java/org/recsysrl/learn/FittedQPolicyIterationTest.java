package org.recsysrl.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.config.PolicyNetworkConfig;
import org.recsysrl.nn.Activation;
import org.recsysrl.nn.WeightInit;
import org.recsysrl.ope.Impression;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.ope.sequential.ActionDistribution;
import org.recsysrl.ope.sequential.FittedQEvaluation;
import org.recsysrl.util.Rng;

/**
 * The multi-step learner on a tiny platform where the myopic choice is a trap: in state 0 action 0
 * pays 1 now and stays in state 0, action 1 pays nothing but leads to state 1, where action 1 pays
 * 2 per step; action 2 pays 0.2 and stays. After every step the episode ends with probability
 * {@value #END} (at most {@value #LONGEST} steps), so values do not depend on time; the logger mostly
 * takes the myopic action.
 */
class FittedQPolicyIterationTest {
    static final int ACTIONS = 3;
    static final int STATES = 2;
    static final double END = 0.2;
    static final int LONGEST = 40;
    static final double GAMMA = 0.9;
    /** Reward of action a in state s. */
    static final double[][] REWARD = {{1, 0, 0.2}, {0, 2, 0.2}};
    /** Next state after action a in state s. */
    static final int[][] NEXT = {{0, 1, 0}, {0, 1, 1}};
    static final double[] LOGGER = {0.6, 0.2, 0.2};

    static double[] context(int state) {
        return state == 0 ? new double[] {1, 0} : new double[] {0, 1};
    }

    /** {@code episodes} logged episodes from state 0, with rewards plus Gaussian noise of sd 0.3. */
    static LoggedFeedback log(int episodes, long seed) {
        Rng rng = Rng.stream(seed, 1);
        LoggedFeedback.Builder b = LoggedFeedback.builder("tiny");
        int row = 0;
        for (int e = 0; e < episodes; e++) {
            int s = 0;
            for (int t = 0; t < LONGEST; t++) {
                double u = rng.nextDouble();
                int a = u < LOGGER[0] ? 0 : u < LOGGER[0] + LOGGER[1] ? 1 : 2;
                double reward = REWARD[s][a] + 0.3 * rng.nextGaussian();
                b.add(new Impression(row, "r" + row, "u" + e, "e" + e, t, context(s), 0, List.of("i" + a),
                        new double[] {LOGGER[a]}, Double.NaN, null, reward, null));
                row++;
                s = NEXT[s][a];
                if (rng.nextDouble() < END) {
                    break;
                }
            }
        }
        return b.build();
    }

    /**
     * The exact expected discounted return from state 0 of the policy π(a|s) = {@code pi[s][a]}, by
     * backward induction over the {@value #LONGEST} steps an episode can last.
     */
    static double trueValue(double[][] pi) {
        double[] v = new double[STATES];
        for (int t = LONGEST - 1; t >= 0; t--) {
            double[] next = new double[STATES];
            for (int s = 0; s < STATES; s++) {
                for (int a = 0; a < ACTIONS; a++) {
                    next[s] += pi[s][a] * (REWARD[s][a] + GAMMA * (1 - END) * v[NEXT[s][a]]);
                }
            }
            v = next;
        }
        return v[0];
    }

    static double[][] policyOf(ActorCritic model) {
        ActorCritic.Workspace ws = model.newWorkspace(2);
        model.policy(ws, new float[] {1, 0, 0, 1}, 2);
        double[][] pi = new double[STATES][ACTIONS];
        for (int s = 0; s < STATES; s++) {
            for (int a = 0; a < ACTIONS; a++) {
                pi[s][a] = ws.probs()[s * ACTIONS + a];
            }
        }
        return pi;
    }

    static ActorCritic model() {
        return new ActorCritic(ActorCritic.Spec.of(2, ACTIONS), PolicyNetworkConfig.of(List.of(8), List.of(4), Activation.TANH,
                WeightInit.PYTORCH), Rng.stream(1, 1));
    }

    @Test
    void theMultiStepLearnerEscapesTheMyopicTrapAndBeatsTheLogger() {
        double logger = trueValue(new double[][] {LOGGER, LOGGER});
        double myopic = trueValue(new double[][] {{1, 0, 0}, {0, 1, 0}});
        double best = trueValue(new double[][] {{0, 1, 0}, {0, 1, 0}});
        // by hand (c = γ (1 − END) = 0.72, ignoring the cap at 40 steps, 0.72^40 < 2e-6): myopic 1 / (1 − c)
        // = 3.5714; best c · 2 / (1 − c) = 5.1429
        assertEquals(1 / (1 - 0.72), myopic, 1e-4);
        assertEquals(0.72 * 2 / (1 - 0.72), best, 1e-4);
        LoggedBandit data = LoggedBandit.of(log(1200, 5), ACTIONS, 2, "tiny");

        ActorCritic oneStep = model();
        new OffPolicyLearner(new OffPolicyLearner.Settings(OffPolicyLearner.Objective.DOUBLY_ROBUST, null, 30, 5, 64,
                0.01, 0.25, 1.0, 7), line -> { }).train(oneStep, data);
        double oneStepValue = trueValue(policyOf(oneStep));

        ActorCritic model = model();
        FittedQPolicyIteration.Result result = new FittedQPolicyIteration(new FittedQPolicyIteration.Settings(GAMMA, 4,
                3.0, 30, 5, 64, 0.01, 0.25, 1.0, 7, new double[] {0}, FittedQPolicyIteration.Selection.DR, 0),
                System.out::println).train(model, data);
        System.out.println(java.util.Arrays.deepToString(policyOf(model)) + " oneStep " + oneStepValue + " logger " + logger);
        double learned = trueValue(policyOf(model));
        assertTrue(learned > 1.1 * logger, "learned " + learned + " against the logger's " + logger);
        assertTrue(learned > myopic + 1, "learned " + learned + " against the myopic policy's " + myopic);
        assertTrue(learned > oneStepValue + 1, "learned " + learned + " against the one-step learner's " + oneStepValue);
        assertTrue(result.chosen().index() >= 1, "chose the initial policy");
        assertEquals(5, result.iterations().size());
        // the held-out multi-step DR estimate of the chosen policy is near its true discounted return
        assertEquals(learned, result.chosen().heldOutDr(), 0.05 * learned);
        // the logger's held-out discounted return is its true value, up to sampling noise (300 episodes)
        assertEquals(logger, result.loggerHeldOut(), 0.1 * logger);
    }

    @Test
    void improvementTargetsAreTheMirrorDescentStepAndTheLossGradientMatchesFiniteDifferences() {
        LoggedBandit data = LoggedBandit.of(log(40, 2), ACTIONS, 2, "tiny");
        int[] all = new int[data.rows()];
        for (int r = 0; r < all.length; r++) {
            all[r] = r;
        }
        LoggedSteps steps = LoggedSteps.of(data, all);
        assertEquals(40, steps.trajectories().size());
        assertEquals(data.rows(), steps.rows().length);
        List<ActionDistribution[]> pi = steps.distributions(model());
        FittedQEvaluation q = FittedQEvaluation.design(steps.trajectories(), ACTIONS, null, 0, 1, 1.0,
                FittedQEvaluation.POOLED_RIDGE).fit(pi, GAMMA, 0);
        double eta = 1.5;
        FittedQPolicyIteration.ImprovementTargets targets = FittedQPolicyIteration.ImprovementTargets.of(q, steps, pi,
                eta, Double.NaN, 0);
        // σ: the mean over the steps of the standard deviation of Q̂(s, ·) over the actions
        double spread = 0;
        for (double[][] x : steps.features()) {
            for (double[] xt : x) {
                double mean = (q.q(xt, 0) + q.q(xt, 1) + q.q(xt, 2)) / 3;
                double var = 0;
                for (int a = 0; a < ACTIONS; a++) {
                    var += Math.pow(q.q(xt, a) - mean, 2) / 3;
                }
                spread += Math.sqrt(var);
            }
        }
        spread /= steps.rows().length;
        assertEquals(spread, targets.spread(), 1e-9);
        // the first step of trajectory 1: target ∝ exp(η Q̂(s, a) / σ)
        int at = steps.trajectories().get(0).length();
        double[] x = steps.trajectories().get(1).features()[0];
        double[] expected = new double[ACTIONS];
        double sum = 0;
        for (int a = 0; a < ACTIONS; a++) {
            expected[a] = Math.exp(eta * q.q(x, a) / spread);
            sum += expected[a];
        }
        for (int a = 0; a < ACTIONS; a++) {
            assertEquals(expected[a] / sum, targets.target(at, a), 1e-9, "action " + a);
        }
        // with the trust region's share α the target is (1 − α) × that + α on the logged action
        double alpha = 0.3;
        FittedQPolicyIteration.ImprovementTargets mixed = FittedQPolicyIteration.ImprovementTargets.of(q, steps, pi,
                eta, Double.NaN, alpha);
        int logged = steps.trajectories().get(1).actions()[0];
        for (int a = 0; a < ACTIONS; a++) {
            assertEquals((1 - alpha) * expected[a] / sum + (a == logged ? alpha : 0), mixed.target(at, a), 1e-9,
                    "action " + a);
        }

        // the cross-entropy as a function of the logits, against central differences
        double[] z = {0.3, -0.7, 0.2};
        float[] grad = new float[ACTIONS];
        double loss = targets.loss(at, BanditObjectivesTest.softmax(z), 0, grad, 0, 1.0);
        double byHand = 0;
        for (int a = 0; a < ACTIONS; a++) {
            byHand -= targets.target(at, a) * Math.log(BanditObjectivesTest.softmax(z)[a]);
        }
        assertEquals(byHand, loss, 1e-12);
        for (int j = 0; j < ACTIONS; j++) {
            double h = 1e-5;
            double[] up = z.clone();
            double[] down = z.clone();
            up[j] += h;
            down[j] -= h;
            float[] scratch = new float[ACTIONS];
            double numeric = (targets.loss(at, BanditObjectivesTest.softmax(up), 0, scratch, 0, 1.0)
                    - targets.loss(at, BanditObjectivesTest.softmax(down), 0, scratch, 0, 1.0)) / (2 * h);
            assertEquals(numeric, grad[j], 1e-5, "logit " + j);
        }
    }

    @Test
    void theLowerBoundIsTheMeanLessTheOneSidedQuantileOfItsStandardError() {
        // terms 1, 2, 3, 6: mean 3, squared deviations 4 + 1 + 0 + 9 = 14, s² = 14 / 3, SE = √(14 / 3 / 4) = 1.080123
        // lower bound 3 − 1.645 × 1.080123 = 1.223197
        assertEquals(1.223197, FittedQPolicyIteration.lowerBound(new double[] {1, 2, 3, 6}), 1e-6);
        // one term: no spread to measure, the term itself
        assertEquals(4.0, FittedQPolicyIteration.lowerBound(new double[] {4}), 0);
        // equal terms: no noise, the mean
        assertEquals(2.5, FittedQPolicyIteration.lowerBound(new double[] {2.5, 2.5, 2.5}), 1e-12);
    }

    @Test
    void theSelectionRulesRankByThePointEstimateOrByItsLowerBound() {
        // a bold policy (DR 10, but one trajectory carries it: lower bound 2) against a cautious one (DR 8, lower 6)
        FittedQPolicyIteration.Iteration bold = new FittedQPolicyIteration.Iteration(3, 0, 5, 10, 2, 9, 1.3);
        FittedQPolicyIteration.Iteration cautious = new FittedQPolicyIteration.Iteration(2, 0.8, 5, 8, 6, 8, 400);
        assertTrue(bold.score(FittedQPolicyIteration.Selection.DR) > cautious.score(FittedQPolicyIteration.Selection.DR));
        assertTrue(cautious.score(FittedQPolicyIteration.Selection.DR_LOWER)
                > bold.score(FittedQPolicyIteration.Selection.DR_LOWER));
        // the ESS floor: below it a policy is not kept, whatever its estimate
        assertTrue(FittedQPolicyIteration.replaces(bold, cautious, FittedQPolicyIteration.Selection.DR, 1));
        assertTrue(!FittedQPolicyIteration.replaces(bold, cautious, FittedQPolicyIteration.Selection.DR, 10));
        assertTrue(!FittedQPolicyIteration.replaces(bold, cautious, FittedQPolicyIteration.Selection.DR_LOWER, 1));
        assertTrue(FittedQPolicyIteration.replaces(cautious, bold, FittedQPolicyIteration.Selection.DR_LOWER, 400));
        assertTrue(!FittedQPolicyIteration.replaces(cautious, bold, FittedQPolicyIteration.Selection.DR_LOWER, 401));
        // an iteration at the floor replaces a kept one below it (the initial network, kept whatever its ESS),
        // even with a lower estimate: the kept one's estimate is the model's, not the weights'
        assertTrue(FittedQPolicyIteration.replaces(cautious, bold, FittedQPolicyIteration.Selection.DR, 10));
        assertTrue(!FittedQPolicyIteration.replaces(cautious, bold, FittedQPolicyIteration.Selection.DR, 1));
        // a tie does not replace
        assertTrue(!FittedQPolicyIteration.replaces(cautious, cautious, FittedQPolicyIteration.Selection.DR, 0));
        assertEquals(FittedQPolicyIteration.Selection.DR_LOWER, FittedQPolicyIteration.Selection.find("dr-lower"));
        assertEquals(null, FittedQPolicyIteration.Selection.find("lower"));
    }

    @Test
    void theTrustRegionKeepsThePolicyAboveItsShareOfTheLoggerAndTheLearnerKeepsTheBestLowerBound() {
        LoggedBandit data = LoggedBandit.of(log(1200, 5), ACTIONS, 2, "tiny");
        double alpha = 0.8;
        ActorCritic plain = model();
        new FittedQPolicyIteration(settings(new double[] {0}, FittedQPolicyIteration.Selection.DR, 0), line -> { })
                .train(plain, data);
        ActorCritic model = model();
        FittedQPolicyIteration.Result result = new FittedQPolicyIteration(settings(new double[] {0, alpha},
                FittedQPolicyIteration.Selection.DR_LOWER, 0.3), System.out::println).train(model, data);
        // the initial policy and 4 iterations for each of the two shares
        assertEquals(9, result.iterations().size());
        // kept: the best lower bound among the iterations whose ESS is at least 30 % of the held-out trajectories
        double floor = 0.3 * 292;
        FittedQPolicyIteration.Iteration best = result.iterations().get(0);
        int eligible = 0;
        for (FittedQPolicyIteration.Iteration it : result.iterations()) {
            assertTrue(it.heldOutDrLower() <= it.heldOutDr(), "a lower bound above its estimate");
            if (it.ess() >= floor && it.heldOutDrLower() > best.heldOutDrLower()) {
                best = it;
            }
            eligible += it.index() > 0 && it.ess() >= floor ? 1 : 0;
        }
        assertTrue(eligible > 0 && eligible < 8, eligible + " iterations above the floor: the floor decides nothing");
        assertEquals(best, result.chosen());
        assertEquals(alpha, result.chosen().loggerMix());
        // the run with the trust region: its policies fit (1 − α) π_soft + α μ, so π(a|s) ≥ α μ(a) (up to the fit)
        // in both states; its held-out weights are far less degenerate than the plain learner's
        ActorCritic mixed = model();
        FittedQPolicyIteration.Result mixedOnly = new FittedQPolicyIteration(settings(new double[] {alpha},
                FittedQPolicyIteration.Selection.DR, 0), line -> { }).train(mixed, data);
        double[][] pi = policyOf(mixed);
        double[][] plainPi = policyOf(plain);
        boolean plainBelow = false;
        for (int s = 0; s < STATES; s++) {
            for (int a = 0; a < ACTIONS; a++) {
                assertTrue(pi[s][a] > alpha * LOGGER[a] - 0.05, "state " + s + " action " + a + ": " + pi[s][a]);
                plainBelow |= plainPi[s][a] < alpha * LOGGER[a] - 0.05;
            }
        }
        assertTrue(plainBelow, "the plain learner stays near the logger too: the check above cannot fail");
        assertTrue(mixedOnly.chosen().ess() > 3 * result.iterations().get(4).ess(), mixedOnly.chosen().ess() + " against "
                + result.iterations().get(4).ess());
        // and it still beats the logger
        assertTrue(trueValue(pi) > trueValue(new double[][] {LOGGER, LOGGER}));
    }

    static FittedQPolicyIteration.Settings settings(double[] mixes, FittedQPolicyIteration.Selection rule,
            double minEss) {
        return new FittedQPolicyIteration.Settings(GAMMA, 4, 3.0, 30, 5, 64, 0.01, 0.25, 1.0, 7, mixes, rule, minEss);
    }
}
