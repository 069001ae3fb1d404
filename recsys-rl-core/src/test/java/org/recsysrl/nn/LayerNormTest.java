package org.recsysrl.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.recsysrl.util.Rng;

class LayerNormTest {
    @Test
    void normalisesARowByHand() {
        ParameterStore s = new ParameterStore();
        LayerNorm ln = new LayerNorm(s, "ln", 4);
        ln.initialize();
        // x = (1, 2, 3, 6): mean 3, variance (4 + 1 + 0 + 9)/4 = 3.5, so y = (x − 3)/sqrt(3.5 + 1e-5)
        float[] x = {1, 2, 3, 6};
        float[] y = new float[4];
        ln.forward(ln.newWorkspace(1), x, y, 1);
        double sd = Math.sqrt(3.5 + 1e-5);
        assertThat(y[0]).isCloseTo((float) (-2 / sd), within(1e-6f));
        assertThat(y[3]).isCloseTo((float) (3 / sd), within(1e-6f));
        // γ = 2, β = 1 scale and shift
        java.util.Arrays.fill(s.data(), 0, 4, 2f);
        java.util.Arrays.fill(s.data(), 4, 8, 1f);
        ln.forward(ln.newWorkspace(1), x, y, 1);
        assertThat(y[1]).isCloseTo((float) (2 * -1 / sd + 1), within(1e-6f));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng rng = new Rng(7);
        ParameterStore s = new ParameterStore();
        LayerNorm ln = new LayerNorm(s, "ln", 5);
        float[] p = s.data();
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) rng.uniform(-1.5, 1.5);
        }
        int rows = 3;
        float[] x = GradCheck.randomArray(rng, rows * 5, -2, 2);
        float[] c = GradCheck.randomArray(rng, rows * 5, -1, 1);
        LayerNorm.Workspace ws = ln.newWorkspace(rows);
        float[] y = new float[rows * 5];
        java.util.function.DoubleSupplier loss = () -> {
            ln.forward(ln.newWorkspace(rows), x, y, rows);
            return GradCheck.dot(y, c, rows * 5);
        };
        ln.forward(ws, x, y, rows);
        float[] dx = new float[rows * 5];
        ln.backward(ws, c, dx, rows);
        GradCheck.check("ln params", p, 0, s.grad(), 0, p.length, 1e-2, 2e-2, 1e-4, loss);
        GradCheck.check("ln x", x, 0, dx, 0, x.length, 1e-2, 2e-2, 1e-4, loss);
    }
}
