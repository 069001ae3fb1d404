package org.recsysrl.nn;

/**
 * The only place that computes matrix products and the categorical softmax. All methods are
 * static, write into explicit output arrays, allocate nothing, and for given shapes always
 * accumulate in the same order (results are bit-for-bit reproducible). Matrices are row-major
 * {@code float[]} starting at a given offset; the three products ({@code a·M}, {@code a·Mᵀ},
 * {@code dM += aᵀ·b}) cover a dense layer's forward pass and both gradients whatever the layout
 * of its weight.
 *
 * <p>The work is done by a backend chosen once at start-up: SIMD kernels on the JDK's Vector API
 * when the JVM runs with {@code --add-modules jdk.incubator.vector} (the launcher and the tests
 * do), plain loops otherwise. {@code -Drecsysrl.kernels=scalar} forces the plain loops.
 */
public final class Kernels {
    private static final KernelBackend BACKEND = choose();

    private Kernels() {
    }

    private static KernelBackend choose() {
        boolean vectorModule = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        if (vectorModule && !"scalar".equals(System.getProperty("recsysrl.kernels"))) {
            try {
                return (KernelBackend) Class.forName("org.recsysrl.nn.VectorKernels").getDeclaredConstructor()
                        .newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                return new ScalarKernels();
            }
        }
        return new ScalarKernels();
    }

    /** The backend in use: {@code "vector-512"}, {@code "vector-256"}, … or {@code "scalar"}. */
    public static String backend() {
        return BACKEND.name();
    }

    /** The plain-loop backend, for tests and benchmarks that compare against it. */
    static KernelBackend scalar() {
        return new ScalarKernels();
    }

    /** The active backend. */
    static KernelBackend active() {
        return BACKEND;
    }

    /**
     * {@code y = a·M + bias}: {@code y[r*n+j] = bias[bOff+j] + Σ_i a[r*k+i] · m[mOff+i*n+j]} for
     * {@code r < rows}, with a {@code [rows, k]} and M {@code [k, n]} row-major. Overwrites
     * {@code y[0 .. rows*n)}. {@code bias} may be null (no bias).
     */
    public static void multiply(float[] a, int rows, int k, float[] m, int mOff, int n, float[] bias, int bOff,
            float[] y) {
        checkDims(rows, k, n);
        checkLength("a", a, 0, rows * k);
        checkLength("m", m, mOff, k * n);
        if (bias != null) {
            checkLength("bias", bias, bOff, n);
        }
        checkLength("y", y, 0, rows * n);
        BACKEND.multiply(a, rows, k, m, mOff, n, bias, bOff, y);
    }

    /**
     * The value {@link #multiply}{@code (a, 1, k, M, …, n, bias, …)} writes for one column whose
     * {@code k} entries are {@code column[off .. off+k)} (a row of M's row-major transpose), to the
     * bit: the same additions in the same order (fused or not, as the backend sums a product with
     * {@code n} columns). What an exact re-scoring of a few items uses instead of scoring all n.
     */
    public static float multiplyColumn(float[] a, int k, int n, float[] column, int off, float bias) {
        float s = bias;
        if (BACKEND.fusedMultiply(n)) {
            for (int i = 0; i < k; i++) {
                s = Math.fma(column[off + i], a[i], s);
            }
        } else {
            for (int i = 0; i < k; i++) {
                s += a[i] * column[off + i];
            }
        }
        return s;
    }

    /**
     * {@code y = a·Mᵀ}: {@code y[r*n+j] = Σ_i a[r*k+i] · m[mOff+j*k+i]} for {@code r < rows}, with
     * a {@code [rows, k]} and M {@code [n, k]} row-major. Overwrites {@code y[0 .. rows*n)}.
     * {@code scratch} (null, or at least {@code k*n} floats) lets a backend transpose M first.
     */
    public static void multiplyTransposed(float[] a, int rows, int k, float[] m, int mOff, int n, float[] y,
            float[] scratch) {
        checkDims(rows, k, n);
        checkLength("a", a, 0, rows * k);
        checkLength("m", m, mOff, n * k);
        checkLength("y", y, 0, rows * n);
        if (scratch != null) {
            checkLength("scratch", scratch, 0, k * n);
        }
        BACKEND.multiplyTransposed(a, rows, k, m, mOff, n, y, scratch);
    }

