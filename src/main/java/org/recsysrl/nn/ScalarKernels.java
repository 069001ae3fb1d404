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
    public void linearForward(float[] x, int batch, int in, float[] w, int wOff, float[] bias, int bOff, int out,
            float[] y, float[] scratch) {
        for (int b = 0; b < batch; b++) {
            int xRow = b * in;
            int yRow = b * out;
            for (int o = 0; o < out; o++) {
                int wRow = wOff + o * in;
                float s = 0f;
                for (int i = 0; i < in; i++) {
                    s += x[xRow + i] * w[wRow + i];
                }
                y[yRow + o] = bias == null ? s : s + bias[bOff + o];
            }
        }
    }

    @Override
    public void linearBackwardInput(float[] dy, int batch, int out, float[] w, int wOff, int in, float[] dx) {
        backwardInputRows(dy, batch, out, w, wOff, in, dx);
    }

    /** dx = dy·W row by row, as axpy updates along the rows of W. */
    static void backwardInputRows(float[] dy, int batch, int out, float[] w, int wOff, int in, float[] dx) {
        for (int b = 0; b < batch; b++) {
            int dxRow = b * in;
            int dyRow = b * out;
            for (int i = 0; i < in; i++) {
                dx[dxRow + i] = 0f;
            }
            for (int o = 0; o < out; o++) {
                float g = dy[dyRow + o];
                int wRow = wOff + o * in;
                for (int i = 0; i < in; i++) {
                    dx[dxRow + i] += g * w[wRow + i];
                }
            }
        }
    }

    @Override
    public void linearBackwardParams(float[] dy, float[] x, int batch, int in, int out, float[] dW, int wOff,
            float[] dB, int bOff) {
        for (int o = 0; o < out; o++) {
            int wRow = wOff + o * in;
            float gb = 0f;
            for (int b = 0; b < batch; b++) {
                float g = dy[b * out + o];
                gb += g;
                int xRow = b * in;
                for (int i = 0; i < in; i++) {
                    dW[wRow + i] += g * x[xRow + i];
                }
            }
            if (dB != null) {
                dB[bOff + o] += gb;
            }
        }
    }

    @Override
    public void adamUpdate(float[] params, float[] grads, float[] m, float[] v, int n, float w1, float b2, float w2,
            float negStep, float bc2Sqrt, float eps) {
        adamRange(params, grads, m, v, 0, n, w1, b2, w2, negStep, bc2Sqrt, eps);
    }

    /** The Adam update of entries [from, to): see {@link Kernels#adamUpdate}. */
    static void adamRange(float[] params, float[] grads, float[] m, float[] v, int from, int to, float w1, float b2,
            float w2, float negStep, float bc2Sqrt, float eps) {
        for (int i = from; i < to; i++) {
            float g = grads[i];
            float mi = m[i] + w1 * (g - m[i]);
            float vi = v[i] * b2 + w2 * g * g;
            m[i] = mi;
            v[i] = vi;
            float denom = (float) Math.sqrt(vi) / bc2Sqrt + eps;
            params[i] = params[i] + negStep * (mi / denom);
        }
    }

    @Override
    public void tanhInPlace(float[] a, int n) {
        for (int i = 0; i < n; i++) {
            a[i] = (float) Math.tanh(a[i]);
        }
    }

    @Override
    public float softmax(float[] logits, int off, int n, float[] logp, float[] probs, int outOff) {
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
}
