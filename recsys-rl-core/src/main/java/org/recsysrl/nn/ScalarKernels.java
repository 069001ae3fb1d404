package org.recsysrl.nn;

/**
 * Plain-loop kernels: the reference every faster backend is tested against, and the fallback when
 * the JDK's vector module is not enabled.
 */
final class ScalarKernels implements KernelBackend {

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void multiply(float[] a, int rows, int k, float[] m, int mOff, int n, float[] bias, int bOff, float[] y) {
        for (int r = 0; r < rows; r++) {
            int yRow = r * n;
            for (int j = 0; j < n; j++) {
                y[yRow + j] = bias == null ? 0f : bias[bOff + j];
            }
            int aRow = r * k;
            for (int i = 0; i < k; i++) {
                float s = a[aRow + i];
                int mRow = mOff + i * n;
                for (int j = 0; j < n; j++) {
                    y[yRow + j] += s * m[mRow + j];
                }
            }
        }
    }

    @Override
    public void multiplyTransposedStrided(float[] a, int aOff, int aStride, int rows, int k, float[] m, int mOff,
            int mStride, int n, float[] y) {
        for (int r = 0; r < rows; r++) {
            int aRow = aOff + r * aStride;
            for (int j = 0; j < n; j++) {
                int mRow = mOff + j * mStride;
                float s = 0f;
                for (int i = 0; i < k; i++) {
                    s += a[aRow + i] * m[mRow + i];
                }
                y[r * n + j] = s;
            }
        }
    }

    @Override
    public void multiplyTransposed(float[] a, int rows, int k, float[] m, int mOff, int n, float[] y,
            float[] scratch) {
        for (int r = 0; r < rows; r++) {
            int aRow = r * k;
            for (int j = 0; j < n; j++) {
                int mRow = mOff + j * k;
                float s = 0f;
                for (int i = 0; i < k; i++) {
                    s += a[aRow + i] * m[mRow + i];
                }
                y[r * n + j] = s;
            }
        }
    }

    @Override
    public void transposedProduct(float[] a, int p, float[] b, int q, int rows, float[] dM, int mOff,
            boolean accumulate) {
        if (!accumulate) {
            java.util.Arrays.fill(dM, mOff, mOff + p * q, 0f);
        }
        for (int r = 0; r < rows; r++) {
            int bRow = r * q;
            for (int i = 0; i < p; i++) {
                float s = a[r * p + i];
                int dRow = mOff + i * q;
                for (int j = 0; j < q; j++) {
                    dM[dRow + j] += s * b[bRow + j];
                }
            }
        }
    }

    @Override
    public void columnSums(float[] b, int rows, int q, float[] sums, int off, boolean accumulate) {
        if (!accumulate) {
            java.util.Arrays.fill(sums, off, off + q, 0f);
        }
        for (int r = 0; r < rows; r++) {
            int bRow = r * q;
            for (int j = 0; j < q; j++) {
                sums[off + j] += b[bRow + j];
            }
        }
    }

    @Override
    public void adamUpdate(float[] params, float[] grads, float gradScale, float[] m, float[] v, int from, int to,
            float w1, float b2, float w2, float negStep, float bc2Sqrt, float eps) {
        adamRange(params, grads, gradScale, m, v, from, to, w1, b2, w2, negStep, bc2Sqrt, eps);
    }

    /** The Adam update of entries [from, to): see {@link Kernels#adamUpdate}. */
    static void adamRange(float[] params, float[] grads, float gradScale, float[] m, float[] v, int from, int to,
            float w1, float b2, float w2, float negStep, float bc2Sqrt, float eps) {
        for (int i = from; i < to; i++) {
            float g = grads[i] * gradScale;
            float mi = m[i] + w1 * (g - m[i]);
            float vi = v[i] * b2 + w2 * g * g;
            m[i] = mi;
            v[i] = vi;
            float denom = (float) Math.sqrt(vi) / bc2Sqrt + eps;
            params[i] = params[i] + negStep * (mi / denom);
        }
    }

    /**
     * Eight interleaved double partial sums (a fixed order; interleaved so that the additions
     * overlap).
     */
    @Override
    public double dot(float[] a, float[] b, int n) {
        return dotRange(a, b, 0, n);
    }

    /** {@code Σ a[i]·b[i]} over {@code [from, to)}: eight double accumulators, then a fixed tree. */
    private static double dotRange(float[] a, float[] b, int from, int to) {
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        double s4 = 0.0;
        double s5 = 0.0;
        double s6 = 0.0;
        double s7 = 0.0;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            s0 += (double) a[i] * b[i];
            s1 += (double) a[i + 1] * b[i + 1];
            s2 += (double) a[i + 2] * b[i + 2];
            s3 += (double) a[i + 3] * b[i + 3];
            s4 += (double) a[i + 4] * b[i + 4];
            s5 += (double) a[i + 5] * b[i + 5];
            s6 += (double) a[i + 6] * b[i + 6];
            s7 += (double) a[i + 7] * b[i + 7];
        }
        for (; i < to; i++) {
            s0 += (double) a[i] * b[i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** {@link #dot} of {@code a[from..to)} with itself: the same order, so the same bits as a copy of the range. */
    @Override
    public double sumOfSquares(float[] a, int from, int to) {
        return dotRange(a, a, from, to);
    }

    @Override
    public void tanhInPlace(float[] a, int n) {
        for (int i = 0; i < n; i++) {
            a[i] = (float) Math.tanh(a[i]);
        }
    }

    @Override
    public float softmax(float[] logits, int off, int n, float[] logp, float[] probs, int outOff, float[] shifts,
            int shiftAt) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, logits[off + j]);
        }
        float sum = 0f;
        for (int j = 0; j < n; j++) {
            float e = (float) Math.exp(logits[off + j] - max);
            probs[outOff + j] = e;
            sum += e;
        }
        float logSum = (float) Math.log(sum);
        if (shifts != null) {
            shifts[shiftAt] = max + logSum;
        }
        float inv = 1f / sum;
        float h = 0f;
        for (int j = 0; j < n; j++) {
            float lp = logits[off + j] - max - logSum;
            float p = probs[outOff + j] * inv;
            logp[outOff + j] = lp;
            probs[outOff + j] = p;
            if (p > 0f) {
                h -= p * lp;
            }
        }
        return h;
    }