    /**
     * {@code y = a·Mᵀ} on rows that lie apart in larger arrays (column slices of wider matrices):
     * {@code y[r*n+j] = Σ_{i<k} a[aOff+r*aStride+i] · m[mOff+j*mStride+i]} for {@code r < rows},
     * {@code j < n}. Overwrites {@code y[0 .. rows*n)}. The dot products of
     * {@link #multiplyTransposed} (for {@code k} of at least one vector), the same additions in the
     * same order as for contiguous rows of length {@code k}.
     */
    public static void multiplyTransposedStrided(float[] a, int aOff, int aStride, int rows, int k, float[] m,
            int mOff, int mStride, int n, float[] y) {
        checkDims(rows, k, n);
        if (aStride < k || mStride < k) {
            throw new IllegalArgumentException("strides " + aStride + ", " + mStride + " below the length " + k);
        }
        if (rows > 0) {
            checkLength("a", a, aOff, (long) (rows - 1) * aStride + k);
        }
        checkLength("m", m, mOff, (long) (n - 1) * mStride + k);
        checkLength("y", y, 0, (long) rows * n);
        BACKEND.multiplyTransposedStrided(a, aOff, aStride, rows, k, m, mOff, mStride, n, y);
    }

    /**
     * {@code dM += aᵀ·b}: {@code dM[mOff+i*q+j] += Σ_r a[r*p+i] · b[r*q+j]}, with a {@code [rows, p]},
     * b {@code [rows, q]} and dM {@code [p, q]} row-major. With {@code rows = 0} nothing changes.
     */
    public static void addTransposedProduct(float[] a, int p, float[] b, int q, int rows, float[] dM, int mOff) {
        transposedProduct(a, p, b, q, rows, dM, mOff, true);
    }

    /**
     * {@code dM = aᵀ·b}: as {@link #addTransposedProduct}, but overwriting {@code dM[mOff ..
     * mOff+p*q)} instead of adding to it: the same bits as zeroing it first and adding, without
     * the pass that zeroes it.
     */
    public static void transposedProduct(float[] a, int p, float[] b, int q, int rows, float[] dM, int mOff) {
        transposedProduct(a, p, b, q, rows, dM, mOff, false);
    }

    private static void transposedProduct(float[] a, int p, float[] b, int q, int rows, float[] dM, int mOff,
            boolean accumulate) {
        checkDims(rows, p, q);
        checkLength("a", a, 0, rows * p);
        checkLength("b", b, 0, rows * q);
        checkLength("dM", dM, mOff, p * q);
        BACKEND.transposedProduct(a, p, b, q, rows, dM, mOff, accumulate);
    }

    /**
     * {@code c[cOff+r*cStride+j] (+)= Σ_t a[aOff+r*aRow+t*aStep] · v[vOff+t*vStep+j]} for
     * {@code r < rows}, {@code j < cols}, {@code t < steps} in order: a product of tiles inside
     * larger arrays on any strides (a·M with {@code aRow = k, aStep = 1}; aᵀ·b with
     * {@code aRow = 1, aStep = p}), added to c's values if {@code accumulate}, else written over
     * them. The register-blocked broadcast kernel of {@link #multiply}; the fused output layer
     * ({@link FusedSoftmaxCrossEntropy}) takes all its products through it.
     */
    public static void blockProduct(float[] a, int aOff, int aRow, int aStep, int rows, float[] v, int vOff,
            int vStep, int cols, int steps, float[] c, int cOff, int cStride, boolean accumulate) {
        checkDims(rows, cols, Math.max(steps, 1));
        if (rows > 0 && cols > 0 && steps > 0) {
            checkLength("a", a, aOff, (rows - 1) * aRow + (steps - 1) * aStep + 1);
            checkLength("v", v, vOff, (steps - 1) * vStep + cols);
        }
        if (rows > 0 && cols > 0) {
            checkLength("c", c, cOff, (rows - 1) * cStride + cols);
        }
        BACKEND.blockProduct(a, aOff, aRow, aStep, rows, v, vOff, vStep, cols, steps, c, cOff, cStride, accumulate);
    }

    /** {@code sums[off+j] += Σ_r b[r*q+j]} for {@code j < q}, b {@code [rows, q]} row-major, rows added in order. */
    public static void addColumnSums(float[] b, int rows, int q, float[] sums, int off) {
        columnSums(b, rows, q, sums, off, true);
    }

