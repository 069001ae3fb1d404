package org.recsysrl.seq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Recommender;

/** The sparse item-to-item rows: validation, scoring as a sum over distinct items, pruning by {@code of}. */
class ItemTableTest {

    /** A linear model given by its matrix: a history scores the sum of its distinct items' rows. */
    private static Recommender matrix(float[][] m) {
        return new Recommender() {
            @Override
            public String name() {
                return "matrix";
            }

            @Override
            public int itemCount() {
                return m.length;
            }

            @Override
            public Scorer newScorer() {
                return (h, out) -> {
                    java.util.Arrays.fill(out, 0, m.length, 0f);
                    for (int p = h.from(); p < h.to(); p++) {
                        for (int i = 0; i < m.length; i++) {
                            out[i] += m[h.items()[p]][i];
                        }
                    }
                };
            }
        };
    }

    // row 0 -> {1: 0.5, 2: 0.25}, row 1 -> {0: 1}, row 2 -> {}, row 3 -> {2: -2}
    private static ItemTable small() {
        return new ItemTable("t", new int[] {0, 2, 3, 3, 4}, new int[] {1, 2, 0, 2}, new float[] {0.5f, 0.25f, 1f, -2f});
    }

    @Test
    void aHistoryScoresTheSumOfItsDistinctItemsRows() {
        ItemTable t = small();
        assertThat(t.itemCount()).isEqualTo(4);
        assertThat(t.entries()).isEqualTo(4);
        Recommender.Scorer s = t.newScorer();
        float[] out = {9, 9, 9, 9, 7};
        s.score(History.of(0, 0, 1, 2), out);
        assertThat(out).containsExactly(1f, 0.5f, 0.25f, 0f, 7f);
        // the same scorer again (a new stamp): the duplicates of the last call do not leak
        s.score(History.of(3, 0), out);
        assertThat(out).containsExactly(0f, 0.5f, -1.75f, 0f, 7f);
        s.score(History.of(0), out);
        assertThat(out).containsExactly(0f, 0.5f, 0.25f, 0f, 7f);
        // only the window [from, to) counts
        s.score(new History(History.UNKNOWN_USER, new int[] {1, 3, 0, 1}, null, 1, 3), out);
        assertThat(out).containsExactly(0f, 0.5f, -1.75f, 0f, 7f);
        s.score(History.of(), out);
        assertThat(out).containsExactly(0f, 0f, 0f, 0f, 7f);
    }

    @Test
    void malformedRowsAreRejected() {
        assertThatThrownBy(() -> new ItemTable("t", new int[] {}, new int[] {}, new float[] {}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ItemTable("t", new int[] {1, 1}, new int[] {0}, new float[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ItemTable("t", new int[] {0, 2}, new int[] {0}, new float[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ItemTable("t", new int[] {0, 1}, new int[] {0}, new float[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ItemTable("t", new int[] {0, 2, 1, 2}, new int[] {0, 1}, new float[] {1, 2}))
                .hasMessageContaining("decrease at row 1");
        assertThatThrownBy(() -> new ItemTable("t", new int[] {0, 1, 1}, new int[] {2}, new float[] {1}))
                .hasMessageContaining("column 2 outside 0..1");
        assertThatThrownBy(() -> new ItemTable("t", new int[] {0, 1, 1}, new int[] {-1}, new float[] {1}))
                .hasMessageContaining("column -1");
        // boundary cases that are valid: an empty table, equal offsets, the last column
        assertThat(new ItemTable("t", new int[] {0}, new int[] {}, new float[] {}).itemCount()).isZero();
        assertThat(new ItemTable("t", new int[] {0, 0, 1}, new int[] {1}, new float[] {1}).entries()).isEqualTo(1);
    }

    @Test
    void ofKeepsTheLargestPositiveOffDiagonalEntriesLargerFirstThenLowerId() {
        float[][] m = {
            {5f, 1f, 3f, 3f},   // diagonal dropped; 3 (id 2) before 3 (id 3) before 1
            {0f, 0f, -1f, 2f},  // zeros and negatives dropped
            {-1f, -2f, 4f, 0f}, // nothing positive off the diagonal
            {0.5f, 0.75f, 0.25f, 9f},
        };
        ItemTable t = ItemTable.of(matrix(m), 2, 1);
        assertThat(t.name()).isEqualTo("matrix");
        assertThat(t.offsets()).containsExactly(0, 2, 3, 3, 5);
        assertThat(t.ids()).containsExactly(2, 3, 3, 1, 0);
        assertThat(t.values()).containsExactly(3f, 3f, 2f, 0.75f, 0.5f);
        // keep = 3 keeps row 0 whole (3 positive entries) and row 3 whole
        ItemTable whole = ItemTable.of(matrix(m), 3, 2);
        assertThat(whole.offsets()).containsExactly(0, 3, 4, 4, 7);
        assertThat(whole.ids()).containsExactly(2, 3, 1, 3, 1, 0, 2);
        assertThat(whole.values()).containsExactly(3f, 3f, 1f, 2f, 0.75f, 0.5f, 0.25f);
    }

    @Test
    void ofCoversEveryRowAcrossChunksAndThreads() {
        int n = 130; // three chunks of 64
        float[][] m = new float[n][n];
        for (int j = 0; j < n; j++) {
            m[j][(j + 1) % n] = 1 + j;
            m[j][(j + 2) % n] = 0.5f;
        }
        for (int threads : new int[] {1, 3}) {
            ItemTable t = ItemTable.of(matrix(m), 1, threads);
            assertThat(t.itemCount()).isEqualTo(n);
            assertThat(t.entries()).isEqualTo(n);
            float[] out = new float[n];
            Recommender.Scorer s = t.newScorer();
            for (int j = 0; j < n; j++) {
                assertThat(t.ids()[j]).isEqualTo((j + 1) % n);
                assertThat(t.values()[j]).isEqualTo(1f + j);
            }
            s.score(History.of(n - 1, 0), out);
            assertThat(out[0]).isEqualTo(n);
            assertThat(out[1]).isEqualTo(1f);
        }
    }
}
