package org.recsysrl.ope.sequential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The multi-step slate estimators: a two-trajectory log of two steps and slates of two (from three
 * candidates with one feature each) worked out by hand, the slate fitted-Q iteration against its
 * closed form, and unbiasedness over every path of a tiny MDP with a wrong value model.
 */
class SlateSequentialEstimatorsTest {
    private static final double GAMMA = 0.5;
    /** Q̂(s, A) = 1 + 2x + 0.5·c[a_0] − 1·c[a_1]. */
    private static final double[] WRONG_MODEL = {1, 2, 0.5, -1};

    private static ActionDistribution dense(double... p) {
        return ActionDistribution.dense(p);
    }

    private static SlateTrajectory trajectory(double[] x, double[][] c, int[][] slates, double[][] positionRewards,
            double[] mu, double[][] muPositions) {
        double[][] features = new double[x.length][];
        double[] rewards = new double[x.length];
        for (int t = 0; t < x.length; t++) {
            features[t] = new double[] {x[t]};
            rewards[t] = positionRewards[t][0] + positionRewards[t][1];
        }
        return new SlateTrajectory(features, c, slates, rewards, positionRewards, mu, muPositions);
    }

    /** Trajectory A: x 1, 0; B: x 2, 1 (see the test's comments for every number). */
    private static List<SlateTrajectory> handLog() {
        SlateTrajectory a = trajectory(new double[] {1, 0}, new double[][] {{1, 2, 3}, {2, 0, 1}},
                new int[][] {{0, 2}, {1, 0}}, new double[][] {{1, 0}, {0, 2}}, new double[] {0.25, 0.5},
                new double[][] {{0.5, 0.4}, {0.5, 0.25}});
        SlateTrajectory b = trajectory(new double[] {2, 1}, new double[][] {{0, 1, 1}, {1, 1, 0}},
                new int[][] {{2, 1}, {0, 1}}, new double[][] {{0, 0}, {3, 0}}, new double[] {0.2, 0.5},
                new double[][] {{0.4, 0.5}, {0.5, 0.25}});
        return List.of(a, b);
    }

    private static List<SlateTargetStep[]> handTarget() {
        SlateTargetStep[] a = {
            new SlateTargetStep(0.5, new ActionDistribution[] {dense(0.5, 0.25, 0.25), dense(0, 0.5, 0.5)}),
            new SlateTargetStep(0.25, new ActionDistribution[] {dense(0.25, 0.5, 0.25), dense(0.5, 0.25, 0.25)})};
        SlateTargetStep[] b = {
            new SlateTargetStep(0.4, new ActionDistribution[] {dense(0.2, 0.2, 0.6), dense(0.4, 0.4, 0.2)}),
            new SlateTargetStep(0.25, new ActionDistribution[] {dense(0.5, 0.5, 0), dense(0.25, 0.25, 0.5)})};
        return List.of(a, b);
    }

    private static double run(SequentialEstimator e, List<WeightedTrajectory> data) {
        return SequentialEstimators.estimate(e, data, GAMMA, 0, 0).value();
    }