    @Override
    public void logSoftmax(float[] logits, int off, int n, float[] logp, int outOff) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, logits[off + j]);
        }
        float sum = 0f;
        for (int j = 0; j < n; j++) {
            sum += (float) Math.exp(logits[off + j] - max);
        }
        float logSum = (float) Math.log(sum);
        for (int j = 0; j < n; j++) {
            logp[outOff + j] = logits[off + j] - max - logSum;
        }
    }

    @Override
    public int topK(float[] scores, int n, int k, int[] top) {
        int m = 0;
        for (int i = 0; i < n; i++) {
            m = offer(scores, top, i, m, k);
        }
        return m;
    }

    /**
     * Inserts item i into the running top list {@code top[0 .. m)} (by score, then lower index;
     * a score that is not above −∞, NaN included, is never taken); returns the new count.
     */
    static int offer(float[] scores, int[] top, int i, int m, int k) {
        float s = scores[i];
        if (!(s > Float.NEGATIVE_INFINITY)) {
            return m;
        }
        if (m == k) {
            int last = top[k - 1];
            float ls = scores[last];
            if (s < ls || (s == ls && i > last)) {
                return m;
            }
        } else {
            m++;
        }
        int p = m - 1;
        while (p > 0) {
            int prev = top[p - 1];
            float ps = scores[prev];
            if (ps > s || (ps == s && prev < i)) {
                break;
            }
            top[p] = prev;
            p--;
        }
        top[p] = i;
        return m;
    }

    @Override
    public float[] packColumns(float[] m, int k, int n) {
        return null;
    }

    @Override
    public void multiplyPacked(float[] a, int k, float[] packed, int n, float scale, float[] bias, int bOff,
            float[] y) {
        throw new UnsupportedOperationException("the scalar backend has no packed product");
    }

    @Override
    public void multiplyPackedRows(float[] a, int rows, int k, float[] packed, int n, float scale, float[] bias,
            int bOff, float[][] y) {
        throw new UnsupportedOperationException("the scalar backend has no packed product");
    }

    @Override
    public void categoricalBackward(float[] probs, float[] logp, int off, int n, int action, float gLogp,
            float gEntropy, float entropy, float[] dLogits, int dOff) {
        for (int j = 0; j < n; j++) {
            float p = probs[off + j];
            float g = -gLogp * p;
            if (p > 0f) {
                g -= gEntropy * p * (logp[off + j] + entropy);
            }
            dLogits[dOff + j] = g;
        }
        if (action >= 0) {
            dLogits[dOff + action] += gLogp;
        }
    }

    @Override
    public void addScaledTransposedProduct(double alpha, double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
            int depth, int rows, int cols, double[] c, int cOff, int ldc) {
        // element by element, terms in increasing t, one fma each: the same bits as the SIMD kernel
        for (int i = 0; i < rows; i++) {
            int co = cOff + i * ldc;
            for (int j = 0; j < cols; j++) {
                double s = c[co + j];
                for (int t = 0; t < depth; t++) {
                    s = Math.fma(alpha * a[aOff + t * lda + i], b[bOff + t * ldb + j], s);
                }
                c[co + j] = s;
            }
        }
    }

    @Override
    public void blockProduct(float[] a, int aOff, int aRow, int aStep, int rows, float[] v, int vOff, int vStep,
            int cols, int steps, float[] c, int cOff, int cStride, boolean accumulate) {
        for (int r = 0; r < rows; r++) {
            int cRow = cOff + r * cStride;
            if (!accumulate) {
                java.util.Arrays.fill(c, cRow, cRow + cols, 0f);
            }
            for (int t = 0; t < steps; t++) {
                float x = a[aOff + r * aRow + t * aStep];
                int vRow = vOff + t * vStep;
                for (int j = 0; j < cols; j++) {
                    c[cRow + j] += x * v[vRow + j];
                }
            }
        }
    }

    @Override
    public float max(float[] x, int off, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, x[off + i]);
        }
        return m;
    }

    @Override
    public float expInPlace(float[] x, int off, int n, float shift, float[] lanes) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(x[off + i] - shift);
            x[off + i] = e;
            s += e;
        }
        return s;
    }

    @Override
    public void expScale(float[] x, int off, int n, float shift, float scale) {
        for (int i = 0; i < n; i++) {
            x[off + i] = (float) Math.exp(x[off + i] - shift) * scale;
        }
    }

    @Override
    public void gradientRow(float[] x, int off, int n, float factor, int target, float weight, float[] sums,
            int sOff) {
        for (int i = 0; i < n; i++) {
            x[off + i] *= factor;
        }
        if (target >= 0 && target < n) {
            x[off + target] -= weight;
        }
        for (int i = 0; i < n; i++) {
            sums[sOff + i] += x[off + i];
        }
    }
}