    /** {@code sums[off+j] = Σ_r b[r*q+j]}: as {@link #addColumnSums}, overwriting instead of adding. */
    public static void columnSums(float[] b, int rows, int q, float[] sums, int off) {
        columnSums(b, rows, q, sums, off, false);
    }

    private static void columnSums(float[] b, int rows, int q, float[] sums, int off, boolean accumulate) {
        checkDims(rows, q, 1);
        checkLength("b", b, 0, rows * q);
        checkLength("sums", sums, off, q);
        BACKEND.columnSums(b, rows, q, sums, off, accumulate);
    }

    /**
     * {@code Σ a[i]²} over the whole array, each square and every partial sum in double, in an
     * order fixed by the backend (results are reproducible).
     */
    public static double sumOfSquares(float[] a) {
        return BACKEND.dot(a, a, a.length);
    }

    /**
     * {@code Σ a[i]²} for {@code i} in {@code [from, to)}: the same double as
     * {@link #sumOfSquares(float[])} of a copy of that range (the backend's order, started at
     * {@code from}). Lets threads each sum a range of one array; combined in a fixed order, the
     * total is reproducible (though not, in general, the bits of one sum over the whole array).
     */
    public static double sumOfSquares(float[] a, int from, int to) {
        if (from < 0 || to > a.length || from > to) {
            throw new IllegalArgumentException("range [" + from + ", " + to + ") outside [0, " + a.length + ")");
        }
        return BACKEND.sumOfSquares(a, from, to);
    }

    /**
     * {@code Σ_{i<n} a[i]·b[i]}, each product and every partial sum in double, in an order fixed by
     * the backend. {@code dot(a, a, a.length)} is {@link #sumOfSquares}.
     */
    public static double dot(float[] a, float[] b, int n) {
        checkLength("a", a, 0, n);
        checkLength("b", b, 0, n);
        return BACKEND.dot(a, b, n);
    }

    /**
     * One Adam update of the values with index in [from, to), elementwise, with {@code g = grads[i] · gradScale}:
     * {@code m += w1 (g − m)}; {@code v = b2 v + w2 g²}; {@code p += negStep · m / (√v / bc2Sqrt + eps)}.
     * Every backend gives the same bits (IEEE add, mul, div and sqrt in the same order). A
     * {@code gradScale} of 1 leaves the gradient as it is; a clipping coefficient applies the
     * clipping without a pass of its own.
     */
    public static void adamUpdate(float[] params, float[] grads, float gradScale, float[] m, float[] v, int from,
            int to, float w1, float b2, float w2, float negStep, float bc2Sqrt, float eps) {
        BACKEND.adamUpdate(params, grads, gradScale, m, v, from, to, w1, b2, w2, negStep, bc2Sqrt, eps);
    }

    /**
     * {@link #adamUpdate} over {@code count} rows of {@code width} values, row r from
     * {@code from + r·stride} (a column slice of a matrix): the same bits as {@code adamUpdate} of
     * each row.
     */
    public static void adamUpdateStrided(float[] params, float[] grads, float gradScale, float[] m, float[] v,
            int from, int width, int stride, int count, float w1, float b2, float w2, float negStep, float bc2Sqrt,
            float eps) {
        if (count > 0 && width > 0) {
            long last = from + (long) (count - 1) * stride + width;
            if (from < 0 || last > params.length || last > grads.length || last > m.length || last > v.length) {
                throw new IllegalArgumentException("rows [" + from + ", " + last + ") outside the arrays");
            }
        }
        BACKEND.adamUpdateStrided(params, grads, gradScale, m, v, from, width, stride, count, w1, b2, w2, negStep,
                bc2Sqrt, eps);
    }

    /** {@code a[i] = tanh(a[i])} for {@code i < n} (relative error below 1e-6 on every backend). */
    public static void tanhInPlace(float[] a, int n) {
        BACKEND.tanhInPlace(a, n);
    }

    /**
     * Fused softmax of one row of logits z (with m = max z, S = Σ exp(z − m)):
     * {@code logp[outOff+j] = z_j − m − log S}, {@code probs[outOff+j] = exp(z_j − m) / S}; returns
     * the entropy {@code H = −Σ p_j logp_j}. Masked logits (−∞) get probability 0 and contribute
     * nothing. One exponential per entry.
     *
     * @throws org.recsysrl.util.NonFiniteException if every logit is masked or a logit is NaN or +∞
     *     (the parameters that produced them have diverged)
     */
    public static float softmax(float[] logits, int off, int n, float[] logp, float[] probs, int outOff) {
        return softmax(logits, off, n, logp, probs, outOff, null, 0);
    }

