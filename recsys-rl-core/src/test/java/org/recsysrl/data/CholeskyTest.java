package org.recsysrl.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.recsysrl.util.Rng;

class CholeskyTest {

    @Test
    void factorsAndSolvesAHandCheckedSystem() {
        // A = [[4, 2], [2, 3]] = L Lᵀ with L = [[2, 0], [1, √2]]; A x = (2, 1) has x = (0.5, 0).
        double[] a = {4, 999, 2, 3}; // the upper triangle is never read
        assertThat(Cholesky.factor(a, 2)).isTrue();
        assertThat(a[0]).isEqualTo(2.0);
        assertThat(a[2]).isEqualTo(1.0);
        assertThat(a[3]).isCloseTo(Math.sqrt(2), within(1e-15));
        assertThat(a[1]).isEqualTo(999.0);
        double[] b = {2, 1};
        Cholesky.solve(a, 2, b);
        assertThat(b[0]).isCloseTo(0.5, within(1e-15));
        assertThat(b[1]).isCloseTo(0.0, within(1e-15));
    }

    @Test
    void solvesRandomSpdSystemsToResidualNearZero() {
        Rng rng = new Rng(3);
        for (int n : new int[] {1, 5, 33}) {
            double[] g = new double[n * n];
            for (int k = 0; k < g.length; k++) {
                g[k] = rng.nextGaussian();
            }
            double[] a = new double[n * n]; // G Gᵀ + I
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < n; c++) {
                    double s = r == c ? 1 : 0;
                    for (int k = 0; k < n; k++) {
                        s += g[r * n + k] * g[c * n + k];
                    }
                    a[r * n + c] = s;
                }
            }
            double[] x = new double[n];
            for (int k = 0; k < n; k++) {
                x[k] = rng.nextGaussian();
            }
            double[] b = new double[n];
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < n; c++) {
                    b[r] += a[r * n + c] * x[c];
                }
            }
            double[] l = a.clone();
            assertThat(Cholesky.factor(l, n)).isTrue();
            Cholesky.solve(l, n, b);
            for (int k = 0; k < n; k++) {
                assertThat(b[k]).as("n=%d x[%d]", n, k).isCloseTo(x[k], within(1e-8));
            }
        }
    }

    @Test
    void reportsMatricesThatAreNotPositiveDefinite() {
        assertThat(Cholesky.factor(new double[] {1, 0, 2, 1}, 2)).isFalse(); // [[1,2],[2,1]] has eigenvalue -1
        assertThat(Cholesky.factor(new double[] {0}, 1)).isFalse();
        assertThat(Cholesky.factor(new double[] {Double.NaN}, 1)).isFalse();
    }
}
