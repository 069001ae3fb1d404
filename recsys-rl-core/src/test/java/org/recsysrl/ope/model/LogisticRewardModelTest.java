package org.recsysrl.ope.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.ope.policy.ContextFreePolicy;
import org.recsysrl.util.Rng;
import org.recsysrl.util.UserInputException;

/** The logistic reward model: its gradient, a fit worked out by hand, and recovery of a known model. */
class LogisticRewardModelTest {

    private static LoggedFeedback log(double[][] contexts, int[] items, double[] rewards, int[] positions) {
        LoggedFeedback.Builder b = LoggedFeedback.builder("clicks");
        b.index("a");
        b.index("b");
        for (int r = 0; r < items.length; r++) {
            b.addIndexed(r, null, null, null, -1, contexts == null ? null : contexts[r],
                    positions == null ? 0 : positions[r], new int[] {items[r]}, new double[] {0.5}, Double.NaN, null,
                    rewards[r], null, null);
        }
        return b.build();
    }

    @Test
    void gradientAndHessianMatchFiniteDifferences() {
        Rng rng = new Rng(3);
        int n = 30;
        int dim = 4;
        double[] x = new double[n * dim];
        double[] y = new double[n];
        for (int e = 0; e < n; e++) {
            x[e * dim] = 1;
            for (int j = 1; j < dim; j++) {
                x[e * dim + j] = rng.nextGaussian();
            }
            y[e] = e % 3 == 0 ? 0.4 : rng.nextDouble() < 0.5 ? 1 : 0; // fractional targets too
        }
        double[] centre = {0.2, -0.1, 0.3, 0.0};
        double[] penalty = {0.5, 1.5, 2.0, 0.7};
        LogisticRewardModel.Objective f = new LogisticRewardModel.Objective(x, y, 0, n, dim, centre, penalty);
        double[] b = {0.3, -0.8, 1.1, 0.4};
        double[] g = new double[dim];
        double[] h = new double[dim * dim];
        f.derivatives(b, g, h);
        double eps = 1e-6;
        for (int j = 0; j < dim; j++) {
            double[] up = b.clone();
            double[] down = b.clone();
            up[j] += eps;
            down[j] -= eps;
            double numeric = (f.value(up) - f.value(down)) / (2 * eps);
            assertThat(g[j]).isCloseTo(numeric, within(1e-6 * (1 + Math.abs(numeric))));
            double[] gUp = new double[dim];
            double[] gDown = new double[dim];
            f.derivatives(up, gUp, null);
            f.derivatives(down, gDown, null);
            for (int i = j; i < dim; i++) { // lower triangle: h[i][j], i ≥ j
                double numericH = (gUp[i] - gDown[i]) / (2 * eps);
                assertThat(h[i * dim + j]).isCloseTo(numericH, within(1e-6 * (1 + Math.abs(numericH))));
            }
        }
        // at the minimum the gradient vanishes
        double[] min = f.minimise(b.clone());
        f.derivatives(min, g, null);
        for (double gj : g) {
            assertThat(gj).isCloseTo(0, within(1e-9));
        }
        assertThat(f.value(min)).isLessThan(f.value(b));
    }

