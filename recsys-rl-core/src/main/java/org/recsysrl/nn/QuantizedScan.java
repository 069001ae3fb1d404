package org.recsysrl.nn;

/**
 * The pass of {@link QuantizedTopK} over its int8 table, as a plain-loop and a SIMD
 * implementation that produce the same bits and meet the items in the same order: every lane runs
 * the same chain of IEEE fused multiply-adds, so both leave the same {@link QuantizedSelection}.
 *
 * <p>The table is stored in blocks of {@code lanes} items: block b holds, for each dimension j,
 * the {@code lanes} items' bytes side by side ({@code codes[(b·dim + j)·lanes + l]}), so one
 * vector load reads one dimension of a whole block.
 */
interface QuantizedScan {
    /** The items per block this scan's table layout uses. */
    int lanes();

    /**
     * For every item i {@code < n} of blocks {@code [fromBlock, toBlock)}, in index order: the
     * approximate score {@code s = fma(scale[i], Σ_j code[i][j]·q[j], bias[i])} (the sum a chain
     * of fmas from 0 in dimension order) and the bound {@code e = fma(qNorm, slope[i],
     * intercept[i])}; the item is offered to {@code selection} as {@code [s − e, s + e]} (a block
     * none of whose upper bounds reaches the running θ may be skipped: it would change nothing).
     */
    void scan(float[] q, int dim, byte[] codes, float[] scale, float[] bias, float[] slope, float[] intercept,
            float qNorm, int n, int fromBlock, int toBlock, QuantizedSelection selection);

    /** {@code "scalar"} or {@code "vector-<bits>"}. */
    String name();
}
