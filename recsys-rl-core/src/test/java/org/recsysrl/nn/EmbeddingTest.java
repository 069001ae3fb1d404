package org.recsysrl.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.recsysrl.util.Rng;

class EmbeddingTest {
    @Test
    void lookupPaddingAndSparseGradient() {
        ParameterStore s = new ParameterStore();
        Embedding e = new Embedding(s, "items", 4, 2);
        float[] p = s.data();
        for (int i = 0; i < 8; i++) {
            p[i] = i;
        }
        float[] out = new float[6];
        e.forward(new int[] {2, -1, 0}, 3, out);
        assertThat(out).containsExactly(4, 5, 0, 0, 0, 1);
        Embedding.RowSet rows = new Embedding.RowSet(4);
        e.backward(new int[] {2, -1, 2}, 3, new float[] {1, 2, 9, 9, 3, 4}, rows);
        // row 2 gets (1 + 3, 2 + 4); padding gets nothing; only row 2 is recorded
        assertThat(s.grad()).containsExactly(0, 0, 0, 0, 4, 6, 0, 0);
        assertThat(rows.size()).isEqualTo(1);
        assertThat(rows.get(0)).isEqualTo(2);
        e.clearGrad(rows);
        assertThat(s.grad()).containsOnly(0f);
        rows.clear();
        assertThat(rows.contains(2)).isFalse();
    }

    @Test
    void lazyAdamUpdatesOnlyTheListedRowsAndEqualsDenseAdamOnThem() {
        Rng rng = new Rng(2);
        int rows = 5;
        int width = 3;
        float[] params = GradCheck.randomArray(rng, rows * width, -1, 1);
        float[] grads = GradCheck.randomArray(rng, rows * width, -1, 1);
        float[] dense = params.clone();
        float[] lazy = params.clone();
        Adam a = new Adam(rows * width, 0.01, 0.9, 0.999, 1e-8);
        Adam b = new Adam(rows * width, 0.01, 0.9, 0.999, 1e-8);
        a.step(dense, grads);
        Embedding.RowSet set = new Embedding.RowSet(rows);
        set.add(1);
        set.add(3);
        b.beginStep();
        b.updateRows(lazy, grads, 1f, 0, width, set);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < width; j++) {
                int k = r * width + j;
                if (r == 1 || r == 3) {
                    assertThat(lazy[k]).isEqualTo(dense[k]);
                } else {
                    assertThat(lazy[k]).isEqualTo(params[k]);
                    assertThat(b.firstMoment()[k]).isZero();
                }
            }
        }
    }
}
