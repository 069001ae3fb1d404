package org.recsysrl.nn;

/**
 * The softmax cross-entropy of an output layer over a whole catalogue, and its gradients, without
 * the (positions × items) score matrix: a fused, cache-blocked kernel.
 *
 * <p>For states h_r (rows of H, [rows, d]), an item table O ([n, d], row i = item i's output
 * vector) and a bias c, the scores are {@code s_ri = h_r·o_i + c_i}, with the items of row r's
 * exclusion list set to −∞. The loss of row r is {@code CE_r = lse_r − s_{r,a_r}} (a_r its target,
 * {@code lse_r = log Σ_i exp s_ri}), and with row weights w_r the gradient of {@code Σ_r w_r·CE_r}
 * is {@code G = W·(P − Y)} (P the softmax, Y the targets' one-hot rows):
 * {@code dH += G·O}, {@code dO += Gᵀ·H}, {@code dc += Σ_r G_r}.
 *
 * <p>The rows go in chunks of {@link #ROW_BLOCK}, the items in tiles of {@link #ITEM_BLOCK}. Per
 * chunk, a first pass over the tiles computes each tile's scores (one product of the chunk's
 * states with a block of Oᵀ, from cache) and, while the tile is in cache, the log-sum-exp terms of
 * its rows; a second pass turns each tile into G in place and takes the bias sums and both
 * gradient products ({@code G·O} into the chunk's dH, {@code Gᵀ·H} into the block of dO, every
 * operand a few hundred KB) while that tile is in cache. Two ways of keeping the scores between
 * the passes:
 * <ul>
 *   <li><b>kept</b> (catalogues of up to {@value #MAX_KEPT_SCORES} / {@link #ROW_BLOCK} items):
 *       the chunk's {@code ROW_BLOCK × items} scores stay in one buffer (6 MB for 12,000 items,
 *       in the last-level cache), replaced in the first pass by exp(s − m_b) with m_b the row's
 *       maximum in the tile; lse then comes from the per-tile maxima and sums, and the second
 *       pass only multiplies each row of a tile by w·exp(m_b − lse): one exponential per score
 *       and three products, as for a materialised softmax, but every pass over a tile from cache;</li>
 *   <li><b>recomputed</b> (larger catalogues): only one tile is held; the first pass keeps a
 *       running max and rescaled sum per row, and the second recomputes each tile's scores (the
 *       same operations, so the same bits): four products and two exponentials per score, in a
 *       fixed 0.1 MB of tile.</li>
 * </ul>
 * Every product goes through the backend's register-blocked broadcast kernel
 * ({@link Kernels#blockProduct}); no buffer grows with the number of rows.
 *
 * <p>The summation order is fixed by the shapes alone (rows, d, n, the block sizes, the mode):
 * results are bit-for-bit reproducible. They differ from a materialised softmax in rounding only. One instance
 * per thread (it owns its tile buffers).
 */
public final class FusedSoftmaxCrossEntropy {
    /** Rows (positions) per chunk. */
    public static final int ROW_BLOCK = 128;
    /** Items per block. */
    public static final int ITEM_BLOCK = 256;
    /**
     * A chunk's scores are kept (and exponentiated once) when they take at most this many floats
     * (16 MiB: catalogues of up to 32,768 items); beyond, each tile is recomputed in the second pass.
     */
    static final int MAX_KEPT_SCORES = 1 << 22;

