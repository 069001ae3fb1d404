package org.recsysrl.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.recsysrl.util.Rng;

class LinearTest {

    @Test
    void allocatesNamedParameters() {
        ParameterStore s = new ParameterStore();
        s.allocate("before", 2);
        Linear l = new Linear(s, "head", 3, 4);
        assertThat(l.in()).isEqualTo(3);
        assertThat(l.out()).isEqualTo(4);
        assertThat(l.name()).isEqualTo("head");
        assertThat(l.store()).isSameAs(s);
        assertThat(s.entry("head.weight").shape()).containsExactly(4, 3);
        assertThat(s.entry("head.bias").shape()).containsExactly(4);
        assertThat(l.weightOffset()).isEqualTo(2);
        assertThat(l.biasOffset()).isEqualTo(14);
    }

    @Test
    void weightIsStoredTransposedButExportedInPyTorchLayout() {
        ParameterStore s = new ParameterStore();
        Linear l = new Linear(s, "layer", 3, 2); // W [2 out, 3 in]
        ParameterStore.Entry w = s.entry("layer.weight");
        assertThat(w.transposed()).isTrue();
        float[] p = s.data();
        float[][] weights = {{1, 2, 3}, {4, 5, 6}};
        for (int o = 0; o < 2; o++) {
            for (int i = 0; i < 3; i++) {
                assertThat(l.weightIndex(o, i)).isEqualTo(w.index(o, i)).isEqualTo(l.weightOffset() + i * 2 + o);
                p[l.weightIndex(o, i)] = weights[o][i];
            }
        }
        assertThat(java.util.Arrays.copyOfRange(p, 0, 6)).containsExactly(1, 4, 2, 5, 3, 6);
        assertThat(s.toLogical(w, p)).containsExactly(1, 2, 3, 4, 5, 6);
        float[] y = new float[2];
        l.forward(new float[] {1, 0, -1}, y, 1);
        assertThat(y).containsExactly(-2f, -2f); // 1 - 3 and 4 - 6, bias 0

        float[] other = new float[s.size()];
        s.fromLogical(w, new float[] {1, 2, 3, 4, 5, 6}, other);
        assertThat(java.util.Arrays.copyOfRange(other, 0, 6)).containsExactly(1, 4, 2, 5, 3, 6);
        float[] whole = s.toLogical(p);
        assertThat(java.util.Arrays.copyOfRange(whole, 0, 6)).containsExactly(1, 2, 3, 4, 5, 6);
        float[] back = new float[s.size()];
        s.fromLogical(whole, back);
        assertThat(back).containsExactly(p);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> l.weightIndex(2, 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void gradientCheckParamsAndInput() {
        Rng rng = new Rng(1);
        ParameterStore s = new ParameterStore();
        s.allocate("pad", 3);
        Linear l = new Linear(s, "l", 5, 4);
        Init.pytorchDefault(l, rng);
        int batch = 3;
        float[] x = GradCheck.randomArray(rng, batch * 5, -2, 2);
        float[] c = GradCheck.randomArray(rng, batch * 4, -1, 1); // L = sum c * y
        float[] y = new float[batch * 4];
        java.util.function.DoubleSupplier loss = () -> {
            l.forward(x, y, batch);
            return GradCheck.dot(y, c, batch * 4);
        };

        s.zeroGrad();
        s.grad()[0] = 123f; // unrelated entry must stay
        float[] dx = new float[batch * 5];
        l.forward(x, y, batch);
        l.backward(x, c.clone(), dx, batch);
        assertThat(s.grad()[0]).isEqualTo(123f);

        float[] p = s.data();
        float[] g = s.grad();
        GradCheck.check("weight", p, l.weightOffset(), g, l.weightOffset(), 20, 1e-2, 1e-3, 1e-4, loss);
        GradCheck.check("bias", p, l.biasOffset(), g, l.biasOffset(), 4, 1e-2, 1e-3, 1e-4, loss);
        GradCheck.check("x", x, 0, dx, 0, batch * 5, 1e-2, 1e-3, 1e-4, loss);

        // accumulation: second backward doubles the parameter gradient
        float w0 = g[l.weightOffset()];
        l.backward(x, c, null, batch);
        assertThat(g[l.weightOffset()]).isCloseTo(2 * w0, within(1e-5f * (1 + Math.abs(w0))));
    }
}
