package org.recsysrl.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.recsysrl.util.Rng;

class PlackettLuceTest {
    private static float[][] softmax(float[] logits) {
        float[] logp = new float[logits.length];
        Categorical.logSoftmax(logits, 0, logits.length, logp, 0);
        float[] p = new float[logits.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) Math.exp(logp[i]);
        }
        return new float[][] {logp, p};
    }

    @Test
    void logProbabilityByHandAndSummingToOne() {
        // p = (0.5, 0.3, 0.2): P([0, 1]) = 0.5 · 0.3 / 0.5 = 0.3; P([2, 0]) = 0.2 · 0.5 / 0.8 = 0.125
        float[] p = {0.5f, 0.3f, 0.2f};
        float[] logp = new float[3];
        for (int i = 0; i < 3; i++) {
            logp[i] = (float) Math.log(p[i]);
        }
        assertThat(PlackettLuce.logProb(logp, 0, 3, new int[] {0, 1}, 0, 2)).isCloseTo(Math.log(0.3), within(1e-6));
        assertThat(PlackettLuce.logProb(logp, 0, 3, new int[] {2, 0}, 0, 2)).isCloseTo(Math.log(0.125), within(1e-6));
        double total = 0;
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                if (a != b) {
                    total += Math.exp(PlackettLuce.logProb(logp, 0, 3, new int[] {a, b}, 0, 2));
                }
            }
        }
        assertThat(total).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Rng rng = new Rng(4);
        int n = 7;
        float[] logits = new float[n];
        for (int i = 0; i < n; i++) {
            logits[i] = (float) rng.nextGaussian();
        }
        int[] slate = {4, 1, 6};
        float[][] lp = softmax(logits);
        float[] grad = new float[n];
        PlackettLuce.backward(lp[0], 0, n, slate, 0, 3, 1f, grad, 0);
        double eps = 1e-3;
        for (int j = 0; j < n; j++) {
            float[] up = logits.clone();
            float[] down = logits.clone();
            up[j] += (float) eps;
            down[j] -= (float) eps;
            float[][] u = softmax(up);
            float[][] d = softmax(down);
            double numeric = (PlackettLuce.logProb(u[0], 0, n, slate, 0, 3)
                    - PlackettLuce.logProb(d[0], 0, n, slate, 0, 3)) / (2 * eps);
            assertThat((double) grad[j]).as("item %d", j).isCloseTo(numeric, within(2e-3));
        }
        // the gradient of a log-probability sums to zero over the logits (shift invariance)
        double sum = 0;
        for (float g : grad) {
            sum += g;
        }
        assertThat(sum).isCloseTo(0, within(1e-5));
    }

    @Test
    void samplesAreDistinctAndFollowThePlackettLuceLaw() {
        float[] p = {0.5f, 0.3f, 0.2f};
        float[] logp = new float[3];
        for (int i = 0; i < 3; i++) {
            logp[i] = (float) Math.log(p[i]);
        }
        Rng rng = new Rng(9);
        int[] slate = new int[2];
        int hits = 0;
        int draws = 200_000;
        for (int t = 0; t < draws; t++) {
            PlackettLuce.sample(logp, p, 0, 3, 2, rng, slate, 0);
            assertThat(slate[0]).isNotEqualTo(slate[1]);
            if (slate[0] == 2 && slate[1] == 0) {
                hits++;
            }
        }
        // P([2, 0]) = 0.125; 4 standard errors
        assertThat((double) hits / draws).isCloseTo(0.125, within(4 * Math.sqrt(0.125 * 0.875 / draws)));
        int[] top = new int[2];
        PlackettLuce.top(p, 0, 3, 2, top, 0);
        assertThat(top).containsExactly(0, 1);
    }

    @Test
    void aFirstChoiceHoldingAllTheMassLeavesTheRestExact() {
        // p_0 rounds to 1 in float, so 1 − p_0 is 0; the mass left after choosing item 0 is the
        // others' 3e−9, and each of them is then chosen with probability 1/3
        float[] p = {1f, 1e-9f, 1e-9f, 1e-9f};
        float[] logp = {0f, (float) Math.log(1e-9), (float) Math.log(1e-9), (float) Math.log(1e-9)};
        int[] slate = {0, 2};
        assertThat(PlackettLuce.logProb(logp, 0, 4, slate, 0, 2)).isCloseTo(Math.log(1.0 / 3), within(1e-6));
        float[] grad = new float[4];
        PlackettLuce.backward(logp, 0, 4, slate, 0, 2, 1f, grad, 0);
        // ∂/∂s_j = 1{j ∈ slate} − p_j·Σ 1/R_k: item 0 gets 1 − 1·1 = 0 (to float precision), item 2
        // gets 1 − 1e−9·(1 + 1/3e−9) = 2/3, items 1 and 3 get −1/3
        assertThat((double) grad[0]).isCloseTo(0, within(1e-6));
        assertThat((double) grad[2]).isCloseTo(2.0 / 3, within(1e-6));
        assertThat((double) grad[1]).isCloseTo(-1.0 / 3, within(1e-6));
        assertThat((double) grad[3]).isCloseTo(-1.0 / 3, within(1e-6));
    }

    @Test
    void aNearlyDeterministicPolicyStillDrawsWholeSlatesWithFiniteLogProbabilities() {
        // the other items' probabilities underflow to 0 in float; their log-probabilities do not
        float[] logp = {0f, -120f, -121f, -150f, Float.NEGATIVE_INFINITY};
        float[] p = {1f, 0f, 0f, 0f, 0f};
        int[] slate = new int[3];
        PlackettLuce.sample(logp, p, 0, 5, 3, new org.recsysrl.util.Rng(1), slate, 0);
        assertThat(slate).containsExactly(0, 1, 2);
        // P = 1 · e^{−120}/(e^{−120} + e^{−121} + e^{−150}) · e^{−121}/(e^{−121} + e^{−150})
        double expected = -Math.log(1 + Math.exp(-1) + Math.exp(-30)) - Math.log(1 + Math.exp(-29));
        assertThat(PlackettLuce.logProb(logp, 0, 5, slate, 0, 3)).isCloseTo(expected, within(1e-6));
        float[] grad = new float[5];
        PlackettLuce.backward(logp, 0, 5, slate, 0, 3, 1f, grad, 0);
        for (float g : grad) {
            assertThat(g).isFinite();
        }
        assertThat(grad[4]).as("a forbidden item gets no gradient").isZero();
        // only the allowed item left out of a slate of 4 cannot make up the slate: forbidden items never count
        assertThatThrownBy(() -> PlackettLuce.sample(logp, p, 0, 5, 5, new org.recsysrl.util.Rng(1), new int[5], 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only 4 items are allowed");
    }
}
