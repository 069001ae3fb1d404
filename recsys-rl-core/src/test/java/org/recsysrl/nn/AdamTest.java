package org.recsysrl.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AdamTest {

    @Test
    void firstTwoStepsMatchHandComputation() {
        Adam adam = new Adam(2, 0.1, 0.9, 0.999, 1e-8);
        float[] p = {1f, -2f};
        adam.step(p, new float[] {0.5f, -1f});
        assertThat(adam.stepCount()).isEqualTo(1);
        // step 1: m = 0.1 g, v = 0.001 g^2, bias-corrected update = lr * sign(g)
        assertThat(adam.firstMoment()[0]).isCloseTo(0.05f, within(1e-7f));
        assertThat(adam.firstMoment()[1]).isCloseTo(-0.1f, within(1e-7f));
        assertThat(adam.secondMoment()[0]).isCloseTo(0.00025f, within(1e-9f));
        assertThat(adam.secondMoment()[1]).isCloseTo(0.001f, within(1e-9f));
        assertThat(p[0]).isCloseTo(0.9f, within(1e-6f));
        assertThat(p[1]).isCloseTo(-1.9f, within(1e-6f));

        adam.step(p, new float[] {0.2f, 0.3f});
        // m = [0.065, -0.06], v = [0.00028975, 0.001089], bc1 = 0.19, bc2 = 0.001999
        assertThat(adam.firstMoment()[0]).isCloseTo(0.065f, within(1e-7f));
        assertThat(adam.firstMoment()[1]).isCloseTo(-0.06f, within(1e-7f));
        assertThat(adam.secondMoment()[0]).isCloseTo(0.00028975f, within(1e-9f));
        assertThat(adam.secondMoment()[1]).isCloseTo(0.001089f, within(1e-9f));
        double exp0 = 0.9 - 0.1 / 0.19 * 0.065 / (Math.sqrt(0.00028975) / Math.sqrt(0.001999) + 1e-8);
        double exp1 = -1.9 - 0.1 / 0.19 * -0.06 / (Math.sqrt(0.001089) / Math.sqrt(0.001999) + 1e-8);
        assertThat(exp0).isCloseTo(0.8101424839, within(1e-8));
        assertThat(exp1).isCloseTo(-1.8572151424, within(1e-8));
        assertThat((double) p[0]).isCloseTo(exp0, within(1e-6));
        assertThat((double) p[1]).isCloseTo(exp1, within(1e-6));
    }

    @Test
    void scaledStepEqualsClippingInPlaceThenStepping() {
        float[] g = {3f, -4f, 0.25f, 12f};
        float c = GradClip.coefficient(GradClip.globalNorm(g), 1.0);
        assertThat(c).isLessThan(1f);
        Adam fused = new Adam(4, 0.01, 0.9, 0.999, 1e-8);
        Adam separate = new Adam(4, 0.01, 0.9, 0.999, 1e-8);
        float[] p1 = {1f, 2f, 3f, 4f};
        float[] p2 = p1.clone();
        float[] clipped = g.clone();
        GradClip.clipGlobalNorm(clipped, 1.0);
        for (int step = 0; step < 3; step++) {
            fused.step(p1, g, c);
            separate.step(p2, clipped);
        }
        assertThat(p1).containsExactly(p2);
        assertThat(fused.firstMoment()).containsExactly(separate.firstMoment());
        assertThat(fused.secondMoment()).containsExactly(separate.secondMoment());
        assertThat(g).containsExactly(3f, -4f, 0.25f, 12f); // the gradient itself is left alone
        assertThat(GradClip.coefficient(0.5, 1.0)).isEqualTo(1f);
    }

    @Test
    void restoreResetAndLearningRate() {
        Adam a = new Adam(2, 0.01, 0.9, 0.999, 1e-8);
        float[] p = {0f, 0f};
        a.step(p, new float[] {1f, 2f});
        a.step(p, new float[] {-1f, 0.5f});
        float[] m = a.firstMoment().clone();
        float[] v = a.secondMoment().clone();

        Adam b = new Adam(2, 0.01, 0.9, 0.999, 1e-8);
        b.restore(2, m, v);
        m[0] = 100f; // copy, not alias
        float[] pa = p.clone();
        float[] pb = p.clone();
        a.step(pa, new float[] {0.3f, -0.2f});
        b.step(pb, new float[] {0.3f, -0.2f});
        assertThat(pb).containsExactly(pa);
        assertThat(b.stepCount()).isEqualTo(3);

        b.setLearningRate(0.5);
        assertThat(b.learningRate()).isEqualTo(0.5);
        b.reset();
        assertThat(b.stepCount()).isZero();
        assertThat(b.firstMoment()).containsOnly(0f);
        assertThat(b.secondMoment()).containsOnly(0f);
        assertThat(b.learningRate()).isEqualTo(0.5);
        assertThatThrownBy(() -> b.restore(1, new float[3], new float[2])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void zeroGradientLeavesParametersUnchanged() {
        Adam a = new Adam(3, 0.1, 0.9, 0.999, 1e-8);
        float[] p = {1f, 2f, 3f};
        a.step(p, new float[3]);
        assertThat(p).containsExactly(1f, 2f, 3f);
    }

    /**
     * Two steps taken by ranges (the later range first, each over several blocks) with the
     * gradient cleared as it goes: the bits of two whole {@link Adam#step}s, and a zero gradient.
     */
    @Test
    void aStepByRangesThatClearsIsTheWholeStep() {
        int n = 10_007;
        float[] p = new float[n];
        float[] expected = new float[n];
        org.recsysrl.util.Rng rng = new org.recsysrl.util.Rng(5);
        for (int i = 0; i < n; i++) {
            p[i] = (float) rng.nextGaussian();
        }
        System.arraycopy(p, 0, expected, 0, n);
        Adam byRanges = new Adam(n, 0.01, 0.9, 0.999, 1e-8);
        Adam whole = new Adam(n, 0.01, 0.9, 0.999, 1e-8);
        for (int step = 0; step < 2; step++) {
            float[] g = new float[n];
            for (int i = 0; i < n; i++) {
                g[i] = (float) rng.nextGaussian() * (i % 3 == 0 ? 0f : 1f);
            }
            whole.step(expected, g.clone(), 0.5f);
            byRanges.beginStep();
            byRanges.updateRangeAndClear(p, g, 0.5f, 4_999, n);
            byRanges.updateRangeAndClear(p, g, 0.5f, 0, 4_999);
            assertThat(p).containsExactly(expected);
            assertThat(g).containsOnly(0f);
        }
        assertThat(byRanges.firstMoment()).containsExactly(whole.firstMoment());
        assertThat(byRanges.secondMoment()).containsExactly(whole.secondMoment());
    }

    /**
     * The strided step (a column slice of a matrix: rows of 37 values, 3 whole vectors of 8 or 2
     * of 16 and a tail, every 100 values) against updateRange of each row, bit for bit, over two
     * steps with a clipping scale; the values between the rows stay untouched.
     */
    @Test
    void aStridedStepIsTheStepOfEachRowBitForBit() {
        int size = 1000;
        float[] p1 = new float[size];
        float[] g = new float[size];
        org.recsysrl.util.Rng rng = new org.recsysrl.util.Rng(3);
        for (int i = 0; i < size; i++) {
            p1[i] = (float) rng.uniform(-1, 1);
            g[i] = (float) rng.uniform(-0.1, 0.1);
        }
        float[] p2 = p1.clone();
        Adam strided = new Adam(size, 1e-2, 0.9, 0.999, 1e-8);
        Adam rows = new Adam(size, 1e-2, 0.9, 0.999, 1e-8);
        for (int step = 0; step < 2; step++) {
            strided.beginStep();
            strided.updateStrided(p1, g, 0.7f, 13, 37, 100, 9);
            rows.beginStep();
            for (int r = 0; r < 9; r++) {
                rows.updateRange(p2, g, 0.7f, 13 + 100 * r, 13 + 100 * r + 37);
            }
        }
        assertThat(p1).containsExactly(p2);
        assertThat(strided.firstMoment()).containsExactly(rows.firstMoment());
        assertThat(strided.secondMoment()).containsExactly(rows.secondMoment());
        assertThat(p1[50]).as("between the rows").isEqualTo(p2[50]);
        assertThat(strided.secondMoment()[50]).isZero();
        assertThat(strided.secondMoment()[13]).isPositive();
        assertThatThrownBy(() -> strided.updateStrided(p1, g, 1f, 13, 37, 110, 10)) // ends at 1,040
                .isInstanceOf(IllegalArgumentException.class);
    }
}
