package org.recsysrl.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.baselines.ImplicitAls;
import org.recsysrl.baselines.ItemKnn;
import org.recsysrl.baselines.MostPopular;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.RunConfig;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.LogReader;
import org.recsysrl.data.LogSpec;
import org.recsysrl.eval.Estimate;
import org.recsysrl.eval.EvalTask;
import org.recsysrl.eval.FullRankingEvaluator;
import org.recsysrl.eval.OfflineBenchmark;
import org.recsysrl.eval.OfflineSplit;
import org.recsysrl.eval.ProtocolSpec;
import org.recsysrl.eval.RankingResult;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.model.SequenceModels;
import org.recsysrl.recommend.FitContext;
import org.recsysrl.recommend.Hyperparameters;
import org.recsysrl.recommend.Recommender;
import org.recsysrl.seq.SequenceModel;
import org.recsysrl.seq.SequenceRecommender;
import org.recsysrl.util.Rng;

/**
 * Distributed baselines and evaluation against the in-JVM ones on the same file: popularity,
 * item-kNN and a sequence checkpoint give the same per-user values, catalog figures and bootstrap
 * intervals (exact equality); MLlib's implicit ALS is compared with the core's iALS by quality.
 */
class SparkEvaluationTest {
    @TempDir
    static Path dir;
    static final OfflineBenchmark.Settings SETTINGS = new OfflineBenchmark.Settings(new int[] {5, 10, 20}, 10, "ndcg",
            true, 200, 0, 3, 2);
    static final LogSpec SPEC = new LogSpec(LogSpec.Format.CSV, "", "", "", "", "", Map.of(), 0.0, 2, 2,
            LogSpec.Repeats.KEEP);
    static Path file;
    static OfflineSplit split;
    static PreparedLog prepared;

    @BeforeAll
    static void prepare() throws Exception {
        file = LogFixtures.clustered(dir.resolve("clustered.csv"), 21, 150, 120, 4, 12);
        InteractionLog log = LogReader.read(file, SPEC);
        split = OfflineSplit.of(log, ProtocolSpec.LOO);
        prepared = LogPreparation.prepare(SharedSpark.get(), file.toString(), LogPreparation.Format.CSV, SPEC,
                ProtocolSpec.LOO);
    }

    static RankingResult inJvm(Recommender model, OfflineBenchmark.Settings s) {
        EvalTask task = split.testTask(s.excludeKnown());
        return FullRankingEvaluator.evaluate(model, task, OfflineBenchmark.setup(split, s), 2, null);
    }

    static Recommender fit(org.recsysrl.recommend.ModelFamily family, Hyperparameters hp) {
        return family.prepare(split.trainPart(), new FitContext(2, 3, true, false)).fit(hp);
    }

    static void assertSameFigures(SparkEvaluation.Result spark, RankingResult expected, OfflineBenchmark.Settings s) {
        RankingResult actual = spark.ranking();
        assertThat(actual.users()).isEqualTo(expected.users());
        assertThat(actual.metrics()).isEqualTo(expected.metrics());
        assertThat(actual.values()).containsExactly(expected.values());
        assertThat(actual.catalog()).isEqualTo(expected.catalog());
        assertThat(actual).isEqualTo(expected);
        Estimate[] intervals = org.recsysrl.eval.Bootstrap.intervals(expected, s.bootstrap(), s.seed());
        assertThat(spark.intervals()).containsExactly(intervals);
        // the figures are not degenerate: some user is hit, and not every one
        double hr = expected.mean("hr@10");
        assertThat(hr).isGreaterThan(0.0).isLessThan(1.0);
    }

    @Test
    void popularityGivesTheInJvmFiguresExactly() {
        ScoringModel model = SparkBaselines.popularity(prepared);
        SparkEvaluation.Result spark = SparkEvaluation.evaluate(SharedSpark.get(), prepared, model,
                SparkEvaluation.Task.TEST, SETTINGS);
        assertSameFigures(spark, inJvm(fit(new MostPopular(), Hyperparameters.NONE), SETTINGS), SETTINGS);
    }

    @Test
    void itemKnnFromCoOccurrencesGivesTheInJvmFiguresExactly() {
        for (double shrink : new double[] {0, 10}) {
            ScoringModel model = SparkBaselines.itemKnn(prepared, 20, shrink);
            SparkEvaluation.Result spark = SparkEvaluation.evaluate(SharedSpark.get(), prepared, model,
                    SparkEvaluation.Task.TEST, SETTINGS);
            RankingResult expected = inJvm(fit(new ItemKnn(), Hyperparameters.of("k", 20, "shrink", shrink)), SETTINGS);
            assertSameFigures(spark, expected, SETTINGS);
        }
    }

    @Test
    void aSequenceCheckpointGivesTheInJvmFiguresExactlyWithKnownItemsKept() throws Exception {
        RunConfig cfg = ConfigJson.withOverrides(RunConfig.defaults(), List.of("model.encoder=gru",
                "model.embedding_dim=8", "model.max_seq_len=12"));
        SequenceModel model = new SequenceModel(SequenceModels.spec(cfg.model().sequence(), split.log().itemCount(), "supervised"));
        model.initialize(new Rng(17));
        Path checkpoint = dir.resolve("gru.safetensors");
        Checkpoint.save(checkpoint, model.store(), new Checkpoint.Info("supervised", ConfigJson.toPortableJson(cfg), 0, 0));
        OfflineBenchmark.Settings keepKnown = new OfflineBenchmark.Settings(new int[] {10, 20}, 10, "ndcg", false, 100,
                0, 9, 2);
        SparkEvaluation.Result spark = SparkEvaluation.evaluate(SharedSpark.get(), prepared,
                ScoringModels.checkpoint(checkpoint, prepared.itemCount()), SparkEvaluation.Task.TEST, keepKnown);
        RankingResult expected = inJvm(new SequenceRecommender(model, "gru.safetensors"), keepKnown);
        assertSameFigures(spark, expected, keepKnown);
    }

    @Test
    void mllibImplicitAlsIsAsGoodAsTheInJvmIalsOnTheSameSplit() {
        ScoringModel als = SparkBaselines.als(prepared, 16, 8, 20, 0.05, 5);
        double spark = SparkEvaluation.evaluate(SharedSpark.get(), prepared, als, SparkEvaluation.Task.TEST, SETTINGS)
                .ranking().mean("ndcg@10");
        double ials = inJvm(fit(new ImplicitAls(), Hyperparameters.of("alpha", 20.0, "lambda", 1.0, "dim", 16,
                "sweeps", 8)), SETTINGS).mean("ndcg@10");
        double popular = inJvm(fit(new MostPopular(), Hyperparameters.NONE), SETTINGS).mean("ndcg@10");
        System.out.printf("ndcg@10: spark-als %.4f, ials %.4f, popular %.4f%n", spark, ials, popular);
        // both factorisations find the groups that popularity cannot see
        assertThat(ials).isGreaterThan(1.5 * popular);
        assertThat(spark).isGreaterThan(1.5 * popular);
        assertThat(spark).isGreaterThan(0.75 * ials);
    }
}
