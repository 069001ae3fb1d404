package org.recsysrl.nn;

import org.recsysrl.util.Parallel;

/**
 * The inverse of a dense symmetric positive-definite matrix in double precision, blocked so that
 * nearly all of the n³ floating-point operations are the SIMD product
 * {@link Kernels#addScaledTransposedProduct} ({@code C += α·Aᵀ·B}), spread over threads:
 *
 * <ol>
 *   <li>Cholesky factorisation A = UᵀU (U upper triangular), right-looking: rows are factored in
 *       strips of {@value #STRIP}, each strip's update of the rest of its panel of {@value #BLOCK}
 *       rows and each panel's update of the trailing matrix (A₂₂ −= U₁₂ᵀU₁₂) are products
 *       (≈ n³/3 flops);</li>
 *   <li>W = U⁻ᵀ (lower triangular) by blocked forward substitution of UᵀW = I (≈ n³/3 flops);</li>
 *   <li>A⁻¹ = U⁻¹U⁻ᵀ = WᵀW, block by block for the upper triangle, then mirrored (≈ n³/3 flops).</li>
 * </ol>
 *
 * Only the strips' own row operations (about 8n² multiply-adds each for steps 1 and 2) are plain
 * loops. Each element receives its terms in an order fixed by n alone, and threads only split
 * which blocks or column chunks they compute, so the result is bit-identical for any thread count.
 * Memory: the matrix itself (overwritten by the inverse) and one more n × n array for W.
 */
public final class SymmetricInverse {
    /** Panel and block size of the large products. */
    static final int BLOCK = 128;
    /** Rows factored or substituted one by one before a product updates the rest of their block. */
    static final int STRIP = 16;
    /** Rows per parallel chunk of the trailing update. */
    private static final int ROW_CHUNK = 64;
    /** Columns per parallel chunk of the strips' row operations and the strip updates. */
    private static final int COLUMN_CHUNK = 512;

    private SymmetricInverse() {
    }

    /** Thrown when the matrix is not numerically positive definite. */
    public static final class NotPositiveDefiniteException extends ArithmeticException {
        private static final long serialVersionUID = 1L;

        NotPositiveDefiniteException(int row, double pivot) {
            super("matrix is not positive definite: pivot " + pivot + " at row " + row);
        }
    }

    /**
     * Replaces {@code a} (n × n, row-major, symmetric positive definite; only its upper triangle is
     * read) by its inverse, both triangles filled.
     *
     * @param threads threads to use (the result does not depend on it)
     * @throws NotPositiveDefiniteException if a pivot is not positive (a is then overwritten)
     */
    public static void invertInPlace(double[] a, int n, int threads) {
        if ((long) n * n > a.length) {
            throw new IllegalArgumentException("matrix shorter than " + n + " × " + n);
        }
        if (n == 0) {
            return;
        }
        cholesky(a, n, threads);
        double[] w = new double[n * n];
        inverseTranspose(a, w, n, threads);
        gram(w, a, n, threads);
    }

