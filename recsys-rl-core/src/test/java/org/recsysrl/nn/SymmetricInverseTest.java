package org.recsysrl.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.recsysrl.util.Rng;

/** The blocked SPD inverse: accuracy, bit-for-bit thread independence, and non-PD detection. */
class SymmetricInverseTest {

    /** A random SPD matrix MᵀM/n + I (eigenvalues ≥ 1, condition number a few units). */
    private static double[] spd(int n, long seed) {
        Rng rng = new Rng(seed);
        double[] m = new double[n * n];
        for (int k = 0; k < m.length; k++) {
            m[k] = rng.nextGaussian();
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double s = 0;
                for (int t = 0; t < n; t++) {
                    s += m[t * n + i] * m[t * n + j];
                }
                a[i * n + j] = s / n + (i == j ? 1 : 0);
                a[j * n + i] = a[i * n + j];
            }
        }
        return a;
    }

    /** max |(A·X − I)_ij|. */
    private static double residual(double[] a, double[] x, int n) {
        double worst = 0;
        double[] row = new double[n];
        for (int i = 0; i < n; i++) {
            Arrays.fill(row, 0);
            for (int t = 0; t < n; t++) {
                double ait = a[i * n + t];
                for (int j = 0; j < n; j++) {
                    row[j] += ait * x[t * n + j];
                }
            }
            for (int j = 0; j < n; j++) {
                worst = Math.max(worst, Math.abs(row[j] - (i == j ? 1 : 0)));
            }
        }
        return worst;
    }

    @Test
    void inverseTimesMatrixIsTheIdentity() {
        // sizes around the strip (16) and block (128) sizes, none a multiple of them but 1
        for (int n : new int[] {1, 5, 17, 130, 300}) {
            double[] a = spd(n, n);
            double[] x = a.clone();
            SymmetricInverse.invertInPlace(x, n, 2);
            assertThat(residual(a, x, n)).as("n = %d", n).isLessThan(1e-11);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    assertThat(x[i * n + j]).isEqualTo(x[j * n + i]); // both triangles, exactly symmetric
                }
            }
        }
    }

    @Test
    void aHandCase() {
        // [[4, 2], [2, 3]]: det 8, inverse [[3, −2], [−2, 4]] / 8
        double[] a = {4, 2, 2, 3};
        SymmetricInverse.invertInPlace(a, 2, 1);
        assertThat(a[0]).isCloseTo(0.375, within(1e-15));
        assertThat(a[1]).isCloseTo(-0.25, within(1e-15));
        assertThat(a[2]).isCloseTo(-0.25, within(1e-15));
        assertThat(a[3]).isCloseTo(0.5, within(1e-15));
    }

    @Test
    void onlyTheUpperTriangleIsRead() {
        int n = 150;
        double[] a = spd(n, 7);
        double[] garbage = a.clone();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                garbage[i * n + j] = 1e6 * (i - j); // the lower triangle is scratch
            }
        }
        SymmetricInverse.invertInPlace(a, n, 1);
        SymmetricInverse.invertInPlace(garbage, n, 1);
        assertThat(Arrays.mismatch(garbage, a)).as("first differing element").isEqualTo(-1);
    }

    @Test
    void theBitsDoNotDependOnTheThreadCount() {
        // 600: several 128-blocks, trailing updates in several 64-row chunks and 512-column chunks
        int n = 600;
        double[] a = spd(n, 11);
        double[] one = a.clone();
        double[] two = a.clone();
        SymmetricInverse.invertInPlace(one, n, 1);
        SymmetricInverse.invertInPlace(two, n, 2);
        assertThat(Arrays.mismatch(two, one)).as("first differing element").isEqualTo(-1);
        assertThat(residual(a, one, n)).isLessThan(1e-10);
    }

    @Test
    void aMatrixThatIsNotPositiveDefiniteIsRejected() {
        // [[1, 2], [2, 1]] has eigenvalues 3 and −1: the second pivot is 1 − 2·2 = −3
        assertThatThrownBy(() -> SymmetricInverse.invertInPlace(new double[] {1, 2, 2, 1}, 2, 1))
                .isInstanceOf(SymmetricInverse.NotPositiveDefiniteException.class)
                .hasMessageContaining("pivot -3.0 at row 1");
        assertThatThrownBy(() -> SymmetricInverse.invertInPlace(new double[4], 2, 1))
                .isInstanceOf(SymmetricInverse.NotPositiveDefiniteException.class).hasMessageContaining("row 0");
        // deep inside the blocked part: the identity with a negative entry at row 140 (second block)
        int n = 150;
        double[] id = new double[n * n];
        for (int i = 0; i < n; i++) {
            id[i * n + i] = 1;
        }
        id[140 * n + 140] = -1;
        assertThatThrownBy(() -> SymmetricInverse.invertInPlace(id, n, 2))
                .isInstanceOf(SymmetricInverse.NotPositiveDefiniteException.class).hasMessageContaining("row 140");
        double[] nan = {Double.NaN};
        assertThatThrownBy(() -> SymmetricInverse.invertInPlace(nan, 1, 1))
                .isInstanceOf(SymmetricInverse.NotPositiveDefiniteException.class);
        assertThatThrownBy(() -> SymmetricInverse.invertInPlace(new double[3], 2, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