    private final int dim;
    private final int items;
    private final KernelBackend backend;
    /** Rows per chunk. */
    private final int rowBlock;
    /** Whether a chunk's scores are kept (rowBlock × items floats) instead of recomputed in the second pass. */
    private final boolean keepScores;
    /**
     * Row stride of {@link #scores}: one item block. Kept scores are stored tile by tile, each tile's
     * {@code rowBlock × ITEM_BLOCK} floats contiguous, so that the second pass reads a tile back from
     * the last-level cache as one sequential stream rather than {@code rowBlock} short runs a
     * catalogue apart.
     */
    private final int stride;
    private final float[] scores;
    private final float[] lse = new float[ROW_BLOCK];
    private final float[] runningMax = new float[ROW_BLOCK];
    private final float[] runningSum = new float[ROW_BLOCK];
    private final float[] targetScore = new float[ROW_BLOCK];
    /** The chunk's exclusion lists, each row's sorted ({@link #sortExclusions}), grown on demand. */
    private int[] sortedExcluded = new int[0];
    /** Where row r's sorted list starts in {@link #sortedExcluded} (r = rc: the end of the last). */
    private final int[] excludedFrom = new int[ROW_BLOCK + 1];
    /** Row r's first list entry not yet taken by a tile of the current pass. */
    private final int[] excludedCursor = new int[ROW_BLOCK];
    /** Room for one vector's lanes (the widest vector the JDK may offer: 2048 bits of floats). */
    static final int LANES = 64;
    private final float[] lanes = new float[LANES];
    /** Item blocks of the catalogue. */
    private final int tiles;
    /** Kept scores: each row-tile's max m_b, sum of exp(s − m_b), and factor w·exp(m_b − lse). */
    private final float[] tileMax;
    private final float[] tileSum;
    private final float[] tileFactor;
    private final float[] tileScratch;
    /** Columns of Oᵀ per packed panel of {@link #scoreTile}. */
    public static final int PANEL = 64;
    /**
     * Oᵀ as panels of {@value #PANEL} columns, each [dim × PANEL] contiguous: the whole table,
     * block after block, packed once per call when the scores are kept (the table is read by every
     * chunk), else one item block, packed per tile.
     */
    private final float[] panels;
    /** The panels this call reads: {@link #panels}, or the caller's shared ones. */
    private float[] readPanels;

    /** A kernel for states of width {@code dim} and a catalogue of {@code items}, on the active backend. */
    public FusedSoftmaxCrossEntropy(int dim, int items) {
        this(dim, items, Kernels.active());
    }

    FusedSoftmaxCrossEntropy(int dim, int items, KernelBackend backend) {
        this(dim, items, backend, keepsScores(items), ROW_BLOCK);
    }

    /**
     * Whether a kernel for {@code items} made by the public constructor keeps its scores, and so
     * reads the whole table as panels packed once per call: then a caller may pack them once for
     * several kernels ({@link #packPanels}) and pass them to {@link #lossAndGradient(float[], int,
     * float[], int, float[], float[], float[], int, int[], float[], int[], int[], float[], float[],
     * int, float[], int)}.
     */
    public static boolean keepsScores(int items) {
        return (long) ROW_BLOCK * items <= MAX_KEPT_SCORES;
    }

    /** The length of the packed panels of a table of {@code items} rows of width {@code dim}. */
    public static int packedLength(int dim, int items) {
        return (items + ITEM_BLOCK - 1) / ITEM_BLOCK * ITEM_BLOCK * dim;
    }

    /**
     * Packs the items {@code [from, to)} of the table O ([items, dim] row-major at {@code tableOff})
     * into {@code panels} as a kept-scores call packs Oᵀ: item i's value j at {@code q·dim + j·PANEL
     * + (i − q)} with {@code q = i − i mod PANEL}. {@code from} must be a multiple of {@link #PANEL};
     * threads may pack disjoint such ranges at once. The same values as the call's own packing.
     */
    public static void packPanels(float[] table, int tableOff, int dim, int items, float[] panels, int from, int to) {
        if (from % PANEL != 0 || from < 0 || to > items || from > to) {
            throw new IllegalArgumentException("items [" + from + ", " + to + ") must start at a multiple of "
                    + PANEL + " within [0, " + items + ")");
        }
        for (int q = from; q < to; q += PANEL) {
            int end = Math.min(to, q + PANEL);
            int at = q * dim;
            for (int i = q; i < end; i++) {
                int row = tableOff + i * dim;
                for (int j = 0; j < dim; j++) {
                    panels[at + j * PANEL + i - q] = table[row + j];
                }
            }
        }
    }

