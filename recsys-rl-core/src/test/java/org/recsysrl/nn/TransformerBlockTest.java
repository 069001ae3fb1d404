package org.recsysrl.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.recsysrl.util.Rng;

class TransformerBlockTest {
    @Test
    void gradientsMatchFiniteDifferences() {
        Rng rng = new Rng(13);
        int d = 4;
        int len = 3;
        int batch = 2;
        ParameterStore s = new ParameterStore();
        TransformerBlock b = new TransformerBlock(s, "block", d, 2, 5);
        b.initialize(rng);
        float[] p = s.data();
        for (int i = 0; i < p.length; i++) {
            p[i] += (float) rng.uniform(-0.2, 0.2); // move γ, β off 1 and 0
        }
        int[] firstValid = {0, 1};
        float[] x = GradCheck.randomArray(rng, batch * len * d, -1, 1);
        float[] c = GradCheck.randomArray(rng, batch * len * d, -1, 1);
        java.util.Arrays.fill(c, len * d, len * d + d, 0f);
        float[] y = new float[x.length];
        java.util.function.DoubleSupplier loss = () -> {
            b.forward(b.newWorkspace(batch, len), x, firstValid, batch, len, y, 0, null);
            return GradCheck.dot(y, c, y.length);
        };
        TransformerBlock.Workspace ws = b.newWorkspace(batch, len);
        b.forward(ws, x, firstValid, batch, len, y, 0, null);
        float[] dx = new float[x.length];
        b.backward(ws, x, firstValid, c, dx, batch, len);
        GradCheck.check("block params", p, 0, s.grad(), 0, p.length, 1e-2, 3e-2, 3e-4, loss);
        // x at padding rows flows into the padding rows' own (unused) outputs only
        GradCheck.check("block x", x, 0, dx, 0, len * d, 1e-2, 3e-2, 3e-4, loss);
        GradCheck.check("block x (second)", x, (len + 1) * d, dx, (len + 1) * d, (len - 1) * d, 1e-2, 3e-2, 3e-4, loss);
    }

    @Test
    void dropoutIsTheIdentityWithoutARngAndReproducibleWithOne() {
        Rng rng = new Rng(17);
        ParameterStore s = new ParameterStore();
        TransformerBlock b = new TransformerBlock(s, "block", 4, 1, 4);
        b.initialize(rng);
        float[] x = GradCheck.randomArray(rng, 2 * 4, -1, 1);
        float[] y0 = new float[8];
        float[] y1 = new float[8];
        b.forward(b.newWorkspace(1, 2), x, new int[] {0}, 1, 2, y0, 0.5, null);
        b.forward(b.newWorkspace(1, 2), x, new int[] {0}, 1, 2, y1, 0.0, new Rng(1));
        assertThat(y1).containsExactly(y0);
        float[] a = new float[8];
        float[] c = new float[8];
        b.forward(b.newWorkspace(1, 2), x, new int[] {0}, 1, 2, a, 0.5, new Rng(9));
        b.forward(b.newWorkspace(1, 2), x, new int[] {0}, 1, 2, c, 0.5, new Rng(9));
        assertThat(c).containsExactly(a);
        assertThat(java.util.Arrays.equals(a, y0)).isFalse();
    }
}
