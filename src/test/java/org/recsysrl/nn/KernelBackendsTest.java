package org.recsysrl.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.recsysrl.util.Rng;

/** The active backend (SIMD under the test JVM's flags) agrees with the plain loops on every shape class. */
class KernelBackendsTest {
    private static final int[][] SHAPES = {
        // batch, in, out: full 4x4-vector blocks, single vectors, scalar tails, small batches
        {64, 64, 1000}, {64, 128, 64}, {64, 64, 128}, {8, 64, 1000}, {7, 37, 53}, {5, 16, 1}, {1, 64, 1000},
        {3, 5, 7}, {13, 80, 200}, {4, 64, 17},
    };

    @Test
    void activeBackendIsVectorUnderTheTestJvm() {
        // surefire passes --add-modules jdk.incubator.vector; if this fails the SIMD path is untested
        assertThat(Kernels.backend()).startsWith("vector");
    }

    @Test
    void matrixProductsAgreeWithPlainLoops() {
        KernelBackend fast = Kernels.active();
        KernelBackend ref = Kernels.scalar();
        Rng rng = new Rng(3);
        for (int[] s : SHAPES) {
            int b = s[0];
            int in = s[1];
            int out = s[2];
            float[] x = random(rng, b * in);
            float[] w = random(rng, 3 + out * in);
            float[] bias = random(rng, 2 + out);
            float[] dy = random(rng, b * out);
            float[] y1 = new float[b * out];
            float[] y2 = new float[b * out];
            fast.linearForward(x, b, in, w, 3, bias, 2, out, y1, new float[in * out]);
            ref.linearForward(x, b, in, w, 3, bias, 2, out, y2, null);
            assertClose(y1, y2, in);
            float[] dx1 = new float[b * in];
            float[] dx2 = new float[b * in];
            fast.linearBackwardInput(dy, b, out, w, 3, in, dx1);
            ref.linearBackwardInput(dy, b, out, w, 3, in, dx2);
            assertClose(dx1, dx2, out);
            float[] dW1 = random(new Rng(9), 3 + out * in);
            float[] dW2 = dW1.clone();
            float[] dB1 = random(new Rng(10), 2 + out);
            float[] dB2 = dB1.clone();
            fast.linearBackwardParams(dy, x, b, in, out, dW1, 3, dB1, 2);
            ref.linearBackwardParams(dy, x, b, in, out, dW2, 3, dB2, 2);
            assertClose(dW1, dW2, b);
            assertClose(dB1, dB2, b);
        }
    }

    @Test
    void softmaxAndCategoricalBackwardAgreeWithReference() {
        Rng rng = new Rng(5);
        for (int n : new int[] {1, 7, 16, 33, 1000}) {
            float[] z = random(rng, n);
            for (int j = 0; j < n; j++) {
                z[j] *= 8f;
            }
            if (n > 2) {
                z[1] = Float.NEGATIVE_INFINITY; // a masked item
            }
            float[] logp = new float[n];
            float[] probs = new float[n];
            float h = Kernels.softmax(z, 0, n, logp, probs, 0);
            float[] refLogp = new float[n];
            Categorical.logSoftmax(z, 0, n, refLogp, 0);
            double sum = 0;
            for (int j = 0; j < n; j++) {
                if (refLogp[j] == Float.NEGATIVE_INFINITY) {
                    assertThat(logp[j]).isEqualTo(Float.NEGATIVE_INFINITY);
                    assertThat(probs[j]).isZero();
                } else {
                    assertThat(logp[j]).isCloseTo(refLogp[j], within(1e-4f));
                    assertThat(probs[j]).isCloseTo((float) Math.exp(refLogp[j]), within(1e-5f));
                }
                sum += probs[j];
            }
            assertThat(sum).isCloseTo(1.0, within(1e-5));
            assertThat(h).isCloseTo(Categorical.entropy(refLogp, 0, n), within(1e-4f));
            int action = n > 2 ? 2 : 0;
            float[] d = new float[n];
            float[] dRef = new float[n];
            Kernels.categoricalBackward(probs, logp, 0, n, action, -0.7f, 0.3f, h, d, 0);
            Categorical.backward(refLogp, 0, n, action, -0.7f, 0.3f, dRef, 0);
            for (int j = 0; j < n; j++) {
                assertThat(d[j]).isCloseTo(dRef[j], within(1e-5f));
            }
        }
    }