    FusedSoftmaxCrossEntropy(int dim, int items, KernelBackend backend, boolean keepScores, int rowBlock) {
        if (dim < 1 || items < 1 || rowBlock < 1 || rowBlock > ROW_BLOCK) {
            throw new IllegalArgumentException("dim, items must be positive and rowBlock in [1, " + ROW_BLOCK
                    + "] (got " + dim + ", " + items + ", " + rowBlock + ")");
        }
        this.dim = dim;
        this.items = items;
        this.backend = backend;
        this.rowBlock = rowBlock;
        this.keepScores = keepScores;
        this.stride = ITEM_BLOCK;
        this.tiles = (items + ITEM_BLOCK - 1) / ITEM_BLOCK;
        this.scores = new float[(keepScores ? tiles : 1) * rowBlock * ITEM_BLOCK];
        int perTile = keepScores ? rowBlock * tiles : 0;
        this.tileMax = new float[perTile];
        this.tileSum = new float[perTile];
        this.tileFactor = new float[perTile];
        this.tileScratch = new float[keepScores ? tiles : 0];
        this.panels = new float[(keepScores ? tiles : 1) * ITEM_BLOCK * dim];
    }

    /**
     * The loss and gradients of {@code rows} positions.
     *
     * @param h the states, [rows, dim] row-major from 0
     * @param table the item table O, [items, dim] row-major at {@code tableOff}
     * @param transposedTable Oᵀ, [dim, items] row-major from 0 (the same values)
     * @param bias the item bias c at {@code biasOff}
     * @param targets each row's target item
     * @param weights each row's weight w_r
     * @param excludedStart row r's excluded items are {@code excluded[excludedStart[r] ..
     *     excludedStart[r+1])}: items left out of its softmax (never its target); null = none
     * @param dh receives {@code G·O}: overwritten, [rows, dim] from 0
     * @param dTable {@code Gᵀ·H} is added at {@code dTableOff} ([items, dim])
     * @param dBias the column sums of G are added at {@code dBiasOff}
     * @return {@code Σ_r CE_r}, unweighted, summed in row order in double
     * @throws org.recsysrl.util.NonFiniteException if a row's scores hold a NaN or +∞, or every item
     *     of a row is left out (as {@link Kernels#softmax})
     */
    public double lossAndGradient(float[] h, int rows, float[] table, int tableOff, float[] transposedTable,
            float[] bias, int biasOff, int[] targets, float[] weights, int[] excludedStart, int[] excluded,
            float[] dh, float[] dTable, int dTableOff, float[] dBias, int dBiasOff) {
        check(transposedTable, 0, items * dim, "transposedTable");
        return lossAndGradient(h, rows, table, tableOff, transposedTable, null, bias, biasOff, targets, weights,
                excludedStart, excluded, dh, dTable, dTableOff, dBias, dBiasOff);
    }

