package org.recsysrl.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Hand-computed cases for the plain-loop backend, the reference the SIMD backend is compared with
 * (KernelBackendsTest): when the machine has the vector module the rest of the suite runs the SIMD
 * kernels, so the scalar ones are checked here on their own.
 */
class ScalarKernelsTest {

    private final KernelBackend scalar = Kernels.scalar();

    @Test
    void isNamedScalar() {
        assertThat(scalar.name()).isEqualTo("scalar");
    }

    /** logits (0, ln 3): p = (1/4, 3/4), H = −(¼ ln ¼ + ¾ ln ¾) = 0.562335145. */
    @Test
    void softmaxOfTwoLogitsByHand() {
        float[] logits = {9f, 0f, (float) Math.log(3), 1000f}; // only entries 1 and 2 are the row
        float[] logp = new float[3];
        float[] probs = new float[3];
        float h = scalar.softmax(logits, 1, 2, logp, probs, 1);
        assertThat(probs[1]).isCloseTo(0.25f, within(1e-7f));
        assertThat(probs[2]).isCloseTo(0.75f, within(1e-7f));
        assertThat(logp[1]).isCloseTo((float) Math.log(0.25), within(1e-6f));
        assertThat(logp[2]).isCloseTo((float) Math.log(0.75), within(1e-6f));
        assertThat(h).isCloseTo(0.562335145f, within(1e-6f));
        assertThat(probs[0]).isZero();
        assertThat(logp[0]).isZero();
    }

    /** A masked (−∞) logit has probability 0, log-probability −∞ and adds nothing to the entropy. */
    @Test
    void maskedLogitAddsNothingToTheEntropy() {
        float[] logits = {0f, Float.NEGATIVE_INFINITY, 0f};
        float[] logp = new float[3];
        float[] probs = new float[3];
        float h = scalar.softmax(logits, 0, 3, logp, probs, 0);
        assertThat(probs).containsExactly(0.5f, 0f, 0.5f);
        assertThat(logp[1]).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(h).isCloseTo((float) Math.log(2), within(1e-6f));
        float[] only = new float[3];
        scalar.logSoftmax(logits, 0, 3, only, 0);
        assertThat(only).containsExactly(logp);
    }

    /**
     * p = (¼, ¾), logp = ln p, H as above, action 1, gLogp = 2, gEntropy = 0.5:
     * d_j = 2 (δ_j1 − p_j) − 0.5 p_j (logp_j + H).
     */
    @Test
    void categoricalBackwardByHand() {
        double h = 0.562335145;
        float[] probs = {0.25f, 0.75f};
        float[] logp = {(float) Math.log(0.25), (float) Math.log(0.75)};
        float[] d = {7f, 7f, 7f};
        scalar.categoricalBackward(probs, logp, 0, 2, 1, 2f, 0.5f, (float) h, d, 1);
        double d0 = 2 * (0 - 0.25) - 0.5 * 0.25 * (Math.log(0.25) + h);
        double d1 = 2 * (1 - 0.75) - 0.5 * 0.75 * (Math.log(0.75) + h);
        assertThat(d[0]).isEqualTo(7f);
        assertThat((double) d[1]).isCloseTo(d0, within(1e-6));
        assertThat((double) d[2]).isCloseTo(d1, within(1e-6));

        // action −1 drops the log-prob term; a zero probability (masked, logp −∞) gets gradient 0
        float[] masked = {0.5f, 0f, 0.5f};
        float[] maskedLogp = {(float) Math.log(0.5), Float.NEGATIVE_INFINITY, (float) Math.log(0.5)};
        float[] dm = new float[3];
        scalar.categoricalBackward(masked, maskedLogp, 0, 3, -1, 2f, 1f, 1f, dm, 0);
        double dHalf = -2 * 0.5 - 1 * 0.5 * (Math.log(0.5) + 1); // entropy passed as 1
        assertThat((double) dm[0]).isCloseTo(dHalf, within(1e-6));
        assertThat(dm[1]).isCloseTo(0f, within(0f));
        assertThat(dm[2]).isEqualTo(dm[0]);
        scalar.categoricalBackward(masked, maskedLogp, 0, 3, -1, 2f, 0f, (float) Math.log(2), dm, 0);
        assertThat(dm).containsExactly(-1f, -0f, -1f); // −gLogp · p_j
    }

