package org.recsysrl.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.recsysrl.util.Rng;

class CategoricalTest {
    private static final float NEG_INF = Float.NEGATIVE_INFINITY;

    private static double sumProb(float[] logp, int off, int n) {
        double s = 0;
        for (int j = 0; j < n; j++) {
            s += Math.exp(logp[off + j]);
        }
        return s;
    }

    @Test
    void logSoftmaxMatchesDefinition() {
        float[] z = {0.5f, -1f, 2f, 0f};
        float[] out = new float[6];
        Categorical.logSoftmax(z, 0, 4, out, 1);
        double lse = Math.log(Math.exp(0.5) + Math.exp(-1) + Math.exp(2) + Math.exp(0));
        for (int j = 0; j < 4; j++) {
            assertThat((double) out[1 + j]).isCloseTo(z[j] - lse, within(1e-6));
        }
        assertThat(out[0]).isZero();
        assertThat(out[5]).isZero();
    }

    @Test
    void logSoftmaxStableWithHugeLogitsAndInPlace() {
        float[][] rows = {{1000f, 999f, 998f}, {1e4f, -1e4f, 1e4f}, {-1e4f, -1e4f - 1f, -1e4f + 2f}};
        for (float[] r : rows) {
            float[] z = new float[r.length + 2];
            System.arraycopy(r, 0, z, 2, r.length);
            Categorical.logSoftmax(z, 2, r.length, z, 2); // in place
            for (int j = 0; j < r.length; j++) {
                assertThat(Float.isFinite(z[2 + j])).as("finite %s", z[2 + j]).isTrue();
                assertThat(z[2 + j]).isLessThanOrEqualTo(0f);
            }
            assertThat(sumProb(z, 2, r.length)).isCloseTo(1.0, within(1e-5));
        }
        float[] a = {1000f, 999f, 998f};
        Categorical.logSoftmax(a, 0, 3, a, 0);
        float[] b = {2f, 1f, 0f};
        Categorical.logSoftmax(b, 0, 3, b, 0);
        for (int j = 0; j < 3; j++) {
            assertThat(a[j]).isCloseTo(b[j], within(1e-5f));
        }
    }

    @Test
    void maskedEntriesGetMinusInfinity() {
        float[] z = {NEG_INF, 1f, NEG_INF, 1f};
        float[] out = new float[4];
        Categorical.logSoftmax(z, 0, 4, out, 0);
        assertThat(out[0]).isEqualTo(NEG_INF);
        assertThat(out[2]).isEqualTo(NEG_INF);
        assertThat((double) out[1]).isCloseTo(Math.log(0.5), within(1e-6));
        assertThat((double) out[3]).isCloseTo(Math.log(0.5), within(1e-6));
        assertThat((double) Categorical.entropy(out, 0, 4)).isCloseTo(Math.log(2), within(1e-6));
        assertThatThrownBy(() -> Categorical.logSoftmax(new float[] {NEG_INF, NEG_INF}, 0, 2, new float[2], 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void entropyOfUniformIsLogN() {
        for (int n : new int[] {1, 2, 7, 100}) {
            float[] z = new float[n];
            java.util.Arrays.fill(z, 3.5f);
            Categorical.logSoftmax(z, 0, n, z, 0);
            assertThat((double) Categorical.entropy(z, 0, n)).isCloseTo(Math.log(n), within(1e-5));
        }
        float[] peaked = {0f, NEG_INF, NEG_INF};
        assertThat(Categorical.entropy(peaked, 0, 3)).isEqualTo(0f);
    }

    @Test
    void argmaxFirstOnTies() {
        assertThat(Categorical.argmax(new float[] {1, 3, 3, 2}, 0, 4)).isEqualTo(1);
        assertThat(Categorical.argmax(new float[] {9, 1, 3, 5, 5}, 1, 4)).isEqualTo(2);
        assertThat(Categorical.argmax(new float[] {NEG_INF, -5}, 0, 2)).isEqualTo(1);
    }

    @Test
    void sampleFrequenciesMatchProbabilities() {
        float[] z = {0.1f, 1.2f, NEG_INF, -0.7f, 0.4f, NEG_INF};
        int n = z.length;
        float[] logp = new float[n + 1];
        Categorical.logSoftmax(z, 0, n, logp, 1);
        Rng rng = new Rng(2024);
        int draws = 200_000;
        int[] counts = new int[n];
        for (int d = 0; d < draws; d++) {
            counts[Categorical.sample(logp, 1, n, rng)]++;
        }
        assertThat(counts[2]).isZero();
        assertThat(counts[5]).isZero();
        double chi2 = 0;
        for (int j = 0; j < n; j++) {
            double p = Math.exp(logp[1 + j]);
            if (p > 0) {
                double e = p * draws;
                chi2 += (counts[j] - e) * (counts[j] - e) / e;
            }
        }
        // 3 degrees of freedom; P(chi2 > 25) ~ 1.6e-5
        assertThat(chi2).isLessThan(25.0);
    }

    @Test
    void sampleNeverReturnsMaskedEvenIfProbabilitiesSumBelowOne() {
        float lp = (float) Math.log(0.3);
        float[] logp = {lp, NEG_INF, lp, NEG_INF}; // sums to 0.6: the CDF never reaches u >= 0.6
        Rng rng = new Rng(5);
        int[] counts = new int[4];
        for (int d = 0; d < 10_000; d++) {
            counts[Categorical.sample(logp, 0, 4, rng)]++;
        }
        assertThat(counts[1]).isZero();
        assertThat(counts[3]).isZero();
        assertThat(counts[2]).isGreaterThan(counts[0]); // 0.7 vs 0.3 of the mass
    }

    @Test
    void sampleUsesOneDraw() {
        float[] logp = {(float) Math.log(0.25), (float) Math.log(0.75)};
        Rng a = new Rng(9);
        Rng b = new Rng(9);
        Categorical.sample(logp, 0, 2, a);
        b.nextDouble();
        assertThat(a.state()).isEqualTo(b.state());
    }

    /** Reference loss in double: gLogp*logp[action] + gEnt*H computed from the logits. */
    private static double refLoss(float[] z, int n, int action, double gLogp, double gEnt) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, z[j]);
        }
        double s = 0;
        for (int j = 0; j < n; j++) {
            s += Math.exp(z[j] - max);
        }
        double lse = max + Math.log(s);
        double h = 0;
        for (int j = 0; j < n; j++) {
            double lp = z[j] - lse;
            double p = Math.exp(lp);
            if (p > 0) {
                h -= p * lp;
            }
        }
        double l = gEnt * h;
        if (action >= 0) {
            l += gLogp * (z[action] - lse);
        }
        return l;
    }