    /**
     * {@link #softmax(float[], int, int, float[], float[], int)}, the same bits, that also writes
     * the row's log-normaliser {@code m + log S} (the value subtracted from every logit to give its
     * log-probability) into {@code shifts[shiftAt]} unless {@code shifts} is null: what combines
     * the softmax of column slices of one row (a row whose slices have log-normalisers
     * {@code s_w} has {@code log Σ_w exp(s_w)}).
     */
    public static float softmax(float[] logits, int off, int n, float[] logp, float[] probs, int outOff,
            float[] shifts, int shiftAt) {
        if (n <= 0) {
            throw new IllegalArgumentException("softmax needs n > 0: " + n);
        }
        float h = BACKEND.softmax(logits, off, n, logp, probs, outOff, shifts, shiftAt);
        if (Float.isNaN(h) || Float.isNaN(logp[outOff])) {
            throw new org.recsysrl.util.NonFiniteException("a logit of the softmax", Double.NaN);
        }
        return h;
    }

    /**
     * Gradient with respect to the logits of {@code L = gLogp · logp[action] + gEntropy · H} from a
     * row's probabilities, log-probabilities and entropy (as {@link #softmax} returns them):
     * {@code dLogits[dOff+j] = gLogp (δ_{j,action} − p_j) − gEntropy p_j (logp_j + H)}. An action of
     * −1 drops the log-prob term. Overwrites the row of {@code dLogits}.
     */
    public static void categoricalBackward(float[] probs, float[] logp, int off, int n, int action, float gLogp,
            float gEntropy, float entropy, float[] dLogits, int dOff) {
        if (action < -1 || action >= n) {
            throw new IllegalArgumentException("action " + action + " outside [-1, " + n + ")");
        }
        BACKEND.categoricalBackward(probs, logp, off, n, action, gLogp, gEntropy, entropy, dLogits, dOff);
    }

    /**
     * The log-probabilities of {@link #softmax}, the same bits, without the probabilities and the
     * entropy (inference needs only these). {@code logits} and {@code logp} may be the same array at
     * the same offset.
     *
     * @throws org.recsysrl.util.NonFiniteException if a logit is NaN
     */
    public static void logSoftmax(float[] logits, int off, int n, float[] logp, int outOff) {
        if (n <= 0) {
            throw new IllegalArgumentException("softmax needs n > 0: " + n);
        }
        checkLength("logits", logits, off, n);
        checkLength("logp", logp, outOff, n);
        BACKEND.logSoftmax(logits, off, n, logp, outOff);
        if (Float.isNaN(logp[outOff])) {
            throw new org.recsysrl.util.NonFiniteException("a logit of the softmax", Double.NaN);
        }
    }

    /**
     * The best {@code k} of {@code scores[0 .. n)} into {@code top}, best first: by score, ties to
     * the lower index; scores that are not above −∞ (NaN included) are never taken. Returns how many
     * were found (at most k). {@code O(n)} plus an insertion per item that enters the running list;
     * nothing is sorted or allocated.
     */
    public static int topK(float[] scores, int n, int k, int[] top) {
        if (k < 1 || n < 0 || n > scores.length || top.length < k) {
            throw new IllegalArgumentException("topK: n=" + n + ", k=" + k + ", top of " + top.length);
        }
        return BACKEND.topK(scores, n, k, top);
    }

    /**
     * Inserts item {@code i} into a running top list {@code top[0 .. m)} of at most {@code k} items in
     * {@link #topK}'s order (by score, then lower index; a score that is not above −∞, NaN included,
     * is never taken); returns the new count. For items offered one at a time (a request's candidate
     * list), where {@link #topK}'s pass over a prefix of {@code scores} does not apply. Unchecked: the
     * caller keeps {@code m <= k <= top.length}.
     */
    public static int offer(float[] scores, int[] top, int i, int m, int k) {
        return ScalarKernels.offer(scores, top, i, m, k);
    }

