package org.recsysrl.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.recsysrl.util.Rng;

/**
 * A workspace reused for a pass with more padding than the last one gives the same outputs and
 * gradients as a fresh workspace: nothing of the earlier pass leaks into padding positions.
 */
class GruWorkspaceReuseTest {

    private static final int IN = 2;
    private static final int HIDDEN = 3;
    private static final int BATCH = 2;
    private static final int LENGTH = 4;

    private static Gru gru(ParameterStore s) {
        Gru g = new Gru(s, "g", IN, HIDDEN);
        g.initialize(new Rng(5));
        return g;
    }

    private static float[] run(Gru g, ParameterStore s, Gru.Workspace ws, float[] x, int[] fv, float[] dh,
            float[] gradOut, float[] dx) {
        float[] h = new float[BATCH * LENGTH * HIDDEN];
        g.forward(ws, x, fv, BATCH, LENGTH, h);
        s.zeroGrad();
        g.backward(ws, x, fv, dh, dx, BATCH, LENGTH);
        System.arraycopy(s.grad(), 0, gradOut, 0, gradOut.length);
        return h;
    }

    @Test
    void aReusedWorkspaceMatchesAFreshOneAfterAPassWithLessPadding() {
        ParameterStore s = new ParameterStore();
        Gru g = gru(s);
        Rng rng = new Rng(9);
        float[] x = GradCheck.randomArray(rng, BATCH * LENGTH * IN, -2, 2);
        float[] dh = GradCheck.randomArray(rng, BATCH * LENGTH * HIDDEN, -1, 1);
        int[] padded = {2, 3}; // positions 0 and 1 are padding in both sequences

        float[] freshGrad = new float[s.grad().length];
        float[] freshDx = new float[x.length];
        float[] fresh = run(g, s, g.newWorkspace(BATCH, LENGTH), x, padded, dh, freshGrad, freshDx);

        Gru.Workspace reused = g.newWorkspace(BATCH, LENGTH);
        run(g, s, reused, x, new int[] {0, 0}, dh, new float[freshGrad.length], new float[x.length]);
        float[] reusedGrad = new float[freshGrad.length];
        float[] reusedDx = new float[x.length];
        float[] again = run(g, s, reused, x, padded, dh, reusedGrad, reusedDx);

        assertThat(again).containsExactly(fresh);
        assertThat(reusedGrad).containsExactly(freshGrad);
        assertThat(reusedDx).containsExactly(freshDx);
        for (int i = 0; i < 2 * HIDDEN; i++) {
            assertThat(again[i]).isEqualTo(0f); // sequence 0, positions 0 and 1
            assertThat(again[LENGTH * HIDDEN + i]).isEqualTo(0f); // sequence 1
        }
    }

    @Test
    void withoutDxTheParameterGradientsAreTheSame() {
        ParameterStore s = new ParameterStore();
        Gru g = gru(s);
        Rng rng = new Rng(11);
        float[] x = GradCheck.randomArray(rng, BATCH * LENGTH * IN, -2, 2);
        float[] dh = GradCheck.randomArray(rng, BATCH * LENGTH * HIDDEN, -1, 1);
        int[] fv = {1, 0};
        float[] withDx = new float[s.grad().length];
        run(g, s, g.newWorkspace(BATCH, LENGTH), x, fv, dh, withDx, new float[x.length]);
        float[] withoutDx = new float[withDx.length];
        run(g, s, g.newWorkspace(BATCH, LENGTH), x, fv, dh, withoutDx, null);
        assertThat(withoutDx).containsExactly(withDx);
    }

    @Test
    void emptyBatchesAndSequencesAreAllowed() {
        ParameterStore s = new ParameterStore();
        Gru g = gru(s);
        Gru.Workspace ws = g.newWorkspace(BATCH, LENGTH);
        g.forward(ws, new float[0], new int[0], 0, LENGTH, new float[0]);
        g.backward(ws, new float[0], new int[0], new float[0], null, 0, LENGTH);
        g.forward(ws, new float[0], new int[] {0, 0}, BATCH, 0, new float[0]);
        g.backward(ws, new float[0], new int[] {0, 0}, new float[0], new float[0], BATCH, 0);
        assertThat(s.grad()).containsOnly(0f);
    }

    @Test
    void backwardRefusesShortArraysAndForwardAShortInput() {
        ParameterStore s = new ParameterStore();
        Gru g = gru(s);
        Gru.Workspace ws = g.newWorkspace(BATCH, LENGTH);
        int[] fv = {0, 1};
        int rows = BATCH * LENGTH;
        float[] x = new float[rows * IN];
        float[] h = new float[rows * HIDDEN];
        assertThatThrownBy(() -> g.forward(ws, new float[rows * IN - 1], fv, BATCH, LENGTH, h))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x has");
        g.forward(ws, x, fv, BATCH, LENGTH, h);
        assertThatThrownBy(() -> g.backward(ws, new float[rows * IN - 1], fv, h, null, BATCH, LENGTH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x has");
        assertThatThrownBy(() -> g.backward(ws, x, fv, new float[rows * HIDDEN - 1], null, BATCH, LENGTH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dh has");
        assertThatThrownBy(() -> g.backward(ws, x, fv, h, new float[rows * IN - 1], BATCH, LENGTH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dx has");
        assertThatThrownBy(() -> g.forward(ws, x, fv, -1, LENGTH, h))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch -1");
        assertThatThrownBy(() -> g.forward(ws, x, fv, BATCH, -1, h))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length -1");
    }

    @Test
    void sizesMustBePositive() {
        assertThatThrownBy(() -> new Gru(new ParameterStore(), "g", 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Gru 'g' needs positive sizes");
        assertThatThrownBy(() -> new Gru(new ParameterStore(), "g", 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Gru 'g' needs positive sizes");
        Gru smallest = new Gru(new ParameterStore(), "g", 1, 1);
        assertThat(smallest.hidden()).isEqualTo(1);
    }
}