    private static void gradCheck(float[] z, int checked, int action, float gLogp, float gEnt) {
        int n = z.length;
        float[] logp = new float[n + 3];
        Categorical.logSoftmax(z, 0, n, logp, 3);
        float[] d = new float[n + 2];
        java.util.Arrays.fill(d, 42f);
        Categorical.backward(logp, 3, n, action, gLogp, gEnt, d, 2);
        assertThat(d[0]).isEqualTo(42f);
        assertThat(d[1]).isEqualTo(42f);
        DoubleSupplier loss = () -> refLoss(z, n, action, gLogp, gEnt);
        GradCheck.check("dLogits(a=" + action + ",gl=" + gLogp + ",ge=" + gEnt + ")",
                z, 0, d, 2, checked, 1e-3, 1e-2, 1e-5, loss);
        for (int j = checked; j < n; j++) {
            assertThat(d[2 + j]).as("masked %d", j).isEqualTo(0f);
        }
    }

    @Test
    void backwardLogProbTerm() {
        Rng rng = new Rng(17);
        float[] z = GradCheck.randomArray(rng, 6, -2, 2);
        gradCheck(z, 6, 4, -1.3f, 0f);
        gradCheck(z, 6, 0, 0.7f, 0f);
    }

    @Test
    void backwardEntropyTerm() {
        Rng rng = new Rng(18);
        float[] z = GradCheck.randomArray(rng, 7, -2, 2);
        gradCheck(z, 7, -1, 0f, 0.8f);
        gradCheck(z, 7, -1, 0f, -0.05f);
    }

    @Test
    void backwardCombinedAndMasked() {
        Rng rng = new Rng(19);
        float[] z = GradCheck.randomArray(rng, 5, -3, 3);
        gradCheck(z, 5, 2, -0.9f, 0.4f);
        float[] masked = {0.3f, -1.1f, 2.0f, 0.7f, NEG_INF, NEG_INF};
        gradCheck(masked, 4, 1, 1.5f, -0.6f);
        gradCheck(masked, 4, -1, 0f, 1f);
    }

    @Test
    void backwardRejectsBadAction() {
        float[] logp = {(float) Math.log(0.5), (float) Math.log(0.5)};
        assertThatThrownBy(() -> Categorical.backward(logp, 0, 2, 2, 1f, 0f, new float[2], 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
