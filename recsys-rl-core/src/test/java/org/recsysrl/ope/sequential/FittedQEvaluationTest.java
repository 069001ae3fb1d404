package org.recsysrl.ope.sequential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Fitted-Q evaluation on logs small enough to iterate by hand. */
class FittedQEvaluationTest {
    private static final double TOL = 1e-12;
    private static final double[] NONE = new double[0];

    /**
     * No features (Q(s, a) = w̄ + δ_a), two actions, ridge 1, γ = 0.5, target: always action 0.
     * Log: (a=0, r=1) then (a=1, r=0); and (a=1, r=2). The first step's target is y = 1 + 0.5 Q(0),
     * the others 0 and 2, so w̄ = (y + 2)/3, δ_0 = (y − w̄)/2, δ_1 = (−2w̄ + 2)/3 ... and
     * Q_{k+1}(0) = w̄ + δ_0 = (2y + 1)/3 = 1 + Q_k(0)/3 from Q_1(0) = 1: after K = 10 iterations
     * Q(0) = 1.5 − 0.5 / 3⁹.
     */
    @Test
    void iteratesTheBellmanTargetsOfTheTargetPolicy() {
        List<LoggedTrajectory> log = List.of(
                new LoggedTrajectory(new double[][] {NONE, NONE}, new int[] {0, 1}, new double[] {1, 0},
                        new double[] {0.5, 0.5}),
                new LoggedTrajectory(new double[][] {NONE}, new int[] {1}, new double[] {2}, new double[] {0.5}));
        ActionDistribution zero = ActionDistribution.dense(new double[] {1, 0});
        List<ActionDistribution[]> target = List.of(new ActionDistribution[] {zero, zero},
                new ActionDistribution[] {zero});
        assertEquals(10, FittedQEvaluation.iterations(0.5));
        FittedQEvaluation fqe = FittedQEvaluation.fit(log, target, 2, 0.5, 1.0, 0.0);
        double q0 = 1.5 - 0.5 / Math.pow(3, 9);
        assertEquals(q0, fqe.q(NONE, 0), TOL);
        assertEquals(q0, fqe.value(NONE, zero), TOL);
        List<WeightedTrajectory> weighed = fqe.weigh(log, target);
        // ratios: π(0)/0.5 = 2, π(1)/0.5 = 0
        assertEquals(2.0, weighed.get(0).ratios()[0], TOL);
        assertEquals(0.0, weighed.get(0).ratios()[1], TOL);
        assertEquals(q0, new DirectValue("fqe").estimate(weighed, new int[] {0, 1}, 0.5), TOL);
    }

