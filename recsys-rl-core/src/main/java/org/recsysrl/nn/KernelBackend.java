package org.recsysrl.nn;

/**
 * One implementation of the numerical hot spots. {@link Kernels} picks the fastest available at
 * start-up; all backends compute the same functions (up to float rounding).
 */
interface KernelBackend {
    /** A short name for reports: "vector-512", "scalar", … */
    String name();

    /**
     * Whether {@link #multiply} with {@code n} columns sums each output as a chain of fused
     * multiply-adds from the bias (else as {@code y += a·m}, rounded twice); see
     * {@link Kernels#multiplyColumn}.
     */
    default boolean fusedMultiply(int n) {
        return false;
    }

    /** See {@link Kernels#multiply}. */
    void multiply(float[] a, int rows, int k, float[] m, int mOff, int n, float[] bias, int bOff, float[] y);

    /** See {@link Kernels#multiplyTransposed}. */
    void multiplyTransposed(float[] a, int rows, int k, float[] m, int mOff, int n, float[] y, float[] scratch);

    /** See {@link Kernels#multiplyTransposedStrided}. */
    void multiplyTransposedStrided(float[] a, int aOff, int aStride, int rows, int k, float[] m, int mOff,
            int mStride, int n, float[] y);

    /** See {@link Kernels#addTransposedProduct} ({@code accumulate}) and {@link Kernels#transposedProduct}. */
    void transposedProduct(float[] a, int p, float[] b, int q, int rows, float[] dM, int mOff, boolean accumulate);

    /** See {@link Kernels#addColumnSums} ({@code accumulate}) and {@link Kernels#columnSums}. */
    void columnSums(float[] b, int rows, int q, float[] sums, int off, boolean accumulate);

    /** See {@link Kernels#softmax}. */
    default float softmax(float[] logits, int off, int n, float[] logp, float[] probs, int outOff) {
        return softmax(logits, off, n, logp, probs, outOff, null, 0);
    }

    /**
     * See {@link Kernels#softmax(float[], int, int, float[], float[], int, float[], int)}: {@link
     * #softmax} that also writes the row's log-normaliser into {@code shifts[shiftAt]} unless
     * {@code shifts} is null.
     */
    float softmax(float[] logits, int off, int n, float[] logp, float[] probs, int outOff, float[] shifts,
            int shiftAt);

    /** See {@link Kernels#logSoftmax}: the log-probabilities of {@link #softmax}, bit for bit, without the rest. */
    void logSoftmax(float[] logits, int off, int n, float[] logp, int outOff);

    /** See {@link Kernels#topK}. */
    int topK(float[] scores, int n, int k, int[] top);

    /** See {@link Kernels#packColumns}: null when this backend has no packed product. */
    float[] packColumns(float[] m, int k, int n);

    /** See {@link Kernels#multiplyPacked}. */
    void multiplyPacked(float[] a, int k, float[] packed, int n, float scale, float[] bias, int bOff, float[] y);

    /** See {@link Kernels#multiplyPackedRows}. */
    void multiplyPackedRows(float[] a, int rows, int k, float[] packed, int n, float scale, float[] bias, int bOff,
            float[][] y);

    /** See {@link Kernels#adamUpdateStrided}; the default steps each row with {@link #adamUpdate}. */
    default void adamUpdateStrided(float[] params, float[] grads, float gradScale, float[] m, float[] v, int from,
            int width, int stride, int count, float w1, float b2, float w2, float negStep, float bc2Sqrt,
            float eps) {
        for (int r = 0; r < count; r++) {
            int start = from + r * stride;
            adamUpdate(params, grads, gradScale, m, v, start, start + width, w1, b2, w2, negStep, bc2Sqrt, eps);
        }
    }

    /** See {@link Kernels#adamUpdate}. */
    void adamUpdate(float[] params, float[] grads, float gradScale, float[] m, float[] v, int from, int to, float w1,
            float b2, float w2, float negStep, float bc2Sqrt, float eps);

    /** See {@link Kernels#dot}. */
    double dot(float[] a, float[] b, int n);

    /** See {@link Kernels#sumOfSquares(float[], int, int)}. */
    double sumOfSquares(float[] a, int from, int to);

    /** See {@link Kernels#tanhInPlace}. */
    void tanhInPlace(float[] a, int n);

    /** See {@link Kernels#categoricalBackward}. */
    void categoricalBackward(float[] probs, float[] logp, int off, int n, int action, float gLogp, float gEntropy,
            float entropy, float[] dLogits, int dOff);

    /** See {@link Kernels#addScaledTransposedProduct}. */
    void addScaledTransposedProduct(double alpha, double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
            int depth, int rows, int cols, double[] c, int cOff, int ldc);

    /** See {@link Kernels#blockProduct}. */
    void blockProduct(float[] a, int aOff, int aRow, int aStep, int rows, float[] v, int vOff, int vStep, int cols,
            int steps, float[] c, int cOff, int cStride, boolean accumulate);

    /** {@code max_i x[off+i]} for {@code i < n} (−∞ for n = 0). */
    float max(float[] x, int off, int n);

    /**
     * {@code x[off+i] = exp(x[off+i] − shift)} in place for {@code i < n}; returns their sum.
     * {@code lanes} (at least {@link FusedSoftmaxCrossEntropy#LANES} floats) is the caller's room
     * for adding a vector's lanes in a fixed order (a per-thread buffer looked up on every call
     * cost a tenth of a sequence epoch).
     */
    float expInPlace(float[] x, int off, int n, float shift, float[] lanes);

    /** {@code x[off+i] = exp(x[off+i] − shift)·scale} in place for {@code i < n}, each {@code x − shift ≤ 0}. */
    void expScale(float[] x, int off, int n, float shift, float scale);

    /**
     * One row of a gradient tile of the fused output layer: {@code x[off+i] *= factor} for
     * {@code i < n}, then {@code x[off+target] -= weight} when {@code 0 <= target < n}, then
     * {@code sums[sOff+i] += x[off+i]}: each element rounded as by those three scalar steps.
     */
    void gradientRow(float[] x, int off, int n, float factor, int target, float weight, float[] sums, int sOff);
}