    @Test
    void handComputedLog() {
        List<SlateTrajectory> log = handLog();
        List<SlateTargetStep[]> target = handTarget();
        SlateFittedQEvaluation model = SlateFittedQEvaluation.of(WRONG_MODEL, 1, 2, 3, 1);
        // Q̂ of the logged slates: A 1+2+0.5·1−3 = 0.5, 1+0+0.5·0−2 = −1; B 1+4+0.5·1−1 = 4.5, 1+2+0.5·1−1 = 2.5
        assertEquals(0.5, model.q(log.get(0), 0), 1e-12);
        assertEquals(-1, model.q(log.get(0), 1), 1e-12);
        assertEquals(4.5, model.q(log.get(1), 0), 1e-12);
        assertEquals(2.5, model.q(log.get(1), 1), 1e-12);
        // V̂ from the marginals: A0 E0[c] = 1.75, E1[c] = 2.5 → 1+2+0.875−2.5 = 1.375; A1 0.75, 1.25 → 0.125;
        // B0 0.8, 0.6 → 4.8; B1 1, 0.5 → 3
        assertEquals(1.375, model.value(log.get(0), 0, target.get(0)[0].marginals()), 1e-12);
        assertEquals(0.125, model.value(log.get(0), 1, target.get(0)[1].marginals()), 1e-12);
        assertEquals(4.8, model.value(log.get(1), 0, target.get(1)[0].marginals()), 1e-12);
        assertEquals(3, model.value(log.get(1), 1, target.get(1)[1].marginals()), 1e-12);
        List<WeightedTrajectory> data = model.weigh(log, target);
        // whole-slate ratios: A 0.5/0.25 = 2, 0.25/0.5 = 0.5; B 0.4/0.2 = 2, 0.25/0.5 = 0.5
        assertEquals(List.of(2.0, 0.5), List.of(data.get(0).ratios()[0], data.get(0).ratios()[1]));
        // PDIS: A 2·1 + 0.5·1·2 = 3, B 0 + 0.5·1·3 = 1.5 → 2.25
        assertEquals(2.25, run(new PerDecisionIs(), data), 1e-12);
        // WPDIS: t0 (2·1 + 2·0)/4 = 0.5, t1 (1·2 + 1·3)/2 = 2.5 → 0.5 + 0.5·2.5 = 1.75
        assertEquals(1.75, run(new WeightedPerDecisionIs(), data), 1e-12);
        // DR: A 2(1−0.5) + 1.375 + 0.5[1(2+1) + 2·0.125] = 4; B 2(0−4.5) + 4.8 + 0.5[1(3−2.5) + 2·3] = −0.95
        assertEquals(1.525, run(new TrajectoryDoublyRobust(), data), 1e-12);
        // FQE: (1.375 + 4.8)/2
        assertEquals(3.0875, run(new DirectValue("fqe"), data), 1e-12);
        // PDIIPS: A 1·(0.5/0.5)·1 + 0.5·2·(0.5/0.25)·2 = 5; B 0 + 0.5·2·(0.5/0.5)·3 = 3 → 4
        assertEquals(4, run(PerDecisionIndependentIps.of(log, target), data), 1e-12);
        // whole-trajectory weights 1 and 1: ESS 2; the largest cumulative weight 2
        assertEquals(2, SequentialEstimators.effectiveSampleSize(data), 1e-12);
        assertEquals(2, SequentialEstimators.largestWeight(data), 1e-12);
        // the importance-sampling view without a model has the same ratios
        assertEquals(2.25, run(new PerDecisionIs(), SlateFittedQEvaluation.ratiosOnly(log, target)), 1e-12);
    }

    @Test
    void oneHotItemsGetACoefficientPerItemAndPosition() {
        // no candidate features: coefficients [1, x | item 0, 1, 2 at position 0 | at position 1]
        double[] w = {0.5, 1, 10, 20, 30, 100, 200, 300};
        SlateFittedQEvaluation model = SlateFittedQEvaluation.of(w, 1, 2, 3, 0);
        SlateTrajectory tr = new SlateTrajectory(new double[][] {{2}}, null, new int[][] {{2, 0}}, new double[] {1},
                null, new double[] {0.5}, null);
        assertEquals(0.5 + 2 + 30 + 100, model.q(tr, 0), 1e-12);
        ActionDistribution[] m = {dense(0.5, 0.5, 0), dense(0, 0.25, 0.75)};
        assertEquals(0.5 + 2 + 15 + 0.25 * 200 + 0.75 * 300, model.value(tr, 0, m), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> SlateFittedQEvaluation.of(new double[7], 1, 2, 3, 0));
    }

