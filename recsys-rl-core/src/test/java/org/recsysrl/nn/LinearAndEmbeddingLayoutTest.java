package org.recsysrl.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.recsysrl.util.Rng;

/** Where a Linear's and an Embedding's values live in the store, and what they refuse. */
class LinearAndEmbeddingLayoutTest {

    /** W[o, i] = 10·o + i for a 3 → 2 layer: weightRows gives the [out, in] rows back. */
    @Test
    void weightRowsAreTheOutputsWeightsInOrder() {
        ParameterStore s = new ParameterStore();
        Linear l = new Linear(s, "l", 3, 2);
        for (int o = 0; o < 2; o++) {
            for (int i = 0; i < 3; i++) {
                s.data()[l.weightIndex(o, i)] = 10f * o + i;
            }
        }
        assertThat(l.weightRows()).containsExactly(0f, 1f, 2f, 10f, 11f, 12f);
        assertThat(l.weightIndex(1, 2)).isEqualTo(l.weightOffset() + 2 * 2 + 1); // stored [in, out]
        assertThat(l.toString()).isEqualTo("Linear[l: 3 -> 2]");
        assertThatThrownBy(() -> l.weightIndex(2, 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> l.weightIndex(0, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> l.weightIndex(-1, 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> l.weightIndex(0, -1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(new Linear(new ParameterStore(), "one", 1, 1).in()).isEqualTo(1);
        assertThatThrownBy(() -> new Linear(new ParameterStore(), "z", 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Linear 'z' needs positive sizes");
        assertThatThrownBy(() -> new Linear(new ParameterStore(), "z", 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Linear 'z' needs positive sizes");
    }

    @Test
    void embeddingRowsReadWriteAndClearTheirOwnSlice() {
        ParameterStore s = new ParameterStore();
        s.allocate("before", 3);
        Embedding e = new Embedding(s, "items", 4, 2);
        assertThat(e.rows()).isEqualTo(4);
        assertThat(e.dim()).isEqualTo(2);
        assertThat(e.offset()).isEqualTo(3);
        assertThat(e.name()).isEqualTo("items.weight");
        e.initializeNormal(0.5, new Rng(1));
        Rng expected = new Rng(1);
        for (int k = 0; k < 8; k++) {
            assertThat(s.data()[3 + k]).isEqualTo((float) (0.5 * expected.nextGaussian()));
        }
        float[] out = new float[6];
        e.forward(new int[] {3, -1, 0}, 3, out);
        assertThat(out).containsExactly(s.data()[9], s.data()[10], 0f, 0f, s.data()[3], s.data()[4]);

        Embedding.RowSet touched = new Embedding.RowSet(4);
        e.backward(new int[] {3, -1, 3}, 3, new float[] {1f, 2f, 5f, 5f, 3f, 4f}, touched);
        assertThat(touched.size()).isEqualTo(1);
        assertThat(touched.get(0)).isEqualTo(3);
        assertThat(s.grad()[9]).isEqualTo(4f);
        assertThat(s.grad()[10]).isEqualTo(6f);
        s.grad()[3] = 7f;
        e.clearGrad(touched);
        assertThat(s.grad()[9]).isZero();
        assertThat(s.grad()[10]).isZero();
        assertThat(s.grad()[3]).isEqualTo(7f); // row 0 was not touched
        touched.clear();
        assertThat(touched.size()).isZero();
        assertThat(touched.contains(3)).isFalse();

        assertThatThrownBy(() -> e.forward(new int[] {4}, 1, new float[2])).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(new Embedding(new ParameterStore(), "one", 1, 1).rows()).isEqualTo(1);
        assertThatThrownBy(() -> new Embedding(new ParameterStore(), "z", 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Embedding(new ParameterStore(), "z", 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
