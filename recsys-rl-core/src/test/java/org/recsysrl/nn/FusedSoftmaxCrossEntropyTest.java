package org.recsysrl.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.recsysrl.util.Rng;

/**
 * The fused output layer against the plain-loop reference that materialises the scores (in double),
 * on both backends, on shapes that leave partial row chunks, item blocks, 4-row blocks and vectors;
 * and its gradients against finite differences of the loss's definition.
 *
 * <p>Tolerances: the fused kernel sums in float, in an order of its own; against the double
 * reference the loss agrees to a relative 1e-5 and every gradient entry to 2e-6 + 1e-4·(the largest
 * entry of that gradient), a few float roundings of sums of up to 700 terms.
 */
class FusedSoftmaxCrossEntropyTest {

    /** One random problem. */
    private static final class Problem {
        final int rows;
        final int d;
        final int n;
        final float[] h;
        final float[] table; // at offset 3
        final float[] bias; // at offset 5
        final int[] targets;
        final float[] weights;
        final int[] excludedStart;
        final int[] excluded;

        Problem(int rows, int d, int n, boolean exclude, long seed) {
            Rng rng = new Rng(seed);
            this.rows = rows;
            this.d = d;
            this.n = n;
            h = GradCheck.randomArray(rng, rows * d, -1, 1);
            table = new float[3 + n * d];
            for (int i = 0; i < n * d; i++) {
                table[3 + i] = (float) rng.uniform(-0.8, 0.8);
            }
            bias = new float[5 + n];
            for (int i = 0; i < n; i++) {
                bias[5 + i] = (float) rng.uniform(-1, 1);
            }
            targets = new int[rows];
            weights = new float[rows];
            excludedStart = new int[rows + 1];
            int[] ex = new int[rows * 12];
            int e = 0;
            for (int r = 0; r < rows; r++) {
                targets[r] = rng.nextInt(n);
                weights[r] = (float) rng.uniform(0.1, 1.5);
                excludedStart[r] = e;
                int k = exclude ? rng.nextInt(12) : 0;
                for (int q = 0; q < k; q++) {
                    int i = rng.nextInt(n);
                    if (i != targets[r]) {
                        ex[e++] = i;
                    }
                }
            }
            excludedStart[rows] = e;
            excluded = java.util.Arrays.copyOf(ex, e);
        }

        float[] transposed() {
            float[] t = new float[n * d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    t[j * n + i] = table[3 + i * d + j];
                }
            }
            return t;
        }

        boolean isExcluded(int r, int i) {
            for (int e = excludedStart[r]; e < excludedStart[r + 1]; e++) {
                if (excluded[e] == i) {
                    return true;
                }
            }
            return false;
        }