    @Test
    void tanhInPlaceTouchesTheFirstNOnly() {
        float[] a = {0.5f, -2f, 3f};
        scalar.tanhInPlace(a, 2);
        assertThat(a).containsExactly((float) Math.tanh(0.5), (float) Math.tanh(-2), 3f);
    }

    /** c = a·v for a 2×2 block (rows of a with stride 2, one step per column), then accumulated. */
    @Test
    void blockProductOverwritesOrAccumulates() {
        float[] a = {1f, 2f, 3f, 4f};  // rows (1, 2), (3, 4)
        float[] v = {1f, 10f, 100f, 1000f}; // rows (1, 10), (100, 1000)
        float[] c = {5f, 5f, 5f, 5f, 9f};
        scalar.blockProduct(a, 0, 2, 1, 2, v, 0, 2, 2, 2, c, 0, 2, false);
        assertThat(c).containsExactly(201f, 2010f, 403f, 4030f, 9f);
        scalar.blockProduct(a, 0, 2, 1, 2, v, 0, 2, 2, 2, c, 0, 2, true);
        assertThat(c).containsExactly(402f, 4020f, 806f, 8060f, 9f);
    }

    @Test
    void maxAndExpInPlace() {
        float[] x = {-1f, 4f, 2f, 99f};
        assertThat(scalar.max(x, 0, 3)).isEqualTo(4f);
        assertThat(scalar.max(x, 1, 0)).isEqualTo(Float.NEGATIVE_INFINITY);
        float sum = scalar.expInPlace(x, 1, 2, 2f, new float[FusedSoftmaxCrossEntropy.LANES]);
        assertThat(x[1]).isCloseTo((float) Math.exp(2), within(1e-5f));
        assertThat(x[2]).isEqualTo(1f);
        assertThat(sum).isCloseTo((float) (Math.exp(2) + 1), within(1e-5f));
        assertThat(x[3]).isEqualTo(99f);
    }

    /** x = (9 | 1, 2, 4 | 9) scaled by 0.5, the target (index 1 of the row) minus 0.25: (0.5, 0.75, 2), added to the sums. */
    @Test
    void gradientRowScalesFixesTheTargetAndAddsToTheSums() {
        float[] x = {9f, 1f, 2f, 4f, 9f};
        float[] sums = {7f, 10f, 20f, 30f};
        scalar.gradientRow(x, 1, 3, 0.5f, 1, 0.25f, sums, 1);
        assertThat(x).containsExactly(9f, 0.5f, 0.75f, 2f, 9f);
        assertThat(sums).containsExactly(7f, 10.5f, 20.75f, 32f);
        // a target outside the row leaves every element as scaled
        scalar.gradientRow(x, 1, 3, 2f, 3, 0.25f, sums, 1);
        assertThat(x).containsExactly(9f, 1f, 1.5f, 4f, 9f);
        assertThat(sums).containsExactly(7f, 11.5f, 22.25f, 36f);
    }

    /**
     * One Adam update with a bias correction √(1 − β2) ≠ 1: g = 2·0.5 = 1, m = 0 + 0.1 (1 − 0) = 0.1,
     * v = 0.999·0 + 0.001·1 = 0.001, p = 1 − 0.01 · 0.1 / (√0.001 / 0.5 + 1e-8).
     */
    @Test
    void adamUpdateUsesTheBiasCorrection() {
        float[] p = {1f, 1f};
        float[] g = {2f, 2f};
        float[] m = new float[2];
        float[] v = new float[2];
        scalar.adamUpdate(p, g, 0.5f, m, v, 1, 2, 0.1f, 0.999f, 0.001f, -0.01f, 0.5f, 1e-8f);
        assertThat(p[0]).isEqualTo(1f);
        assertThat(m[1]).isCloseTo(0.1f, within(1e-7f));
        assertThat(v[1]).isCloseTo(0.001f, within(1e-9f));
        double expected = 1 - 0.01 * 0.1 / (Math.sqrt(0.001) / 0.5 + 1e-8);
        assertThat((double) p[1]).isCloseTo(expected, within(1e-6));
    }
}