    /** Overwrites the upper triangle of {@code a} with U, where A = UᵀU (the lower triangle is scratch). */
    static void cholesky(double[] a, int n, int threads) {
        for (int panel = 0; panel < n; panel += BLOCK) {
            final int k0 = panel;
            final int k1 = Math.min(n, k0 + BLOCK);
            for (int strip = k0; strip < k1; strip += STRIP) {
                final int s0 = strip;
                final int s1 = Math.min(k1, s0 + STRIP);
                factorStrip(a, n, s0, s1, threads);
                if (s1 < k1) {
                    // the rest of the panel: A[r][r..n) −= Σ_{t in strip} U[t][r] U[t][r..n) for r in [s1, k1)
                    int chunks = (n - s1 + COLUMN_CHUNK - 1) / COLUMN_CHUNK;
                    Parallel.forChunks(chunks, threads, (worker, next) -> {
                        for (int c = next.getAsInt(); c >= 0; c = next.getAsInt()) {
                            int c0 = s1 + c * COLUMN_CHUNK;
                            int c1 = Math.min(n, c0 + COLUMN_CHUNK);
                            Kernels.addScaledTransposedProduct(-1.0, a, s0 * n + s1, n, a, s0 * n + c0, n, s1 - s0,
                                    k1 - s1, c1 - c0, a, s1 * n + c0, n);
                        }
                    });
                }
            }
            if (k1 == n) {
                break;
            }
            // the trailing matrix: A[r][r..n) −= Σ_{t in panel} U[t][r] U[t][r..n), by chunks of rows
            int depth = k1 - k0;
            int rowChunks = (n - k1 + ROW_CHUNK - 1) / ROW_CHUNK;
            Parallel.forChunks(rowChunks, threads, (worker, next) -> {
                for (int c = next.getAsInt(); c >= 0; c = next.getAsInt()) {
                    int r0 = k1 + c * ROW_CHUNK;
                    int rows = Math.min(ROW_CHUNK, n - r0);
                    Kernels.addScaledTransposedProduct(-1.0, a, k0 * n + r0, n, a, k0 * n + r0, n, depth, rows, n - r0,
                            a, r0 * n + r0, n);
                }
            });
        }
    }

    /**
     * Factors rows {@code [s0, s1)} one by one (their earlier contributions already subtracted):
     * U[i][i] = sqrt(A[i][i]), U[i][j] = A[i][j] / U[i][i] for j &gt; i, and each later row r of the
     * strip loses U[i][r]·U[i][r..n). The diagonal block goes first (it holds the pivots), then the
     * columns after the strip, by chunks.
     */
    private static void factorStrip(double[] a, int n, int s0, int s1, int threads) {
        for (int i = s0; i < s1; i++) {
            int ri = i * n;
            double d = a[ri + i];
            if (!(d > 0) || !Double.isFinite(d)) {
                throw new NotPositiveDefiniteException(i, d);
            }
            double u = Math.sqrt(d);
            a[ri + i] = u;
            double inv = 1.0 / u;
            for (int j = i + 1; j < s1; j++) {
                a[ri + j] *= inv;
            }
            for (int r = i + 1; r < s1; r++) {
                double f = -a[ri + r];
                int rr = r * n;
                for (int j = r; j < s1; j++) {
                    a[rr + j] = Math.fma(f, a[ri + j], a[rr + j]);
                }
            }
        }
        int chunks = (n - s1 + COLUMN_CHUNK - 1) / COLUMN_CHUNK;
        Parallel.forChunks(chunks, threads, (worker, next) -> {
            for (int c = next.getAsInt(); c >= 0; c = next.getAsInt()) {
                int c0 = s1 + c * COLUMN_CHUNK;
                int c1 = Math.min(n, c0 + COLUMN_CHUNK);
                for (int i = s0; i < s1; i++) {
                    int ri = i * n;
                    double inv = 1.0 / a[ri + i];
                    for (int j = c0; j < c1; j++) {
                        a[ri + j] *= inv;
                    }
                    for (int r = i + 1; r < s1; r++) {
                        double f = -a[ri + r];
                        int rr = r * n;
                        for (int j = c0; j < c1; j++) {
                            a[rr + j] = Math.fma(f, a[ri + j], a[rr + j]);
                        }
                    }
                }
            }
        });
    }

