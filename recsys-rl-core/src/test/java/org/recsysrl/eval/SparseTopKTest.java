package org.recsysrl.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.recsysrl.baselines.Baselines;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.Layout;
import org.recsysrl.data.TinyLog;
import org.recsysrl.recommend.FitContext;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Hyperparameters;
import org.recsysrl.recommend.ModelFamily;
import org.recsysrl.recommend.Recommender;

/** Ranking from a shared base plus touched items gives exactly the dense path's lists. */
class SparseTopKTest {

    /** The same model with only the dense scorer, so the evaluator fills and scans every item. */
    private static Recommender denseOnly(Recommender m) {
        return new Recommender() {
            @Override
            public String name() {
                return m.name();
            }

            @Override
            public int itemCount() {
                return m.itemCount();
            }

            @Override
            public Scorer newScorer() {
                Scorer inner = m.newScorer();
                return inner::score;
            }
        };
    }

    @Test
    void popularMarkovAndItemKnnRankExactlyAsTheDenseScores() {
        InteractionLog log = TinyLog.random(5, 300, 40, 12, Layout.LOG_CSV);
        OfflineSplit split = OfflineSplit.of(log, ProtocolSpec.LOO);
        FitContext ctx = new FitContext(1, 3, true, false);
        for (boolean exclude : new boolean[] {true, false}) {
            for (int[] cutoffs : new int[][] {{1, 5, 10}, {10, 50}}) { // 50 > 40 items: lists run short
                OfflineBenchmark.Settings s = new OfflineBenchmark.Settings(cutoffs, 10, "ndcg", exclude, 100, 100, 7, 2);
                RankingSetup setup = OfflineBenchmark.setup(split, s);
                EvalTask task = split.testTask(exclude);
                for (ModelFamily f : Baselines.select("popular,recent-popular,markov,item-knn")) {
                    java.util.List<Hyperparameters> grid = f.grid(split.trainPart(), ctx);
                    for (Hyperparameters hp : java.util.List.of(grid.get(0), grid.get(grid.size() - 1))) {
                        Recommender model = f.prepare(split.trainPart(), ctx).fit(hp);
                        assertThat(model.newScorer()).isInstanceOf(Recommender.SparseScorer.class);
                        RankingResult sparse = FullRankingEvaluator.evaluate(model, task, setup, 2, null);
                        RankingResult dense = FullRankingEvaluator.evaluate(denseOnly(model), task, setup, 2, null);
                        assertThat(sparse.values()).as(f.name() + " " + hp + " exclude=" + exclude)
                                .containsExactly(dense.values());
                        assertThat(sparse.catalog()).isEqualTo(dense.catalog());
                    }
                }
            }
        }
    }

    /** A base with ties and a -∞ item, changed on three items (one up, one down, one to -∞). */
    private static final class HandScorer implements Recommender.SparseScorer {
        final float[] base = {1f, 3f, 3f, Float.NEGATIVE_INFINITY, 0f, 2f};

        @Override
        public float[] base() {
            return base;
        }

        @Override
        public int scoreTouched(History h, float[] out, int[] touched) {
            touched[0] = 4;
            out[4] = 5f; // 0 -> 5: first
            touched[1] = 1;
            out[1] = 0.5f; // 3 -> 0.5
            touched[2] = 5;
            out[5] = Float.NEGATIVE_INFINITY; // never listed
            return 3;
        }

        @Override
        public void score(History h, float[] out) {
            throw new AssertionError("the sparse path must not fill dense scores");
        }
    }

    @Test
    void mergesTouchedItemsWithTheBaseOrderHandComputed() {
        // tie ranks: item 2 before item 1 before the others, so of the tied 3s item 2 comes first
        int[] tieRank = {2, 1, 0, 3, 4, 5};
        SparseTopK top = SparseTopK.of(new HandScorer().base, 6, tieRank);
        SparseTopK.Workspace w = top.new Workspace(new HandScorer(), 6, 6);
        int[] out = new int[6];
        // scores: 0→1, 1→0.5, 2→3, 3→-∞, 4→5, 5→-∞; known item 0 excluded
        int n = w.topK(new History(0, new int[] {0}, null, 0, 1), true, 6, out);
        assertThat(Arrays.copyOf(out, n)).containsExactly(4, 2, 1);
        n = w.topK(new History(0, new int[] {0}, null, 0, 1), false, 6, out);
        assertThat(Arrays.copyOf(out, n)).containsExactly(4, 2, 0, 1);
        n = w.topK(new History(0, new int[] {0}, null, 0, 1), false, 2, out);
        assertThat(Arrays.copyOf(out, n)).containsExactly(4, 2);
    }
}
