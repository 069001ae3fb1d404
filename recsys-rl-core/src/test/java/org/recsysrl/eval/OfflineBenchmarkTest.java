package org.recsysrl.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

/** The benchmark's bookkeeping: tuning on validation, one test run of the chosen point, skips, comparisons. */
class OfflineBenchmarkTest {

    private static Recommender constant(int items) {
        return new Recommender() {
            @Override
            public String name() {
                return "by-index";
            }

            @Override
            public int itemCount() {
                return items;
            }

            @Override
            public Scorer newScorer() {
                return (History h, float[] out) -> {
                    for (int i = 0; i < items; i++) {
                        out[i] = -i; // item 0 first
                    }
                };
            }
        };
    }

    @Test
    void tunesOnValidationTestsTheChosenPointAndComparesAgainstTheBestBaseline() {
        InteractionLog log = TinyLog.random(41, 120, 30, 10, Layout.LOG_CSV); // times, no ratings
        OfflineSplit split = OfflineSplit.of(log, ProtocolSpec.LOO);
        OfflineBenchmark.Settings s = new OfflineBenchmark.Settings(new int[] {5, 10}, 10, "ndcg", true, 100, 200, 3,
                1);
        List<ModelFamily> families = Baselines.select("popular,markov,mf-rating");
        List<String> lines = new ArrayList<>();
        OfflineBenchmark.Report r = OfflineBenchmark.run(split, families,
                List.of(new OfflineBenchmark.GivenModel(constant(30), "item 0 first")), s, lines::add);

        assertThat(r.models()).extracting(OfflineBenchmark.ModelRun::name)
                .containsExactly("popular", "markov", "mf-rating", "by-index");
        OfflineBenchmark.ModelRun mf = r.model("mf-rating");
        assertThat(mf.skipped()).contains("needs ratings");
        assertThat(mf.test()).isNull();
        assertThat(lines).anyMatch(l -> l.startsWith("mf-rating: skipped"));

        // markov: 4 grid points; the chosen one has the largest validation ndcg@10 (the first of equals)
        OfflineBenchmark.ModelRun markov = r.model("markov");
        assertThat(markov.tuning()).hasSize(4);
        OfflineBenchmark.GridPoint best = markov.tuning().get(0);
        for (OfflineBenchmark.GridPoint p : markov.tuning()) {
            if (p.validation() > best.validation()) {
                best = p;
            }
        }
        assertThat(markov.chosen()).isEqualTo(best.hyperparameters());
        assertThat(markov.validation().mean("ndcg@10")).isEqualTo(best.validation());
        // its test result is exactly that of a fresh fit of the chosen point, ranked on the test task
        RankingSetup setup = OfflineBenchmark.setup(split, s);
        Recommender refit = families.get(1).prepare(split.trainPart(), new FitContext(1, 3, true, false))
                .fit(markov.chosen());
        RankingResult direct = FullRankingEvaluator.evaluate(refit, split.testTask(true), setup, 1, null);
        assertThat(markov.test()).isEqualTo(direct);
        assertThat(markov.intervals()).hasSize(direct.metrics().size());
        assertThat(markov.estimate("ndcg@10").mean()).isEqualTo(direct.mean("ndcg@10"));

        // the given model is evaluated as it is
        OfflineBenchmark.ModelRun given = r.model("by-index");
        assertThat(given.baseline()).isFalse();
        assertThat(given.chosen()).isEqualTo(Hyperparameters.NONE);
        assertThat(given.test().users()).containsExactly(split.testTask(true).users());

        // the best baseline by test ndcg@10, and every other run compared against it
        String expectedBest = r.model("popular").test().mean("ndcg@10") >= markov.test().mean("ndcg@10")
                ? "popular" : "markov";
        assertThat(r.bestBaseline()).isEqualTo(expectedBest);
        assertThat(r.comparisons()).hasSize(2); // the other baseline and the given model
        assertThat(r.comparisons()).allMatch(c -> c.result().metric().equals("ndcg@10"));
        assertThat(r.validationUsers()).isEqualTo(split.validationTask(true).size());
        assertThat(r.testUsers()).isEqualTo(split.testTask(true).size());
        assertThat(r.droppedTargets()).isEqualTo(split.testTask(true).droppedTargets());
    }

    @Test
    void theRankingSetupOfASplit() {
        InteractionLog log = TinyLog.of(4, new int[][] {{0, 1, 2}, {3}, {1, 1, 2, 3}});
        OfflineSplit split = OfflineSplit.of(log, ProtocolSpec.LOO);
        RankingSetup setup = OfflineBenchmark.setup(split,
                new OfflineBenchmark.Settings(new int[] {1, 2}, 2, "hr", true, 10, 10, 1, 1));
        // training parts: u0 [0], u1 [3] (too short to split), u2 [1, 1]
        assertThat(setup.trainItemCounts()).containsExactly(1, 2, 0, 1);
        assertThat(setup.trainUsers()).isEqualTo(3);
        assertThat(setup.itemFeatures()).isNull(); // no genres
        assertThat(setup.maxK()).isEqualTo(2);
        assertThat(setup.mainIndex()).isEqualTo(1);
        // ties are broken by the seeded random order of the settings' seed, never by item index
        assertThat(setup.tieRank()).containsExactly(RankingSetup.randomTieRank(4, 1));
        RankingSetup otherSeed = OfflineBenchmark.setup(split,
                new OfflineBenchmark.Settings(new int[] {1, 2}, 2, "hr", true, 10, 10, 7, 1));
        assertThat(otherSeed.tieRank()).containsExactly(RankingSetup.randomTieRank(4, 7));
    }

