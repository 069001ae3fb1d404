package org.recsysrl.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.recsysrl.util.Rng;

class CausalSelfAttentionTest {
    private static final int D = 6;
    private static final int L = 4;

    private static CausalSelfAttention attention(ParameterStore s, Rng rng) {
        CausalSelfAttention a = new CausalSelfAttention(s, "attn", D, 2);
        Init.pytorchDefault(a.inProjection(), rng);
        Init.pytorchDefault(a.outProjection(), rng);
        return a;
    }

    @Test
    void firstPositionAttendsOnlyToItselfAndPaddingIsZero() {
        Rng rng = new Rng(3);
        ParameterStore s = new ParameterStore();
        CausalSelfAttention a = attention(s, rng);
        float[] x = GradCheck.randomArray(rng, L * D, -1, 1);
        float[] y = new float[L * D];
        a.forward(a.newWorkspace(1, L), x, new int[] {1}, 1, L, y);
        for (int j = 0; j < D; j++) {
            assertThat(y[j]).isZero(); // padding
        }
        // with a single visible position the softmax is 1: output = W_o·v_1 + b_o, v_1 = W_v x_1 + b_v
        float[] v = new float[3 * D];
        float[] row = java.util.Arrays.copyOfRange(x, D, 2 * D);
        a.inProjection().forward(row, v, 1);
        float[] o = new float[D];
        a.outProjection().forward(java.util.Arrays.copyOfRange(v, 2 * D, 3 * D), o, 1);
        for (int j = 0; j < D; j++) {
            assertThat(y[D + j]).isCloseTo(o[j], org.assertj.core.api.Assertions.within(1e-5f));
        }
    }

    @Test
    void noPositionSeesALaterOne() {
        Rng rng = new Rng(5);
        ParameterStore s = new ParameterStore();
        CausalSelfAttention a = attention(s, rng);
        float[] x = GradCheck.randomArray(rng, L * D, -1, 1);
        float[] y1 = new float[L * D];
        a.forward(a.newWorkspace(1, L), x, new int[] {0}, 1, L, y1);
        float[] x2 = x.clone();
        for (int j = 0; j < D; j++) {
            x2[3 * D + j] += 0.7f; // change the last position only
        }
        float[] y2 = new float[L * D];
        a.forward(a.newWorkspace(1, L), x2, new int[] {0}, 1, L, y2);
        for (int i = 0; i < 3 * D; i++) {
            assertThat(y2[i]).isEqualTo(y1[i]);
        }
        assertThat(java.util.Arrays.equals(y1, y2)).isFalse();
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng rng = new Rng(11);
        ParameterStore s = new ParameterStore();
        CausalSelfAttention a = attention(s, rng);
        int batch = 2;
        int[] firstValid = {0, 2};
        float[] x = GradCheck.randomArray(rng, batch * L * D, -1, 1);
        float[] c = GradCheck.randomArray(rng, batch * L * D, -1, 1);
        for (int j = 0; j < 2 * D; j++) {
            c[L * D + j] = 0; // no loss at the second sequence's padding
        }
        float[] y = new float[batch * L * D];
        java.util.function.DoubleSupplier loss = () -> {
            a.forward(a.newWorkspace(batch, L), x, firstValid, batch, L, y);
            return GradCheck.dot(y, c, y.length);
        };
        CausalSelfAttention.Workspace ws = a.newWorkspace(batch, L);
        a.forward(ws, x, firstValid, batch, L, y);
        float[] dx = new float[x.length];
        a.backward(ws, x, firstValid, c, dx, batch, L);
        float[] p = s.data();
        GradCheck.check("attention params", p, 0, s.grad(), 0, p.length, 1e-2, 3e-2, 2e-4, loss);
        GradCheck.check("attention x", x, 0, dx, 0, x.length, 1e-2, 3e-2, 2e-4, loss);
        for (int j = 0; j < 2 * D; j++) {
            assertThat(dx[L * D + j]).isZero();
        }
    }
}
