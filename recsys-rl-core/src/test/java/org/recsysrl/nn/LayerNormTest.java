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

    /**
     * Rows normalised four at a time (their sums interleaved) get the bits of the same rows one at a
     * time, forward and backward, in place or not; dγ and dβ add the rows in order either way.
     */
    @Test
    void fourRowsAtATimeGiveTheBitsOfOneRowAtATime() {
        Rng rng = new Rng(23);
        int d = 37;
        int rows = 11; // two blocks of four and three single rows
        ParameterStore s = new ParameterStore();
        LayerNorm ln = new LayerNorm(s, "ln", d);
        float[] p = s.data();
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) rng.uniform(-1.5, 1.5);
        }
        float[] x = GradCheck.randomArray(rng, rows * d, -3, 5);
        float[] dy = GradCheck.randomArray(rng, rows * d, -1, 1);
        LayerNorm.Workspace all = ln.newWorkspace(rows);
        float[] y = x.clone();
        ln.forward(all, y, y, rows); // in place
        float[] dx = dy.clone();
        ln.backward(all, dx, dx, rows);
        float[] gradAll = s.grad().clone();
        java.util.Arrays.fill(s.grad(), 0f);
        for (int r = 0; r < rows; r++) {
            LayerNorm.Workspace one = ln.newWorkspace(1);
            float[] xr = java.util.Arrays.copyOfRange(x, r * d, (r + 1) * d);
            float[] yr = new float[d];
            ln.forward(one, xr, yr, 1);
            float[] dxr = new float[d];
            ln.backward(one, java.util.Arrays.copyOfRange(dy, r * d, (r + 1) * d), dxr, 1);
            assertThat(java.util.Arrays.copyOfRange(y, r * d, (r + 1) * d)).as("y row %d", r).containsExactly(yr);
            assertThat(java.util.Arrays.copyOfRange(dx, r * d, (r + 1) * d)).as("dx row %d", r).containsExactly(dxr);
        }
        assertThat(gradAll).containsExactly(s.grad());
    }
}