    /**
     * γ = 0 is one regression of the reward: with one feature x and two actions,
     * w̄ is the least-squares line through (x, r) = (0, 1), (1, 3), (1, 2), (2, 6) and δ the ridge fit
     * of each action's residuals.
     */
    @Test
    void withoutDiscountItIsARidgeRewardModel() {
        double[][] xs = {{0}, {1}, {1}, {2}};
        int[] a = {0, 0, 1, 1};
        double[] r = {1, 3, 2, 6};
        List<LoggedTrajectory> log = new java.util.ArrayList<>();
        List<ActionDistribution[]> target = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            log.add(new LoggedTrajectory(new double[][] {xs[i]}, new int[] {a[i]}, new double[] {r[i]},
                    new double[] {0.5}));
            target.add(new ActionDistribution[] {ActionDistribution.uniform(2)});
        }
        FittedQEvaluation fqe = FittedQEvaluation.fit(log, target, 2, 0.0, 2.0, 0.0, false);
        // pooled: x̄ = 1, r̄ = 3, Sxy = (−1)(−2) + 0 + 0 + (1)(3) = 5, Sxx = 2: slope 2.5, intercept 0.5
        // residuals: a=0: (1 − 0.5, 3 − 3) = (0.5, 0) at x = (0, 1); a=1: (2 − 3, 6 − 5.5) = (−1, 0.5) at x = (1, 2)
        // δ_0 = (XᵀX + 2I)⁻¹ Xᵀe with XᵀX = [[2,1],[1,1]], Xᵀe = (0.5, 0): [[4,1],[1,3]]⁻¹ (0.5, 0) = (1.5, −0.5)/11
        // δ_1: XᵀX = [[2,3],[3,5]], Xᵀe = (−0.5, 0): [[4,3],[3,7]]⁻¹ (−0.5, 0) = (−3.5, 1.5)/19
        assertEquals(0.5 + 2.5 * 3 + (1.5 - 0.5 * 3) / 11, fqe.q(new double[] {3}, 0), TOL);
        assertEquals(0.5 + 2.5 * 3 + (-3.5 + 1.5 * 3) / 19, fqe.q(new double[] {3}, 1), TOL);
        // the uniform target's value is the mean of the two
        double mean = (fqe.q(new double[] {3}, 0) + fqe.q(new double[] {3}, 1)) / 2;
        assertEquals(mean, fqe.value(new double[] {3}, ActionDistribution.uniform(2)), TOL);
    }

    @Test
    void refusesMismatchedShapes() {
        List<LoggedTrajectory> log = List.of(new LoggedTrajectory(new double[][] {{1}}, new int[] {3},
                new double[] {1}, new double[] {1}));
        List<ActionDistribution[]> target = List.<ActionDistribution[]>of(
                new ActionDistribution[] {ActionDistribution.uniform(2)});
        assertThrows(IllegalArgumentException.class, () -> FittedQEvaluation.fit(log, target, 2, 0.9, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new LoggedTrajectory(new double[][] {{1}}, new int[] {0},
                new double[] {1}, new double[] {0}));
    }

    /**
     * Item features make the pooled part bilinear: no state features, item feature e_a = a, one
     * logged round each of items 0, 1, 2 with rewards 1, 3, 5. The pooled fit is exactly r = 1 + 2e, the
     * residuals are 0 so every δ_a = 0, and item 3, never logged, is valued 1 + 2·3 = 7.
     */
    @Test
    void itemFeaturesCarryTheModelToItemsNeverLogged() {
        List<LoggedTrajectory> log = new java.util.ArrayList<>();
        List<ActionDistribution[]> target = new java.util.ArrayList<>();
        for (int a = 0; a < 3; a++) {
            log.add(new LoggedTrajectory(new double[][] {NONE}, new int[] {a}, new double[] {1 + 2 * a},
                    new double[] {0.25}));
            target.add(new ActionDistribution[] {ActionDistribution.uniform(4)});
        }
        float[] items = {0, 1, 2, 3};
        FittedQEvaluation fqe = FittedQEvaluation.design(log, 4, items, 1, 1, 1.0, 0.0, false).fit(target, 0.0, 0);
        assertEquals(7.0, fqe.q(NONE, 3), TOL);
        assertEquals(1.0, fqe.q(NONE, 0), TOL);
        // uniform over items 0..3: 1 + 2·1.5
        assertEquals(4.0, fqe.value(NONE, ActionDistribution.uniform(4)), TOL);
    }

    /** With two folds each trajectory is valued by the model fitted on the other one alone. */
    @Test
    void crossFittingValuesEachFoldWithTheOtherFoldsModel() {
        List<LoggedTrajectory> log = List.of(
                new LoggedTrajectory(new double[][] {NONE}, new int[] {0}, new double[] {1}, new double[] {0.5}),
                new LoggedTrajectory(new double[][] {NONE}, new int[] {0}, new double[] {3}, new double[] {0.5}));
        ActionDistribution zero = ActionDistribution.dense(new double[] {1, 0});
        List<ActionDistribution[]> target = List.of(new ActionDistribution[] {zero}, new ActionDistribution[] {zero});
        List<WeightedTrajectory> w = FittedQEvaluation.design(log, 2, null, 0, 2, 1.0, 0.0).weigh(target, 0.0);
        assertEquals(3.0, w.get(0).qLogged()[0], TOL);
        assertEquals(1.0, w.get(1).qLogged()[0], TOL);
        // one fold: both see the mean 2 (pooled) and δ_0 = 0 (residuals ±1 cancel)
        List<WeightedTrajectory> whole = FittedQEvaluation.design(log, 2, null, 0, 1, 1.0, 0.0).weigh(target, 0.0);
        assertEquals(2.0, whole.get(0).vTarget()[0], TOL);
    }

    /**
     * Bounded (the default), the same log's model with γ = 0.5 is clipped to [1, 5]: its trajectories
     * have one step (H = 1, no further reward) and rewards 1 to 5. The never-logged item 3
     * (unbounded 7) is valued 5, and the uniform target's value is the mean of the clipped Q̂:
     * (1 + 3 + 5 + 5) / 4 = 3.5. With γ = 0 (the one-step reward model) there is no bound.
     */
    @Test
    void boundedModelStaysWithinTheAchievableReturns() {
        List<LoggedTrajectory> log = new java.util.ArrayList<>();
        List<ActionDistribution[]> target = new java.util.ArrayList<>();
        for (int a = 0; a < 3; a++) {
            log.add(new LoggedTrajectory(new double[][] {NONE}, new int[] {a}, new double[] {1 + 2 * a},
                    new double[] {0.25}));
            target.add(new ActionDistribution[] {ActionDistribution.uniform(4)});
        }
        float[] items = {0, 1, 2, 3};
        FittedQEvaluation fqe = FittedQEvaluation.design(log, 4, items, 1, 1, 1.0, 0.0).fit(target, 0.5, 0);
        assertEquals(5.0, fqe.q(NONE, 3), TOL);
        assertEquals(3.0, fqe.q(NONE, 1), TOL);
        assertEquals(3.5, fqe.value(NONE, ActionDistribution.dense(new double[] {0.25, 0.25, 0.25, 0.25})), TOL);
        // the uniform part is the mean of the clipped Q̂ too (not the clipped mean 4 of the unclipped ones)
        assertEquals(3.5, fqe.value(NONE, ActionDistribution.uniform(4)), TOL);
        FittedQEvaluation oneStep = FittedQEvaluation.design(log, 4, items, 1, 1, 1.0, 0.0).fit(target, 0.0, 0);
        assertEquals(7.0, oneStep.q(NONE, 3), TOL);
        // two-step trajectories, rewards in [−1, 2], γ = 0.5: Q̂ in [−1 − 0.5, 2 + 0.5·2] = [−1.5, 3]
        List<LoggedTrajectory> two = List.of(new LoggedTrajectory(new double[][] {{1}, {2}}, new int[] {0, 0},
                new double[] {-1, 2}, new double[] {1, 1}), new LoggedTrajectory(new double[][] {{3}, {4}},
                new int[] {0, 0}, new double[] {2, -1}, new double[] {1, 1}));
        ActionDistribution zero = ActionDistribution.dense(new double[] {1, 0});
        List<ActionDistribution[]> twoTarget = List.of(new ActionDistribution[] {zero, zero},
                new ActionDistribution[] {zero, zero});
        FittedQEvaluation fitted = FittedQEvaluation.fit(two, twoTarget, 2, 0.5, 1.0, 0.0);
        // (the fitted slope is not 0, so the two far ends reach the two bounds)
        double far = fitted.q(new double[] {1000}, 0);
        double farBack = fitted.q(new double[] {-1000}, 0);
        assertEquals(3.0, Math.max(far, farBack), TOL);
        assertEquals(-1.5, Math.min(far, farBack), TOL);
        FittedQEvaluation free = FittedQEvaluation.fit(two, twoTarget, 2, 0.5, 1.0, 0.0, false);
        assertTrue(Math.max(free.q(new double[] {1000}, 0), free.q(new double[] {-1000}, 0)) > 3.0);
    }
}