    @Test
    void equalScoresAreRankedInTheSeededTieOrderNotByItemIndex() {
        int items = 40;
        int[] tieRank = RankingSetup.randomTieRank(items, 9);
        float[] scores = new float[items]; // every item ties
        int[] top = new int[5];
        int n = RankingMetrics.topK(scores, items, 5, tieRank, top);
        assertThat(n).isEqualTo(5);
        for (int r = 0; r < 5; r++) {
            int expected = -1;
            for (int i = 0; i < items; i++) {
                if (tieRank[i] == r) {
                    expected = i;
                }
            }
            assertThat(top[r]).as("rank %d", r).isEqualTo(expected);
        }
        assertThat(top).isNotEqualTo(new int[] {0, 1, 2, 3, 4});
    }

    @Test
    void tieRanksAreSeededPermutations() {
        int[] r = RankingSetup.randomTieRank(50, 5);
        int[] sorted = r.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 50; i++) {
            assertThat(sorted[i]).isEqualTo(i);
        }
        assertThat(RankingSetup.randomTieRank(50, 5)).containsExactly(r);
        assertThat(RankingSetup.randomTieRank(50, 6)).isNotEqualTo(r);
        int[] counts = {0, 0};
        assertThatThrownBy(() -> new RankingSetup(new int[] {5, 5}, 5, new int[2], counts, 1, null, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ascending");
        assertThatThrownBy(() -> new RankingSetup(new int[] {5, 10}, 7, new int[2], counts, 1, null, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("main cut-off");
        assertThatThrownBy(() -> new RankingSetup(new int[] {0}, 0, new int[2], counts, 1, null, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A family whose fit fails, as an out-of-memory error or a bug would. */
    private static ModelFamily failing() {
        return new ModelFamily() {
            @Override
            public String name() {
                return "failing";
            }

            @Override
            public String description() {
                return "throws when fitted";
            }

            @Override
            public List<Hyperparameters> grid(org.recsysrl.data.Interactions train, FitContext context) {
                return List.of(Hyperparameters.NONE);
            }

            @Override
            public Fitter prepare(org.recsysrl.data.Interactions train, FitContext context) {
                throw new IllegalStateException("boom");
            }
        };
    }

    @Test
    void everyFinishedModelIsHandedOverBeforeALaterOneFails() {
        InteractionLog log = TinyLog.random(41, 120, 30, 10, Layout.LOG_CSV);
        OfflineSplit split = OfflineSplit.of(log, ProtocolSpec.LOO);
        OfflineBenchmark.Settings s = new OfflineBenchmark.Settings(new int[] {10}, 10, "ndcg", true, 100, 100, 3, 1);
        List<OfflineBenchmark.Report> partial = new ArrayList<>();
        List<List<String>> pending = new ArrayList<>();
        List<ModelFamily> families = new ArrayList<>(Baselines.select("popular,markov"));
        families.add(failing());
        assertThatThrownBy(() -> OfflineBenchmark.run(split, families, List.of(), s, new OfflineBenchmark.Listener() {
            @Override
            public void status(String line) {
            }

            @Override
            public void modelFinished(OfflineBenchmark.Report soFar, List<String> stillToRun) {
                partial.add(soFar);
                pending.add(stillToRun);
            }
        })).hasMessage("boom");
        assertThat(partial).hasSize(2);
        assertThat(partial.get(1).models()).extracting(OfflineBenchmark.ModelRun::name).containsExactly("popular",
                "markov");
        assertThat(pending).containsExactly(List.of("markov", "failing"), List.of("failing"));
        // the handed-over results are the finished ones, not placeholders
        OfflineBenchmark.Report full = OfflineBenchmark.run(split, Baselines.select("popular,markov"), List.of(), s,
                line -> { });
        assertThat(partial.get(1).model("markov").test().values())
                .containsExactly(full.model("markov").test().values());
        assertThat(partial.get(1).bestBaseline()).isEqualTo(full.bestBaseline());
    }

    @Test
    void aModelThatWouldNotFitTheHeapIsRefusedBeforeAnyModelRuns() {
        InteractionLog log = TinyLog.random(41, 120, 30, 10, Layout.LOG_CSV);
        OfflineSplit split = OfflineSplit.of(log, ProtocolSpec.LOO);
        OfflineBenchmark.Settings s = new OfflineBenchmark.Settings(new int[] {10}, 10, "ndcg", true, 100, 100, 3, 1);
        List<String> lines = new ArrayList<>();
        // a pretend heap of 25,000 bytes: popular and its evaluation (about 13 kB) fit; item-knn's neighbour
        // lists (30 × 29 × 8 bytes for each of 3 shrinks, one more while packed), binary matrix and buffers on
        // top of the evaluation (about 45 kB) do not
        assertThatThrownBy(() -> OfflineBenchmark.run(split, Baselines.select("popular,item-knn"), List.of(), s,
                lines::add, 25_000))
                .isInstanceOf(org.recsysrl.util.UserInputException.class)
                .hasMessageStartingWith("item-knn needs about ")
                .hasMessageContaining("the neighbour lists of 30 items × 200")
                .hasMessageContaining("only 24.4 kB is free")
                .hasMessageContaining("RECSYS_RL_JAVA_OPTS=-Xmx")
                .hasMessageContaining("leave item-knn out of --models")
                .hasMessageNotContaining("\n");
        assertThat(lines).isEmpty();
        // with a heap of 2 MB both run
        assertThat(OfflineBenchmark.run(split, Baselines.select("popular,item-knn"), List.of(), s, lines::add,
                2_000_000).models()).hasSize(2);
    }
}
