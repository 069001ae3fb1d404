package org.recsysrl.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.recsysrl.util.Rng;

/** The active backend (SIMD under the test JVM's flags) agrees with the plain loops on every shape class. */
class KernelBackendsTest {
    private static final int[][] SHAPES = {
        // rows, k, n: full 4x4-vector blocks, single vectors, overlapping last vectors, scalar
        // fallbacks, single rows, long and short dot products, n = 1 (the value head)
        {64, 64, 1000}, {64, 128, 64}, {64, 64, 128}, {8, 64, 1000}, {7, 37, 53}, {5, 16, 1}, {1, 64, 1000},
        {3, 5, 7}, {13, 80, 200}, {4, 64, 17}, {5, 1000, 64}, {6, 300, 33}, {2, 1000, 1}, {9, 64, 16},
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
            int rows = s[0];
            int k = s[1];
            int n = s[2];
            String shape = rows + "x" + k + "x" + n;
            float[] a = random(rng, rows * k);
            float[] m = random(rng, 3 + k * n);
            float[] bias = random(rng, 2 + n);
            float[] y1 = new float[rows * n];
            float[] y2 = new float[rows * n];
            fast.multiply(a, rows, k, m, 3, n, bias, 2, y1);
            ref.multiply(a, rows, k, m, 3, n, bias, 2, y2);
            assertClose("multiply " + shape, y1, y2, k);
            fast.multiply(a, rows, k, m, 3, n, null, 0, y1);
            ref.multiply(a, rows, k, m, 3, n, null, 0, y2);
            assertClose("multiply without bias " + shape, y1, y2, k);

            for (float[] scratch : new float[][] {null, new float[k * n]}) {
                float[] t1 = new float[rows * n];
                float[] t2 = new float[rows * n];
                fast.multiplyTransposed(a, rows, k, m, 3, n, t1, scratch);
                ref.multiplyTransposed(a, rows, k, m, 3, n, t2, null);
                assertClose("multiplyTransposed " + shape + (scratch == null ? "" : " with scratch"), t1, t2, k);
            }

            float[] b = random(rng, rows * n);
            float[] dM1 = random(new Rng(9), 3 + k * n);
            float[] dM2 = dM1.clone();
            float[] dirty = dM1.clone();
            fast.transposedProduct(a, k, b, n, rows, dM1, 3, true);
            ref.transposedProduct(a, k, b, n, rows, dM2, 3, true);
            assertClose("addTransposedProduct " + shape, dM1, dM2, rows);
            float[] sums1 = random(new Rng(10), 2 + n);
            float[] sums2 = sums1.clone();
            fast.columnSums(b, rows, n, sums1, 2, true);
            ref.columnSums(b, rows, n, sums2, 2, true);
            assertClose("addColumnSums " + shape, sums1, sums2, rows);

            // overwriting gives the same bits as zeroing and adding, and leaves the rest alone
            for (KernelBackend backend : new KernelBackend[] {fast, ref}) {
                float[] zeroed = dirty.clone();
                java.util.Arrays.fill(zeroed, 3, 3 + k * n, 0f);
                backend.transposedProduct(a, k, b, n, rows, zeroed, 3, true);
                float[] overwritten = dirty.clone();
                backend.transposedProduct(a, k, b, n, rows, overwritten, 3, false);
                assertThat(overwritten).as("%s overwrite %s", backend.name(), shape).containsExactly(zeroed);
                float[] zeroSums = {7f, 7f};
                zeroSums = java.util.Arrays.copyOf(zeroSums, 2 + n);
                float[] setSums = zeroSums.clone();
                java.util.Arrays.fill(setSums, 2, 2 + n, 5f);
                backend.columnSums(b, rows, n, zeroSums, 2, true);
                backend.columnSums(b, rows, n, setSums, 2, false);
                assertThat(setSums).as("%s column sums %s", backend.name(), shape).containsExactly(zeroSums);
            }
        }
    }

    @Test
    void dotAndSumOfSquaresAgreeWithPlainLoopsAndAreStable() {
        for (int n : new int[] {0, 1, 31, 32, 33, 1000, 98_217}) {
            float[] a = random(new Rng(n), n);
            float[] b = random(new Rng(n + 1), n + 3);
            double exactSquares = 0;
            double exactDot = 0;
            for (int i = 0; i < n; i++) {
                exactSquares += (double) a[i] * a[i];
                exactDot += (double) a[i] * b[i];
            }
            double squares = Kernels.sumOfSquares(a);
            assertThat(squares).as("n = %d", n).isEqualTo(Kernels.active().dot(a, a, n));
            assertThat(squares).isCloseTo(Kernels.scalar().dot(a, a, n), within(1e-12 * (1 + exactSquares)));
            assertThat(squares).isCloseTo(exactSquares, within(1e-12 * (1 + exactSquares)));
            double dot = Kernels.dot(a, b, n);
            assertThat(dot).isCloseTo(Kernels.scalar().dot(a, b, n), within(1e-12 * (1 + exactSquares)));
            assertThat(dot).isCloseTo(exactDot, within(1e-12 * (1 + exactSquares)));
            for (int i = 0; i < 2_000; i++) {
                Kernels.active().dot(a, b, n);
            }
            assertThat(Kernels.dot(a, b, n)).as("after warm-up, n = %d", n).isEqualTo(dot);
        }
    }

    @Test
    void sumOfSquaresOverARangeIsTheWholeArraysOverTheWholeRangeAndExactOnSmallIntegers() {
        float[] small = {9f, 1f, 2f, 3f, 4f, 9f};
        for (KernelBackend backend : new KernelBackend[] {Kernels.scalar(), Kernels.active()}) {
            assertThat(backend.sumOfSquares(small, 1, 5)).as("1 + 4 + 9 + 16").isEqualTo(30.0);
            assertThat(backend.sumOfSquares(small, 3, 3)).isZero();
        }
        for (int n : new int[] {1, 33, 1000, 98_217}) {
            float[] a = random(new Rng(n), n);
            assertThat(Kernels.sumOfSquares(a, 0, n)).as("n = %d", n).isEqualTo(Kernels.sumOfSquares(a));
            assertThat(Kernels.scalar().sumOfSquares(a, 0, n)).isEqualTo(Kernels.scalar().dot(a, a, n));
            for (int from : new int[] {0, 1, 17, n / 2}) {
                from = Math.min(from, n);
                int to = Math.max(from, n - 3);
                double exact = 0;
                for (int i = from; i < to; i++) {
                    exact += (double) a[i] * a[i];
                }
                assertThat(Kernels.sumOfSquares(a, from, to)).as("[%d, %d)", from, to)
                        .isCloseTo(exact, within(1e-12 * (1 + exact)));
                assertThat(Kernels.scalar().sumOfSquares(a, from, to)).isCloseTo(exact, within(1e-12 * (1 + exact)));
            }
        }
        assertThatThrownBy(() -> Kernels.sumOfSquares(small, 2, 7)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLargeProductThroughPackedPanelsGivesTheBitsOfTheUnpackedOne() {
        // 37 rows x (64 -> 4128): M has more than 2^18 floats and rows >= 32, so the product packs
        // panels of M; 8 rows at a time it does not. 4128 = 64 panels of 64 columns and 2 vectors.
        int rows = 37;
        int k = 64;
        int n = 4128;
        assertThat((long) k * n).isGreaterThanOrEqualTo(VectorProducts.PACK_MIN_WEIGHT);
        assertThat(rows).isGreaterThanOrEqualTo(VectorProducts.PACK_MIN_ROWS);
        Rng rng = new Rng(8);
        float[] a = random(rng, rows * k);
        float[] m = random(rng, 5 + k * n);
        float[] bias = random(rng, n);
        float[] packed = new float[rows * n];
        Kernels.multiply(a, rows, k, m, 5, n, bias, 0, packed);
        float[] byEight = new float[rows * n];
        float[] part = new float[8 * n];
        for (int r0 = 0; r0 < rows; r0 += 8) {
            int rc = Math.min(8, rows - r0);
            Kernels.multiply(java.util.Arrays.copyOfRange(a, r0 * k, (r0 + rc) * k), rc, k, m, 5, n, bias, 0, part);
            System.arraycopy(part, 0, byEight, r0 * n, rc * n);
        }
        assertThat(packed).containsExactly(byEight);
        float[] ref = new float[rows * n];
        Kernels.scalar().multiply(a, rows, k, m, 5, n, bias, 0, ref);
        assertClose("packed multiply", packed, ref, k);
    }

    @Test
    void productsGiveTheSameBitsBeforeAndAfterTheJitWarmsUp() {
        Rng rng = new Rng(21);
        float[] a = random(rng, 8 * 1000);
        float[] m = random(rng, 1000 * 64);
        float[] bias = random(rng, 1000);
        float[] y = new float[8 * 1000];
        float[] dx = new float[8 * 64];
        float[] dM = new float[64 * 1000];
        Kernels.multiply(a, 8, 64, m, 0, 1000, bias, 0, y);
        Kernels.multiplyTransposed(a, 8, 1000, m, 0, 64, dx, null);
        Kernels.addTransposedProduct(a, 64, a, 1000, 8, dM, 0);
        float[] firstY = y.clone();
        float[] firstDx = dx.clone();
        float[] firstDM = dM.clone();
        for (int i = 0; i < 3_000; i++) {
            Kernels.multiply(a, 8, 64, m, 0, 1000, bias, 0, y);
            Kernels.multiplyTransposed(a, 8, 1000, m, 0, 64, dx, null);
            java.util.Arrays.fill(dM, 0f);
            Kernels.addTransposedProduct(a, 64, a, 1000, 8, dM, 0);
        }
        assertThat(y).containsExactly(firstY);
        assertThat(dx).containsExactly(firstDx);
        assertThat(dM).containsExactly(firstDM);
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

    /**
     * The fused output layer's strided block product, on row counts that take every mix of 6-row,
     * 4-row and single-row blocks and on column counts with whole 4-vector blocks, single vectors
     * and scalar tails, both as a·M and as aᵀ·b, overwriting and accumulating: every output has the
     * bits of one chain of fused multiply-adds over the steps in order.
     */
    @Test
    void blockProductSumsEachOutputAsOneChainOfFusedMultiplyAdds() {
        KernelBackend fast = Kernels.active();
        Rng rng = new Rng(29);
        int steps = 19;
        for (int rows : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 20, 128}) {
            for (int cols : new int[] {5, 16, 24, 64, 70, 135}) {
                for (boolean transposedA : new boolean[] {false, true}) {
                    int aRow = transposedA ? 1 : steps + 2;
                    int aStep = transposedA ? rows + 3 : 1;
                    float[] a = GradCheck.randomArray(rng, 1 + rows * aRow + steps * aStep, -1, 1);
                    int vStep = cols + 7;
                    float[] v = GradCheck.randomArray(rng, 2 + steps * vStep, -1, 1);
                    int cStride = cols + 3;
                    float[] start = GradCheck.randomArray(rng, 4 + rows * cStride, -1, 1);
                    for (boolean accumulate : new boolean[] {false, true}) {
                        float[] c = start.clone();
                        fast.blockProduct(a, 1, aRow, aStep, rows, v, 2, vStep, cols, steps, c, 4, cStride, accumulate);
                        for (int r = 0; r < rows; r++) {
                            for (int j = 0; j < cols; j++) {
                                int at = 4 + r * cStride + j;
                                float want = accumulate ? start[at] : 0f;
                                for (int t = 0; t < steps; t++) {
                                    want = Math.fma(a[1 + r * aRow + t * aStep], v[2 + t * vStep + j], want);
                                }
                                assertThat(c[at]).as("rows %d, cols %d, transposed %s, accumulate %s, (%d, %d)", rows,
                                        cols, transposedA, accumulate, r, j).isEqualTo(want);
                            }
                            // the gaps between rows are left alone
                            for (int j = cols; j < cStride && 4 + r * cStride + j < c.length; j++) {
                                assertThat(c[4 + r * cStride + j]).isEqualTo(start[4 + r * cStride + j]);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * a·M + bias and aᵀ·b with whole 4-vector rows (which take the 6-row blocks with 512-bit vectors)
     * sum each output as one chain of fused multiply-adds from the bias (or from dM, or from 0).
     */
    @Test
    void productsWithWholeVectorBlocksSumEachOutputAsOneChain() {
        Rng rng = new Rng(31);
        // from 128 rows (VectorProducts.SIX_ROW_MIN_BATCH) the 6-row blocks, below them the 4-row ones
        for (int rows : new int[] {6, 7, 13, 64, 128, 129, 130, 131}) {
            for (int k : new int[] {3, 64}) {
                for (int n : new int[] {64, 128, 192}) {
                    float[] a = GradCheck.randomArray(rng, rows * k, -1, 1);
                    float[] m = GradCheck.randomArray(rng, 2 + k * n, -1, 1);
                    float[] bias = GradCheck.randomArray(rng, 1 + n, -1, 1);
                    float[] y = new float[rows * n];
                    Kernels.multiply(a, rows, k, m, 2, n, bias, 1, y);
                    for (int r = 0; r < rows; r++) {
                        for (int j = 0; j < n; j++) {
                            float want = bias[1 + j];
                            for (int t = 0; t < k; t++) {
                                want = Math.fma(a[r * k + t], m[2 + t * n + j], want);
                            }
                            assertThat(y[r * n + j]).as("a·M %d×%d·%d (%d, %d)", rows, k, n, r, j).isEqualTo(want);
                        }
                    }
                    // aᵀ·b: a [rows × k] read as p = k columns, b [rows × n]; into dM [k × n], added and written
                    float[] b = GradCheck.randomArray(rng, rows * n, -1, 1);
                    float[] start = GradCheck.randomArray(rng, 3 + k * n, -1, 1);
                    for (boolean accumulate : new boolean[] {false, true}) {
                        float[] dM = start.clone();
                        if (accumulate) {
                            Kernels.addTransposedProduct(a, k, b, n, rows, dM, 3);
                        } else {
                            Kernels.transposedProduct(a, k, b, n, rows, dM, 3);
                        }
                        for (int i = 0; i < k; i++) {
                            for (int j = 0; j < n; j++) {
                                float want = accumulate ? start[3 + i * n + j] : 0f;
                                for (int r = 0; r < rows; r++) {
                                    want = Math.fma(a[r * k + i], b[r * n + j], want);
                                }
                                assertThat(dM[3 + i * n + j]).as("aᵀ·b %d rows, %d×%d (%d, %d)", rows, k, n, i, j)
                                        .isEqualTo(want);
                            }
                        }
                    }
                }
            }
        }
    }

    /** The fused output layer's gradient row: the same three roundings per element on both backends. */
    @Test
    void gradientRowGivesTheScalarBits() {
        KernelBackend fast = Kernels.active();
        KernelBackend ref = Kernels.scalar();
        Rng rng = new Rng(17);
        // lengths: whole vectors, a partial last vector, shorter than one vector; targets in the
        // vectors, in the scalar tail, before and after the row
        int[][] cases = {{256, 3}, {148, 145}, {148, -1}, {37, 36}, {5, 2}, {64, 64}};
        for (int[] c : cases) {
            int n = c[0];
            float[] x = GradCheck.randomArray(rng, n + 2, -1, 1);
            float[] sums = GradCheck.randomArray(rng, n + 1, -5, 5);
            float[] x2 = x.clone();
            float[] sums2 = sums.clone();
            fast.gradientRow(x, 1, n, 0.37f, c[1], 0.8f, sums, 1);
            ref.gradientRow(x2, 1, n, 0.37f, c[1], 0.8f, sums2, 1);
            assertThat(x).as("n %d, target %d", n, c[1]).containsExactly(x2);
            assertThat(sums).as("n %d, target %d", n, c[1]).containsExactly(sums2);
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
    private static void assertClose(String what, float[] a, float[] b, int k) {
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).as("%s, index %d", what, i).isCloseTo(b[i], within(1e-5f * (k + 1)));
        }
    }
}
