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
