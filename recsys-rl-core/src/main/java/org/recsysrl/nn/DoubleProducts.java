package org.recsysrl.nn;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD double-precision product behind {@link Kernels#addScaledTransposedProduct}:
 * {@code C += α·Aᵀ·B} over row-major panels, the one product that dense symmetric factorisations
 * ({@link SymmetricInverse}) spend their time in.
 *
 * <p>Organised like a GotoBLAS GEMM: the columns are cut into slices of {@link #COLUMN_BLOCK} and
 * the depth into slices of {@link #DEPTH_BLOCK}; each B slice is packed once into contiguous
 * micro-panels of {@code 4·L} columns (zero-padded), each group of 4 rows of A into a contiguous
 * strip with α already applied, and a 4 × 4L micro-kernel (16 vector accumulators) runs over both
 * with unit-stride loads, so neither the caches nor the TLB see the matrix's long row stride.
 * Blocks at the edges (fewer than 4 rows or 4L columns) are computed into a small tile and copied.
 *
 * <p>Each element of C receives its terms in increasing t, one fused multiply-add of
 * {@code (α·a)·b} each — the same operations as the plain loop in {@link ScalarKernels} — so the
 * backends agree bit for bit and callers may split rows or columns between threads freely.
 */
final class DoubleProducts {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int L = D.length();
    private static final int W = 4 * L; // micro-panel width in columns
    /** Depth slice. */
    static final int DEPTH_BLOCK = 256;
    /** Column slice: a packed B slice of 256 × 256 doubles is 512 KiB, within a second-level cache. */
    static final int COLUMN_BLOCK = 256;

    private static final ThreadLocal<double[]> PACKED_B = ThreadLocal.withInitial(
            () -> new double[DEPTH_BLOCK * ((COLUMN_BLOCK + W - 1) / W) * W]);
    private static final ThreadLocal<double[]> PACKED_A = ThreadLocal.withInitial(() -> new double[DEPTH_BLOCK * 4]);
    private static final ThreadLocal<double[]> TILE = ThreadLocal.withInitial(() -> new double[4 * W]);

    private DoubleProducts() {
    }

    /**
     * {@code c[cOff + i*ldc + j] += α Σ_{t<depth} a[aOff + t*lda + i] · b[bOff + t*ldb + j]} for
     * {@code i < rows}, {@code j < cols}.
     */
    static void addScaledTransposedProduct(double alpha, double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
            int depth, int rows, int cols, double[] c, int cOff, int ldc) {
        double[] pb = PACKED_B.get();
        double[] pa = PACKED_A.get();
        double[] tile = TILE.get();
        for (int j0 = 0; j0 < cols; j0 += COLUMN_BLOCK) {
            int nc = Math.min(COLUMN_BLOCK, cols - j0);
            int panels = (nc + W - 1) / W;
            for (int t0 = 0; t0 < depth; t0 += DEPTH_BLOCK) {
                int kc = Math.min(DEPTH_BLOCK, depth - t0);
                packB(b, bOff + t0 * ldb + j0, ldb, kc, nc, pb);
                for (int i0 = 0; i0 < rows; i0 += 4) {
                    int mr = Math.min(4, rows - i0);
                    packA(alpha, a, aOff + t0 * lda + i0, lda, kc, mr, pa);
                    for (int p = 0; p < panels; p++) {
                        int jj = j0 + p * W;
                        int width = Math.min(W, cols - jj);
                        int cAt = cOff + i0 * ldc + jj;
                        if (mr == 4 && width == W) {
                            micro(pa, pb, p * kc * W, kc, c, cAt, ldc);
                        } else {
                            for (int r = 0; r < 4; r++) {
                                for (int q = 0; q < W; q++) {
                                    tile[r * W + q] = r < mr && q < width ? c[cAt + r * ldc + q] : 0.0;
                                }
                            }
                            micro(pa, pb, p * kc * W, kc, tile, 0, W);
                            for (int r = 0; r < mr; r++) {
                                System.arraycopy(tile, r * W, c, cAt + r * ldc, width);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Packs B[t][j] for t < kc, j < nc into micro-panels: panel p holds columns [pW, pW+W) as [t][W], zero-padded. */
    private static void packB(double[] b, int bOff, int ldb, int kc, int nc, double[] pb) {
        int panels = (nc + W - 1) / W;
        for (int p = 0; p < panels; p++) {
            int width = Math.min(W, nc - p * W);
            int base = p * kc * W;
            for (int t = 0; t < kc; t++) {
                int src = bOff + t * ldb + p * W;
                int dst = base + t * W;
                System.arraycopy(b, src, pb, dst, width);
                for (int q = width; q < W; q++) {
                    pb[dst + q] = 0.0;
                }
            }
        }
    }

    /** Packs α·A[t][i] for t < kc, i < mr into [t][4], zero-padded to 4 rows. */
    private static void packA(double alpha, double[] a, int aOff, int lda, int kc, int mr, double[] pa) {
        for (int t = 0; t < kc; t++) {
            int src = aOff + t * lda;
            int dst = t * 4;
            for (int r = 0; r < 4; r++) {
                pa[dst + r] = r < mr ? alpha * a[src + r] : 0.0;
            }
        }
    }

    /** The 4 × 4L micro-kernel: c[r][0..W) += Σ_t pa[t][r] · pb[panel + t·W ..]. */
    private static void micro(double[] pa, double[] pb, int bAt, int kc, double[] c, int cOff, int ldc) {
        int c1 = cOff + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        DoubleVector s00 = DoubleVector.fromArray(D, c, cOff);
        DoubleVector s01 = DoubleVector.fromArray(D, c, cOff + L);
        DoubleVector s02 = DoubleVector.fromArray(D, c, cOff + 2 * L);
        DoubleVector s03 = DoubleVector.fromArray(D, c, cOff + 3 * L);
        DoubleVector s10 = DoubleVector.fromArray(D, c, c1);
        DoubleVector s11 = DoubleVector.fromArray(D, c, c1 + L);
        DoubleVector s12 = DoubleVector.fromArray(D, c, c1 + 2 * L);
        DoubleVector s13 = DoubleVector.fromArray(D, c, c1 + 3 * L);
        DoubleVector s20 = DoubleVector.fromArray(D, c, c2);
        DoubleVector s21 = DoubleVector.fromArray(D, c, c2 + L);
        DoubleVector s22 = DoubleVector.fromArray(D, c, c2 + 2 * L);
        DoubleVector s23 = DoubleVector.fromArray(D, c, c2 + 3 * L);
        DoubleVector s30 = DoubleVector.fromArray(D, c, c3);
        DoubleVector s31 = DoubleVector.fromArray(D, c, c3 + L);
        DoubleVector s32 = DoubleVector.fromArray(D, c, c3 + 2 * L);
        DoubleVector s33 = DoubleVector.fromArray(D, c, c3 + 3 * L);
        for (int t = 0; t < kc; t++) {
            int br = bAt + t * W;
            int ar = t * 4;
            DoubleVector b0 = DoubleVector.fromArray(D, pb, br);
            DoubleVector b1 = DoubleVector.fromArray(D, pb, br + L);
            DoubleVector b2 = DoubleVector.fromArray(D, pb, br + 2 * L);
            DoubleVector b3 = DoubleVector.fromArray(D, pb, br + 3 * L);
            DoubleVector x = DoubleVector.broadcast(D, pa[ar]);
            s00 = x.fma(b0, s00);
            s01 = x.fma(b1, s01);
            s02 = x.fma(b2, s02);
            s03 = x.fma(b3, s03);
            x = DoubleVector.broadcast(D, pa[ar + 1]);
            s10 = x.fma(b0, s10);
            s11 = x.fma(b1, s11);
            s12 = x.fma(b2, s12);
            s13 = x.fma(b3, s13);
            x = DoubleVector.broadcast(D, pa[ar + 2]);
            s20 = x.fma(b0, s20);
            s21 = x.fma(b1, s21);
            s22 = x.fma(b2, s22);
            s23 = x.fma(b3, s23);
            x = DoubleVector.broadcast(D, pa[ar + 3]);
            s30 = x.fma(b0, s30);
            s31 = x.fma(b1, s31);
            s32 = x.fma(b2, s32);
            s33 = x.fma(b3, s33);
        }
        s00.intoArray(c, cOff);
        s01.intoArray(c, cOff + L);
        s02.intoArray(c, cOff + 2 * L);
        s03.intoArray(c, cOff + 3 * L);
        s10.intoArray(c, c1);
        s11.intoArray(c, c1 + L);
        s12.intoArray(c, c1 + 2 * L);
        s13.intoArray(c, c1 + 3 * L);
        s20.intoArray(c, c2);
        s21.intoArray(c, c2 + L);
        s22.intoArray(c, c2 + 2 * L);
        s23.intoArray(c, c2 + 3 * L);
        s30.intoArray(c, c3);
        s31.intoArray(c, c3 + L);
        s32.intoArray(c, c3 + 2 * L);
        s33.intoArray(c, c3 + 3 * L);
    }
}