    @Test
    void fittedQIterationMatchesItsClosedForm() {
        // one trajectory of three steps, reward 1 each, no state features and every candidate feature 0:
        // only the constant is fitted. Its penalty is 1e-6 per row, c = 1 + 1e-6; with γ = 0.5 each
        // iteration is w ← (3 + 2γw) / (3c) = a + b·w, a = 1/c, b = 1/(3c); K = 10 iterations from 0
        // (0.5^10 ≤ 10⁻³) give w = a (1 − b^10) / (1 − b).
        double[][] zeros = new double[3][6];
        SlateTrajectory tr = new SlateTrajectory(new double[3][0], zeros, new int[][] {{0, 1}, {1, 2}, {2, 0}},
                new double[] {1, 1, 1}, null, new double[] {0.5, 0.5, 0.5}, null);
        SlateTargetStep[] pi = new SlateTargetStep[3];
        for (int t = 0; t < 3; t++) {
            pi[t] = new SlateTargetStep(0.5, new ActionDistribution[] {ActionDistribution.uniform(3),
                ActionDistribution.uniform(3)});
        }
        SlateFittedQEvaluation.Design design = SlateFittedQEvaluation.design(List.of(tr), 3, 2, 1, 1.0, false);
        SlateFittedQEvaluation fit = design.fit(List.<SlateTargetStep[]>of(pi), GAMMA, 0);
        double c = 1 + FittedQEvaluation.POOLED_RIDGE;
        double a = 1 / c;
        double b = 1 / (3 * c);
        assertEquals(10, FittedQEvaluation.iterations(GAMMA));
        assertEquals(a * (1 - Math.pow(b, 10)) / (1 - b), fit.weights()[0], 1e-12);
        assertEquals(0, fit.weights()[1], 0);
        // bounded: rewards 1 over at most 3 steps allow returns in [1, 1 + 0.5 + 0.25]; the first
        // iteration's V̂ = 0 is lifted to 1, so every iteration is w ← (3 + 2γ·max(1, w)) / (3c)
        SlateFittedQEvaluation bounded = SlateFittedQEvaluation.design(List.of(tr), 3, 2, 1, 1.0, true)
                .fit(List.<SlateTargetStep[]>of(pi), GAMMA, 0);
        double w = 0;
        for (int k = 0; k < 10; k++) {
            w = (3 + 2 * GAMMA * Math.max(1, Math.min(1.75, w))) / (3 * c);
        }
        assertEquals(w, bounded.weights()[0], 1e-12);
        assertTrue(bounded.weights()[0] > fit.weights()[0]);
    }

    @Test
    void fitRecoversAnExactLinearRewardWithPositionTerms() {
        // γ = 0: one ridge regression; rewards are exactly 1 + 2x + 3·c[a_0] − c[a_1] on varied data
        List<SlateTrajectory> log = new ArrayList<>();
        List<SlateTargetStep[]> target = new ArrayList<>();
        org.recsysrl.util.Rng rng = new org.recsysrl.util.Rng(5);
        for (int i = 0; i < 200; i++) {
            double x = rng.nextDouble();
            double[] c = {rng.nextDouble(), rng.nextDouble(), rng.nextDouble()};
            int a0 = rng.nextInt(3);
            int a1 = (a0 + 1 + rng.nextInt(2)) % 3;
            double r = 1 + 2 * x + 3 * c[a0] - c[a1];
            log.add(new SlateTrajectory(new double[][] {{x}}, new double[][] {c}, new int[][] {{a0, a1}},
                    new double[] {r}, null, new double[] {1.0 / 6}, null));
            target.add(new SlateTargetStep[] {new SlateTargetStep(1.0 / 6, new ActionDistribution[] {
                ActionDistribution.uniform(3), ActionDistribution.uniform(3)})});
        }
        double[] w = SlateFittedQEvaluation.design(log, 3, 1, 1, 1e-9, true).fit(target, 0, 0).weights();
        // (the constant's tiny penalty, 1e-6 per row, and the ridge of 1e-9 leave errors near 1e-5)
        assertEquals(1, w[0], 1e-4);
        assertEquals(2, w[1], 1e-4);
        assertEquals(3, w[2], 1e-4);
        assertEquals(-1, w[3], 1e-4);
    }

    // ---- unbiasedness over every path of a tiny MDP ----

    /** The six ordered slates of two distinct items out of three. */
    private static final int[][] SLATES = {{0, 1}, {0, 2}, {1, 0}, {1, 2}, {2, 0}, {2, 1}};
    private static final double[][] CANDIDATES = {{1, 0, 2}, {0, 1, 1}};
    private static final double[][] LOGGER = {{0.1, 0.2, 0.3, 0.1, 0.2, 0.1}, {0.25, 0.05, 0.1, 0.2, 0.3, 0.1}};
    private static final double[][] TARGET = {{0.4, 0, 0.1, 0.3, 0.1, 0.1}, {0.05, 0.45, 0.2, 0.1, 0.1, 0.1}};
    private static final double START_ONE = 0.4;