        /** Row r's scores in double, excluded items −∞: the materialised matrix, one row at a time. */
        double[] scores(int r) {
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                if (isExcluded(r, i)) {
                    s[i] = Double.NEGATIVE_INFINITY;
                    continue;
                }
                double x = bias[5 + i];
                for (int j = 0; j < d; j++) {
                    x += (double) h[r * d + j] * table[3 + i * d + j];
                }
                s[i] = x;
            }
            return s;
        }

        /** Row r's softmax in double. */
        double[] softmax(double[] s) {
            double max = Double.NEGATIVE_INFINITY;
            for (double x : s) {
                max = Math.max(max, x);
            }
            double sum = 0;
            double[] p = new double[n];
            for (int i = 0; i < n; i++) {
                p[i] = Math.exp(s[i] - max);
                sum += p[i];
            }
            for (int i = 0; i < n; i++) {
                p[i] /= sum;
            }
            return p;
        }

        /** Σ_r w_r·CE_r, the definition (for finite differences). */
        double weightedLoss() {
            double loss = 0;
            for (int r = 0; r < rows; r++) {
                double[] p = softmax(scores(r));
                loss -= weights[r] * Math.log(p[targets[r]]);
            }
            return loss;
        }

        /** The plain-loop reference: {Σ CE} and the three gradients, from the materialised softmax. */
        double reference(double[] dh, double[] dTable, double[] dBias) {
            double loss = 0;
            for (int r = 0; r < rows; r++) {
                double[] p = softmax(scores(r));
                loss -= Math.log(p[targets[r]]);
                for (int i = 0; i < n; i++) {
                    double g = weights[r] * (p[i] - (i == targets[r] ? 1 : 0));
                    dBias[i] += g;
                    for (int j = 0; j < d; j++) {
                        dh[r * d + j] += g * table[3 + i * d + j];
                        dTable[i * d + j] += g * h[r * d + j];
                    }
                }
            }
            return loss;
        }
    }

    @Test
    void agreesWithTheMaterialisedReferenceOnBothBackends() {
        // rows: 2 chunks and a partial one of 3 rows (not a multiple of 4); items: 2 blocks and a
        // partial one of 88 (not a multiple of the vector); widths 24 (a partial vector) and 64
        int[][] shapes = {{259, 24, 600}, {131, 64, 300}, {7, 16, 37}};
        for (int[] shape : shapes) {
            for (boolean exclude : new boolean[] {false, true}) {
                Problem pr = new Problem(shape[0], shape[1], shape[2], exclude, 11 + shape[0]);
                int rows = pr.rows;
                int d = pr.d;
                int n = pr.n;
                double[] rdh = new double[rows * d];
                double[] rdt = new double[n * d];
                double[] rdb = new double[n];
                double want = pr.reference(rdh, rdt, rdb);
                for (FusedSoftmaxCrossEntropy kernel : kernels(d, n)) {
                    float[] dh = new float[rows * d];
                    java.util.Arrays.fill(dh, 99f); // overwritten
                    float[] dTable = new float[2 + n * d];
                    float[] dBias = new float[1 + n];
                    dTable[0] = 7f; // outside the table: untouched
                    double got = kernel.lossAndGradient(pr.h, rows, pr.table, 3, pr.transposed(), pr.bias, 5,
                            pr.targets, pr.weights, exclude ? pr.excludedStart : null, pr.excluded, dh, dTable, 2,
                            dBias, 1);
                    String what = "rows " + rows + ", d " + d + ", n " + n + (exclude ? ", excluded" : "");
                    assertThat(Math.abs(got - want)).as(what + ": loss").isLessThanOrEqualTo(1e-5 * Math.abs(want));
                    assertClose(what + ": dh", dh, 0, rdh);
                    assertClose(what + ": dTable", dTable, 2, rdt);
                    assertClose(what + ": dBias", dBias, 1, rdb);
                    assertThat(dTable[0]).isEqualTo(7f);
                    assertThat(dTable[1]).isEqualTo(0f);
                }
            }
        }
    }

    @Test
    void addsIntoTheTableGradientsAndGivesTheSameBitsTwice() {
        Problem pr = new Problem(140, 32, 400, true, 5);
        for (FusedSoftmaxCrossEntropy kernel : kernels(pr.d, pr.n)) {
            sameBitsTwiceAndAddsInto(pr, kernel);
        }
    }

    private static void sameBitsTwiceAndAddsInto(Problem pr, FusedSoftmaxCrossEntropy kernel) {
        float[] t = pr.transposed();
        float[][] dh = new float[2][pr.rows * pr.d];
        float[][] dt = new float[2][pr.n * pr.d];
        float[][] db = new float[2][pr.n];
        double[] loss = new double[2];
        for (int k = 0; k < 2; k++) {
            loss[k] = kernel.lossAndGradient(pr.h, pr.rows, pr.table, 3, t, pr.bias, 5, pr.targets, pr.weights,
                    pr.excludedStart, pr.excluded, dh[k], dt[k], 0, db[k], 0);
        }
        assertThat(loss[1]).isEqualTo(loss[0]);
        assertThat(dh[1]).containsExactly(dh[0]);
        assertThat(dt[1]).containsExactly(dt[0]);
        assertThat(db[1]).containsExactly(db[0]);
        // from gradients that already hold values, the call adds to them
        float[] dt2 = new float[pr.n * pr.d];
        float[] db2 = new float[pr.n];
        java.util.Arrays.fill(dt2, 0.5f);
        java.util.Arrays.fill(db2, -0.25f);
        kernel.lossAndGradient(pr.h, pr.rows, pr.table, 3, t, pr.bias, 5, pr.targets, pr.weights, pr.excludedStart,
                pr.excluded, new float[pr.rows * pr.d], dt2, 0, db2, 0);
        for (int i = 0; i < dt2.length; i++) {
            assertThat((double) dt2[i]).isCloseTo(0.5 + dt[0][i], org.assertj.core.api.Assertions.within(1e-5));
        }
        for (int i = 0; i < db2.length; i++) {
            assertThat((double) db2[i]).isCloseTo(-0.25 + db[0][i], org.assertj.core.api.Assertions.within(1e-5));
        }
    }

    /**
     * Panels packed from O by three disjoint ranges (as threads would), their unused last columns
     * NaN, give the same loss and gradient bits as the kernel packing Oᵀ itself; kernels that do not
     * keep their scores refuse them.
     */
    @Test
    void sharedPackedPanelsGiveTheSameBitsAsTheKernelsOwnPacking() {
        Problem pr = new Problem(140, 32, 400, true, 8);
        assertThat(FusedSoftmaxCrossEntropy.keepsScores(pr.n)).isTrue();
        float[] panels = new float[FusedSoftmaxCrossEntropy.packedLength(pr.d, pr.n)];
        java.util.Arrays.fill(panels, Float.NaN);
        int[] cuts = {0, 128, 320, pr.n};
        for (int r = 0; r < 3; r++) {
            FusedSoftmaxCrossEntropy.packPanels(pr.table, 3, pr.d, pr.n, panels, cuts[r], cuts[r + 1]);
        }
        float[][] dh = new float[2][pr.rows * pr.d];
        float[][] dt = new float[2][pr.n * pr.d];
        float[][] db = new float[2][pr.n];
        FusedSoftmaxCrossEntropy kernel = new FusedSoftmaxCrossEntropy(pr.d, pr.n);
        double own = kernel.lossAndGradient(pr.h, pr.rows, pr.table, 3, pr.transposed(), pr.bias, 5, pr.targets,
                pr.weights, pr.excludedStart, pr.excluded, dh[0], dt[0], 0, db[0], 0);
        double shared = new FusedSoftmaxCrossEntropy(pr.d, pr.n).lossAndGradient(pr.h, pr.rows, pr.table, 3, null,
                panels, pr.bias, 5, pr.targets, pr.weights, pr.excludedStart, pr.excluded, dh[1], dt[1], 0, db[1], 0);
        assertThat(shared).isEqualTo(own);
        assertThat(dh[1]).containsExactly(dh[0]);
        assertThat(dt[1]).containsExactly(dt[0]);
        assertThat(db[1]).containsExactly(db[0]);
        FusedSoftmaxCrossEntropy recomputing = new FusedSoftmaxCrossEntropy(pr.d, pr.n, Kernels.active(), false, 4);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> recomputing.lossAndGradient(pr.h, pr.rows, pr.table, 3,
                null, panels, pr.bias, 5, pr.targets, pr.weights, null, null, dh[1], dt[1], 0, db[1], 0))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FusedSoftmaxCrossEntropy.packPanels(pr.table, 3, pr.d,
                pr.n, panels, 100, pr.n)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void gradientsMatchFiniteDifferencesOfTheLoss() {
        Problem pr = new Problem(6, 20, 45, true, 3);
        for (boolean keep : new boolean[] {true, false}) {
            float[] dh = new float[pr.rows * pr.d];
            float[] dTable = new float[pr.n * pr.d];
            float[] dBias = new float[pr.n];
            new FusedSoftmaxCrossEntropy(pr.d, pr.n, Kernels.active(), keep, 4).lossAndGradient(pr.h, pr.rows, pr.table,
                    3, pr.transposed(), pr.bias, 5, pr.targets, pr.weights, pr.excludedStart, pr.excluded, dh, dTable, 0,
                    dBias, 0);
            GradCheck.check("dh", pr.h, 0, dh, 0, pr.h.length, 1e-3, 1e-3, 2e-5, pr::weightedLoss);
            GradCheck.check("dTable", pr.table, 3, dTable, 0, dTable.length, 1e-3, 1e-3, 2e-5, pr::weightedLoss);
            GradCheck.check("dBias", pr.bias, 5, dBias, 0, dBias.length, 1e-3, 1e-3, 2e-5, pr::weightedLoss);
        }
        // an excluded item gets no gradient from its row
        Problem one = new Problem(1, 8, 30, true, 9);
        assertThat(one.excluded).isNotEmpty();
        float[] dt = new float[one.n * one.d];
        float[] db = new float[one.n];
        new FusedSoftmaxCrossEntropy(one.d, one.n).lossAndGradient(one.h, 1, one.table, 3, one.transposed(), one.bias,
                5, one.targets, one.weights, one.excludedStart, one.excluded, new float[one.d], dt, 0, db, 0);
        for (int i : one.excluded) {
            assertThat(db[i]).isEqualTo(0f);
        }
    }

    @Test
    void aNanScoreStopsWithTheSoftmaxError() {
        Problem pr = new Problem(10, 16, 300, false, 4);
        pr.bias[5 + 280] = Float.NaN; // in the second tile
        for (FusedSoftmaxCrossEntropy kernel : kernels(pr.d, pr.n)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> kernel.lossAndGradient(pr.h, pr.rows, pr.table, 3,
                    pr.transposed(), pr.bias, 5, pr.targets, pr.weights, null, null, new float[pr.rows * pr.d],
                    new float[pr.n * pr.d], 0, new float[pr.n], 0))
                    .isInstanceOf(org.recsysrl.util.NonFiniteException.class)
                    .hasMessageContaining("a logit of the softmax");
        }
    }

    /**
     * Both backends, each with the scores kept and recomputed, and with chunks of 128 rows (the
     * default) and of 64 (so that more chunks add into the same table gradient).
     */
    private static FusedSoftmaxCrossEntropy[] kernels(int d, int n) {
        KernelBackend vector = Kernels.active();
        KernelBackend scalar = Kernels.scalar();
        return new FusedSoftmaxCrossEntropy[] {
            new FusedSoftmaxCrossEntropy(d, n),
            new FusedSoftmaxCrossEntropy(d, n, vector, true, 128),
            new FusedSoftmaxCrossEntropy(d, n, vector, false, 128),
            new FusedSoftmaxCrossEntropy(d, n, vector, true, 64),
            new FusedSoftmaxCrossEntropy(d, n, vector, false, 64),
            new FusedSoftmaxCrossEntropy(d, n, scalar, true, 128),
            new FusedSoftmaxCrossEntropy(d, n, scalar, false, 128)};
    }

    private static void assertClose(String what, float[] got, int off, double[] want) {
        double scale = 0;
        for (double w : want) {
            scale = Math.max(scale, Math.abs(w));
        }
        assertThat(scale).as(what + " is not all zero").isGreaterThan(0);
        double tol = 2e-6 + 1e-4 * scale;
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(got[off + i] - want[i]) <= tol)) {
                fail("%s[%d]: %s, reference %s (tolerance %.3g)", what, i, got[off + i], want[i], tol);
            }
        }
    }
}