    @Test
    void vectorExpMatchesItsScalarTwinBitForBitAndIsAccurate() {
        jdk.incubator.vector.VectorSpecies<Float> sp = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
        float[] x = new float[sp.length()];
        float[] out = new float[sp.length()];
        Rng rng = new Rng(11);
        double worst = 0;
        for (int round = 0; round < 2000; round++) {
            for (int i = 0; i < x.length; i++) {
                x[i] = round == 0 && i == 0 ? Float.NEGATIVE_INFINITY : (float) rng.uniform(-90, 0);
            }
            VectorKernels.exp(jdk.incubator.vector.FloatVector.fromArray(sp, x, 0)).intoArray(out, 0);
            for (int i = 0; i < x.length; i++) {
                assertThat(Float.floatToIntBits(out[i])).as("exp(%s)", x[i])
                        .isEqualTo(Float.floatToIntBits(VectorKernels.exp(x[i])));
                double ref = Math.exp(x[i]);
                if (ref > 1e-37) {
                    worst = Math.max(worst, Math.abs(out[i] - ref) / ref);
                } else {
                    // below the smallest normal float the result is flushed to 0
                    assertThat((double) out[i]).isCloseTo(ref, within(1.2e-38 + 3e-7 * ref));
                }
            }
        }
        assertThat(worst).isLessThan(3e-7);
        assertThat(VectorKernels.exp(0f)).isEqualTo(1f);
    }

    @Test
    void vectorTanhMatchesItsScalarTwinAndMathTanh() {
        jdk.incubator.vector.VectorSpecies<Float> sp = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
        float[] x = new float[sp.length()];
        float[] out = new float[sp.length()];
        Rng rng = new Rng(13);
        double worst = 0;
        for (int round = 0; round < 3000; round++) {
            double range = round % 3 == 0 ? 0.3 : (round % 3 == 1 ? 3 : 60);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rng.uniform(-range, range);
            }
            VectorKernels.tanh(jdk.incubator.vector.FloatVector.fromArray(sp, x, 0)).intoArray(out, 0);
            for (int i = 0; i < x.length; i++) {
                assertThat(Float.floatToIntBits(out[i])).as("tanh(%s)", x[i])
                        .isEqualTo(Float.floatToIntBits(VectorKernels.tanh(x[i])));
                double ref = Math.tanh(x[i]);
                if (ref != 0) {
                    worst = Math.max(worst, Math.abs(out[i] - ref) / Math.abs(ref));
                }
            }
        }
        assertThat(worst).isLessThan(1e-6);
        assertThat(VectorKernels.tanh(0f)).isZero();
        assertThat(VectorKernels.tanh(100f)).isEqualTo(1f);
        assertThat(VectorKernels.tanh(-100f)).isEqualTo(-1f);
    }

    @Test
    void softmaxGivesTheSameBitsBeforeAndAfterTheJitWarmsUp() {
        float[] z = random(new Rng(12), 1000);
        float[] logp = new float[1000];
        float[] probs = new float[1000];
        float h0 = Kernels.softmax(z, 0, 1000, logp, probs, 0);
        float[] firstLogp = logp.clone();
        float[] firstProbs = probs.clone();
        for (int i = 0; i < 30_000; i++) {
            Kernels.softmax(z, 0, 1000, logp, probs, 0);
        }
        float h1 = Kernels.softmax(z, 0, 1000, logp, probs, 0);
        assertThat(h1).isEqualTo(h0);
        assertThat(logp).containsExactly(firstLogp);
        assertThat(probs).containsExactly(firstProbs);
    }

    private static float[] random(Rng rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rng.uniform(-1, 1);
        }
        return a;
    }

    /** Sums of k products of magnitude ≤ 1 differ by rounding only: tolerance grows with k. */
    private static void assertClose(float[] a, float[] b, int k) {
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).as("index %d", i).isCloseTo(b[i], within(1e-5f * (k + 1)));
        }
    }
}