    /**
     * As the call without {@code packedPanels}, reading Oᵀ from panels the caller packed with
     * {@link #packPanels} (shared read-only by several kernels) instead of packing its own: the same
     * bits. Only for a kernel that {@link #keepsScores keeps its scores}; {@code transposedTable} is
     * then not read and may be null. With {@code packedPanels} null, the call without it.
     */
    public double lossAndGradient(float[] h, int rows, float[] table, int tableOff, float[] transposedTable,
            float[] packedPanels, float[] bias, int biasOff, int[] targets, float[] weights, int[] excludedStart,
            int[] excluded, float[] dh, float[] dTable, int dTableOff, float[] dBias, int dBiasOff) {
        int d = dim;
        int n = items;
        if (packedPanels != null && (!keepScores || packedPanels.length < packedLength(d, n))) {
            throw new IllegalArgumentException("packed panels need a kernel that keeps its scores and "
                    + packedLength(d, n) + " floats");
        }
        readPanels = packedPanels == null ? panels : packedPanels;
        check(h, 0, rows * d, "h");
        check(table, tableOff, n * d, "table");
        check(bias, biasOff, n, "bias");
        check(dh, 0, rows * d, "dh");
        check(dTable, dTableOff, n * d, "dTable");
        check(dBias, dBiasOff, n, "dBias");
        if (targets.length < rows || weights.length < rows || excludedStart != null && excludedStart.length <= rows) {
            throw new IllegalArgumentException("targets, weights and excludedStart must cover " + rows + " rows");
        }
        double loss = 0;
        int st = stride;
        if (keepScores && packedPanels == null) {
            for (int i0 = 0; i0 < n; i0 += ITEM_BLOCK) {
                packTile(transposedTable, i0, Math.min(ITEM_BLOCK, n - i0), i0 * d);
            }
        }
        for (int r0 = 0; r0 < rows; r0 += rowBlock) {
            int rc = Math.min(rowBlock, rows - r0);
            if (excludedStart != null) {
                sortExclusions(r0, rc, excludedStart, excluded);
                rewindExclusions(rc);
            }
            if (keepScores) {
                exponentiate(h, r0, rc, transposedTable, bias, biasOff, targets, weights, excludedStart, excluded);
            } else {
                logSumExp(h, r0, rc, transposedTable, bias, biasOff, targets, excludedStart, excluded);
            }
            for (int r = 0; r < rc; r++) {
                loss += (double) lse[r] - targetScore[r];
            }
            java.util.Arrays.fill(dh, r0 * d, (r0 + rc) * d, 0f);
            if (excludedStart != null) {
                rewindExclusions(rc); // the recomputed mode scores the tiles again
            }
            for (int i0 = 0; i0 < n; i0 += ITEM_BLOCK) {
                int bw = Math.min(ITEM_BLOCK, n - i0);
                int base = tileOffset(i0);
                if (!keepScores) {
                    scoreTile(h, r0, rc, transposedTable, bias, biasOff, i0, bw, excludedStart, excluded);
                }
                int tile = i0 / ITEM_BLOCK;
                for (int r = 0; r < rc; r++) {
                    float w = weights[r0 + r];
                    float factor = 1f;
                    if (keepScores) {
                        factor = tileFactor[r * tiles + tile];
                    } else {
                        backend.expScale(scores, base + r * st, bw, lse[r], w);
                    }
                    // the row of G (w·P minus w at the target) and its bias sums while it is in the L1 cache
                    backend.gradientRow(scores, base + r * st, bw, factor, targets[r0 + r] - i0, w, dBias,
                            dBiasOff + i0);
                }
                // scores now hold G's tile: the state and table gradients from cache
                backend.blockProduct(scores, base, st, 1, rc, table, tableOff + i0 * d, d, d, bw, dh, r0 * d, d, true);
                backend.blockProduct(scores, base, 1, st, bw, h, r0 * d, d, d, rc, dTable, dTableOff + i0 * d, d, true);
            }
        }
        return loss;
    }

