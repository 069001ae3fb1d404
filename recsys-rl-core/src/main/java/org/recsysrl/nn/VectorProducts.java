package org.recsysrl.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD matrix products behind {@link VectorKernels}: {@code y = a·M + bias} and
 * {@code dM (+)= aᵀ·b} as broadcast products (every inner step is a scalar of one operand times a
 * contiguous vector of the other, register-blocked 4 rows × 4 vectors by block methods the two
 * share), and {@code y = a·Mᵀ} as blocked dot products (long rows, or few of them) or a transpose
 * followed by the broadcast product (many short rows).
 *
 * <p>Columns that do not fill a last whole vector are covered by one vector ending at the last
 * column, overlapping the one before it. That vector is computed first, from the untouched
 * output, into a small per-thread buffer and copied over the output at the end: the overlapped
 * columns get the same value both ways, because both sum the same terms in the same order.
 *
 * <p>See {@link VectorKernels} for the rules that keep C2 from boxing the accumulators (one vector
 * shape, small methods, no vectors passed to helpers).
 */
final class VectorProducts {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /**
     * {@code a·Mᵀ} with rows shorter than this transposes M (into the caller's scratch) and takes
     * the broadcast product: a dot product ends in a sum across lanes, which only pays off when
     * it closes a long row.
     */
    static final int DOT_MIN_LENGTH = 256;
    /** ... unless there are at most this many rows: then the transpose would cost more than the sums. */
    static final int DOT_MAX_ROWS = 8;

    /**
     * Whether dot products are taken in 4 × 4 blocks, whose 16 sums across lanes a butterfly of
     * blends, lane swaps and adds forms in one vector: with 16 lanes only. Other widths take the
     * 1 × 4 and 1 × 1 blocks, which add their lanes through memory.
     */
    private static final boolean BUTTERFLY = L == 16;
    // stage d of the butterfly pairs lane l with lane l ^ d; the mask selects the lanes with bit d set
    private static final VectorMask<Float> BIT1 = VectorMask.fromLong(S, 0xAAAAL);
    private static final VectorMask<Float> BIT2 = VectorMask.fromLong(S, 0xCCCCL);
    private static final VectorMask<Float> BIT4 = VectorMask.fromLong(S, 0xF0F0L);
    private static final VectorMask<Float> BIT8 = VectorMask.fromLong(S, 0xFF00L);
    private static final VectorShuffle<Float> SWAP1 = VectorShuffle.fromOp(S, l -> l ^ 1);
    private static final VectorShuffle<Float> SWAP2 = VectorShuffle.fromOp(S, l -> l ^ 2);
    private static final VectorShuffle<Float> SWAP4 = VectorShuffle.fromOp(S, l -> l ^ 4);
    private static final VectorShuffle<Float> SWAP8 = VectorShuffle.fromOp(S, l -> l ^ 8);

    /** Per-thread lane weights of the last, overlapping vector of a dot product. */
    private static final ThreadLocal<float[]> TAIL_KEEP = ThreadLocal.withInitial(() -> new float[L]);

    /** Per-thread room for the overlapping last vector of 4 rows, and for 16 vectors' lanes. */
    private static final ThreadLocal<float[]> BUFFER = ThreadLocal.withInitial(() -> new float[16 * L]);

    private VectorProducts() {
    }

    // ---- y = a·M + bias -------------------------------------------------------------------

