package org.recsysrl.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.recsysrl.util.Rng;

class GruTest {

    private static Gru initialized(ParameterStore s, int in, int hidden, long seed) {
        Gru g = new Gru(s, "gru", in, hidden);
        g.initialize(new Rng(seed));
        return g;
    }

    @Test
    void allocatesPyTorchShapedParametersAndInitialisesWithinBound() {
        ParameterStore s = new ParameterStore();
        Gru g = new Gru(s, "enc", 3, 4);
        assertThat(g.in()).isEqualTo(3);
        assertThat(g.hidden()).isEqualTo(4);
        assertThat(s.entries()).extracting(ParameterStore.Entry::name)
                .containsExactly("enc.input.weight", "enc.input.bias", "enc.hidden.weight", "enc.hidden.bias");
        assertThat(s.entry("enc.input.weight").shape()).containsExactly(12, 3);
        assertThat(s.entry("enc.hidden.weight").shape()).containsExactly(12, 4);
        assertThat(s.entry("enc.hidden.bias").shape()).containsExactly(12);
        g.initialize(new Rng(3));
        float[] p = s.data();
        int distinct = 0;
        for (float v : p) {
            assertThat((double) Math.abs(v)).isLessThanOrEqualTo(0.5); // 1/sqrt(4)
            distinct += v != 0f ? 1 : 0;
        }
        assertThat(distinct).isEqualTo(p.length);
        // PyTorch's order: W_ih row by row, W_hh, b_ih, b_hh
        Rng rng = new Rng(3);
        assertThat(p[g.inputLayer().weightIndex(0, 0)]).isEqualTo((float) rng.uniform(-0.5, 0.5));
        assertThat(p[g.inputLayer().weightIndex(0, 1)]).isEqualTo((float) rng.uniform(-0.5, 0.5));
        for (int i = 0; i < 12 * 3 - 2 + 12 * 4; i++) {
            rng.nextDouble();
        }
        assertThat(p[g.inputLayer().biasOffset()]).isEqualTo((float) rng.uniform(-0.5, 0.5));
    }

    /** in = hidden = 1, two steps; a second sequence starts one position later. */
    @Test
    void handComputedSteps() {
        ParameterStore s = new ParameterStore();
        Gru g = new Gru(s, "g", 1, 1);
        float[] p = s.data();
        Linear li = g.inputLayer();
        Linear lh = g.hiddenLayer();
        float[] wi = {0.5f, -0.4f, 0.8f}; // W_ir, W_iz, W_in
        float[] bi = {0.1f, 0.2f, -0.3f};
        float[] wh = {0.7f, -0.6f, 0.9f}; // W_hr, W_hz, W_hn
        float[] bh = {-0.2f, 0.05f, 0.4f};
        for (int k = 0; k < 3; k++) {
            p[li.weightIndex(k, 0)] = wi[k];
            p[li.biasOffset() + k] = bi[k];
            p[lh.weightIndex(k, 0)] = wh[k];
            p[lh.biasOffset() + k] = bh[k];
        }
        // Sequence 0: x = (1.5, -0.5), firstValid 0.
        //  t=0, h_prev = 0:
        //   r = σ(0.5·1.5 + 0.1 + 0 − 0.2) = σ(0.65) = 0.657010463
        //   z = σ(−0.4·1.5 + 0.2 + 0 + 0.05) = σ(−0.35) = 0.413382421
        //   n = tanh(0.8·1.5 − 0.3 + r·(0 + 0.4)) = tanh(1.162804185) = 0.821951645
        //   h = (1 − z)·n + z·0 = 0.482171284
        //  t=1, h_prev = 0.482171284:
        //   r = σ(−0.25 + 0.1 + 0.7·h_prev − 0.2) = σ(−0.012480101) = 0.496880015
        //   z = σ(0.2 + 0.2 − 0.6·h_prev + 0.05) = σ(0.160697229) = 0.540088076
        //   n = tanh(−0.4 − 0.3 + r·(0.9·h_prev + 0.4)) = tanh(−0.7 + r·0.833954156) = −0.278102970
        //   h = (1 − z)·n + z·h_prev = 0.132512089
        // Sequence 1: x = (padding 7, 1.5), firstValid 1: h = (0, 0.482171284).
        float[] x = {1.5f, -0.5f, 7f, 1.5f};
        float[] h = new float[4];
        g.forward(g.newWorkspace(2, 2), x, new int[] {0, 1}, 2, 2, h);
        assertThat(h[0]).isCloseTo(0.482171284f, within(1e-6f));
        assertThat(h[1]).isCloseTo(0.132512089f, within(1e-6f));
        assertThat(h[2]).isEqualTo(0f);
        assertThat(h[3]).isEqualTo(h[0]);
    }