    /**
     * The first pass with kept scores: each tile's scores computed, their row maxima m_b taken and
     * the scores replaced by exp(s − m_b) while the tile is in cache (one exponential per score);
     * then per row lse = M + log Σ_b S_b·exp(m_b − M) (M = max_b m_b) and the factors
     * w·exp(m_b − lse) that turn the kept exponentials into w·P in the second pass.
     */
    private void exponentiate(float[] h, int r0, int rc, float[] transposedTable, float[] bias, int biasOff,
            int[] targets, float[] weights, int[] excludedStart, int[] excluded) {
        for (int i0 = 0; i0 < items; i0 += ITEM_BLOCK) {
            int bw = Math.min(ITEM_BLOCK, items - i0);
            int tile = i0 / ITEM_BLOCK;
            scoreTile(h, r0, rc, transposedTable, bias, biasOff, i0, bw, excludedStart, excluded);
            for (int r = 0; r < rc; r++) {
                int o = tileOffset(i0) + r * stride;
                float blockMax = rowMax(o, targets[r0 + r] - i0, bw, r);
                tileMax[r * tiles + tile] = blockMax;
                if (blockMax == Float.NEGATIVE_INFINITY) {
                    java.util.Arrays.fill(scores, o, o + bw, 0f); // every item of the block is left out
                    tileSum[r * tiles + tile] = 0f;
                } else {
                    tileSum[r * tiles + tile] = backend.expInPlace(scores, o, bw, blockMax, lanes);
                }
            }
        }
        for (int r = 0; r < rc; r++) {
            int o = r * tiles;
            float max = backend.max(tileMax, o, tiles);
            float sum = 0f;
            if (max != Float.NEGATIVE_INFINITY) {
                System.arraycopy(tileMax, o, tileScratch, 0, tiles);
                backend.expScale(tileScratch, 0, tiles, max, 1f);
                for (int b = 0; b < tiles; b++) {
                    sum += tileSum[o + b] * tileScratch[b];
                }
            }
            lse[r] = finiteLse(max, sum);
            System.arraycopy(tileMax, o, tileFactor, o, tiles);
            backend.expScale(tileFactor, o, tiles, lse[r], weights[r0 + r]);
        }
    }

    /** max + log(sum), or the softmax's {@link org.recsysrl.util.NonFiniteException} when that is not finite. */
    private static float finiteLse(float max, float sum) {
        float lse = max + (float) Math.log(sum);
        if (!Float.isFinite(lse)) {
            // a NaN or +∞ score, or every item left out: the parameters have diverged
            throw new org.recsysrl.util.NonFiniteException("a logit of the softmax", Double.NaN);
        }
        return lse;
    }

    /** The first pass: lse and the target's score of each row of the chunk. */
    private void logSumExp(float[] h, int r0, int rc, float[] transposedTable, float[] bias, int biasOff,
            int[] targets, int[] excludedStart, int[] excluded) {
        java.util.Arrays.fill(runningMax, 0, rc, Float.NEGATIVE_INFINITY);
        java.util.Arrays.fill(runningSum, 0, rc, 0f);
        for (int i0 = 0; i0 < items; i0 += ITEM_BLOCK) {
            int bw = Math.min(ITEM_BLOCK, items - i0);
            scoreTile(h, r0, rc, transposedTable, bias, biasOff, i0, bw, excludedStart, excluded);
            for (int r = 0; r < rc; r++) {
                int o = tileOffset(i0) + r * stride;
                float blockMax = rowMax(o, targets[r0 + r] - i0, bw, r);
                if (blockMax == Float.NEGATIVE_INFINITY) {
                    continue; // every item of the block is left out
                }
                float m = runningMax[r];
                if (blockMax > m) {
                    // exp(−∞) = 0 when the row had no score yet; StrictMath: the same bits on every JVM
                    runningSum[r] *= (float) StrictMath.exp(m - blockMax);
                    runningMax[r] = blockMax;
                    m = blockMax;
                }
                // the tile is recomputed in the second pass, so its scores may become exponentials
                runningSum[r] += backend.expInPlace(scores, o, bw, m, lanes);
            }
        }
        for (int r = 0; r < rc; r++) {
            lse[r] = finiteLse(runningMax[r], runningSum[r]);
        }
    }

    /**
     * The maximum of a tile row of {@code bw} scores at {@code o}; records it as row r's target
     * score when the target is at {@code a} in the tile ({@code 0 <= a < bw}).
     */
    private float rowMax(int o, int a, int bw, int r) {
        if (a >= 0 && a < bw) {
            targetScore[r] = scores[o + a];
        }
        return backend.max(scores, o, bw);
    }

    /** Where the tile of items {@code i0..} starts in {@link #scores}. */
    private int tileOffset(int i0) {
        return keepScores ? i0 / ITEM_BLOCK * rowBlock * ITEM_BLOCK : 0;
    }

