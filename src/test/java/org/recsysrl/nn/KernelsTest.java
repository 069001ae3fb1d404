package org.recsysrl.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.recsysrl.util.Rng;

class KernelsTest {

    // x [2,3], W [2 out, 3 in], b [2]
    private static final float[] X = {1, 2, 3, 4, 5, 6};
    private static final float[] W = {1, 0, -1, 0.5f, 1, 2};
    private static final float[] B = {0.1f, -0.2f};
    private static final float[] DY = {1, 2, 3, -1};

    @Test
    void handExampleForward() {
        float[] y = {9, 9, 9, 9, 9};
        Kernels.linearForward(X, 2, 3, W, 0, B, 0, 2, y);
        assertThat(y[0]).isCloseTo(-1.9f, within(1e-6f));
        assertThat(y[1]).isCloseTo(8.3f, within(1e-5f));
        assertThat(y[2]).isCloseTo(-1.9f, within(1e-6f));
        assertThat(y[3]).isCloseTo(18.8f, within(1e-5f));
        assertThat(y[4]).isEqualTo(9f); // beyond batch*out untouched
    }

    @Test
    void handExampleBackwardInput() {
        float[] dx = {7, 7, 7, 7, 7, 7};
        Kernels.linearBackwardInput(DY, 2, 2, W, 0, 3, dx);
        assertThat(dx).containsExactly(2f, 2f, 3f, 2.5f, -1f, -5f);
    }

    @Test
    void handExampleBackwardParamsAccumulates() {
        float[] dW = new float[6];
        float[] dB = new float[2];
        Kernels.linearBackwardParams(DY, X, 2, 3, 2, dW, 0, dB, 0);
        assertThat(dW).containsExactly(13f, 17f, 21f, -2f, -1f, 0f);
        assertThat(dB).containsExactly(4f, 1f);
        Kernels.linearBackwardParams(DY, X, 2, 3, 2, dW, 0, dB, 0);
        assertThat(dW).containsExactly(26f, 34f, 42f, -4f, -2f, 0f);
        assertThat(dB).containsExactly(8f, 2f);
    }

    @Test
    void offsetsRespected() {
        float[] store = new float[20];
        System.arraycopy(W, 0, store, 5, 6);
        System.arraycopy(B, 0, store, 13, 2);
        float[] y = new float[4];
        Kernels.linearForward(X, 2, 3, store, 5, store, 13, 2, y);
        assertThat(y[3]).isCloseTo(18.8f, within(1e-5f));
        float[] g = new float[20];
        Kernels.linearBackwardParams(DY, X, 2, 3, 2, g, 5, g, 13);
        assertThat(g).containsExactly(0, 0, 0, 0, 0, 13, 17, 21, -2, -1, 0, 0, 0, 4, 1, 0, 0, 0, 0, 0);
        float[] dx = new float[6];
        Kernels.linearBackwardInput(DY, 2, 2, store, 5, 3, dx);
        assertThat(dx).containsExactly(2f, 2f, 3f, 2.5f, -1f, -5f);
    }

    @Test
    void randomShapesMatchNaiveReference() {
        Rng rng = new Rng(42);
        int[][] shapes = {{1, 1, 1}, {3, 5, 4}, {7, 1, 9}, {5, 13, 1}, {16, 17, 8}, {2, 64, 33}};
        for (int[] sh : shapes) {
            int batch = sh[0], in = sh[1], out = sh[2];
            int wOff = 3, bOff = 2;
            float[] x = GradCheck.randomArray(rng, batch * in, -1, 1);
            float[] w = GradCheck.randomArray(rng, wOff + out * in, -1, 1);
            float[] b = GradCheck.randomArray(rng, bOff + out, -1, 1);
            float[] dy = GradCheck.randomArray(rng, batch * out, -1, 1);

            float[] y = new float[batch * out];
            Kernels.linearForward(x, batch, in, w, wOff, b, bOff, out, y);
            float[] dx = new float[batch * in];
            Kernels.linearBackwardInput(dy, batch, out, w, wOff, in, dx);
            float[] dW = GradCheck.randomArray(rng, wOff + out * in, -1, 1);
            float[] dB = GradCheck.randomArray(rng, bOff + out, -1, 1);
            float[] dW0 = dW.clone();
            float[] dB0 = dB.clone();
            Kernels.linearBackwardParams(dy, x, batch, in, out, dW, wOff, dB, bOff);

            for (int bb = 0; bb < batch; bb++) {
                for (int o = 0; o < out; o++) {
                    double s = b[bOff + o];
                    for (int i = 0; i < in; i++) {
                        s += (double) x[bb * in + i] * w[wOff + o * in + i];
                    }
                    assertThat((double) y[bb * out + o]).isCloseTo(s, within(1e-5 * (1 + in)));
                }
                for (int i = 0; i < in; i++) {
                    double s = 0;
                    for (int o = 0; o < out; o++) {
                        s += (double) dy[bb * out + o] * w[wOff + o * in + i];
                    }
                    assertThat((double) dx[bb * in + i]).isCloseTo(s, within(1e-5 * (1 + out)));
                }
            }
            for (int o = 0; o < out; o++) {
                double sb = dB0[bOff + o];
                for (int bb = 0; bb < batch; bb++) {
                    sb += dy[bb * out + o];
                }
                assertThat((double) dB[bOff + o]).isCloseTo(sb, within(1e-5 * (1 + batch)));
                for (int i = 0; i < in; i++) {
                    double s = dW0[wOff + o * in + i];
                    for (int bb = 0; bb < batch; bb++) {
                        s += (double) dy[bb * out + o] * x[bb * in + i];
                    }
                    assertThat((double) dW[wOff + o * in + i]).isCloseTo(s, within(1e-5 * (1 + batch)));
                }
            }
            for (int k = 0; k < wOff; k++) {
                assertThat(dW[k]).isEqualTo(dW0[k]);
            }
        }
    }

    @Test
    void deterministic() {
        Rng rng = new Rng(7);
        float[] x = GradCheck.randomArray(rng, 8 * 31, -3, 3);
        float[] w = GradCheck.randomArray(rng, 17 * 31, -3, 3);
        float[] b = GradCheck.randomArray(rng, 17, -3, 3);
        float[] y1 = new float[8 * 17];
        float[] y2 = new float[8 * 17];
        Kernels.linearForward(x, 8, 31, w, 0, b, 0, 17, y1);
        Kernels.linearForward(x, 8, 31, w, 0, b, 0, 17, y2);
        assertThat(y2).containsExactly(y1);
    }
}
