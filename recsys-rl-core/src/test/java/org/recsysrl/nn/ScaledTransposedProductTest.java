package org.recsysrl.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.recsysrl.util.Rng;

/** {@code C += α·Aᵀ·B} in double: the SIMD backend against the plain loops and a naive triple loop. */
class ScaledTransposedProductTest {
    // depth, rows, cols: rows not multiples of 4, cols not multiples of the vector width (or of 4L),
    // depth past the 256 slice, cols past the 256 column slice, and single elements
    private static final int[][] SHAPES = {
        {300, 7, 37}, {513, 5, 19}, {257, 13, 259}, {1, 1, 1}, {3, 4, 16}, {256, 4, 32}, {700, 9, 3}, {64, 130, 65},
    };

    private static double[] random(Rng rng, int n) {
        double[] a = new double[n];
        for (int k = 0; k < n; k++) {
            a[k] = 2 * rng.nextDouble() - 1;
        }
        return a;
    }

    @Test
    void backendsAgreeBitForBitAndWithANaiveTripleLoop() {
        KernelBackend fast = Kernels.active();
        KernelBackend ref = Kernels.scalar();
        assertThat(fast.name()).startsWith("vector"); // otherwise this compares the scalar code with itself
        Rng rng = new Rng(12);
        for (int[] s : SHAPES) {
            int depth = s[0];
            int rows = s[1];
            int cols = s[2];
            String shape = depth + "x" + rows + "x" + cols;
            // padded leading dimensions and offsets, so that only the addressed panels may be read
            int lda = rows + 3;
            int ldb = cols + 5;
            int ldc = cols + 2;
            int aOff = 7;
            int bOff = 2;
            int cOff = 11;
            double[] a = random(rng, aOff + depth * lda);
            double[] b = random(rng, bOff + depth * ldb);
            double[] c0 = random(rng, cOff + rows * ldc + 4);
            double alpha = -0.7;
            double[] c1 = c0.clone();
            double[] c2 = c0.clone();
            fast.addScaledTransposedProduct(alpha, a, aOff, lda, b, bOff, ldb, depth, rows, cols, c1, cOff, ldc);
            ref.addScaledTransposedProduct(alpha, a, aOff, lda, b, bOff, ldb, depth, rows, cols, c2, cOff, ldc);
            assertThat(c1).as(shape).containsExactly(c2);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    double sum = 0;
                    for (int t = 0; t < depth; t++) {
                        sum += a[aOff + t * lda + i] * b[bOff + t * ldb + j];
                    }
                    int at = cOff + i * ldc + j;
                    assertThat(c1[at]).as("%s (%d, %d)", shape, i, j).isCloseTo(c0[at] + alpha * sum, within(1e-12));
                    c1[at] = c0[at]; // restore, to check below that nothing else was touched
                }
            }
            assertThat(c1).as("%s: only the block is written", shape).containsExactly(c0);
        }
    }

    @Test
    void theKernelsEntryPointChecksShapesAndSkipsEmptyProducts() {
        double[] c = {1, 2, 3, 4};
        Kernels.addScaledTransposedProduct(2.0, new double[0], 0, 2, new double[0], 0, 2, 0, 2, 2, c, 0, 2);
        assertThat(c).containsExactly(1, 2, 3, 4); // depth 0: nothing added
        // a hand case through the public entry: A = [[1, 2]] (depth 1, 2 rows), B = [[3, 4]] (2 cols),
        // C = [[1, 2], [3, 4]] + 2·AᵀB = + 2·[[3, 4], [6, 8]] = [[7, 10], [15, 20]]
        Kernels.addScaledTransposedProduct(2.0, new double[] {1, 2}, 0, 2, new double[] {3, 4}, 0, 2, 1, 2, 2, c, 0, 2);
        assertThat(c).containsExactly(7, 10, 15, 20);
        assertThatThrownBy(() -> Kernels.addScaledTransposedProduct(1, new double[4], 0, 1, new double[4], 0, 2, 2, 2,
                2, new double[4], 0, 2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad shape");
        assertThatThrownBy(() -> Kernels.addScaledTransposedProduct(1, new double[3], 0, 2, new double[4], 0, 2, 2, 2,
                2, new double[4], 0, 2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a too short");
    }
}