    /**
     * Copies the columns {@code i0 .. i0+bw} of Oᵀ into {@link #panels} from {@code at}: panels of
     * {@value #PANEL} columns, each panel's d rows contiguous (the last panel's unused columns are
     * never read).
     */
    private void packTile(float[] transposedTable, int i0, int bw, int at) {
        int d = dim;
        for (int t = 0; t < d; t++) {
            for (int p = 0; p < bw; p += PANEL) {
                System.arraycopy(transposedTable, t * items + i0 + p, panels, at + p * d + t * PANEL,
                        Math.min(PANEL, bw - p));
            }
        }
    }

    /**
     * The tile's scores[r][0..bw) = h_{r0+r}·o_{i0..} + c_{i0..}, excluded items −∞. The product
     * reads the tile's columns of Oᵀ from {@link #panels} ({@link #packTile}): one panel serves all
     * rows of the chunk while it stays in the L1 cache, instead of d rows of Oᵀ a catalogue apart
     * being read for every 4 rows. Every score is still the bias plus its d terms in order, by the
     * same fused multiply-adds.
     */
    private void scoreTile(float[] h, int r0, int rc, float[] transposedTable, float[] bias, int biasOff, int i0,
            int bw, int[] excludedStart, int[] excluded) {
        int d = dim;
        int base = tileOffset(i0);
        for (int r = 0; r < rc; r++) {
            System.arraycopy(bias, biasOff + i0, scores, base + r * stride, bw);
        }
        int packed = 0;
        if (keepScores) {
            packed = i0 * d; // the whole table was packed at the start of the call
        } else {
            packTile(transposedTable, i0, bw, 0);
        }
        for (int p = 0; p < bw; p += PANEL) {
            int width = Math.min(PANEL, bw - p);
            backend.blockProduct(h, r0 * d, d, 1, rc, readPanels, packed + p * d, PANEL, width, d, scores, base + p, stride,
                    true);
        }
        if (excludedStart != null) {
            excludeInTile(rc, i0, bw, base);
        }
    }

    /**
     * Copies the chunk's exclusion lists (rows r0 .. r0+rc) into {@link #sortedExcluded}, each row's
     * sorted by item, so that each tile takes only its own items from the front of every row's list.
     */
    private void sortExclusions(int r0, int rc, int[] excludedStart, int[] excluded) {
        int total = excludedStart[r0 + rc] - excludedStart[r0];
        if (sortedExcluded.length < total) {
            sortedExcluded = new int[total];
        }
        int at = 0;
        for (int r = 0; r < rc; r++) {
            int from = excludedStart[r0 + r];
            int count = excludedStart[r0 + r + 1] - from;
            excludedFrom[r] = at;
            System.arraycopy(excluded, from, sortedExcluded, at, count);
            java.util.Arrays.sort(sortedExcluded, at, at + count);
            at += count;
        }
        excludedFrom[rc] = at;
    }

    /** Every row's exclusion list from its start again: before a pass over the tiles. */
    private void rewindExclusions(int rc) {
        System.arraycopy(excludedFrom, 0, excludedCursor, 0, rc);
    }

    /**
     * Sets the tile's excluded scores to −∞: the items of [i0, i0+bw) at the front of each row's
     * sorted list (the tiles come in increasing order, so the items before i0 were taken already;
     * items outside the catalogue are never set).
     */
    private void excludeInTile(int rc, int i0, int bw, int base) {
        int end = i0 + bw;
        for (int r = 0; r < rc; r++) {
            int o = base + r * stride - i0;
            int e = excludedCursor[r];
            int last = excludedFrom[r + 1];
            for (; e < last && sortedExcluded[e] < end; e++) {
                int i = sortedExcluded[e];
                if (i >= i0) {
                    scores[o + i] = Float.NEGATIVE_INFINITY;
                }
            }
            excludedCursor[r] = e;
        }
    }

    private static void check(float[] a, int off, int length, String name) {
        if (off < 0 || (long) off + length > a.length) {
            throw new IllegalArgumentException(name + ": needs " + length + " floats from " + off + ", has "
                    + a.length);
        }
    }
}