    /** Loss Σ c·h over all positions: dh = c. */
    @Test
    void gradientCheckEveryParameterAndInput() {
        Rng rng = new Rng(7);
        ParameterStore s = new ParameterStore();
        s.allocate("pad", 2);
        int batch = 2;
        int length = 4;
        int in = 3;
        int hidden = 5;
        Gru g = new Gru(s, "gru", in, hidden);
        g.initialize(rng);
        int[] fv = {0, 2};
        Gru.Workspace ws = g.newWorkspace(3, 5); // larger than needed: compact layout for B, L
        float[] x = GradCheck.randomArray(rng, batch * length * in, -2, 2);
        int nOut = batch * length * hidden;
        float[] c = GradCheck.randomArray(rng, nOut, -1, 1);
        float[] h = new float[nOut];
        DoubleSupplier loss = () -> {
            g.forward(ws, x, fv, batch, length, h);
            return GradCheck.dot(h, c, nOut);
        };

        s.zeroGrad();
        s.grad()[1] = 42f; // an unrelated entry must stay
        g.forward(ws, x, fv, batch, length, h);
        float[] dh = c.clone();
        float[] dx = new float[x.length];
        Arrays.fill(dx, Float.NaN); // must be overwritten everywhere
        g.backward(ws, x, fv, dh, dx, batch, length);
        assertThat(dh).containsExactly(c);
        assertThat(s.grad()[1]).isEqualTo(42f);
        float[] grad = s.grad().clone();

        double eps = 1e-2;
        double rtol = 2e-2;
        double atol = 1e-4;
        float[] p = s.data();
        for (Linear l : new Linear[] {g.inputLayer(), g.hiddenLayer()}) {
            GradCheck.check(l.name() + ".weight", p, l.weightOffset(), grad, l.weightOffset(), l.in() * l.out(),
                    eps, rtol, atol, loss);
            GradCheck.check(l.name() + ".bias", p, l.biasOffset(), grad, l.biasOffset(), l.out(),
                    eps, rtol, atol, loss);
        }
        GradCheck.check("x", x, 0, dx, 0, x.length, eps, rtol, atol, loss);

        // backward accumulates and may be repeated; dx == null gives the same parameter gradients
        g.forward(ws, x, fv, batch, length, h);
        g.backward(ws, x, fv, dh, null, batch, length);
        g.backward(ws, x, fv, dh, null, batch, length);
        for (int i = 2; i < grad.length; i++) {
            float once = grad[i];
            assertThat(s.grad()[i]).isCloseTo(3 * once, within(1e-5f * (1 + Math.abs(once))));
        }
    }

