package org.recsysrl.nn;

/**
 * The only place that computes matrix products. All methods are static, write into explicit
 * output arrays, allocate nothing, and always accumulate in the same order (results are
 * bit-for-bit reproducible). Matrices are row-major {@code float[]}; weights are stored
 * {@code [out, in]} (PyTorch {@code nn.Linear} layout) starting at a given offset.
 */
public final class Kernels {

    private Kernels() {}

    /**
     * Dense layer forward: {@code y[b*out+o] = bias[bOff+o] + sum_i x[b*in+i] * w[wOff+o*in+i]}
     * for {@code b < batch}, {@code o < out}. The sum over {@code i} runs in increasing order in
     * float, and the bias is added last. If {@code bias} is null no bias is added.
     * Overwrites {@code y[0 .. batch*out)}; reads {@code x[0 .. batch*in)}.
     */
    public static void linearForward(
            float[] x, int batch, int in, float[] w, int wOff, float[] bias, int bOff, int out, float[] y) {
        checkDims(batch, in, out);
        checkLength("x", x, 0, batch * in);
        checkLength("w", w, wOff, out * in);
        if (bias != null) {
            checkLength("bias", bias, bOff, out);
        }
        checkLength("y", y, 0, batch * out);
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

    /**
     * Gradient with respect to the layer input: {@code dx[b*in+i] = sum_o dy[b*out+o] *
     * w[wOff+o*in+i]} (i.e. {@code dx = dy W}), summed over {@code o} in increasing order.
     * Overwrites {@code dx[0 .. batch*in)}; {@code dx} must not alias {@code dy}.
     */
    public static void linearBackwardInput(
            float[] dy, int batch, int out, float[] w, int wOff, int in, float[] dx) {
        checkDims(batch, in, out);
        checkLength("dy", dy, 0, batch * out);
        checkLength("w", w, wOff, out * in);
        checkLength("dx", dx, 0, batch * in);
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

    /**
     * Gradient with respect to the parameters, accumulated:
     * {@code dW[wOff+o*in+i] += sum_b dy[b*out+o] * x[b*in+i]} and
     * {@code dB[bOff+o] += sum_b dy[b*out+o]}, summed over {@code b} in increasing order (one
     * rank-1 update of row {@code o} of dW per batch row). If {@code dB} is null the bias gradient
     * is skipped. Modifies {@code dW} (and {@code dB}) by accumulation.
     */
    public static void linearBackwardParams(
            float[] dy, float[] x, int batch, int in, int out, float[] dW, int wOff, float[] dB, int bOff) {
        checkDims(batch, in, out);
        checkLength("dy", dy, 0, batch * out);
        checkLength("x", x, 0, batch * in);
        checkLength("dW", dW, wOff, out * in);
        if (dB != null) {
            checkLength("dB", dB, bOff, out);
        }
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

    private static void checkDims(int batch, int in, int out) {
        if (batch < 0 || in <= 0 || out <= 0) {
            throw new IllegalArgumentException(
                    "invalid sizes: batch=" + batch + ", in=" + in + ", out=" + out);
        }
    }

    private static void checkLength(String what, float[] a, int off, int len) {
        if (off < 0 || (long) off + len > a.length) {
            throw new IllegalArgumentException(
                    what + " too short: needs [" + off + ", " + ((long) off + len) + ") but length is " + a.length);
        }
    }
}
