package org.recsysrl.baselines;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.Layout;
import org.recsysrl.data.TinyLog;
import org.recsysrl.recommend.FitContext;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Hyperparameters;
import org.recsysrl.recommend.ModelFamily;
import org.recsysrl.recommend.Recommender;

/**
 * The item-kNN grid computes the co-occurrence counts once for all its shrinks: every model of the
 * grid must hold exactly the neighbour lists, and give exactly the scores, of a model fitted on its
 * own from a plain reference (counts by brute force, a full sort, the first k).
 */
class ItemKnnGridTest {
    private static final int K_MAX = 200;

    @Test
    void everyGridModelEqualsAnIndependentlyFittedOne() {
        // 150 items and short histories: many equal counts (ties) and lists both cut at k and shorter
        InteractionLog log = TinyLog.random(29, 90, 150, 14, Layout.LOG_CSV);
        for (int threads : new int[] {1, 2}) {
            FitContext ctx = new FitContext(threads, 0, false, false);
            ItemKnn family = new ItemKnn();
            ModelFamily.Fitter fitter = family.prepare(log, ctx);
            List<Hyperparameters> grid = family.grid(log, ctx);
            assertThat(grid).hasSize(18);
            for (Hyperparameters hp : grid) {
                double shrink = hp.get("shrink");
                int k = hp.getInt("k");
                ItemKnn.Neighbours expected = reference(log, K_MAX, shrink);
                ItemKnn.Neighbours actual = ((ItemKnn.Model) fitter.fit(hp)).neighbours();
                assertThat(actual.offsets()).as("%s offsets", hp).containsExactly(expected.offsets());
                assertThat(actual.ids()).as("%s ids", hp).containsExactly(expected.ids());
                assertThat(actual.sims()).as("%s similarities", hp).containsExactly(expected.sims());
                Recommender alone = ItemKnn.fromNeighbours(expected.offsets(), expected.ids(), expected.sims(), k);
                assertSameScores(log, fitter.fit(hp), alone);
                // a fresh fitter asked for this point alone gives the same model
                assertSameScores(log, family.prepare(log, ctx).fit(hp), alone);
            }
        }
    }

    @Test
    void aShrinkOutsideTheGridIsFittedOnItsOwn() {
        InteractionLog log = TinyLog.random(7, 60, 80, 12, Layout.LOG_CSV);
        ModelFamily.Fitter fitter = new ItemKnn().prepare(log, new FitContext(1, 0, false, false));
        fitter.fit(Hyperparameters.of("k", 10, "shrink", 10.0)); // the grid's lists first
        ItemKnn.Neighbours odd = ((ItemKnn.Model) fitter.fit(Hyperparameters.of("k", 10, "shrink", 3.0))).neighbours();
        ItemKnn.Neighbours expected = reference(log, K_MAX, 3.0);
        assertThat(odd.ids()).containsExactly(expected.ids());
        assertThat(odd.sims()).containsExactly(expected.sims());
        assertThat(odd.sims()).isNotEqualTo(reference(log, K_MAX, 10.0).sims());
    }

    /**
     * The neighbour lists by the definition: c_ij counted over the distinct items of every user,
     * s_ij = c_ij / (sqrt(c_i · c_j) + shrink) in float, every co-occurring item sorted by
     * similarity (descending, lower index first on ties), the first k kept.
     */
    private static ItemKnn.Neighbours reference(InteractionLog log, int k, double shrink) {
        int n = log.itemCount();
        List<int[]> distinct = new ArrayList<>();
        int[] degree = new int[n];
        for (int u = 0; u < log.userCount(); u++) {
            int[] items = Arrays.stream(log.items(), log.start(u), log.end(u)).distinct().toArray();
            distinct.add(items);
            for (int i : items) {
                degree[i]++;
            }
        }
        int[] offsets = new int[n + 1];
        List<Integer> ids = new ArrayList<>();
        List<Float> sims = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            int[] count = new int[n];
            for (int[] items : distinct) {
                boolean hasJ = false;
                for (int i : items) {
                    hasJ |= i == j;
                }
                if (hasJ) {
                    for (int i : items) {
                        if (i != j) {
                            count[i]++;
                        }
                    }
                }
            }
            float[] sim = new float[n];
            List<Integer> co = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (count[i] > 0) {
                    sim[i] = (float) (count[i] / (Math.sqrt((double) degree[j] * degree[i]) + shrink));
                    co.add(i);
                }
            }
            co.sort((a, b) -> sim[a] != sim[b] ? Float.compare(sim[b], sim[a]) : Integer.compare(a, b));
            for (int q = 0; q < Math.min(k, co.size()); q++) {
                ids.add(co.get(q));
                sims.add(sim[co.get(q)]);
            }
            offsets[j + 1] = ids.size();
        }
        float[] s = new float[sims.size()];
        for (int q = 0; q < s.length; q++) {
            s[q] = sims.get(q);
        }
        return new ItemKnn.Neighbours(n, offsets, ids.stream().mapToInt(Integer::intValue).toArray(), s);
    }

    private static void assertSameScores(InteractionLog log, Recommender a, Recommender b) {
        Recommender.Scorer sa = a.newScorer();
        Recommender.Scorer sb = b.newScorer();
        float[] x = new float[log.itemCount()];
        float[] y = new float[log.itemCount()];
        boolean nonZero = false;
        for (int u = 0; u < log.userCount(); u++) {
            History h = new History(u, log.items(), null, log.start(u), log.end(u));
            sa.score(h, x);
            sb.score(h, y);
            assertThat(x).as("user %d", u).containsExactly(y);
            for (float v : x) {
                nonZero |= v != 0f;
            }
        }
        assertThat(nonZero).isTrue();
    }
}