    /** Reward of position k showing item a in state s: depends on its own item only (additive). */
    private static double positionReward(int s, int k, int a) {
        return (a + 1) * (s + 1) * (k == 0 ? 1.0 : 0.5) - (a == 2 && s == 1 ? 0.7 : 0);
    }

    /** P(next state = 1 | s, slate): depends on the whole slate. */
    private static double toOne(int s, int[] slate) {
        return (slate[0] + 2.0 * slate[1] + s + 1) / 10;
    }

    private static double marginal(double[] slateDist, int k, int a) {
        double p = 0;
        for (int j = 0; j < SLATES.length; j++) {
            if (SLATES[j][k] == a) {
                p += slateDist[j];
            }
        }
        return p;
    }

    private static ActionDistribution[] marginals(double[] slateDist) {
        ActionDistribution[] out = new ActionDistribution[2];
        for (int k = 0; k < 2; k++) {
            out[k] = dense(marginal(slateDist, k, 0), marginal(slateDist, k, 1), marginal(slateDist, k, 2));
        }
        return out;
    }

    /** Σ over every two-step path of (probability under {@code policy}) × (what {@code f} gives the path). */
    private interface PathValue {
        double of(int[] states, int[] slateIndex);
    }

    private static double expectation(double[][] policy, PathValue f) {
        double total = 0;
        for (int s0 = 0; s0 < 2; s0++) {
            double p0 = s0 == 1 ? START_ONE : 1 - START_ONE;
            for (int j0 = 0; j0 < SLATES.length; j0++) {
                for (int s1 = 0; s1 < 2; s1++) {
                    double p1 = s1 == 1 ? toOne(s0, SLATES[j0]) : 1 - toOne(s0, SLATES[j0]);
                    for (int j1 = 0; j1 < SLATES.length; j1++) {
                        double p = p0 * policy[s0][j0] * p1 * policy[s1][j1];
                        if (p > 0) {
                            total += p * f.of(new int[] {s0, s1}, new int[] {j0, j1});
                        }
                    }
                }
            }
        }
        return total;
    }

    private static SlateTrajectory path(int[] states, int[] slateIndex) {
        double[][] x = new double[2][];
        double[][] c = new double[2][];
        int[][] slates = new int[2][];
        double[] r = new double[2];
        double[][] pr = new double[2][2];
        double[] mu = new double[2];
        double[][] muk = new double[2][2];
        for (int t = 0; t < 2; t++) {
            int s = states[t];
            x[t] = new double[] {s};
            c[t] = CANDIDATES[s];
            slates[t] = SLATES[slateIndex[t]];
            mu[t] = LOGGER[s][slateIndex[t]];
            for (int k = 0; k < 2; k++) {
                pr[t][k] = positionReward(s, k, slates[t][k]);
                r[t] += pr[t][k];
                muk[t][k] = marginal(LOGGER[s], k, slates[t][k]);
            }
        }
        return new SlateTrajectory(x, c, slates, r, pr, mu, muk);
    }

    private static SlateTargetStep[] targetOn(int[] states, int[] slateIndex) {
        SlateTargetStep[] out = new SlateTargetStep[2];
        for (int t = 0; t < 2; t++) {
            out[t] = new SlateTargetStep(TARGET[states[t]][slateIndex[t]], marginals(TARGET[states[t]]));
        }
        return out;
    }