    @Test
    void interceptOnlyFitWorkedOutByHand() {
        // item a: clicks 1, 1; item b: 0, 0. Pooled mean 1/2, so β₀ = 0 (its gradient vanishes there).
        // Item a: 2(σ(β) − 1) + λβ = 0; with λ = 0.5 / ln 3 the root is β = ln 3, σ = 3/4. Item b by symmetry 1/4.
        LoggedFeedback log = log(null, new int[] {0, 0, 1, 1}, new double[] {1, 1, 0, 0}, null);
        double lambda = 0.5 / Math.log(3);
        LogisticRewardModel m = LogisticRewardModel.fit(log, 1.0, lambda);
        assertThat(m.coefficients(0)[0]).isCloseTo(Math.log(3), within(1e-12));
        assertThat(m.predict(log, 0, 0, 0)).isCloseTo(0.75, within(1e-12));
        assertThat(m.predict(log, 2, 0, 1)).isCloseTo(0.25, within(1e-12));
        // the model's value of a context-free target: 0.3 · 3/4 + 0.7 · 1/4 = 0.4
        ContextFreePolicy t = new ContextFreePolicy("t", List.of(Map.of("a", 0.3, "b", 0.7)));
        assertThat(m.expectedUnder(t, log, 1, 0, new double[2])).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void recoversALogisticClickModelWithContextAndPosition() {
        // P(click) = σ(−0.5 + 1.0·x) for item a, σ(0.3 − 0.8·x) for b, both −0.7 lower on the log-odds at position 1
        int n = 40_000;
        double[][] ctx = new double[n][];
        int[] items = new int[n];
        int[] pos = new int[n];
        double[] y = new double[n];
        Rng rng = new Rng(8);
        for (int r = 0; r < n; r++) {
            ctx[r] = new double[] {rng.nextGaussian()};
            items[r] = r % 2;
            pos[r] = (r / 2) % 2;
            double z = (items[r] == 0 ? -0.5 + 1.0 * ctx[r][0] : 0.3 - 0.8 * ctx[r][0]) - 0.7 * pos[r];
            y[r] = rng.nextDouble() < LogisticRewardModel.sigmoid(z) ? 1 : 0;
        }
        LoggedFeedback log = log(ctx, items, y, pos);
        LogisticRewardModel m = LogisticRewardModel.fit(log, 1e-3, 1e-3);
        assertThat(m.coefficients(0)).containsExactly(new double[] {-0.5, 1.0, -0.7}, within(0.08));
        assertThat(m.coefficients(1)).containsExactly(new double[] {0.3, -0.8, -0.7}, within(0.08));
        RewardModel cf = LogisticRewardModel.crossFitted(log, 1e-3, 1e-3, 2);
        double p = cf.predict(log, 5, 1, 1);
        assertThat(p).isBetween(0.0, 1.0).isCloseTo(LogisticRewardModel.sigmoid(0.3 - 0.8 * log.context(5, 0) - 0.7),
                within(0.03));
    }

    @Test
    void scaledModelMapsABoundedRewardToTheUnitIntervalAndBack() {
        // rewards 5, 5 | 0, 0 are 1, 1 | 0, 0 on [0, 5]: the hand-computed fit above times 5 (one fold: fit on all rows)
        LoggedFeedback log = log(null, new int[] {0, 0, 1, 1}, new double[] {5, 5, 0, 0}, null);
        RewardModel m = LogisticRewardModel.crossFittedScaled(log, 1.0, 0.5 / Math.log(3), 1);
        assertThat(m.predict(log, 0, 0, 0)).isCloseTo(5 * 0.75, within(1e-12));
        assertThat(m.predict(log, 3, 0, 1)).isCloseTo(5 * 0.25, within(1e-12));
        ContextFreePolicy t = new ContextFreePolicy("t", List.of(Map.of("a", 0.3, "b", 0.7)));
        assertThat(m.expectedUnder(t, log, 1, 0, new double[2])).isCloseTo(5 * 0.4, within(1e-12));
        // shifted: rewards in [2, 7] give 2 + 5·q̂
        LoggedFeedback shifted = log(null, new int[] {0, 0, 1, 1}, new double[] {7, 7, 2, 2}, null);
        RewardModel s = LogisticRewardModel.crossFittedScaled(shifted, 1.0, 0.5 / Math.log(3), 1);
        assertThat(s.predict(shifted, 0, 0, 0)).isCloseTo(2 + 5 * 0.75, within(1e-12));
        // cross-fitted, each fold's rows are predicted by the other fold's model, as for the unscaled model
        LoggedFeedback big = log(null, new int[] {0, 1, 0, 1, 0, 1, 0, 1}, new double[] {4, 0, 4, 4, 0, 0, 4, 0}, null);
        LoggedFeedback unit = log(null, new int[] {0, 1, 0, 1, 0, 1, 0, 1}, new double[] {1, 0, 1, 1, 0, 0, 1, 0}, null);
        RewardModel scaled = LogisticRewardModel.crossFittedScaled(big, 1.0, 1.0, 2);
        RewardModel plain = LogisticRewardModel.crossFitted(unit, 1.0, 1.0, 2);
        for (int r = 0; r < 8; r++) {
            assertThat(scaled.predict(big, r, 0, r % 2)).isCloseTo(4 * plain.predict(unit, r, 0, r % 2), within(1e-12));
        }
    }

    @Test
    void rewardsOutsideTheUnitIntervalAreRefused() {
        LoggedFeedback log = log(null, new int[] {0, 1}, new double[] {1, 2.5}, null);
        assertThatThrownBy(() -> LogisticRewardModel.fit(log, 1, 1)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("row 2").hasMessageContaining("--reward-model ridge");
    }
}
