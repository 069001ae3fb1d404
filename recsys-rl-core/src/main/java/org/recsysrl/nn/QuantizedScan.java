package org.recsysrl.nn;

/**
 * The two passes of {@link QuantizedTopK} over its int8 table, as a plain-loop and a SIMD
 * implementation that produce the same bits: every lane runs the same chain of IEEE fused
 * multiply-adds in the same order, so the candidate sets of the two are identical.
 *
 * <p>The table is stored in blocks of {@code lanes} items: block b holds, for each dimension j,
 * the {@code lanes} items' bytes side by side ({@code codes[(b·dim + j)·lanes + l]}), so one
 * vector load reads one dimension of a whole block.
 */
interface QuantizedScan {
    /** The items per block this scan's table layout uses. */
    int lanes();

    /**
     * For every item i of blocks {@code [fromBlock, toBlock)}: {@code approx[i] = fma(scale[i],
     * Σ_j q[j]·code[i][j], bias[i])} (the sum a chain of fmas from 0 in dimension order) and
     * {@code low[i] = approx[i] − fma(qNorm, slope[i], intercept[i])}.
     */
    void scan(float[] q, int dim, byte[] codes, float[] scale, float[] bias, float[] slope, float[] intercept,
            float qNorm, int fromBlock, int toBlock, float[] approx, float[] low);

    /**
     * Writes into {@code out} (from {@code count}) every item i in {@code [0, n)} with
     * {@code approx[i] > −∞} and {@code approx[i] + fma(qNorm, slope[i], intercept[i]) ≥ theta}, in
     * index order; returns the new count.
     */
    int candidates(float[] approx, float[] slope, float[] intercept, float qNorm, float theta, int n, int[] out,
            int count);

    /** {@code "scalar"} or {@code "vector-<bits>"}. */
    String name();
}