    @Test
    void estimatorsAreUnbiasedOverEveryPathWithAWrongModel() {
        SlateFittedQEvaluation model = SlateFittedQEvaluation.of(new double[] {3, -2, 1.5, 0.7}, 1, 2, 3, 1);
        double truth = expectation(TARGET, (s, j) -> {
            SlateTrajectory tr = path(s, j);
            return tr.rewards()[0] + GAMMA * tr.rewards()[1];
        });
        List<SequentialEstimator> unbiased = List.of(new PerDecisionIs(), new TrajectoryDoublyRobust());
        for (SequentialEstimator e : unbiased) {
            double mean = expectation(LOGGER, (s, j) -> run(e, model.weigh(List.of(path(s, j)),
                    List.<SlateTargetStep[]>of(targetOn(s, j)))));
            assertEquals(truth, mean, 1e-12, e.name());
        }
        double pdiips = expectation(LOGGER, (s, j) -> {
            List<SlateTrajectory> one = List.of(path(s, j));
            List<SlateTargetStep[]> pi = List.<SlateTargetStep[]>of(targetOn(s, j));
            return run(PerDecisionIndependentIps.of(one, pi), SlateFittedQEvaluation.ratiosOnly(one, pi));
        });
        assertEquals(truth, pdiips, 1e-12);
        // the model is wrong: its own estimate (fqe) is off, which DR corrects
        double fqe = expectation(LOGGER, (s, j) -> run(new DirectValue("fqe"), model.weigh(List.of(path(s, j)),
                List.<SlateTargetStep[]>of(targetOn(s, j)))));
        assertTrue(Math.abs(fqe - truth) > 0.1, "fqe " + fqe + " truth " + truth);
    }

    @Test
    void positionFactoredEstimatorIsBiasedWhenPositionsInteract() {
        // the same MDP with a reward at position 1 that depends on position 0's item as well: PDIIPS's
        // assumption fails and the expectation moves off the truth, while DR stays on it
        PathValue totalWithInteraction = (s, j) -> {
            SlateTrajectory tr = path(s, j);
            return tr.rewards()[0] + interaction(s[0], j[0]) + GAMMA * (tr.rewards()[1] + interaction(s[1], j[1]));
        };
        double truth = expectation(TARGET, totalWithInteraction);
        double pdiips = expectation(LOGGER, (s, j) -> {
            List<SlateTrajectory> one = List.of(interacting(path(s, j), s, j));
            List<SlateTargetStep[]> pi = List.<SlateTargetStep[]>of(targetOn(s, j));
            return run(PerDecisionIndependentIps.of(one, pi), SlateFittedQEvaluation.ratiosOnly(one, pi));
        });
        double dr = expectation(LOGGER, (s, j) -> run(new TrajectoryDoublyRobust(),
                SlateFittedQEvaluation.of(new double[] {3, -2, 1.5, 0.7}, 1, 2, 3, 1).weigh(
                        List.of(interacting(path(s, j), s, j)), List.<SlateTargetStep[]>of(targetOn(s, j)))));
        assertEquals(truth, dr, 1e-12);
        assertTrue(Math.abs(pdiips - truth) > 0.01, "pdiips " + pdiips + " truth " + truth);
    }

    /** Extra reward at position 1 when item 0 is shown above it in state 1. */
    private static double interaction(int s, int j) {
        return s == 1 && SLATES[j][0] == 0 ? 2 : 0;
    }

    private static SlateTrajectory interacting(SlateTrajectory tr, int[] s, int[] j) {
        double[] r = tr.rewards().clone();
        double[][] pr = {tr.positionRewards()[0].clone(), tr.positionRewards()[1].clone()};
        for (int t = 0; t < 2; t++) {
            double extra = interaction(s[t], j[t]);
            r[t] += extra;
            pr[t][1] += extra;
        }
        return new SlateTrajectory(tr.features(), tr.candidates(), tr.slates(), r, pr, tr.propensities(),
                tr.positionPropensities());
    }

    @Test
    void positionFactoredEstimatorRefusesLogsWithoutPositions() {
        SlateTrajectory tr = new SlateTrajectory(new double[][] {{0}}, null, new int[][] {{0, 1}}, new double[] {1},
                null, new double[] {0.5}, null);
        List<SlateTargetStep[]> pi = List.<SlateTargetStep[]>of(new SlateTargetStep[] {new SlateTargetStep(0.5,
            new ActionDistribution[] {ActionDistribution.uniform(3), ActionDistribution.uniform(3)})});
        assertThrows(IllegalArgumentException.class, () -> PerDecisionIndependentIps.of(List.of(tr), pi));
    }
}