    /**
     * {@code y[r*n+j] = bias[bOff+j] + Σ_i a[r*k+i]·m[mOff+i*n+j]} for M [k, n] row-major;
     * {@code bias} may be null. Needs {@code n >= L}.
     */
    static void multiply(float[] a, int rows, int k, float[] m, int mOff, int n, float[] bias, int bOff, float[] y) {
        // y starts as the bias (or 0) and every block accumulates onto it: no branch between two
        // ways of making a vector, which would keep C2 from keeping the accumulators in registers
        for (int r = 0; r < rows; r++) {
            if (bias != null) {
                System.arraycopy(bias, bOff, y, r * n, n);
            } else {
                java.util.Arrays.fill(y, r * n, r * n + n, 0f);
            }
        }
        int bound = S.loopBound(n);
        boolean overlap = bound < n;
        if (!overlap && rows >= PACK_MIN_ROWS && (long) k * n >= PACK_MIN_WEIGHT) {
            multiplyPacked(a, rows, k, m, mOff, n, y);
            return;
        }
        if (sixRowBlocks(rows, n, rows)) {
            blockProduct(a, 0, k, 1, rows, m, mOff, n, n, k, y, 0, n, true);
            return;
        }
        float[] tail = overlap ? BUFFER.get() : null;
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int x0 = r * k;
            int y0 = r * n;
            if (overlap) {
                block4x1(a, x0, k, 1, m, mOff + n - L, n, k, y, y0 + n - L, n, tail, 0, L);
            }
            int o = 0;
            for (; o + 4 * L <= bound; o += 4 * L) {
                block4x4(a, x0, k, 1, m, mOff + o, n, k, y, y0 + o, n, y, y0 + o, n);
            }
            for (; o < bound; o += L) {
                block4x1(a, x0, k, 1, m, mOff + o, n, k, y, y0 + o, n, y, y0 + o, n);
            }
            if (overlap) {
                for (int q = 0; q < 4; q++) {
                    System.arraycopy(tail, q * L, y, y0 + q * n + n - L, L);
                }
            }
        }
        for (; r < rows; r++) {
            int x0 = r * k;
            int y0 = r * n;
            if (overlap) {
                block1x1(a, x0, 1, m, mOff + n - L, n, k, y, y0 + n - L, tail, 0);
            }
            int o = 0;
            for (; o + 4 * L <= bound; o += 4 * L) {
                product1x4(a, x0, k, m, mOff + o, n, y, y0 + o);
            }
            for (; o < bound; o += L) {
                block1x1(a, x0, 1, m, mOff + o, n, k, y, y0 + o, y, y0 + o);
            }
            if (overlap) {
                System.arraycopy(tail, 0, y, y0 + n - L, L);
            }
        }
    }

    /**
     * {@link #multiply} takes {@link #multiplyPacked} from this many rows of a ...
     */
    static final int PACK_MIN_ROWS = 32;
    /** ... when M has at least this many floats (1 MiB: more than a core's L2 cache holds next to the rest). */
    static final long PACK_MIN_WEIGHT = 1L << 18;

    /** Per-thread packed panel of M: k rows of 4 vectors, contiguous. */
    private static final ThreadLocal<float[][]> PANEL = ThreadLocal.withInitial(() -> new float[1][0]);

    /**
     * {@code y += a·M} for a large M whose row length is a whole number of vectors: M is copied one
     * panel of 4 vectors (64 columns at 16 lanes) at a time into a contiguous buffer, and every
     * 4-row block of a runs over that panel. The panel's rows are then consecutive instead of a
     * row of M apart (with n = 1024 the 4 KB stride put every row of a block in the same few sets
     * of the L1 cache), and it stays in the L2 cache for all rows of a. Each output is summed by
     * the same block kernel in the same order as without the panel, so the bits are the same.
     */
    private static void multiplyPacked(float[] a, int rows, int k, float[] m, int mOff, int n, float[] y) {
        int w = 4 * L;
        float[][] holder = PANEL.get();
        if (holder[0].length < k * w) {
            holder[0] = new float[k * w];
        }
        float[] panel = holder[0];
        int o = 0;
        for (; o + w <= n; o += w) {
            for (int i = 0; i < k; i++) {
                System.arraycopy(m, mOff + i * n + o, panel, i * w, w);
            }
            int r = 0;
            for (; r + 4 <= rows; r += 4) {
                block4x4(a, r * k, k, 1, panel, 0, w, k, y, r * n + o, n, y, r * n + o, n);
            }
            for (; r < rows; r++) {
                product1x4(a, r * k, k, panel, 0, w, y, r * n + o);
            }
        }
        // the last n mod 4 vectors straight from M, as in multiply
        for (; o < n; o += L) {
            int r = 0;
            for (; r + 4 <= rows; r += 4) {
                block4x1(a, r * k, k, 1, m, mOff + o, n, k, y, r * n + o, n, y, r * n + o, n);
            }
            for (; r < rows; r++) {
                block1x1(a, r * k, 1, m, mOff + o, n, k, y, r * n + o, y, r * n + o);
            }
        }
    }

    /** 1 row × 4 vectors (four independent sums, so the FMAs overlap): y[y0..] += a row x0 · m. */
    private static void product1x4(float[] a, int x0, int k, float[] m, int mCol, int n, float[] y, int y0) {
        FloatVector c0 = FloatVector.fromArray(S, y, y0);
        FloatVector c1 = FloatVector.fromArray(S, y, y0 + L);
        FloatVector c2 = FloatVector.fromArray(S, y, y0 + 2 * L);
        FloatVector c3 = FloatVector.fromArray(S, y, y0 + 3 * L);
        for (int i = 0; i < k; i++) {
            int row = mCol + i * n;
            FloatVector s = FloatVector.broadcast(S, a[x0 + i]);
            c0 = FloatVector.fromArray(S, m, row).fma(s, c0);
            c1 = FloatVector.fromArray(S, m, row + L).fma(s, c1);
            c2 = FloatVector.fromArray(S, m, row + 2 * L).fma(s, c2);
            c3 = FloatVector.fromArray(S, m, row + 3 * L).fma(s, c3);
        }
        c0.intoArray(y, y0);
        c1.intoArray(y, y0 + L);
        c2.intoArray(y, y0 + 2 * L);
        c3.intoArray(y, y0 + 3 * L);
    }

    // ---- packed panels: y = scale·(a·M) (+ bias) for one row ---------------------------------

    /**
     * M [k, n] row-major repacked as panels of {@code 4L} columns, each panel [k × 4L] contiguous
     * (the last padded with zeros): one product streams through memory once instead of reading k
     * rows far apart.
     */
    static float[] packColumns(float[] m, int k, int n) {
        int p = 4 * L;
        int panels = (n + p - 1) / p;
        float[] packed = new float[panels * k * p];
        for (int b = 0; b < panels; b++) {
            int width = Math.min(p, n - b * p);
            for (int i = 0; i < k; i++) {
                System.arraycopy(m, i * n + b * p, packed, (b * k + i) * p, width);
            }
        }
        return packed;
    }

    /**
     * {@code y[j] = scale · Σ_i a[i]·M[i][j] (+ bias[bOff+j])} for M packed by {@link #packColumns}:
     * each output is summed over i in order by fused multiply-adds from 0, as {@link #multiply}
     * sums it, so the products are the same bits.
     */
    static void multiplyPacked(float[] a, int k, float[] packed, int n, float scale, float[] bias, int bOff,
            float[] y) {
        int p = 4 * L;
        int full = n / p;
        for (int b = 0; b < full; b++) {
            panel(a, 0, k, packed, b * k * p, scale, y, b * p);
        }
        if (full * p < n) {
            float[] tail = PANEL_TAIL.get();
            panel(a, 0, k, packed, full * k * p, scale, tail, 0);
            System.arraycopy(tail, 0, y, full * p, n - full * p);
        }
        if (bias != null) {
            addInPlace(y, bias, bOff, n);
        }
    }

    /**
     * {@link #multiplyPacked} for {@code rows} rows of a at once, row r (a from {@code r·k}) into
     * {@code y[r]}. The panels are the outer loop: a panel (k × 4L floats) comes from memory once
     * and then from the L1 cache for every further row, so several rows cost about one pass over M;
     * four rows at a time go through {@link #block4x4} (sixteen independent sums, each vector of the
     * panel loaded once for the four), the rest through {@link #panel}. Both sum each output over i
     * in order by fused multiply-adds from 0 and then scale it, so each row gets the bits it gets alone.
     */
    static void multiplyPackedRows(float[] a, int rows, int k, float[] packed, int n, float scale, float[] bias,
            int bOff, float[][] y) {
        int p = 4 * L;
        int full = n / p;
        float[] four = rows >= 4 ? BUFFER.get() : null;
        for (int b = 0; b < full; b++) {
            int r = 0;
            for (; r + 4 <= rows; r += 4) {
                // four rows from zeros into a 4 × 4L buffer, each vector of the panel loaded once for all four
                block4x4(a, r * k, k, 1, packed, b * k * p, p, k, ZEROS, 0, 0, four, 0, p);
                for (int q = 0; q < 4; q++) {
                    scaled(four, q * p, scale, y[r + q], b * p);
                }
            }
            for (; r < rows; r++) {
                panel(a, r * k, k, packed, b * k * p, scale, y[r], b * p);
            }
        }
        if (full * p < n) {
            float[] tail = PANEL_TAIL.get();
            for (int r = 0; r < rows; r++) {
                panel(a, r * k, k, packed, full * k * p, scale, tail, 0);
                System.arraycopy(tail, 0, y[r], full * p, n - full * p);
            }
        }
        if (bias != null) {
            for (int r = 0; r < rows; r++) {
                addInPlace(y[r], bias, bOff, n);
            }
        }
    }

    private static final ThreadLocal<float[]> PANEL_TAIL = ThreadLocal.withInitial(() -> new float[4 * L]);

    /** One panel for row a[aOff ..]: 4 vectors of outputs, the sums over i kept in registers. */
    private static void panel(float[] a, int aOff, int k, float[] packed, int base, float scale, float[] y, int y0) {
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = FloatVector.zero(S);
        FloatVector c2 = FloatVector.zero(S);
        FloatVector c3 = FloatVector.zero(S);
        for (int i = 0; i < k; i++) {
            int row = base + i * 4 * L;
            FloatVector s = FloatVector.broadcast(S, a[aOff + i]);
            c0 = FloatVector.fromArray(S, packed, row).fma(s, c0);
            c1 = FloatVector.fromArray(S, packed, row + L).fma(s, c1);
            c2 = FloatVector.fromArray(S, packed, row + 2 * L).fma(s, c2);
            c3 = FloatVector.fromArray(S, packed, row + 3 * L).fma(s, c3);
        }
        c0.mul(scale).intoArray(y, y0);
        c1.mul(scale).intoArray(y, y0 + L);
        c2.mul(scale).intoArray(y, y0 + 2 * L);
        c3.mul(scale).intoArray(y, y0 + 3 * L);
    }

    /** {@code y[y0 ..]} = the 4 vectors at {@code c[c0 ..]} times scale, as {@link #panel} scales its sums. */
    private static void scaled(float[] c, int c0, float scale, float[] y, int y0) {
        for (int v = 0; v < 4 * L; v += L) {
            FloatVector.fromArray(S, c, c0 + v).mul(scale).intoArray(y, y0 + v);
        }
    }

    /** y[j] += b[bOff + j] for j &lt; n. */
    private static void addInPlace(float[] y, float[] b, int bOff, int n) {
        int bound = S.loopBound(n);
        int j = 0;
        for (; j < bound; j += L) {
            FloatVector.fromArray(S, y, j).add(FloatVector.fromArray(S, b, bOff + j)).intoArray(y, j);
        }
        for (; j < n; j++) {
            y[j] += b[bOff + j];
        }
    }

    // ---- dM += aᵀ·b --------------------------------------------------------------------------

    /** Zeros to start a gradient from (read only): one 4-vector row, read with stride 0. */
    private static final float[] ZEROS = new float[4 * L];

    /**
     * {@code dM[mOff+i*q+j] (+)= Σ_r a[r*p+i]·b[r*q+j]} for i &lt; p, j &lt; q: added to dM's values
     * if {@code accumulate}, else written over them (the same bits as adding to zeros, without
     * reading dM). Needs {@code q >= L}. The same broadcast product as {@link #multiply} with the
     * sum over rows: 4 rows of dM × 4 vectors, each step a scalar of a times a vector of b.
     */
    static void transposedProduct(float[] a, int p, float[] b, int q, int rows, float[] dM, int mOff,
            boolean accumulate) {
        if (sixRowBlocks(p, q, rows)) {
            blockProduct(a, 0, 1, p, p, b, 0, q, q, rows, dM, mOff, q, accumulate);
            return;
        }
        int bound = S.loopBound(q);
        boolean overlap = bound < q;
        float[] tail = overlap ? BUFFER.get() : null;
        // the start values: dM itself, or a row of zeros read with stride 0 (no branch inside a block)
        float[] src = accumulate ? dM : ZEROS;
        int srcStride = accumulate ? q : 0;
        int i = 0;
        for (; i + 4 <= p; i += 4) {
            int d0 = mOff + i * q;
            int s0 = accumulate ? d0 : 0;
            if (overlap) {
                block4x1(a, i, 1, p, b, q - L, q, rows, src, accumulate ? s0 + q - L : 0, srcStride, tail, 0, L);
            }
            int j = 0;
            for (; j + 4 * L <= bound; j += 4 * L) {
                block4x4(a, i, 1, p, b, j, q, rows, src, accumulate ? s0 + j : 0, srcStride, dM, d0 + j, q);
            }
            for (; j < bound; j += L) {
                block4x1(a, i, 1, p, b, j, q, rows, src, accumulate ? s0 + j : 0, srcStride, dM, d0 + j, q);
            }
            if (overlap) {
                for (int t = 0; t < 4; t++) {
                    System.arraycopy(tail, t * L, dM, d0 + t * q + q - L, L);
                }
            }
        }
        for (; i < p; i++) {
            int d0 = mOff + i * q;
            int s0 = accumulate ? d0 : 0;
            if (overlap) {
                block1x1(a, i, p, b, q - L, q, rows, src, accumulate ? s0 + q - L : 0, tail, 0);
            }
            for (int j = 0; j < bound; j += L) {
                block1x1(a, i, p, b, j, q, rows, src, accumulate ? s0 + j : 0, dM, d0 + j);
            }
            if (overlap) {
                System.arraycopy(tail, 0, dM, d0 + q - L, L);
            }
        }
    }

    // ---- c (+)= A·V with strided A: the tiles of the fused output layer ------------------------

    /**
     * {@code c[cOff+r*cStride+j] (+)= Σ_t a[aOff+r*aRow+t*aStep]·v[vOff+t*vStep+j]} for r &lt; rows,
     * j &lt; cols: the broadcast blocks below on any strides, so that a·M (aRow = k, aStep = 1) and
     * aᵀ·b (aRow = 1, aStep = p) of tiles inside larger arrays need no copy. Columns past the last
     * whole vector are summed one by one with the same fused multiply-adds in the same order.
     */
    static void blockProduct(float[] a, int aOff, int aRow, int aStep, int rows, float[] v, int vOff, int vStep,
            int cols, int steps, float[] c, int cOff, int cStride, boolean accumulate) {
        int bound = S.loopBound(cols);
        float[] src = accumulate ? c : ZEROS;
        int srcStride = accumulate ? cStride : 0;
        int r = 0;
        if (SIX_ROWS) {
            // 6-row blocks, leaving 0, 1, 4 or 5 rows (a rest of 2 or 3 goes to two 4-row blocks instead)
            int sixes = rows / 6;
            int rest = rows - 6 * sixes;
            if ((rest == 2 || rest == 3) && sixes > 0) {
                sixes--;
            }
            for (; r < 6 * sixes; r += 6) {
                int c0 = cOff + r * cStride;
                int a0 = aOff + r * aRow;
                int j = 0;
                for (; j + 4 * L <= bound; j += 4 * L) {
                    block6x4(a, a0, aRow, aStep, v, vOff + j, vStep, steps, src, accumulate ? c0 + j : 0, srcStride,
                            c, c0 + j, cStride);
                }
                fourRows(a, aOff, aRow, aStep, r, v, vOff, vStep, cols, steps, c, cOff, cStride, accumulate, j);
                oneRow(a, aOff, aRow, aStep, r + 4, v, vOff, vStep, cols, steps, c, cOff, cStride, accumulate, j);
                oneRow(a, aOff, aRow, aStep, r + 5, v, vOff, vStep, cols, steps, c, cOff, cStride, accumulate, j);
            }
        }
        for (; r + 4 <= rows; r += 4) {
            fourRows(a, aOff, aRow, aStep, r, v, vOff, vStep, cols, steps, c, cOff, cStride, accumulate, 0);
        }
        for (; r < rows; r++) {
            oneRow(a, aOff, aRow, aStep, r, v, vOff, vStep, cols, steps, c, cOff, cStride, accumulate, 0);
        }
    }

    /**
     * Whether {@link #blockProduct} takes 6 rows × 4 vectors at a time (24 accumulators): with
     * 512-bit vectors, whose instruction set has 32 vector registers. Each output is summed the
     * same way by any block, so this changes no bits.
     */
    private static final boolean SIX_ROWS = L >= 16;

    /**
     * Whether {@link #multiply} and {@link #transposedProduct} of {@code rows} output rows of
     * {@code cols} columns over a batch of {@code batchRows} go through {@link #blockProduct}'s
     * 6-row blocks: with 512-bit vectors, columns in whole 4-vector blocks, at least 6 rows (so at
     * most one row is left to a single-row block) and a batch of at least {@link #SIX_ROW_MIN_BATCH}
     * rows. Each output is the same chain of fused multiply-adds either way.
     */
    private static boolean sixRowBlocks(int rows, int cols, int batchRows) {
        return SIX_ROWS && rows >= 6 && cols % (4 * L) == 0 && batchRows >= SIX_ROW_MIN_BATCH;
    }

    /**
     * Smaller batches (PPO's minibatches of 64, its rollouts) keep the 4-row blocks: their products
     * are short, and a cold run (the side-by-side's PPO time) would wait for the JIT to compile
     * one more set of blocks.
     */
    static final int SIX_ROW_MIN_BATCH = 128;

    /** Rows r .. r+3 of {@link #blockProduct}, columns from {@code j} (a multiple of L) to cols. */
    private static void fourRows(float[] a, int aOff, int aRow, int aStep, int r, float[] v, int vOff, int vStep,
            int cols, int steps, float[] c, int cOff, int cStride, boolean accumulate, int j) {
        int bound = S.loopBound(cols);
        float[] src = accumulate ? c : ZEROS;
        int srcStride = accumulate ? cStride : 0;
        int c0 = cOff + r * cStride;
        int a0 = aOff + r * aRow;
        for (; j + 4 * L <= bound; j += 4 * L) {
            block4x4(a, a0, aRow, aStep, v, vOff + j, vStep, steps, src, accumulate ? c0 + j : 0, srcStride, c,
                    c0 + j, cStride);
        }
        for (; j < bound; j += L) {
            block4x1(a, a0, aRow, aStep, v, vOff + j, vStep, steps, src, accumulate ? c0 + j : 0, srcStride, c,
                    c0 + j, cStride);
        }
        for (; j < cols; j++) {
            for (int q = 0; q < 4; q++) {
                columnTail(a, a0 + q * aRow, aStep, v, vOff + j, vStep, steps, c, c0 + q * cStride + j, accumulate);
            }
        }
    }

    /** Row r of {@link #blockProduct}, columns from {@code j} (a multiple of L) to cols. */
    private static void oneRow(float[] a, int aOff, int aRow, int aStep, int r, float[] v, int vOff, int vStep,
            int cols, int steps, float[] c, int cOff, int cStride, boolean accumulate, int j) {
        int bound = S.loopBound(cols);
        float[] src = accumulate ? c : ZEROS;
        int c0 = cOff + r * cStride;
        int a0 = aOff + r * aRow;
        for (; j < bound; j += L) {
            block1x1(a, a0, aStep, v, vOff + j, vStep, steps, src, accumulate ? c0 + j : 0, c, c0 + j);
        }
        for (; j < cols; j++) {
            columnTail(a, a0, aStep, v, vOff + j, vStep, steps, c, c0 + j, accumulate);
        }
    }

    /** One output of {@link #blockProduct} past the last whole vector. */
    private static void columnTail(float[] a, int aOff, int aStep, float[] v, int vOff, int vStep, int steps,
            float[] c, int at, boolean accumulate) {
        float s = accumulate ? c[at] : 0f;
        for (int t = 0; t < steps; t++) {
            s = Math.fma(v[vOff + t * vStep], a[aOff + t * aStep], s);
        }
        c[at] = s;
    }

    // ---- the broadcast blocks shared by a·M and aᵀ·b -----------------------------------------
    // Both products are c[r][·] (+)= Σ_t A(r, t) · V(t, ·). For a·M the steps t run over k,
    // A(r, t) = a[x0 + r·k + t] and V(t, ·) is row t of M; for aᵀ·b they run over the batch rows,
    // A(r, t) = a[i + r + t·p] and V(t, ·) is row t of b. So one set of blocks serves both, with
    // A(r, t) at aOff + r·aRow + t·aStep and row t of V at vOff + t·vStep. Start values come from
    // src (rows s0.., stride srcStride) and sums go to dst (rows d0.., stride dstStride): the same
    // array for y (+)= …, a row of zeros read with stride 0 for dM = ….
    // Stores are written out in place (no helper taking vectors as arguments): a call the JIT
    // declines to inline would force every accumulator into a heap object.

    /** 6 rows × 4 vectors: 24 accumulators, for 32 vector registers ({@link #SIX_ROWS}). */
    private static void block6x4(float[] a, int aOff, int aRow, int aStep, float[] v, int vOff, int vStep,
            int steps, float[] src, int s0, int srcStride, float[] dst, int d0, int dstStride) {
        int s1 = s0 + srcStride;
        int s2 = s1 + srcStride;
        int s3 = s2 + srcStride;
        int s4 = s3 + srcStride;
        int s5 = s4 + srcStride;
        FloatVector c00 = FloatVector.fromArray(S, src, s0);
        FloatVector c01 = FloatVector.fromArray(S, src, s0 + L);
        FloatVector c02 = FloatVector.fromArray(S, src, s0 + 2 * L);
        FloatVector c03 = FloatVector.fromArray(S, src, s0 + 3 * L);
        FloatVector c10 = FloatVector.fromArray(S, src, s1);
        FloatVector c11 = FloatVector.fromArray(S, src, s1 + L);
        FloatVector c12 = FloatVector.fromArray(S, src, s1 + 2 * L);
        FloatVector c13 = FloatVector.fromArray(S, src, s1 + 3 * L);
        FloatVector c20 = FloatVector.fromArray(S, src, s2);
        FloatVector c21 = FloatVector.fromArray(S, src, s2 + L);
        FloatVector c22 = FloatVector.fromArray(S, src, s2 + 2 * L);
        FloatVector c23 = FloatVector.fromArray(S, src, s2 + 3 * L);
        FloatVector c30 = FloatVector.fromArray(S, src, s3);
        FloatVector c31 = FloatVector.fromArray(S, src, s3 + L);
        FloatVector c32 = FloatVector.fromArray(S, src, s3 + 2 * L);
        FloatVector c33 = FloatVector.fromArray(S, src, s3 + 3 * L);
        FloatVector c40 = FloatVector.fromArray(S, src, s4);
        FloatVector c41 = FloatVector.fromArray(S, src, s4 + L);
        FloatVector c42 = FloatVector.fromArray(S, src, s4 + 2 * L);
        FloatVector c43 = FloatVector.fromArray(S, src, s4 + 3 * L);
        FloatVector c50 = FloatVector.fromArray(S, src, s5);
        FloatVector c51 = FloatVector.fromArray(S, src, s5 + L);
        FloatVector c52 = FloatVector.fromArray(S, src, s5 + 2 * L);
        FloatVector c53 = FloatVector.fromArray(S, src, s5 + 3 * L);
        int a1 = aRow;
        int a2 = a1 + aRow;
        int a3 = a2 + aRow;
        int a4 = a3 + aRow;
        int a5 = a4 + aRow;
        int at = aOff;
        int row = vOff;
        for (int t = 0; t < steps; t++, at += aStep, row += vStep) {
            FloatVector v0 = FloatVector.fromArray(S, v, row);
            FloatVector v1 = FloatVector.fromArray(S, v, row + L);
            FloatVector v2 = FloatVector.fromArray(S, v, row + 2 * L);
            FloatVector v3 = FloatVector.fromArray(S, v, row + 3 * L);
            FloatVector e0 = FloatVector.broadcast(S, a[at]);
            c00 = v0.fma(e0, c00);
            c01 = v1.fma(e0, c01);
            c02 = v2.fma(e0, c02);
            c03 = v3.fma(e0, c03);
            FloatVector e1 = FloatVector.broadcast(S, a[a1 + at]);
            c10 = v0.fma(e1, c10);
            c11 = v1.fma(e1, c11);
            c12 = v2.fma(e1, c12);
            c13 = v3.fma(e1, c13);
            FloatVector e2 = FloatVector.broadcast(S, a[a2 + at]);
            c20 = v0.fma(e2, c20);
            c21 = v1.fma(e2, c21);
            c22 = v2.fma(e2, c22);
            c23 = v3.fma(e2, c23);
            FloatVector e3 = FloatVector.broadcast(S, a[a3 + at]);
            c30 = v0.fma(e3, c30);
            c31 = v1.fma(e3, c31);
            c32 = v2.fma(e3, c32);
            c33 = v3.fma(e3, c33);
            FloatVector e4 = FloatVector.broadcast(S, a[a4 + at]);
            c40 = v0.fma(e4, c40);
            c41 = v1.fma(e4, c41);
            c42 = v2.fma(e4, c42);
            c43 = v3.fma(e4, c43);
            FloatVector e5 = FloatVector.broadcast(S, a[a5 + at]);
            c50 = v0.fma(e5, c50);
            c51 = v1.fma(e5, c51);
            c52 = v2.fma(e5, c52);
            c53 = v3.fma(e5, c53);
        }
        int d1 = d0 + dstStride;
        int d2 = d1 + dstStride;
        int d3 = d2 + dstStride;
        int d4 = d3 + dstStride;
        int d5 = d4 + dstStride;
        c00.intoArray(dst, d0);
        c01.intoArray(dst, d0 + L);
        c02.intoArray(dst, d0 + 2 * L);
        c03.intoArray(dst, d0 + 3 * L);
        c10.intoArray(dst, d1);
        c11.intoArray(dst, d1 + L);
        c12.intoArray(dst, d1 + 2 * L);
        c13.intoArray(dst, d1 + 3 * L);
        c20.intoArray(dst, d2);
        c21.intoArray(dst, d2 + L);
        c22.intoArray(dst, d2 + 2 * L);
        c23.intoArray(dst, d2 + 3 * L);
        c30.intoArray(dst, d3);
        c31.intoArray(dst, d3 + L);
        c32.intoArray(dst, d3 + 2 * L);
        c33.intoArray(dst, d3 + 3 * L);
        c40.intoArray(dst, d4);
        c41.intoArray(dst, d4 + L);
        c42.intoArray(dst, d4 + 2 * L);
        c43.intoArray(dst, d4 + 3 * L);
        c50.intoArray(dst, d5);
        c51.intoArray(dst, d5 + L);
        c52.intoArray(dst, d5 + 2 * L);
        c53.intoArray(dst, d5 + 3 * L);
    }

    /** 4 rows × 4 vectors. */
    private static void block4x4(float[] a, int aOff, int aRow, int aStep, float[] v, int vOff, int vStep,
            int steps, float[] src, int s0, int srcStride, float[] dst, int d0, int dstStride) {
        int s1 = s0 + srcStride;
        int s2 = s1 + srcStride;
        int s3 = s2 + srcStride;
        FloatVector c00 = FloatVector.fromArray(S, src, s0);
        FloatVector c01 = FloatVector.fromArray(S, src, s0 + L);
        FloatVector c02 = FloatVector.fromArray(S, src, s0 + 2 * L);
        FloatVector c03 = FloatVector.fromArray(S, src, s0 + 3 * L);
        FloatVector c10 = FloatVector.fromArray(S, src, s1);
        FloatVector c11 = FloatVector.fromArray(S, src, s1 + L);
        FloatVector c12 = FloatVector.fromArray(S, src, s1 + 2 * L);
        FloatVector c13 = FloatVector.fromArray(S, src, s1 + 3 * L);
        FloatVector c20 = FloatVector.fromArray(S, src, s2);
        FloatVector c21 = FloatVector.fromArray(S, src, s2 + L);
        FloatVector c22 = FloatVector.fromArray(S, src, s2 + 2 * L);
        FloatVector c23 = FloatVector.fromArray(S, src, s2 + 3 * L);
        FloatVector c30 = FloatVector.fromArray(S, src, s3);
        FloatVector c31 = FloatVector.fromArray(S, src, s3 + L);
        FloatVector c32 = FloatVector.fromArray(S, src, s3 + 2 * L);
        FloatVector c33 = FloatVector.fromArray(S, src, s3 + 3 * L);
        int a1 = aRow;
        int a2 = a1 + aRow;
        int a3 = a2 + aRow;
        int at = aOff;
        int row = vOff;
        for (int t = 0; t < steps; t++, at += aStep, row += vStep) {
            FloatVector v0 = FloatVector.fromArray(S, v, row);
            FloatVector v1 = FloatVector.fromArray(S, v, row + L);
            FloatVector v2 = FloatVector.fromArray(S, v, row + 2 * L);
            FloatVector v3 = FloatVector.fromArray(S, v, row + 3 * L);
            FloatVector e0 = FloatVector.broadcast(S, a[at]);
            c00 = v0.fma(e0, c00);
            c01 = v1.fma(e0, c01);
            c02 = v2.fma(e0, c02);
            c03 = v3.fma(e0, c03);
            FloatVector e1 = FloatVector.broadcast(S, a[a1 + at]);
            c10 = v0.fma(e1, c10);
            c11 = v1.fma(e1, c11);
            c12 = v2.fma(e1, c12);
            c13 = v3.fma(e1, c13);
            FloatVector e2 = FloatVector.broadcast(S, a[a2 + at]);
            c20 = v0.fma(e2, c20);
            c21 = v1.fma(e2, c21);
            c22 = v2.fma(e2, c22);
            c23 = v3.fma(e2, c23);
            FloatVector e3 = FloatVector.broadcast(S, a[a3 + at]);
            c30 = v0.fma(e3, c30);
            c31 = v1.fma(e3, c31);
            c32 = v2.fma(e3, c32);
            c33 = v3.fma(e3, c33);
        }
        int d1 = d0 + dstStride;
        int d2 = d1 + dstStride;
        int d3 = d2 + dstStride;
        c00.intoArray(dst, d0);
        c01.intoArray(dst, d0 + L);
        c02.intoArray(dst, d0 + 2 * L);
        c03.intoArray(dst, d0 + 3 * L);
        c10.intoArray(dst, d1);
        c11.intoArray(dst, d1 + L);
        c12.intoArray(dst, d1 + 2 * L);
        c13.intoArray(dst, d1 + 3 * L);
        c20.intoArray(dst, d2);
        c21.intoArray(dst, d2 + L);
        c22.intoArray(dst, d2 + 2 * L);
        c23.intoArray(dst, d2 + 3 * L);
        c30.intoArray(dst, d3);
        c31.intoArray(dst, d3 + L);
        c32.intoArray(dst, d3 + 2 * L);
        c33.intoArray(dst, d3 + 3 * L);
    }

    /** 4 rows × 1 vector. */
    private static void block4x1(float[] a, int aOff, int aRow, int aStep, float[] v, int vOff, int vStep,
            int steps, float[] src, int s0, int srcStride, float[] dst, int d0, int dstStride) {
        FloatVector c0 = FloatVector.fromArray(S, src, s0);
        FloatVector c1 = FloatVector.fromArray(S, src, s0 + srcStride);
        FloatVector c2 = FloatVector.fromArray(S, src, s0 + 2 * srcStride);
        FloatVector c3 = FloatVector.fromArray(S, src, s0 + 3 * srcStride);
        int a1 = aOff + aRow;
        int a2 = a1 + aRow;
        int a3 = a2 + aRow;
        for (int t = 0; t < steps; t++) {
            FloatVector x = FloatVector.fromArray(S, v, vOff + t * vStep);
            int at = t * aStep;
            c0 = x.fma(FloatVector.broadcast(S, a[aOff + at]), c0);
            c1 = x.fma(FloatVector.broadcast(S, a[a1 + at]), c1);
            c2 = x.fma(FloatVector.broadcast(S, a[a2 + at]), c2);
            c3 = x.fma(FloatVector.broadcast(S, a[a3 + at]), c3);
        }
        c0.intoArray(dst, d0);
        c1.intoArray(dst, d0 + dstStride);
        c2.intoArray(dst, d0 + 2 * dstStride);
        c3.intoArray(dst, d0 + 3 * dstStride);
    }

    /** 1 row × 1 vector. */
    private static void block1x1(float[] a, int aOff, int aStep, float[] v, int vOff, int vStep, int steps,
            float[] src, int s0, float[] dst, int d0) {
        FloatVector c = FloatVector.fromArray(S, src, s0);
        for (int t = 0; t < steps; t++) {
            c = FloatVector.fromArray(S, v, vOff + t * vStep).fma(FloatVector.broadcast(S, a[aOff + t * aStep]), c);
        }
        c.intoArray(dst, d0);
    }

    // ---- y = a·Mᵀ ---------------------------------------------------------------------------

    /**
     * {@code y[r*n+j] = Σ_i a[r*k+i]·m[mOff+j*k+i]} for M [n, k] row-major: one dot product per
     * output. Needs {@code k >= L}. With 16 lanes, full blocks of 4 rows × 4 outputs are summed
     * across lanes by the butterfly of {@link #dots4x4Summed} (their last partial vector weighted,
     * so an infinite operand in its already-summed lanes gives NaN); the remaining rows and
     * outputs, and every block at other widths, add the lanes of their accumulators left to right
     * through memory and then the scalar tail. Either way the order is fixed for a given shape.
     */
    static void multiplyTransposedByDots(float[] a, int rows, int k, float[] m, int mOff, int n, float[] y) {
        multiplyTransposedByDots(a, 0, k, rows, k, m, mOff, k, n, y);
    }

    /**
     * As {@link #multiplyTransposedByDots(float[], int, int, float[], int, int, float[])} on rows
     * that lie apart: {@code y[r*n+j] = Σ_{i<k} a[aOff+r*aStride+i]·m[mOff+j*mStride+i]} (for
     * instance a column slice of a wider matrix), the same additions in the same order as for
     * contiguous rows of length k.
     */
    static void multiplyTransposedByDots(float[] a, int aOff, int aStride, int rows, int k, float[] m, int mOff,
            int mStride, int n, float[] y) {
        float[] lanes = BUFFER.get();
        // the last k % L terms of a 4 x 4 block come from one more vector, [k - L, k), whose lanes
        // below L - k % L (already summed) are multiplied by 0 (all of them when k % L == 0)
        float[] tailKeep = TAIL_KEEP.get();
        int rem = k % L;
        for (int l = 0; l < L; l++) {
            tailKeep[l] = l >= L - rem && rem != 0 ? 1f : 0f;
        }
        int r = 0;
        // without 16 lanes there is no butterfly: every row takes the 1-row blocks below
        for (; BUTTERFLY && r + 4 <= rows; r += 4) {
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                dots4x4Summed(a, aOff + r * aStride, aStride, k, m, mOff + j * mStride, mStride, tailKeep, lanes);
                for (int ri = 0; ri < 4; ri++) {
                    System.arraycopy(lanes, ri * 4, y, (r + ri) * n + j, 4);
                }
            }
            for (; j < n; j++) {
                dots4x1(a, aOff + r * aStride, aStride, k, m, mOff + j * mStride, mStride, lanes);
                finishDots(a, aOff + r * aStride, aStride, k, m, mOff + j * mStride, mStride, lanes, 4, 1, y,
                        r * n + j, n);
            }
        }
        for (; r < rows; r++) {
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                dots1x4(a, aOff + r * aStride, aStride, k, m, mOff + j * mStride, mStride, lanes);
                finishDots(a, aOff + r * aStride, aStride, k, m, mOff + j * mStride, mStride, lanes, 1, 4, y,
                        r * n + j, n);
            }
            for (; j < n; j++) {
                dots1x1(a, aOff + r * aStride, aStride, k, m, mOff + j * mStride, mStride, lanes);
                finishDots(a, aOff + r * aStride, aStride, k, m, mOff + j * mStride, mStride, lanes, 1, 1, y,
                        r * n + j, n);
            }
        }
    }

    /**
     * Adds up the lanes that a dots block left in {@code lanes} (accumulator {@code ri*cols+ci} at
     * {@code (ri*cols+ci)*L}), adds the scalar tail of each dot and writes the results.
     */
    private static void finishDots(float[] a, int x0, int aStride, int k, float[] m, int m0, int mStride,
            float[] lanes, int rowCount, int colCount, float[] y, int y0, int n) {
        int bound = S.loopBound(k);
        for (int ri = 0; ri < rowCount; ri++) {
            for (int ci = 0; ci < colCount; ci++) {
                int base = (ri * colCount + ci) * L;
                float s = 0f;
                for (int l = 0; l < L; l++) {
                    s += lanes[base + l];
                }
                int xr = x0 + ri * aStride;
                int mr = m0 + ci * mStride;
                for (int i = bound; i < k; i++) {
                    s = Math.fma(a[xr + i], m[mr + i], s);
                }
                y[y0 + ri * n + ci] = s;
            }
        }
    }

    /**
     * The 16 dot products of a rows x0.. with m rows m0.. (both stride k), summed across lanes in
     * registers: each butterfly
     * stage d merges two vectors into one whose lanes with bit d clear hold the pair sums
     * {@code A[l] + A[l^d]} of the first and the others those of the second; after the stages
     * 1, 2, 4, 8, lane q holds the whole sum of accumulator q (= ri*4+ci). A fixed tree of adds,
     * the same whether or not the JIT has compiled it. Needs 16 lanes and k ≥ 16. The terms past
     * the last whole vector come from the vector ending at k, with a's lanes weighted by
     * {@code tailKeep} (0 for the lanes already summed, 1 for the rest).
     */
    private static void dots4x4Summed(float[] a, int x0, int aStride, int k, float[] m, int m0, int mStride,
            float[] tailKeep, float[] lanes) {
        int x1 = x0 + aStride;
        int x2 = x1 + aStride;
        int x3 = x2 + aStride;
        int m1 = m0 + mStride;
        int m2 = m1 + mStride;
        int m3 = m2 + mStride;
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c02 = FloatVector.zero(S);
        FloatVector c03 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c12 = FloatVector.zero(S);
        FloatVector c13 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c21 = FloatVector.zero(S);
        FloatVector c22 = FloatVector.zero(S);
        FloatVector c23 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c31 = FloatVector.zero(S);
        FloatVector c32 = FloatVector.zero(S);
        FloatVector c33 = FloatVector.zero(S);
        int bound = S.loopBound(k);
        for (int i = 0; i < bound; i += L) {
            FloatVector w0 = FloatVector.fromArray(S, m, m0 + i);
            FloatVector w1 = FloatVector.fromArray(S, m, m1 + i);
            FloatVector w2 = FloatVector.fromArray(S, m, m2 + i);
            FloatVector w3 = FloatVector.fromArray(S, m, m3 + i);
            FloatVector v0 = FloatVector.fromArray(S, a, x0 + i);
            c00 = v0.fma(w0, c00);
            c01 = v0.fma(w1, c01);
            c02 = v0.fma(w2, c02);
            c03 = v0.fma(w3, c03);
            FloatVector v1 = FloatVector.fromArray(S, a, x1 + i);
            c10 = v1.fma(w0, c10);
            c11 = v1.fma(w1, c11);
            c12 = v1.fma(w2, c12);
            c13 = v1.fma(w3, c13);
            FloatVector v2 = FloatVector.fromArray(S, a, x2 + i);
            c20 = v2.fma(w0, c20);
            c21 = v2.fma(w1, c21);
            c22 = v2.fma(w2, c22);
            c23 = v2.fma(w3, c23);
            FloatVector v3 = FloatVector.fromArray(S, a, x3 + i);
            c30 = v3.fma(w0, c30);
            c31 = v3.fma(w1, c31);
            c32 = v3.fma(w2, c32);
            c33 = v3.fma(w3, c33);
        }
        int t = k - L;
        FloatVector keep = FloatVector.fromArray(S, tailKeep, 0);
        FloatVector w0 = FloatVector.fromArray(S, m, m0 + t);
        FloatVector w1 = FloatVector.fromArray(S, m, m1 + t);
        FloatVector w2 = FloatVector.fromArray(S, m, m2 + t);
        FloatVector w3 = FloatVector.fromArray(S, m, m3 + t);
        FloatVector v0 = FloatVector.fromArray(S, a, x0 + t).mul(keep);
        c00 = v0.fma(w0, c00);
        c01 = v0.fma(w1, c01);
        c02 = v0.fma(w2, c02);
        c03 = v0.fma(w3, c03);
        FloatVector v1 = FloatVector.fromArray(S, a, x1 + t).mul(keep);
        c10 = v1.fma(w0, c10);
        c11 = v1.fma(w1, c11);
        c12 = v1.fma(w2, c12);
        c13 = v1.fma(w3, c13);
        FloatVector v2 = FloatVector.fromArray(S, a, x2 + t).mul(keep);
        c20 = v2.fma(w0, c20);
        c21 = v2.fma(w1, c21);
        c22 = v2.fma(w2, c22);
        c23 = v2.fma(w3, c23);
        FloatVector v3 = FloatVector.fromArray(S, a, x3 + t).mul(keep);
        c30 = v3.fma(w0, c30);
        c31 = v3.fma(w1, c31);
        c32 = v3.fma(w2, c32);
        c33 = v3.fma(w3, c33);
        FloatVector p0 = c00.blend(c01, BIT1).add(c01.blend(c00, BIT1).rearrange(SWAP1));
        FloatVector p1 = c02.blend(c03, BIT1).add(c03.blend(c02, BIT1).rearrange(SWAP1));
        FloatVector p2 = c10.blend(c11, BIT1).add(c11.blend(c10, BIT1).rearrange(SWAP1));
        FloatVector p3 = c12.blend(c13, BIT1).add(c13.blend(c12, BIT1).rearrange(SWAP1));
        FloatVector p4 = c20.blend(c21, BIT1).add(c21.blend(c20, BIT1).rearrange(SWAP1));
        FloatVector p5 = c22.blend(c23, BIT1).add(c23.blend(c22, BIT1).rearrange(SWAP1));
        FloatVector p6 = c30.blend(c31, BIT1).add(c31.blend(c30, BIT1).rearrange(SWAP1));
        FloatVector p7 = c32.blend(c33, BIT1).add(c33.blend(c32, BIT1).rearrange(SWAP1));
        FloatVector q0 = p0.blend(p1, BIT2).add(p1.blend(p0, BIT2).rearrange(SWAP2));
        FloatVector q1 = p2.blend(p3, BIT2).add(p3.blend(p2, BIT2).rearrange(SWAP2));
        FloatVector q2 = p4.blend(p5, BIT2).add(p5.blend(p4, BIT2).rearrange(SWAP2));
        FloatVector q3 = p6.blend(p7, BIT2).add(p7.blend(p6, BIT2).rearrange(SWAP2));
        FloatVector h0 = q0.blend(q1, BIT4).add(q1.blend(q0, BIT4).rearrange(SWAP4));
        FloatVector h1 = q2.blend(q3, BIT4).add(q3.blend(q2, BIT4).rearrange(SWAP4));
        h0.blend(h1, BIT8).add(h1.blend(h0, BIT8).rearrange(SWAP8)).intoArray(lanes, 0);
    }

    /** 4 rows of a × 1 row of m. */
    private static void dots4x1(float[] a, int x0, int aStride, int k, float[] m, int m0, int mStride,
            float[] lanes) {
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = FloatVector.zero(S);
        FloatVector c2 = FloatVector.zero(S);
        FloatVector c3 = FloatVector.zero(S);
        int bound = S.loopBound(k);
        for (int i = 0; i < bound; i += L) {
            FloatVector w = FloatVector.fromArray(S, m, m0 + i);
            c0 = FloatVector.fromArray(S, a, x0 + i).fma(w, c0);
            c1 = FloatVector.fromArray(S, a, x0 + aStride + i).fma(w, c1);
            c2 = FloatVector.fromArray(S, a, x0 + 2 * aStride + i).fma(w, c2);
            c3 = FloatVector.fromArray(S, a, x0 + 3 * aStride + i).fma(w, c3);
        }
        c0.intoArray(lanes, 0);
        c1.intoArray(lanes, L);
        c2.intoArray(lanes, 2 * L);
        c3.intoArray(lanes, 3 * L);
    }

    /** 1 row of a × 4 rows of m. */
    private static void dots1x4(float[] a, int x0, int aStride, int k, float[] m, int m0, int mStride,
            float[] lanes) {
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = FloatVector.zero(S);
        FloatVector c2 = FloatVector.zero(S);
        FloatVector c3 = FloatVector.zero(S);
        int bound = S.loopBound(k);
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, a, x0 + i);
            c0 = v.fma(FloatVector.fromArray(S, m, m0 + i), c0);
            c1 = v.fma(FloatVector.fromArray(S, m, m0 + mStride + i), c1);
            c2 = v.fma(FloatVector.fromArray(S, m, m0 + 2 * mStride + i), c2);
            c3 = v.fma(FloatVector.fromArray(S, m, m0 + 3 * mStride + i), c3);
        }
        c0.intoArray(lanes, 0);
        c1.intoArray(lanes, L);
        c2.intoArray(lanes, 2 * L);
        c3.intoArray(lanes, 3 * L);
    }

    /** 1 row of a × 1 row of m. */
    private static void dots1x1(float[] a, int x0, int aStride, int k, float[] m, int m0, int mStride,
            float[] lanes) {
        FloatVector c = FloatVector.zero(S);
        int bound = S.loopBound(k);
        for (int i = 0; i < bound; i += L) {
            c = FloatVector.fromArray(S, a, x0 + i).fma(FloatVector.fromArray(S, m, m0 + i), c);
        }
        c.intoArray(lanes, 0);
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** Per-thread gather offsets: lane l reads row l of a block. */
    private static final ThreadLocal<int[]> ROW_OFFSETS = ThreadLocal.withInitial(() -> new int[L]);

    /**
     * t[c*rows + r] = a[aOff + r*cols + c]: blocks of L rows are read a column at a time with one
     * vector gather and written as one contiguous vector (twice as fast as a tiled scalar copy
     * here); the last rows that do not fill a vector are copied one by one.
     */
    static void transpose(float[] a, int aOff, int rows, int cols, float[] t) {
        int[] offsets = ROW_OFFSETS.get();
        for (int l = 0; l < L; l++) {
            offsets[l] = l * cols;
        }
        int r0 = 0;
        for (; r0 + L <= rows; r0 += L) {
            int base = aOff + r0 * cols;
            for (int c = 0; c < cols; c++) {
                FloatVector.fromArray(S, a, base + c, offsets, 0).intoArray(t, c * rows + r0);
            }
        }
        for (; r0 < rows; r0++) {
            int src = aOff + r0 * cols;
            for (int c = 0; c < cols; c++) {
                t[c * rows + r0] = a[src + c];
            }
        }
    }
}
