package org.recsysrl.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.recsysrl.api.LogitVectors;
import org.recsysrl.util.UserInputException;

/**
 * The HNSW index against brute force on a synthetic catalog whose rows have unequal norms (as
 * logit vectors with a bias component do): recall@10 of at least 0.98 with the default settings,
 * excluded items never returned, and the {@code --index} values parsed or refused in one line.
 */
class HnswItemIndexTest {
    static final int ITEMS = 3000;
    static final int DIM = 17;
    static LogitVectors vectors;
    static HnswItemIndex index;

    @BeforeAll
    static void build() {
        Random rnd = new Random(11);
        float[] rows = new float[ITEMS * DIM];
        for (int i = 0; i < ITEMS; i++) {
            double norm = 0.3 + 1.7 * rnd.nextDouble(); // norms from 0.3 to 2: inner product ≠ cosine
            for (int d = 0; d < DIM; d++) {
                rows[i * DIM + d] = (float) (norm * rnd.nextGaussian() / Math.sqrt(DIM));
            }
        }
        vectors = new LogitVectors(rows, DIM, ITEMS);
        index = HnswItemIndex.build(vectors, HnswItemIndex.Settings.defaults(), 1);
    }

    private static float[] query(Random rnd) {
        float[] q = new float[DIM];
        for (int d = 0; d < DIM; d++) {
            q[d] = (float) (3 * rnd.nextGaussian());
        }
        return q;
    }

    /** The exact top {@code k} among the allowed items, by inner product. */
    private static List<Integer> exact(float[] q, int k, IntPredicate allowed) {
        float[] score = new float[ITEMS];
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            score[i] = vectors.logit(q, i);
            if (allowed.test(i)) {
                all.add(i);
            }
        }
        all.sort((a, b) -> Float.compare(score[b], score[a]));
        return all.subList(0, k);
    }

    private static double recall(List<Integer> truth, int[] found, int m) {
        Set<Integer> t = new HashSet<>(truth);
        int hits = 0;
        for (int r = 0; r < m; r++) {
            hits += t.contains(found[r]) ? 1 : 0;
        }
        return hits / (double) truth.size();
    }

    @Test
    void recallAtTenIsAtLeast098() {
        Random rnd = new Random(5);
        double sum = 0;
        int queries = 300;
        int[] out = new int[10];
        for (int q = 0; q < queries; q++) {
            float[] query = query(rnd);
            int m = index.search(query, 10, i -> true, out);
            assertThat(m).isEqualTo(10);
            sum += recall(exact(query, 10, i -> true), out, m);
        }
        assertThat(sum / queries).isGreaterThanOrEqualTo(0.98);
    }

    @Test
    void excludedItemsAreNeverReturnedAndTheRestIsStillFound() {
        Random rnd = new Random(6);
        double sum = 0;
        int queries = 200;
        int[] out = new int[10];
        for (int q = 0; q < queries; q++) {
            float[] query = query(rnd);
            // the five best items and every tenth item are excluded
            Set<Integer> excluded = new HashSet<>(exact(query, 5, i -> true));
            IntPredicate allowed = i -> !excluded.contains(i) && i % 10 != 0;
            int m = index.search(query, 10, allowed, out);
            for (int r = 0; r < m; r++) {
                assertThat(allowed.test(out[r])).as("item %d returned", out[r]).isTrue();
            }
            sum += recall(exact(query, 10, allowed), out, m);
        }
        assertThat(sum / queries).isGreaterThanOrEqualTo(0.98);
    }

    @Test
    void aSearchThatCanFindNothingReturnsNothing() {
        int[] out = new int[10];
        assertThat(index.search(query(new Random(1)), 10, i -> false, out)).isZero();
        assertThat(index.search(query(new Random(1)), 10, i -> i == 7, out)).isEqualTo(1);
        assertThat(out[0]).isEqualTo(7);
    }

    @Test
    void settingsParseOrNameTheFlag() {
        assertThat(HnswItemIndex.Settings.parse("--index", "hnsw")).isEqualTo(HnswItemIndex.Settings.defaults());
        assertThat(HnswItemIndex.Settings.parse("--index", "hnsw:ef=40,m=8")).isEqualTo(
                new HnswItemIndex.Settings(8, HnswItemIndex.Settings.defaults().beamWidth(), 40));
        for (String bad : List.of("", "hnsw:", "ivf", "hnsw:ef=0", "hnsw:ef", "hnsw:m=x", "hnsw:size=3", "hnsw:ef=-2",
                "hnsw:ef=1e3", "hnsw:m=100000")) {
            assertThatThrownBy(() -> HnswItemIndex.Settings.parse("--index", bad)).as(bad)
                    .isInstanceOf(UserInputException.class).hasMessageContaining("--index");
        }
    }
}