    /**
     * {@code m} [k, n] row-major repacked for {@link #multiplyPacked}, or null when the backend has
     * no packed product for this shape (then use {@link #multiply}).
     */
    public static float[] packColumns(float[] m, int k, int n) {
        checkDims(1, k, n);
        checkLength("m", m, 0, k * n);
        return BACKEND.packColumns(m, k, n);
    }

    /**
     * For one row a [k]: {@code y[j] = scale · (a·M)[j] (+ bias[bOff + j])}, with M packed by
     * {@link #packColumns}; the same bits as {@link #multiply} followed by the scaling and the bias.
     */
    public static void multiplyPacked(float[] a, int k, float[] packed, int n, float scale, float[] bias, int bOff,
            float[] y) {
        checkDims(1, k, n);
        checkLength("a", a, 0, k);
        checkLength("y", y, 0, n);
        if (bias != null) {
            checkLength("bias", bias, bOff, n);
        }
        BACKEND.multiplyPacked(a, k, packed, n, scale, bias, bOff, y);
    }

    /**
     * For {@code rows} rows of a [rows × k] at once: {@code y[r]} gets {@code scale · (a_r·M) (+ bias)},
     * the same bits as {@link #multiplyPacked} gives each row alone, with M read about once for all
     * rows (each panel of M stays in the cache while every row uses it): what scoring several
     * queries together costs instead of one pass over the catalog each.
     */
    public static void multiplyPackedRows(float[] a, int rows, int k, float[] packed, int n, float scale,
            float[] bias, int bOff, float[][] y) {
        checkDims(rows, k, n);
        checkLength("a", a, 0, (long) rows * k);
        if (y.length < rows) {
            throw new IllegalArgumentException("y has " + y.length + " rows, needs " + rows);
        }
        for (int r = 0; r < rows; r++) {
            checkLength("y[" + r + "]", y[r], 0, n);
        }
        if (bias != null) {
            checkLength("bias", bias, bOff, n);
        }
        BACKEND.multiplyPackedRows(a, rows, k, packed, n, scale, bias, bOff, y);
    }

    private static void checkDims(int rows, int k, int n) {
        if (rows < 0 || k <= 0 || n <= 0) {
            throw new IllegalArgumentException("invalid sizes: rows=" + rows + ", " + k + ", " + n);
        }
    }

    private static void checkLength(String what, double[] a, int off, long len) {
        if (off < 0 || (long) off + len > a.length) {
            throw new IllegalArgumentException(
                    what + " too short: needs [" + off + ", " + ((long) off + len) + ") but length is " + a.length);
        }
    }

    private static void checkLength(String what, float[] a, int off, long len) {
        if (off < 0 || (long) off + len > a.length) {
            throw new IllegalArgumentException(
                    what + " too short: needs [" + off + ", " + ((long) off + len) + ") but length is " + a.length);
        }
    }

    /**
     * {@code C += α·Aᵀ·B} in double precision over row-major panels:
     * {@code c[cOff + i*ldc + j] += α Σ_{t<depth} a[aOff + t*lda + i] · b[bOff + t*ldb + j]} for
     * {@code i < rows}, {@code j < cols}. Each element receives its terms in increasing t, one fused
     * multiply-add each, on every backend (so the backends agree bit for bit, and a caller may split
     * the rows or columns between threads without changing any result). Modifies only that block of
     * {@code c}. The product behind {@link SymmetricInverse}.
     */
    public static void addScaledTransposedProduct(double alpha, double[] a, int aOff, int lda, double[] b, int bOff,
            int ldb, int depth, int rows, int cols, double[] c, int cOff, int ldc) {
        if (depth < 0 || rows < 0 || cols < 0 || lda < rows || ldb < cols || ldc < cols) {
            throw new IllegalArgumentException("bad shape: depth " + depth + ", rows " + rows + ", cols " + cols
                    + ", lda " + lda + ", ldb " + ldb + ", ldc " + ldc);
        }
        if (depth == 0 || rows == 0 || cols == 0) {
            return;
        }
        checkLength("a", a, aOff, (depth - 1L) * lda + rows);
        checkLength("b", b, bOff, (depth - 1L) * ldb + cols);
        checkLength("c", c, cOff, (rows - 1L) * ldc + cols);
        BACKEND.addScaledTransposedProduct(alpha, a, aOff, lda, b, bOff, ldb, depth, rows, cols, c, cOff, ldc);
    }
}
