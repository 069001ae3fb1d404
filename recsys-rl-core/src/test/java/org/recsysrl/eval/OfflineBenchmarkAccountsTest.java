package org.recsysrl.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.recsysrl.baselines.Baselines;
import org.recsysrl.baselines.MostPopular;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.Interactions;
import org.recsysrl.data.Layout;
import org.recsysrl.data.TinyLog;
import org.recsysrl.recommend.FitContext;
import org.recsysrl.recommend.Hyperparameters;
import org.recsysrl.recommend.MemoryNeed;
import org.recsysrl.recommend.ModelFamily;
import org.recsysrl.util.UserInputException;

/**
 * What the benchmark tells its user and keeps: the lines it prints, the memory it asks for, the
 * store of finished baseline runs, the best baseline and the comparisons, and splits it refuses.
 */
class OfflineBenchmarkAccountsTest {
    private static final OfflineBenchmark.Settings SETTINGS = new OfflineBenchmark.Settings(new int[] {5, 10}, 10,
            "ndcg", true, 50, 50, 3, 1);

    /** A family of one fixed model: the same scores for everyone. */
    private static ModelFamily fixed(String name, float[] scores) {
        return new ModelFamily() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return "fixed scores";
            }

            @Override
            public List<Hyperparameters> grid(Interactions train, FitContext context) {
                return List.of(Hyperparameters.NONE);
            }

