package org.recsysrl.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.recsysrl.util.Rng;

class MlpTest {

    @Test
    void structureAndNaming() {
        ParameterStore s = new ParameterStore();
        Mlp m = new Mlp(s, "actor.backbone", 6, new int[] {8, 5}, Activation.TANH);
        assertThat(m.inputSize()).isEqualTo(6);
        assertThat(m.outputSize()).isEqualTo(5);
        assertThat(m.activation()).isEqualTo(Activation.TANH);
        assertThat(m.layers()).extracting(Linear::name).containsExactly("actor.backbone.0", "actor.backbone.2");
        assertThat(s.entries()).extracting(ParameterStore.Entry::name).containsExactly(
                "actor.backbone.0.weight", "actor.backbone.0.bias",
                "actor.backbone.2.weight", "actor.backbone.2.bias");
        assertThat(s.size()).isEqualTo(8 * 6 + 8 + 5 * 8 + 5);
        assertThat(m.newWorkspace(4).capacity()).isEqualTo(4);
    }

    @Test
    void emptyHiddenIsIdentity() {
        ParameterStore s = new ParameterStore();
        Mlp m = new Mlp(s, "id", 3, new int[0], Activation.RELU);
        assertThat(m.outputSize()).isEqualTo(3);
        Mlp.Workspace ws = m.newWorkspace(2);
        float[] x = {1, -2, 3, -4, 5, -6};
        float[] y = m.forward(ws, x, 2);
        assertThat(y).containsExactly(x);
        float[] dx = new float[6];
        m.backward(ws, x, new float[] {1, 2, 3, 4, 5, 6}, dx, 2);
        assertThat(dx).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void rejectsOversizedBatchAndForeignWorkspace() {
        ParameterStore s = new ParameterStore();
        Mlp a = new Mlp(s, "a", 2, new int[] {3}, Activation.RELU);
        Mlp b = new Mlp(s, "b", 2, new int[] {3}, Activation.RELU);
        Mlp.Workspace ws = a.newWorkspace(2);
        assertThatThrownBy(() -> a.forward(ws, new float[6], 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.forward(ws, new float[4], 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void forwardMatchesManualComposition() {
        Rng rng = new Rng(3);
        ParameterStore s = new ParameterStore();
        Mlp m = new Mlp(s, "n", 4, new int[] {6, 3}, Activation.ELU);
        for (Linear l : m.layers()) {
            Init.pytorchDefault(l, rng);
        }
        float[] x = GradCheck.randomArray(rng, 2 * 4, -1, 1);
        float[] h = new float[2 * 6];
        m.layers().get(0).forward(x, h, 2);
        Activation.ELU.forwardInPlace(h, 12);
        float[] o = new float[2 * 3];
        m.layers().get(1).forward(h, o, 2);
        Activation.ELU.forwardInPlace(o, 6);
        float[] y = m.forward(m.newWorkspace(5), x, 2);
        for (int i = 0; i < 6; i++) {
            assertThat(y[i]).isEqualTo(o[i]);
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void gradientCheck(Activation act) {
        Rng rng = new Rng(11 + act.ordinal());
        ParameterStore s = new ParameterStore();
        int in = 5;
        Mlp m = new Mlp(s, "net", in, new int[] {7, 6, 4}, act);
        for (Linear l : m.layers()) {
            Init.pytorchDefault(l, rng);
        }
        int batch = 3;
        Mlp.Workspace ws = m.newWorkspace(4);
        float[] x = GradCheck.randomArray(rng, batch * in, -2, 2);
        int outN = batch * m.outputSize();
        float[] c = GradCheck.randomArray(rng, outN, -1, 1);
        // L = sum c*y + 0.5 sum y^2  (non-linear in y as well)
        DoubleSupplier loss = () -> {
            float[] y = m.forward(ws, x, batch);
            double l = 0;
            for (int i = 0; i < outN; i++) {
                l += (double) c[i] * y[i] + 0.5 * (double) y[i] * y[i];
            }
            return l;
        };
        s.zeroGrad();
        float[] y = m.forward(ws, x, batch);
        float[] dOut = new float[outN];
        for (int i = 0; i < outN; i++) {
            dOut[i] = c[i] + y[i];
        }
        float[] dx = new float[batch * in];
        m.backward(ws, x, dOut, dx, batch);
        float[] g = s.grad().clone();

        double eps = act == Activation.RELU ? 1e-3 : 3e-3;
        float[] p = s.data();
        for (Linear l : m.layers()) {
            GradCheck.check(l.name() + ".weight", p, l.weightOffset(), g, l.weightOffset(),
                    l.in() * l.out(), eps, 1e-2, 1e-3, loss);
            GradCheck.check(l.name() + ".bias", p, l.biasOffset(), g, l.biasOffset(),
                    l.out(), eps, 1e-2, 1e-3, loss);
        }
        GradCheck.check("x", x, 0, dx, 0, batch * in, eps, 1e-2, 1e-3, loss);

        // dx == null only accumulates parameters, giving the same parameter gradient again
        m.forward(ws, x, batch);
        float[] y2 = m.forward(ws, x, batch);
        for (int i = 0; i < outN; i++) {
            dOut[i] = c[i] + y2[i];
        }
        m.backward(ws, x, dOut, null, batch);
        for (int i = 0; i < g.length; i++) {
            assertThat(s.grad()[i]).isCloseTo(2 * g[i], within(1e-5f * (1 + Math.abs(g[i]))));
        }
    }
}