    /**
     * Writes W = U⁻ᵀ (lower triangular, zeros above the diagonal) into {@code w}, from U in the
     * upper triangle of {@code u}: row i of UᵀW = I gives W[i][j] = (δ_ij − Σ_{t&lt;i} U[t][i] W[t][j]) / U[i][i].
     */
    static void inverseTranspose(double[] u, double[] w, int n, int threads) {
        for (int block = 0; block < n; block += BLOCK) {
            final int i0 = block;
            final int i1 = Math.min(n, i0 + BLOCK);
            for (int i = i0; i < i1; i++) {
                w[i * n + i] = 1.0;
            }
            // the rows before the block: W[I][J] −= Σ_{t in [j0, i0)} U[t][I] W[t][J] for each column block J before I
            Parallel.forChunks(i0 / BLOCK, threads, (worker, next) -> {
                for (int jb = next.getAsInt(); jb >= 0; jb = next.getAsInt()) {
                    int j0 = jb * BLOCK;
                    int cols = Math.min(BLOCK, i0 - j0);
                    Kernels.addScaledTransposedProduct(-1.0, u, j0 * n + i0, n, w, j0 * n + j0, n, i0 - j0, i1 - i0,
                            cols, w, i0 * n + j0, n);
                }
            });
            // the block's own rows, strip by strip
            for (int strip = i0; strip < i1; strip += STRIP) {
                final int s0 = strip;
                final int s1 = Math.min(i1, s0 + STRIP);
                if (s0 > i0) {
                    // earlier strips of the block: W[S][0..s0) −= Σ_{t in [i0, s0)} U[t][S] W[t][0..s0)
                    int chunks = (s0 + COLUMN_CHUNK - 1) / COLUMN_CHUNK;
                    Parallel.forChunks(chunks, threads, (worker, next) -> {
                        for (int c = next.getAsInt(); c >= 0; c = next.getAsInt()) {
                            int c0 = c * COLUMN_CHUNK;
                            int c1 = Math.min(s0, c0 + COLUMN_CHUNK);
                            Kernels.addScaledTransposedProduct(-1.0, u, i0 * n + s0, n, w, i0 * n + c0, n, s0 - i0,
                                    s1 - s0, c1 - c0, w, s0 * n + c0, n);
                        }
                    });
                }
                // the strip's rows in order, by column chunks
                int chunks = (s1 + COLUMN_CHUNK - 1) / COLUMN_CHUNK;
                Parallel.forChunks(chunks, threads, (worker, next) -> {
                    for (int c = next.getAsInt(); c >= 0; c = next.getAsInt()) {
                        int c0 = c * COLUMN_CHUNK;
                        int c1 = Math.min(s1, c0 + COLUMN_CHUNK);
                        for (int i = s0; i < s1; i++) {
                            int ri = i * n;
                            for (int t = s0; t < i; t++) {
                                double f = -u[t * n + i];
                                int rt = t * n;
                                int end = Math.min(c1, t + 1);
                                for (int j = c0; j < end; j++) {
                                    w[ri + j] = Math.fma(f, w[rt + j], w[ri + j]);
                                }
                            }
                            double inv = 1.0 / u[ri + i];
                            int end = Math.min(c1, i + 1);
                            for (int j = c0; j < end; j++) {
                                w[ri + j] *= inv;
                            }
                        }
                    }
                });
            }
        }
    }

    /** Writes WᵀW (W lower triangular) into {@code out}, both triangles. */
    static void gram(double[] w, double[] out, int n, int threads) {
        int blocks = (n + BLOCK - 1) / BLOCK;
        int pairs = blocks * (blocks + 1) / 2;
        Parallel.forChunks(pairs, threads, (worker, next) -> {
            for (int p = next.getAsInt(); p >= 0; p = next.getAsInt()) {
                // pair p -> (ib, jb) with ib <= jb, row by row of the upper block triangle
                int ib = 0;
                int rem = p;
                while (rem >= blocks - ib) {
                    rem -= blocks - ib;
                    ib++;
                }
                int jb = ib + rem;
                int i0 = ib * BLOCK;
                int j0 = jb * BLOCK;
                int rows = Math.min(BLOCK, n - i0);
                int cols = Math.min(BLOCK, n - j0);
                for (int r = 0; r < rows; r++) {
                    java.util.Arrays.fill(out, (i0 + r) * n + j0, (i0 + r) * n + j0 + cols, 0.0);
                }
                // P[i][j] = Σ_{t >= j0} W[t][i] W[t][j] (W[t][j] = 0 for t < j)
                Kernels.addScaledTransposedProduct(1.0, w, j0 * n + i0, n, w, j0 * n + j0, n, n - j0, rows, cols, out,
                        i0 * n + j0, n);
            }
        });
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                out[j * n + i] = out[i * n + j];
            }
        }
    }
}
