package org.recsysrl.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.recsysrl.util.Rng;

class KernelsTest {

    // a [2,3]; W [2,3] and its transpose WT [3,2]; bias [2]; DY [2,2]
    private static final float[] A = {1, 2, 3, 4, 5, 6};
    private static final float[] W = {1, 0, -1, 0.5f, 1, 2};
    private static final float[] WT = {1, 0.5f, 0, 1, -1, 2};
    private static final float[] B = {0.1f, -0.2f};
    private static final float[] DY = {1, 2, 3, -1};

    @Test
    void handExampleMultiply() {
        float[] y = {9, 9, 9, 9, 9};
        Kernels.multiply(A, 2, 3, WT, 0, 2, B, 0, y); // a·Wᵀ + b, a dense layer's forward pass
        assertThat(y[0]).isCloseTo(-1.9f, within(1e-6f));
        assertThat(y[1]).isCloseTo(8.3f, within(1e-5f));
        assertThat(y[2]).isCloseTo(-1.9f, within(1e-6f));
        assertThat(y[3]).isCloseTo(18.8f, within(1e-5f));
        assertThat(y[4]).isEqualTo(9f); // beyond rows*n untouched
    }

    @Test
    void handExampleMultiplyTransposed() {
        float[] y = {9, 9, 9, 9};
        Kernels.multiplyTransposed(A, 2, 3, W, 0, 2, y, null);
        assertThat(y).containsExactly(-2f, 8.5f, -2f, 19f);
        float[] dx = {7, 7, 7, 7, 7, 7};
        Kernels.multiplyTransposed(DY, 2, 2, WT, 0, 3, dx, new float[6]); // dy·W, the input gradient
        assertThat(dx).containsExactly(2f, 2f, 3f, 2.5f, -1f, -5f);
    }

    @Test
    void handExampleAddTransposedProductAndColumnSumsAccumulate() {
        float[] dW = new float[6];
        float[] dB = new float[2];
        Kernels.addTransposedProduct(DY, 2, A, 3, 2, dW, 0);
        Kernels.addColumnSums(DY, 2, 2, dB, 0);
        assertThat(dW).containsExactly(13f, 17f, 21f, -2f, -1f, 0f);
        assertThat(dB).containsExactly(4f, 1f);
        Kernels.addTransposedProduct(DY, 2, A, 3, 2, dW, 0);
        Kernels.addColumnSums(DY, 2, 2, dB, 0);
        assertThat(dW).containsExactly(26f, 34f, 42f, -4f, -2f, 0f);
        assertThat(dB).containsExactly(8f, 2f);
    }

    @Test
    void offsetsRespected() {
        float[] store = new float[20];
        System.arraycopy(WT, 0, store, 5, 6);
        System.arraycopy(B, 0, store, 13, 2);
        float[] y = new float[4];
        Kernels.multiply(A, 2, 3, store, 5, 2, store, 13, y);
        assertThat(y[3]).isCloseTo(18.8f, within(1e-5f));
        float[] g = new float[20];
        Kernels.addTransposedProduct(DY, 2, A, 3, 2, g, 5);
        Kernels.addColumnSums(DY, 2, 2, g, 13);
        assertThat(g).containsExactly(0, 0, 0, 0, 0, 13, 17, 21, -2, -1, 0, 0, 0, 4, 1, 0, 0, 0, 0, 0);
        float[] dx = new float[6];
        Kernels.multiplyTransposed(DY, 2, 2, store, 5, 3, dx, null);
        assertThat(dx).containsExactly(2f, 2f, 3f, 2.5f, -1f, -5f);
    }

    @Test
    void randomShapesMatchNaiveReference() {
        Rng rng = new Rng(42);
        int[][] shapes = {{1, 1, 1}, {3, 5, 4}, {7, 1, 9}, {5, 13, 1}, {16, 17, 8}, {2, 64, 33}, {6, 300, 20},
            {5, 20, 300}};
        for (int[] sh : shapes) {
            int rows = sh[0], k = sh[1], n = sh[2];
            int mOff = 3, bOff = 2;
            float[] a = GradCheck.randomArray(rng, rows * k, -1, 1);
            float[] m = GradCheck.randomArray(rng, mOff + k * n, -1, 1);
            float[] bias = GradCheck.randomArray(rng, bOff + n, -1, 1);
            float[] b = GradCheck.randomArray(rng, rows * n, -1, 1);

            float[] y = new float[rows * n];
            Kernels.multiply(a, rows, k, m, mOff, n, bias, bOff, y);
            float[] t = new float[rows * n]; // a·Mᵀ, reading the same floats as an [n, k] matrix
            Kernels.multiplyTransposed(a, rows, k, m, mOff, n, t, new float[k * n]);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < n; j++) {
                    double s = bias[bOff + j];
                    double st = 0;
                    for (int i = 0; i < k; i++) {
                        s += (double) a[r * k + i] * m[mOff + i * n + j];
                        st += (double) a[r * k + i] * m[mOff + j * k + i];
                    }
                    assertThat((double) y[r * n + j]).isCloseTo(s, within(1e-5 * (1 + k)));
                    assertThat((double) t[r * n + j]).isCloseTo(st, within(1e-5 * (1 + k)));
                }
            }

            float[] dM = GradCheck.randomArray(rng, mOff + k * n, -1, 1);
            float[] dM0 = dM.clone();
            Kernels.addTransposedProduct(a, k, b, n, rows, dM, mOff);
            float[] sums = GradCheck.randomArray(rng, bOff + n, -1, 1);
            float[] sums0 = sums.clone();
            Kernels.addColumnSums(b, rows, n, sums, bOff);
            for (int j = 0; j < n; j++) {
                double sb = sums0[bOff + j];
                for (int r = 0; r < rows; r++) {
                    sb += b[r * n + j];
                }
                assertThat((double) sums[bOff + j]).isCloseTo(sb, within(1e-5 * (1 + rows)));
                for (int i = 0; i < k; i++) {
                    double s = dM0[mOff + i * n + j];
                    for (int r = 0; r < rows; r++) {
                        s += (double) a[r * k + i] * b[r * n + j];
                    }
                    assertThat((double) dM[mOff + i * n + j]).isCloseTo(s, within(1e-5 * (1 + rows)));
                }
            }
            for (int i = 0; i < mOff; i++) {
                assertThat(dM[i]).isEqualTo(dM0[i]);
            }
            for (int i = 0; i < bOff; i++) {
                assertThat(sums[i]).isEqualTo(sums0[i]);
            }
        }
    }

    @Test
    void deterministic() {
        Rng rng = new Rng(7);
        float[] a = GradCheck.randomArray(rng, 8 * 31, -3, 3);
        float[] m = GradCheck.randomArray(rng, 17 * 31, -3, 3);
        float[] bias = GradCheck.randomArray(rng, 17, -3, 3);
        float[] y1 = new float[8 * 17];
        float[] y2 = new float[8 * 17];
        Kernels.multiply(a, 8, 31, m, 0, 17, bias, 0, y1);
        Kernels.multiply(a, 8, 31, m, 0, 17, bias, 0, y2);
        assertThat(y2).containsExactly(y1);
    }

    @Test
    void badSizesAreRejected() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Kernels.multiply(A, 2, 3, WT, 0, 2, B, 0, new float[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("y too short");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Kernels.addTransposedProduct(DY, 2, A, 3, 2, new float[5], 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dM too short");
    }
}
