package org.recsysrl.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.recsysrl.util.Rng;

class InitTest {

    @Test
    void pytorchDefaultWithinBoundsAndRoughlyUniform() {
        ParameterStore s = new ParameterStore();
        Linear l = new Linear(s, "l", 16, 256);
        Init.pytorchDefault(l, new Rng(5));
        float[] p = s.data();
        double bound = 0.25;
        double sum = 0, sq = 0;
        int n = 16 * 256;
        for (int i = 0; i < n; i++) {
            float w = p[l.weightOffset() + i]; // every weight, in whatever order the layer stores them
            assertThat((double) Math.abs(w)).isLessThanOrEqualTo(bound);
            sum += w;
            sq += (double) w * w;
        }
        assertThat(sum / n).isCloseTo(0.0, within(0.01));
        assertThat(sq / n).isCloseTo(bound * bound / 3, within(0.002)); // uniform variance b^2/3
        boolean nonZeroBias = false;
        for (int o = 0; o < 256; o++) {
            float b = p[l.biasOffset() + o];
            assertThat((double) Math.abs(b)).isLessThanOrEqualTo(bound);
            nonZeroBias |= b != 0f;
        }
        assertThat(nonZeroBias).isTrue();
    }

    @Test
    void pytorchDefaultOrderWeightsThenBias() {
        ParameterStore s = new ParameterStore();
        Linear l = new Linear(s, "l", 4, 2);
        Init.pytorchDefault(l, new Rng(8));
        Rng r = new Rng(8);
        float[] p = s.data();
        for (int o = 0; o < 2; o++) { // PyTorch's order: W[o, i] row by row
            for (int i = 0; i < 4; i++) {
                assertThat(p[l.weightIndex(o, i)]).isEqualTo((float) r.uniform(-0.5, 0.5));
            }
        }
        for (int o = 0; o < 2; o++) {
            assertThat(p[l.biasOffset() + o]).isEqualTo((float) r.uniform(-0.5, 0.5));
        }
    }

    private static void assertOrthonormal(float[] w, int off, int rows, int cols, double gain) {
        boolean byRows = rows <= cols;
        int k = byRows ? rows : cols;
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                double d = 0;
                int len = byRows ? cols : rows;
                for (int t = 0; t < len; t++) {
                    double x = byRows ? w[off + a * cols + t] : w[off + t * cols + a];
                    double y = byRows ? w[off + b * cols + t] : w[off + t * cols + b];
                    d += x * y;
                }
                assertThat(d).as("(%d,%d) %dx%d", a, b, rows, cols)
                        .isCloseTo(a == b ? gain * gain : 0.0, within(1e-5 * (1 + gain * gain)));
            }
        }
    }

    @Test
    void orthogonalShapes() {
        Rng rng = new Rng(12);
        int[][] shapes = {{4, 10}, {10, 4}, {7, 7}, {1, 5}, {5, 1}, {64, 32}};
        for (int[] sh : shapes) {
            for (double gain : new double[] {1.0, Math.sqrt(2), 0.01}) {
                float[] w = new float[3 + sh[0] * sh[1]];
                Init.orthogonal(w, 3, sh[0], sh[1], gain, rng);
                assertThat(w[0]).isZero();
                assertOrthonormal(w, 3, sh[0], sh[1], gain);
            }
        }
    }

    @Test
    void orthogonalLayerZeroesBiasAndIsDeterministic() {
        ParameterStore s1 = new ParameterStore();
        Linear l1 = new Linear(s1, "l", 6, 3);
        s1.data()[l1.biasOffset()] = 5f;
        Init.orthogonal(l1, 2.0, new Rng(4));
        ParameterStore s2 = new ParameterStore();
        Linear l2 = new Linear(s2, "l", 6, 3);
        Init.orthogonal(l2, 2.0, new Rng(4));
        assertThat(s1.data()).containsExactly(s2.data());
        for (int o = 0; o < 3; o++) {
            assertThat(s1.data()[l1.biasOffset() + o]).isZero();
        }
        assertOrthonormal(s1.toLogical(s1.entry("l.weight"), s1.data()), 0, 3, 6, 2.0);
    }

    @Test
    void orthogonalIsQOfTheGaussianMatrixWithPositiveDiagonalR() {
        // For a square matrix A = QR with diag(R) > 0, R = Q^T A must be upper triangular with a positive diagonal.
        int n = 5;
        Rng r = new Rng(31);
        double[] a = new double[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextGaussian();
        }
        float[] q = new float[n * n];
        Init.orthogonal(q, 0, n, n, 1.0, new Rng(31));
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double rij = 0;
                for (int t = 0; t < n; t++) {
                    rij += q[t * n + i] * a[t * n + j];
                }
                if (i > j) {
                    assertThat(rij).isCloseTo(0.0, within(1e-5));
                } else if (i == j) {
                    assertThat(rij).isPositive();
                }
            }
        }
    }
}
