package org.recsysrl.nn;

/**
 * The only place that computes matrix products and the categorical softmax. All methods are
 * static, write into explicit output arrays, allocate nothing, and for given shapes always
 * accumulate in the same order (results are bit-for-bit reproducible). Matrices are row-major
 * {@code float[]}; weights are stored {@code [out, in]} (PyTorch {@code nn.Linear} layout) starting
 * at a given offset.
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
     * {@code y[b*out+o] = bias[bOff+o] + sum_i x[b*in+i] * w[wOff+o*in+i]} for {@code b < batch}.
     * Overwrites {@code y[0 .. batch*out)}. {@code bias} may be null (no bias).
     */
    public static void linearForward(float[] x, int batch, int in, float[] w, int wOff, float[] bias, int bOff,
            int out, float[] y) {
        linearForward(x, batch, in, w, wOff, bias, bOff, out, y, null);
    }

    /**
     * As {@link #linearForward(float[], int, int, float[], int, float[], int, int, float[])}, with a
     * scratch buffer of at least {@code in*out} floats that a backend may overwrite (the SIMD backend
     * transposes W into it for large batches).
     */
    public static void linearForward(float[] x, int batch, int in, float[] w, int wOff, float[] bias, int bOff,
            int out, float[] y, float[] scratch) {
        checkDims(batch, in, out);
        checkLength("x", x, 0, batch * in);
        checkLength("w", w, wOff, out * in);
        if (bias != null) {
            checkLength("bias", bias, bOff, out);
        }
        checkLength("y", y, 0, batch * out);
        if (scratch != null) {
            checkLength("scratch", scratch, 0, in * out);
        }
        BACKEND.linearForward(x, batch, in, w, wOff, bias, bOff, out, y, scratch);
    }

    /**
     * {@code dx[b*in+i] = sum_o dy[b*out+o] * w[wOff+o*in+i]} (dx = dy·W). Overwrites
     * {@code dx[0 .. batch*in)}.
     */
    public static void linearBackwardInput(float[] dy, int batch, int out, float[] w, int wOff, int in, float[] dx) {
        checkDims(batch, in, out);
        checkLength("dy", dy, 0, batch * out);
        checkLength("w", w, wOff, out * in);
        checkLength("dx", dx, 0, batch * in);
        BACKEND.linearBackwardInput(dy, batch, out, w, wOff, in, dx);
    }

    /**
     * Accumulates {@code dW[wOff+o*in+i] += sum_b dy[b*out+o] * x[b*in+i]} (dW += dyᵀ·x) and
     * {@code dB[bOff+o] += sum_b dy[b*out+o]}. {@code dB} may be null.
     */
    public static void linearBackwardParams(float[] dy, float[] x, int batch, int in, int out, float[] dW, int wOff,
            float[] dB, int bOff) {
        checkDims(batch, in, out);
        checkLength("dy", dy, 0, batch * out);
        checkLength("x", x, 0, batch * in);
        checkLength("dW", dW, wOff, out * in);
        if (dB != null) {
            checkLength("dB", dB, bOff, out);
        }
        BACKEND.linearBackwardParams(dy, x, batch, in, out, dW, wOff, dB, bOff);
    }

    /**
     * {@code Σ a[i]²} over the whole array, accumulated in double in eight interleaved partial sums
     * (a fixed order, so the result is reproducible; interleaved so that the additions overlap).
     */
    public static double sumOfSquares(float[] a) {
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        double s4 = 0.0;
        double s5 = 0.0;
        double s6 = 0.0;
        double s7 = 0.0;
        int n = a.length;
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            double g0 = a[i];
            double g1 = a[i + 1];
            double g2 = a[i + 2];
            double g3 = a[i + 3];
            double g4 = a[i + 4];
            double g5 = a[i + 5];
            double g6 = a[i + 6];
            double g7 = a[i + 7];
            s0 += g0 * g0;
            s1 += g1 * g1;
            s2 += g2 * g2;
            s3 += g3 * g3;
            s4 += g4 * g4;
            s5 += g5 * g5;
            s6 += g6 * g6;
            s7 += g7 * g7;
        }
        for (; i < n; i++) {
            double g = a[i];
            s0 += g * g;
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /**
     * One Adam update of {@code n} values, elementwise: {@code m += w1 (g − m)};
     * {@code v = b2 v + w2 g²}; {@code p += negStep · m / (√v / bc2Sqrt + eps)}. Every backend gives
     * the same bits (IEEE add, mul, div and sqrt in the same order).
     */
    public static void adamUpdate(float[] params, float[] grads, float[] m, float[] v, int n, float w1, float b2,
            float w2, float negStep, float bc2Sqrt, float eps) {
        BACKEND.adamUpdate(params, grads, m, v, n, w1, b2, w2, negStep, bc2Sqrt, eps);
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
     * @throws IllegalArgumentException if every logit is masked
     */
    public static float softmax(float[] logits, int off, int n, float[] logp, float[] probs, int outOff) {
        if (n <= 0) {
            throw new IllegalArgumentException("softmax needs n > 0: " + n);
        }
        float h = BACKEND.softmax(logits, off, n, logp, probs, outOff);
        if (Float.isNaN(h) || Float.isNaN(logp[outOff])) {
            throw new IllegalArgumentException("softmax: logits are all masked or not finite");
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

    private static void checkDims(int batch, int in, int out) {
        if (batch < 0 || in <= 0 || out <= 0) {
            throw new IllegalArgumentException("invalid sizes: batch=" + batch + ", in=" + in + ", out=" + out);
        }
    }

    private static void checkLength(String what, float[] a, int off, int len) {
        if (off < 0 || (long) off + len > a.length) {
            throw new IllegalArgumentException(
                    what + " too short: needs [" + off + ", " + ((long) off + len) + ") but length is " + a.length);
        }
    }
}