    @Test
    void paddingIsZeroAndInert() {
        Rng rng = new Rng(21);
        ParameterStore s = new ParameterStore();
        int in = 3;
        int hidden = 4;
        int batch = 3;
        int length = 5;
        Gru g = initialized(s, in, hidden, 22);
        int[] fv = {0, 2, 5}; // the last sequence is all padding
        Gru.Workspace ws = g.newWorkspace(batch, length);
        float[] x = GradCheck.randomArray(rng, batch * length * in, -2, 2);
        float[] h = new float[batch * length * hidden];
        g.forward(ws, x, fv, batch, length, h);
        float[] dh = GradCheck.randomArray(rng, h.length, -1, 1);
        float[] dx = new float[x.length];
        s.zeroGrad();
        g.backward(ws, x, fv, dh, dx, batch, length);
        float[] grad = s.grad().clone();

        float[] x2 = x.clone();
        float[] dh2 = dh.clone();
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < length; t++) {
                int row = b * length + t;
                boolean padding = t < fv[b];
                for (int j = 0; j < hidden; j++) {
                    if (padding) {
                        assertThat(h[row * hidden + j]).isEqualTo(0f);
                        dh2[row * hidden + j] = 1e3f; // upstream gradients at padding are ignored
                    } else {
                        assertThat(h[row * hidden + j]).isNotEqualTo(0f);
                    }
                }
                for (int i = 0; i < in; i++) {
                    if (padding) {
                        assertThat(dx[row * in + i]).isEqualTo(0f);
                        x2[row * in + i] = 100f * (i + 1);
                    }
                }
            }
        }
        float[] h2 = new float[h.length];
        g.forward(ws, x2, fv, batch, length, h2);
        assertThat(h2).containsExactly(h);
        float[] dx2 = new float[x.length];
        s.zeroGrad();
        g.backward(ws, x2, fv, dh2, dx2, batch, length);
        assertThat(dx2).containsExactly(dx);
        assertThat(s.grad()).containsExactly(grad);
    }

    @Test
    void causal() {
        Rng rng = new Rng(31);
        ParameterStore s = new ParameterStore();
        int in = 2;
        int hidden = 3;
        int length = 6;
        Gru g = initialized(s, in, hidden, 32);
        Gru.Workspace ws = g.newWorkspace(2, length);
        int[] fv = {1, 0};
        float[] x = GradCheck.randomArray(rng, 2 * length * in, -2, 2);
        float[] h = new float[2 * length * hidden];
        g.forward(ws, x, fv, 2, length, h);
        for (int t = 1; t < length; t++) {
            float[] x2 = x.clone();
            for (int b = 0; b < 2; b++) {
                x2[(b * length + t) * in] += 0.5f;
            }
            float[] h2 = new float[h.length];
            g.forward(ws, x2, fv, 2, length, h2);
            for (int b = 0; b < 2; b++) {
                int before = b * length * hidden;
                int at = (b * length + t) * hidden;
                assertThat(Arrays.copyOfRange(h2, before, at)).containsExactly(Arrays.copyOfRange(h, before, at));
                assertThat(Arrays.copyOfRange(h2, at, at + hidden)).isNotEqualTo(Arrays.copyOfRange(h, at, at + hidden));
            }
        }
    }

    /** Five sequences: rows 0-3 and row 4 take different paths through the batched kernels. */
    @Test
    void batchIndependentBitForBit() {
        Rng rng = new Rng(41);
        ParameterStore s = new ParameterStore();
        int in = 3;
        int hidden = 6;
        int batch = 5;
        int length = 4;
        Gru g = initialized(s, in, hidden, 42);
        int[] fv = {0, 3, 1, 4, 2};
        float[] x = GradCheck.randomArray(rng, batch * length * in, -2, 2);
        float[] h = new float[batch * length * hidden];
        g.forward(g.newWorkspace(batch, length), x, fv, batch, length, h);
        Gru.Workspace single = g.newWorkspace(1, length);
        for (int b = 0; b < batch; b++) {
            float[] xb = Arrays.copyOfRange(x, b * length * in, (b + 1) * length * in);
            float[] hb = new float[length * hidden];
            g.forward(single, xb, new int[] {fv[b]}, 1, length, hb);
            assertThat(hb).containsExactly(Arrays.copyOfRange(h, b * length * hidden, (b + 1) * length * hidden));
        }
    }

    @Test
    void rejectsMisuse() {
        ParameterStore s = new ParameterStore();
        Gru g = initialized(s, 2, 3, 1);
        Gru other = new Gru(new ParameterStore(), "o", 2, 3);
        Gru.Workspace ws = g.newWorkspace(2, 3);
        float[] x = new float[3 * 3 * 2];
        float[] h = new float[3 * 3 * 3];
        assertThatThrownBy(() -> g.forward(ws, x, new int[] {0, 0, 0}, 3, 3, h))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> g.forward(ws, x, new int[] {0, 0}, 2, 4, h))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> g.forward(ws, x, new int[] {0, 4}, 2, 3, h))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> other.forward(ws, x, new int[] {0, 0}, 2, 3, h))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> g.forward(ws, x, new int[] {0, 0}, 2, 3, new float[5]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> g.newWorkspace(0, 3)).isInstanceOf(IllegalArgumentException.class);
        g.forward(ws, x, new int[] {0, 1}, 2, 3, h);
        float[] dh = new float[h.length];
        assertThatThrownBy(() -> g.backward(ws, x, new int[] {0, 0}, dh, null, 2, 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> g.backward(ws, x, new int[] {0, 1}, dh, null, 2, 2))
                .isInstanceOf(IllegalArgumentException.class);
        g.backward(ws, x, new int[] {0, 1}, dh, null, 2, 3);
    }
}