            @Override
            public Fitter prepare(Interactions train, FitContext context) {
                return hp -> MostPopular.fixedScores(name, scores);
            }
        };
    }

    @Test
    void theEvaluationsHeapByHand() {
        // 2 threads × 7 items × (4 + 8·3 + 12) + 2 · 8 · 11 users · 13 metrics + 16 · 7
        assertThat(OfflineBenchmark.evaluationBytes(7, 11, 13, 3, 2)).isEqualTo(2 * 7 * 40 + 16 * 11 * 13 + 16 * 7);
    }

    @Test
    void aModelIsRefusedAboveNinetyPercentOfTheFreeHeapWithTheSizesAndTheFixes() {
        OfflineBenchmark.requireMemory("m", new MemoryNeed(900, "the parts"), 1000); // exactly 90 %: runs
        long max = Runtime.getRuntime().maxMemory();
        long gb = (long) Math.ceil((901.0 + max - 1000) / 0.9 / (1L << 30)) + 1;
        assertThatThrownBy(() -> OfflineBenchmark.requireMemory("m", new MemoryNeed(901, "the parts"), 1000))
                .isInstanceOf(UserInputException.class)
                .hasMessage("m needs about 0.9 kB of heap (the largest part: the parts) but only 1.0 kB is free: give"
                        + " Java more memory (RECSYS_RL_JAVA_OPTS=-Xmx" + gb + "g), filter rare items and users"
                        + " (data.item_core, data.user_core), or leave m out of --models");
        // the suggestion never exceeds a petabyte-sized heap
        assertThatThrownBy(() -> OfflineBenchmark.requireMemory("m", new MemoryNeed(Long.MAX_VALUE / 2, "x"), 1000))
                .hasMessageContaining("-Xmx1048576g");
    }

    @Test
    void theRankingSetupCarriesGenreVectorsAndCountsOnlyUsersWithTrainingData() {
        // u1 has no interactions; item genres: 0 → {0, 2}, 1 → {1}, 2 → none, 3 → {2}
        InteractionLog log = TinyLog.withGenres(4, new int[][] {{0, 1, 2}, {}, {1, 2, 3}},
                new int[][] {{0, 2}, {1}, null, {2}});
        OfflineSplit split = OfflineSplit.of(log, ProtocolSpec.LOO);
        RankingSetup setup = OfflineBenchmark.setup(split, SETTINGS);
        assertThat(setup.trainUsers()).isEqualTo(2);
        assertThat(setup.featureDim()).isEqualTo(3);
        assertThat(setup.itemFeatures()).containsExactly(1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1);
    }

    @Test
    void itPrintsEveryGridPointTheChoiceAndTheProgressOfEachRanking() {
        InteractionLog log = TinyLog.random(41, 60, 20, 8, Layout.LOG_CSV);
        OfflineSplit split = OfflineSplit.of(log, ProtocolSpec.LOO);
        List<String> lines = new ArrayList<>();
        List<String> progress = new ArrayList<>();
        OfflineBenchmark.Report r = OfflineBenchmark.run(split, Baselines.select("markov"), List.of(), SETTINGS,
                new OfflineBenchmark.Listener() {
                    @Override
                    public void status(String line) {
                        lines.add(line);
                    }

                    @Override
                    public void progress(String what, long done, long total) {
                        progress.add(what + " " + done + "/" + total);
                    }
                });
        OfflineBenchmark.ModelRun markov = r.model("markov");
        assertThat(lines).hasSize(5);
        for (int p = 0; p < 4; p++) {
            OfflineBenchmark.GridPoint g = markov.tuning().get(p);
            assertThat(lines.get(p)).startsWith(String.format(Locale.ROOT, "markov %s: validation ndcg@10 %.4f (fit ",
                    g.hyperparameters(), g.validation()));
        }
        assertThat(lines.get(4)).isEqualTo(String.format(Locale.ROOT, "markov: chose %s, test ndcg@10 %.4f",
                markov.chosen(), markov.test().mean("ndcg@10")));
        int testUsers = split.testTask(true).size();
        assertThat(progress).contains("markov test " + testUsers + "/" + testUsers);
        assertThat(progress).anyMatch(l -> l.startsWith("markov beta=") && l.contains(" validation "));
        assertThat(markov.fitSeconds()).isGreaterThanOrEqualTo(0)
                .isGreaterThanOrEqualTo(markov.tuning().stream().mapToDouble(OfflineBenchmark.GridPoint::fitSeconds)
                        .sum());
        assertThat(r.model("none")).isNull();
    }

    @Test
    void storedRunsAreTakenAsTheyAreAndEveryNewRunIsStored() {
        InteractionLog log = TinyLog.random(42, 50, 20, 8, Layout.LOG_CSV);
        OfflineSplit split = OfflineSplit.of(log, ProtocolSpec.LOO);
        OfflineBenchmark.ModelRun earlier = OfflineBenchmark.run(split, Baselines.select("popular"), List.of(),
                SETTINGS, line -> { }).model("popular");
        List<String> loads = new ArrayList<>();
        List<String> saves = new ArrayList<>();
        OfflineBenchmark.RunStore store = new OfflineBenchmark.RunStore() {
            @Override
            public OfflineBenchmark.ModelRun load(String model, Class<?> implementation, String grid) {
                loads.add(model + " " + implementation.getSimpleName() + " " + grid);
                return model.equals("popular") ? earlier : null;
            }

            @Override
            public void save(String model, Class<?> implementation, String grid, OfflineBenchmark.ModelRun run) {
                saves.add(model + " " + implementation.getSimpleName() + " " + grid + " " + run.chosen());
            }
        };
        List<String> lines = new ArrayList<>();
        OfflineBenchmark.Report r = OfflineBenchmark.run(split, Baselines.select("popular,markov"), List.of(),
                SETTINGS, lines::add, store);
        assertThat(r.model("popular")).isSameAs(earlier);
        assertThat(loads).hasSize(2);
        assertThat(loads.get(0)).isEqualTo("popular MostPopular [-]");
        String markovGrid = loads.get(1).substring("markov MarkovChain ".length());
        assertThat(markovGrid).startsWith("[beta=").endsWith("beta=10]").containsOnlyOnce("beta=1,");
        assertThat(saves).containsExactly("markov MarkovChain " + markovGrid + " " + r.model("markov").chosen());
        assertThat(lines.get(0)).isEqualTo(String.format(Locale.ROOT, "popular: stored run (fitted and ranked before,"
                + " %.1f s of fits), chose -, test ndcg@10 %.4f", earlier.fitSeconds(), earlier.test().mean("ndcg@10")));
    }

    @Test
    void theFirstOfEqualBaselinesIsTheBestAndEveryModelIsComparedWithItThenTheGivenOnesWithTheFirstGiven() {
        InteractionLog log = TinyLog.random(43, 50, 12, 8, Layout.LOG_CSV);
        OfflineSplit split = OfflineSplit.of(log, ProtocolSpec.LOO);
        float[] byIndex = new float[12];
        float[] reversed = new float[12];
        for (int i = 0; i < 12; i++) {
            byIndex[i] = -i;
            reversed[i] = i;
        }
        List<ModelFamily> families = List.of(fixed("first", byIndex), fixed("second", byIndex));
        List<OfflineBenchmark.GivenModel> given = List.of(
                new OfflineBenchmark.GivenModel(MostPopular.fixedScores("g1", reversed), "reversed"),
                new OfflineBenchmark.GivenModel(MostPopular.fixedScores("g2", new float[12]), "all equal"));
        OfflineBenchmark.Report r = OfflineBenchmark.run(split, families, given, SETTINGS, line -> { });
        assertThat(r.bestBaseline()).isEqualTo("first");
        assertThat(r.comparisons()).extracting(c -> c.model() + " vs " + c.against())
                .containsExactly("second vs first", "g1 vs first", "g2 vs first", "g2 vs g1");
        RankingResult first = r.model("first").test();
        for (OfflineBenchmark.Comparison c : r.comparisons()) {
            RankingResult against = c.against().equals("first") ? first : r.model("g1").test();
            assertThat(c.result()).as(c.model()).isEqualTo(PairedComparison.of(r.model(c.model()).test(), against,
                    "ndcg@10", 50, 50, 3));
        }
        assertThat(r.model("g1").validation()).isNotNull();
    }

    @Test
    void aSplitWithoutTestTargetsIsRefusedNamingWhy() {
        // every user's last item is one it had before: all test targets dropped as known items
        InteractionLog known = TinyLog.of(4, new int[][] {{0, 1, 0}, {2, 3, 2}});
        OfflineSplit split = OfflineSplit.of(known, ProtocolSpec.LOO);
        assertThatThrownBy(() -> OfflineBenchmark.run(split, Baselines.select("popular"), List.of(), SETTINGS,
                line -> { }))
                .isInstanceOf(UserInputException.class)
                .hasMessage(split.describe() + ": every test interaction (2) is an item its user already has, and"
                        + " eval.exclude_known=true drops those targets, so no metric can be computed: set"
                        + " eval.exclude_known=false, or use a log with new items in its test part");
        // one interaction each: nothing is held out
        InteractionLog single = TinyLog.of(4, new int[][] {{0}, {2}});
        OfflineSplit none = OfflineSplit.of(single, ProtocolSpec.LOO);
        assertThatThrownBy(() -> OfflineBenchmark.run(none, Baselines.select("popular"), List.of(), SETTINGS,
                line -> { }))
                .isInstanceOf(UserInputException.class)
                .hasMessage(none.describe() + ": no user has a test interaction, so no metric can be computed: use a"
                        + " larger data set, another eval.protocol, or lower the filters (data.user_core,"
                        + " data.item_core)");
    }
}
