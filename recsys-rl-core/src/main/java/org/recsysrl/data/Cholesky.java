package org.recsysrl.data;

/**
 * Solves small symmetric positive-definite systems {@code A x = b} by the Cholesky factorisation
 * {@code A = L Lᵀ}, in place and without allocation. Matrices are {@code n×n}, row-major in a
 * {@code double[]} of at least {@code n*n}; only the lower triangle ({@code a[r*n+c]}, {@code c <= r})
 * is read or written.
 */
public final class Cholesky {
    private Cholesky() {}

    /**
     * Overwrites the lower triangle of {@code a} with {@code L}, where {@code L Lᵀ = A} and {@code L}
     * has a positive diagonal ({@code L[j][j] = sqrt(A[j][j] − Σ_{k<j} L[j][k]²)},
     * {@code L[i][j] = (A[i][j] − Σ_{k<j} L[i][k] L[j][k]) / L[j][j]} for {@code i > j}).
     *
     * @return false (leaving {@code a} partly overwritten) if {@code A} is not numerically positive definite
     */
    public static boolean factor(double[] a, int n) {
        for (int j = 0; j < n; j++) {
            int rj = j * n;
            double d = a[rj + j];
            for (int k = 0; k < j; k++) {
                d -= a[rj + k] * a[rj + k];
            }
            if (!(d > 0.0)) {
                return false;
            }
            double ljj = Math.sqrt(d);
            a[rj + j] = ljj;
            double inv = 1.0 / ljj;
            for (int i = j + 1; i < n; i++) {
                int ri = i * n;
                double s = a[ri + j];
                for (int k = 0; k < j; k++) {
                    s -= a[ri + k] * a[rj + k];
                }
                a[ri + j] = s * inv;
            }
        }
        return true;
    }

    /**
     * Solves {@code L Lᵀ x = b} for a factor from {@link #factor}: forward substitution
     * {@code L y = b}, then back substitution {@code Lᵀ x = y}. Overwrites {@code b} with {@code x}.
     */
    public static void solve(double[] l, int n, double[] b) {
        for (int i = 0; i < n; i++) {
            int ri = i * n;
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[ri + k] * b[k];
            }
            b[i] = s / l[ri + i];
        }
        for (int i = n - 1; i >= 0; i--) {
            double s = b[i];
            for (int k = i + 1; k < n; k++) {
                s -= l[k * n + i] * b[k];
            }
            b[i] = s / l[i * n + i];
        }
    }
}
