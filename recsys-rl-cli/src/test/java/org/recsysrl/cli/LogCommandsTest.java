package org.recsysrl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.RunConfig;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.seq.SequenceModel;
import org.recsysrl.train.LogTraining;
import org.recsysrl.util.Rng;

/** benchmark, train --env logs and evaluate on a generated sequence file, and their user errors. */
class LogCommandsTest {
    @TempDir
    static Path dir;
    static Path log;

    /** 60 users of 6–11 items over 30 items; item i is usually followed by i+1. */
    @BeforeAll
    static void writeLog() throws Exception {
        Rng rng = new Rng(12);
        StringBuilder sb = new StringBuilder();
        for (int u = 0; u < 60; u++) {
            sb.append("u").append(u);
            int item = rng.nextInt(30);
            int len = 6 + rng.nextInt(6);
            for (int t = 0; t < len; t++) {
                sb.append(' ').append("i").append(item);
                item = rng.nextDouble() < 0.8 ? (item + 1) % 30 : rng.nextInt(30);
            }
            sb.append('\n');
        }
        log = dir.resolve("seq.txt");
        Files.writeString(log, sb.toString());
    }

    @Test
    void benchmarkPrintsTheTableAndWritesItsFiles() throws Exception {
        Path out = dir.resolve("bm");
        Cli.Result r = Cli.run("benchmark", "--data", log.toString(), "--models", "popular,markov,item-knn",
                "--no-progress", "--out", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("leave-one-out: ").contains("NDCG@10").contains("markov")
                .contains("paired comparison on test ndcg@10 against the best baseline, markov");
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        // every user has one test target; those already in the user's history are dropped (known items excluded)
        assertThat(summary.get("test_users").asInt() + summary.get("dropped_test_targets").asInt()).isEqualTo(60);
        assertThat(summary.get("dropped_test_targets").asInt()).isPositive();
        assertThat(summary.get("best_baseline").asText()).isEqualTo("markov");
        assertThat(Files.readAllLines(out.resolve("test-users-markov.csv")))
                .hasSize(summary.get("test_users").asInt() + 1);
        assertThat(Files.readString(out.resolve("tuning.csv"))).startsWith("model,hyperparameters,validation_ndcg@10");
    }

    @Test
    void trainOnLogsThenEvaluateBesideTheBaselines() {
        Path ck = dir.resolve("ck");
        Cli.Result t = Cli.run("train", "--env", "logs", "--data", log.toString(), "--no-progress",
                "--set", "model.encoder=last-item", "--set", "model.embedding_dim=8", "--set", "seq.epochs=3",
                "--set", "seq.lr=0.02", "--log-dir", dir.resolve("logs").toString(), "--checkpoint-dir", ck.toString());
        assertThat(t.exitCode()).as(t.toString()).isZero();
        assertThat(t.out()).contains("epoch   1 | loss").contains("best epoch");
        assertThat(dir.resolve("logs").resolve("supervised.csv")).exists();
        Cli.Result e = Cli.run("evaluate", "--checkpoint", ck.resolve("supervised.safetensors").toString(),
                "--models", "popular", "--no-progress");
        assertThat(e.exitCode()).as(e.toString()).isZero();
        assertThat(e.out()).contains("supervised-last-item").contains("popular");
    }

    private static Path trainLastItem(String name, String... extra) {
        Path ck = dir.resolve(name);
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train", "--env", "logs", "--data",
                log.toString(), "--no-progress", "--set", "model.encoder=last-item", "--set", "model.embedding_dim=8",
                "--set", "seq.epochs=3", "--set", "seq.lr=0.02", "--log-dir", dir.resolve(name + "-logs").toString(),
                "--checkpoint-dir", ck.toString()));
        args.addAll(java.util.List.of(extra));
        Cli.Result t = Cli.run(args.toArray(String[]::new));
        assertThat(t.exitCode()).as(t.toString()).isZero();
        return ck;
    }

    @Test
    void evaluateComparesCheckpointsPairedOnTheSameUsers() {
        Path a = trainLastItem("cmp-a", "--seed", "1").resolve("supervised.safetensors");
        Path b = trainLastItem("cmp-b", "--seed", "2").resolve("supervised.safetensors");
        Cli.Result e = Cli.run("evaluate", "--checkpoint", a.toString(), "--compare", b.toString(), "--models", "popular",
                "--no-progress");
        assertThat(e.exitCode()).as(e.toString()).isZero();
        assertThat(e.out()).contains("supervised-last-item@cmp-b")
                .contains("paired comparison on test ndcg@10 against the best baseline, popular")
                .contains("paired comparison on test ndcg@10 against supervised-last-item (")
                .containsPattern("replicates .*\\n  supervised-last-item +n=2  0\\.\\d{4} ±0\\.\\d{4}  \\(\\d+\\.\\d\\d × popular\\)");
        // the comparison of a model with itself is exactly zero
        Cli.Result self = Cli.run("evaluate", "--checkpoint", a.toString(), "--compare", a.toString(), "--models",
                "popular", "--no-progress");
        assertThat(self.out()).containsPattern("supervised-last-item@cmp-a +\\+0\\.0000  \\[\\+0\\.0000, \\+0\\.0000\\]");
        // a checkpoint of other data or another protocol cannot be compared
        Path other = trainLastItem("cmp-c", "--set", "eval.protocol=user-fraction").resolve("supervised.safetensors");
        Cli.Result bad = Cli.run("evaluate", "--checkpoint", a.toString(), "--compare", other.toString(), "--models",
                "popular", "--no-progress");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.errLines()).hasSize(1);
        assertThat(bad.errLines().get(0)).contains("--compare").contains("eval.*");
    }

    @Test
    void theMarkovMixIsChosenOnValidationStoredAndEvaluatedBesideTheNetworkAlone() throws Exception {
        // the default (seq.markov_mix=auto) serves the blend chosen on validation, evaluated beside its parts
        Path auto = trainLastItem("mix-auto").resolve("supervised.safetensors");
        java.util.Map<String, String> autoExtra = Checkpoint.read(auto).info().extra();
        assertThat(autoExtra).doesNotContainKey(LogTraining.MARKOV_MIX).containsKey(org.recsysrl.model.Blends.BLEND);
        Cli.Result ea = Cli.run("evaluate", "--checkpoint", auto.toString(), "--models", "popular", "--no-progress");
        assertThat(ea.exitCode()).as(ea.toString()).isZero();
        assertThat(ea.out()).containsPattern("\\nsupervised-last-item +- ")
                .containsPattern("\\nsupervised-last-item\\+blend +- ");

        // a fixed weight is stored as given; evaluate shows the network alone and the mixture it serves
        Path fixed = trainLastItem("mix-fixed", "--set", "seq.markov_mix=0.5").resolve("supervised.safetensors");
        assertThat(Checkpoint.read(fixed).info().extra()).containsEntry(LogTraining.MARKOV_MIX, "0.5");
        Cli.Result e = Cli.run("evaluate", "--checkpoint", fixed.toString(), "--models", "popular", "--no-progress");
        assertThat(e.exitCode()).as(e.toString()).isZero();
        assertThat(e.out()).containsPattern("\\nsupervised-last-item +- ").containsPattern("\\nsupervised-last-item\\+markov +- ")
                .contains("paired comparison on test ndcg@10 against supervised-last-item (");

        // off: one row
        Path off = trainLastItem("mix-off", "--set", "seq.markov_mix=0").resolve("supervised.safetensors");
        Cli.Result e0 = Cli.run("evaluate", "--checkpoint", off.toString(), "--models", "popular", "--no-progress");
        assertThat(e0.exitCode()).as(e0.toString()).isZero();
        assertThat(e0.out()).contains("supervised-last-item").doesNotContain("+markov");

        // a checkpoint of an earlier version stores no weight: evaluate chooses it on validation, as training would
        Checkpoint.Loaded loaded = Checkpoint.read(fixed);
        java.util.Map<String, String> extra = new java.util.LinkedHashMap<>(loaded.info().extra());
        extra.remove(LogTraining.MARKOV_MIX);
        Path old = dir.resolve("mix-old.safetensors");
        RunConfig cfg = ConfigJson.merge(RunConfig.original().withData(RunConfig.original().data().withPath(log.toString())),
                loaded.info().configJson(), "test");
        SequenceModel model = LogTraining.load(loaded, cfg, 30);
        String autoConfig = ConfigJson.toPortableJson(ConfigJson.withOverride(cfg, "seq.markov_mix=auto"));
        Checkpoint.save(old, model.store(), new Checkpoint.Info("supervised", autoConfig, 0, 3, extra));
        Cli.Result eo = Cli.run("evaluate", "--checkpoint", old.toString(), "--models", "popular", "--no-progress");
        assertThat(eo.exitCode()).as(eo.toString()).isZero();
        assertThat(eo.out()).contains("stores no markov mix; choosing it on validation")
                .containsPattern("markov mix on validation ndcg@10: alpha=0\\.00: 0\\.\\d{4} alpha=0\\.05");

        Cli.Result bad = Cli.run("train", "--env", "logs", "--data", log.toString(), "--set", "seq.markov_mix=1.5");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.errLines()).hasSize(1);
        assertThat(bad.errLines().get(0)).contains("seq.markov_mix must be auto or a number in [0, 1] (got 1.5)");
    }

    @Test
    void tuneSearchesOnValidationWithinItsBudgetAndRecordsTheChoice() throws Exception {
        Path ck = dir.resolve("tuned");
        Cli.Result t = Cli.run("train", "--env", "logs", "--data", log.toString(), "--no-progress", "--tune", "--set",
                "seq.epochs=10", "--set", "seq.min_epochs=2", "--set", "seq.patience=3", "--set", "seq.threads=1",
                "--log-dir", dir.resolve("tuned-logs").toString(), "--checkpoint-dir", ck.toString());
        assertThat(t.exitCode()).as(t.toString()).isZero();
        // the default run first, to its early stop (E epochs, at least min_epochs 2 + patience 3); budget 3 x E
        java.util.regex.Matcher stop = java.util.regex.Pattern.compile("the default run stopped after (\\d+) epochs"
                + " \\(best epoch \\d+, validation \\d\\.\\d{4}, [\\d.]+ s\\); budget 3 x (\\d+) = (\\d+) default epochs;"
                + " 5 challengers train (\\d+) epochs each").matcher(t.out());
        assertThat(stop.find()).as(t.out()).isTrue();
        int defaultEpochs = Integer.parseInt(stop.group(1));
        assertThat(defaultEpochs).isGreaterThanOrEqualTo(5).isEqualTo(Integer.parseInt(stop.group(2)));
        int budget = Integer.parseInt(stop.group(3));
        assertThat(budget).isEqualTo(3 * defaultEpochs);
        assertThat(t.out()).containsPattern("tune default epoch +" + defaultEpochs + " \\|")
                .doesNotContainPattern("tune default epoch +" + (defaultEpochs + 1) + " \\|")
                .containsPattern("tune guard: \\[\\d\\] validation .* on \\d+ users: (sure|not sure)")
                .containsPattern("tuned: chose \\[\\d\\] .* search cost \\d+ epochs = \\d+\\.\\d of " + budget
                        + " default epochs")
                .contains("served model: ");
        java.util.regex.Matcher cost = java.util.regex.Pattern.compile("= (\\d+\\.\\d) of " + budget + " default")
                .matcher(t.out());
        assertThat(cost.find()).isTrue();
        assertThat(Double.parseDouble(cost.group(1))).isGreaterThanOrEqualTo(defaultEpochs)
                .isLessThanOrEqualTo(budget);
        Checkpoint.Loaded loaded = Checkpoint.read(ck.resolve("supervised.safetensors"));
        String chosen = loaded.info().extra().get(org.recsysrl.train.SequenceTuning.TUNED);
        assertThat(chosen).isNotNull();
        assertThat(loaded.info().extra()).containsKey(org.recsysrl.train.SequenceTuning.TUNE_COST)
                .containsEntry(org.recsysrl.train.SequenceTuning.TUNE_DEFAULT_EPOCHS, Integer.toString(defaultEpochs));
        // the checkpoint's config is the chosen candidate's, so evaluate rebuilds that model
        RunConfig cfg = ConfigJson.merge(RunConfig.original().withData(RunConfig.original().data()
                .withPath(log.toString())), loaded.info().configJson(), "test");
        assertThat(chosen).startsWith(cfg.model().sequence().encoder().id() + " d=" + cfg.model().sequence().embeddingDim() + " L="
                + cfg.model().sequence().maxSeqLen());
        Cli.Result e = Cli.run("evaluate", "--checkpoint", ck.resolve("supervised.safetensors").toString(), "--models",
                "popular", "--no-progress");
        assertThat(e.exitCode()).as(e.toString()).isZero();

        Cli.Result bad = Cli.run("train", "--tune", "--total-timesteps", "10");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.errLines()).hasSize(1);
        assertThat(bad.errLines().get(0)).contains("--tune applies to --env logs only");
    }

    @Test
    void userMistakesGiveOneLineAndExitCode2() throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "user_id,item_id,event\n1,2,view\n1,3,buy\n");
        Cli.Result r = Cli.run("benchmark", "--data", bad.toString(), "--set", "data.event_col=event", "--set",
                "data.event_weights=view=1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines().get(0)).startsWith("error: ").contains("line 3").contains("\"buy\"");

        r = Cli.run("benchmark", "--data", log.toString(), "--models", "popular,sasrec");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines().get(0)).contains("unknown model sasrec").contains("ease");

        r = Cli.run("benchmark", "--data", dir.resolve("missing.csv").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines().get(0)).contains("missing.csv").contains("does not exist");

        r = Cli.run("train", "--env", "logs", "--data", log.toString(), "--algo", "ppo");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines().get(0)).contains("supervised or sa2c");

        r = Cli.run("train", "--algo", "sa2c");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines().get(0)).contains("--env logs");

        r = Cli.run("benchmark", "--data", log.toString(), "--protocol", "temporal");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines().get(0)).contains("needs times");

        Path tiny = dir.resolve("one-user.csv");
        Files.writeString(tiny, "user_id,item_id\n1,2\n1,3\n");
        r = Cli.run("benchmark", "--data", tiny.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines().get(0)).contains("no user has a test interaction");
        assertThat(r.out()).doesNotContain("NaN");

        // issue 27: test targets that exist but are all known items name eval.exclude_known
        Path repeats = dir.resolve("repeats.csv");
        StringBuilder rows = new StringBuilder("user_id,item_id,timestamp\n");
        for (int u = 1; u <= 6; u++) {
            rows.append(u).append(",10,1\n").append(u).append(',').append(10 + u).append(",2\n")
                    .append(u).append(",20,3\n").append(u).append(",10,4\n");
        }
        Files.writeString(repeats, rows);
        r = Cli.run("benchmark", "--data", repeats.toString());
        assertThat(Cli.userError(r)).contains("eval.exclude_known").doesNotContain("no user has a test interaction");

        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        r = Cli.run("benchmark", "--data", log.toString(), "--out", file.resolve("sub").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines().get(0)).contains("--out");
    }

    @Test
    void ppoAndA2cTrainWithAnItemHistoryEncoderInTheSimulatorAndEvaluate() {
        for (String algo : new String[] {"ppo", "a2c"}) {
            Path run = dir.resolve("hist-" + algo);
            Path ck = Cli.trainOk(algo, run, 256, "--set", "model.history_encoder=attention", "--set",
                    "model.max_seq_len=5", "--set", "model.embedding_dim=8");
            Cli.Result e = Cli.run("evaluate", "--checkpoint", ck.toString(), "--episodes", "3");
            assertThat(e.exitCode()).as(e.toString()).isZero();
            assertThat(e.out()).contains("personalisation score P");
        }
    }
}
