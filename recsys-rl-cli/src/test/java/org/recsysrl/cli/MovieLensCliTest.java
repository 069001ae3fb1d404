package org.recsysrl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.util.Rng;

/**
 * {@code train --env movielens --data DIR} and {@code evaluate} end to end on a tiny generated
 * MovieLens-latest-style folder (ratings.csv and movies.csv with headers).
 */
class MovieLensCliTest {
    @TempDir
    static Path dir;

    static Path data;
    static Path checkpoint;
    static Cli.Result trained;

    private static final String[] SMALL = {"--set", "data.mf_dim=4", "--set", "data.mf_iterations=3",
        "--set", "env.max_episode_steps=5", "--set", "data.holdout_last=2", "--set", "data.holdout_fraction=0"};

    static void writeFolder(Path folder, int users, int items, long seed) throws IOException {
        Files.createDirectories(folder);
        StringBuilder movies = new StringBuilder("movieId,title,genres\n");
        for (int i = 1; i <= items; i++) {
            movies.append(i * 10).append(",\"Movie ").append(i).append(", The (1999)\",Drama|Comedy\n");
        }
        Files.writeString(folder.resolve("movies.csv"), movies);
        Rng rng = new Rng(seed);
        StringBuilder ratings = new StringBuilder("userId,movieId,rating,timestamp\n");
        for (int u = 1; u <= users; u++) {
            boolean[] seen = new boolean[items + 1];
            for (int k = 0; k < 12; k++) {
                int i = 1 + rng.nextInt(items);
                if (seen[i]) {
                    continue;
                }
                seen[i] = true;
                double r = 0.5 * (1 + rng.nextInt(10));
                ratings.append(u).append(',').append(i * 10).append(',').append(r).append(',')
                        .append(1_000_000 + 100 * k).append('\n');
            }
        }
        Files.writeString(folder.resolve("ratings.csv"), ratings);
    }

    static String[] trainArgs(String algo, Path out, Path data, String... extra) {
        List<String> args = new ArrayList<>(List.of(Cli.trainArgs(algo, out, 128)));
        args.addAll(List.of("--env", "movielens", "--data", data.toString()));
        args.addAll(List.of(SMALL));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @BeforeAll
    static void trainOnce() throws IOException {
        data = dir.resolve("ml-tiny");
        writeFolder(data, 25, 40, 3);
        trained = Cli.run(trainArgs("ppo", dir.resolve("run"), data));
        assertThat(trained.exitCode()).as(trained.toString()).isZero();
        checkpoint = dir.resolve("run").resolve("ck").resolve("ppo.safetensors");
    }

    @Test
    void trainFitsTheFactorisationAndReportsItsRmse() {
        assertThat(trained.out()).contains("ml-latest").contains("held-out RMSE").contains("25 users")
                .contains("40 items");
    }

    @Test
    void evaluatePrintsTheRankingTableForThePolicyAndTheBaselines() {
        Cli.Result r = Cli.run("evaluate", "--checkpoint", checkpoint.toString(), "--k", "5", "--episodes", "4");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("NDCG@5").contains("Recall@5").contains("HR@5").contains("coverage")
                .contains("diversity").contains("return").contains("ranking over 25 held-out users");
        for (String policy : List.of("ppo", "random", "popular", "mf-greedy")) {
            assertThat(r.out()).containsPattern("(?m)^" + policy + " +\\d+\\.\\d{4} +\\d+\\.\\d{4}");
        }
        // the same checkpoint evaluates identically (the factorisation is refitted deterministically)
        Cli.Result again = Cli.run("evaluate", "--checkpoint", checkpoint.toString(), "--k", "5", "--episodes", "4",
                "--data", data.toString());
        assertThat(table(again.out())).isEqualTo(table(r.out()));
    }

    private static String table(String out) {
        return out.substring(out.indexOf("policy"), out.indexOf("(evaluated"));
    }

    @Test
    void a2cTrainsOnRealDataToo() {
        Cli.Result r = Cli.run(trainArgs("a2c", dir.resolve("run-a2c"), data));
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    @Test
    void evaluatingOnAModifiedDataSetIsRefusedNamingBoth() throws IOException {
        Path other = dir.resolve("ml-other");
        writeFolder(other, 25, 40, 3);
        String text = Files.readString(other.resolve("ratings.csv"));
        int line = text.indexOf('\n', text.indexOf('\n') + 1); // end of the first data line
        int comma = text.lastIndexOf(',', line - 1);
        int ratingStart = text.lastIndexOf(',', comma - 1) + 1;
        String changed = text.substring(0, ratingStart) + (text.startsWith("5.0", ratingStart) ? "4.0" : "5.0")
                + text.substring(comma);
        Files.writeString(other.resolve("ratings.csv"), changed);
        Cli.Result r = Cli.run("evaluate", "--checkpoint", checkpoint.toString(), "--data", other.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("data set mismatch").contains(data.resolve("ratings.csv").toString())
                .contains(other.resolve("ratings.csv").toString()).contains("--data");
    }

    @Test
    void aMalformedRatingsLineIsAOneLineErrorNamingFileAndLine() throws IOException {
        Path bad = dir.resolve("ml-bad");
        writeFolder(bad, 5, 10, 4);
        Files.writeString(bad.resolve("ratings.csv"), "1,10,four,1000\n", java.nio.file.StandardOpenOption.APPEND);
        Cli.Result r = Cli.run(trainArgs("ppo", dir.resolve("run-bad"), bad));
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("ratings.csv").contains("line");
    }

    @Test
    void missingDataPathIsAUserError() {
        List<String> args = new ArrayList<>(List.of(Cli.trainArgs("ppo", dir.resolve("run-nodata"), 128)));
        args.addAll(List.of("--env", "movielens"));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--data");
    }

    @Test
    void sweepRefusesTheMovieLensEnvironment() {
        Cli.Result r = Cli.run("sweep", "--seeds", "1", "--total-timesteps", "64", "--episodes", "1", "--threads", "1",
                "--out", dir.resolve("sweep").toString(), "--set", "env.type=movielens", "--set",
                "data.path=" + data);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("env.type=movielens");
    }

    @Test
    void aRealDataRunResumesWithTheSameDataOnly() throws IOException {
        Path out = dir.resolve("run-resume");
        assertThat(Cli.run(trainArgs("ppo", out, data)).exitCode()).isZero();
        List<String> args = new ArrayList<>(List.of(trainArgs("ppo", out, data)));
        args.set(args.indexOf("--total-timesteps") + 1, "256");
        args.add("--resume");
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("resumed ppo at step 128");

        Path other = dir.resolve("ml-resume-other");
        writeFolder(other, 25, 40, 99);
        List<String> bad = new ArrayList<>(List.of(trainArgs("ppo", out, other)));
        bad.set(bad.indexOf("--total-timesteps") + 1, "512");
        bad.add("--resume");
        Cli.Result refused = Cli.run(bad.toArray(String[]::new));
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err()).contains("data set mismatch");
    }

    @Test
    void evaluateJsonHasEveryPolicyAndMetric() throws Exception {
        Cli.Result r = Cli.run("evaluate", "--checkpoint", checkpoint.toString(), "--episodes", "2", "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        com.fasterxml.jackson.databind.JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertThat(root.get("k").asInt()).isEqualTo(10);
        for (String policy : List.of("ppo", "random", "popular", "mf-greedy")) {
            com.fasterxml.jackson.databind.JsonNode p = root.get("policies").get(policy);
            for (String metric : List.of("ndcg", "recall", "hit_rate", "coverage", "diversity", "return")) {
                assertThat(p.get(metric).isNumber()).as(policy + " " + metric).isTrue();
            }
        }
    }

    @Test
    void theCheckpointCarriesItsFactorisationAndServesAsARefit() throws Exception {
        org.recsysrl.io.Checkpoint.Loaded stored = org.recsysrl.io.Checkpoint.read(checkpoint);
        assertThat(stored.hasServing("mf_item_factors")).isTrue();
        // an earlier version's file: the same parameters, no factorisation, so loading fits it again
        Path old = dir.resolve("old-ppo.safetensors");
        java.util.Map<String, String> metadata = new java.util.LinkedHashMap<>(stored.contents().metadata());
        metadata.put(org.recsysrl.io.Checkpoint.FORMAT_KEY, org.recsysrl.io.Checkpoint.FORMAT);
        List<org.recsysrl.io.Tensor> params = new ArrayList<>();
        stored.contents().tensors().forEach((name, t) -> {
            if (!name.startsWith(org.recsysrl.io.Checkpoint.SERVING_PREFIX)) {
                params.add(t);
            }
        });
        org.recsysrl.io.SafeTensors.write(old, metadata, params);
        org.recsysrl.model.PolicyCheckpoint fromFile = (org.recsysrl.model.PolicyCheckpoint) org.recsysrl.model.Models
                .load(checkpoint, null);
        org.recsysrl.model.PolicyCheckpoint refit = (org.recsysrl.model.PolicyCheckpoint) org.recsysrl.model.Models
                .load(old, null);
        org.recsysrl.data.FactorizationModel a = fromFile.setup().real().mf().model();
        org.recsysrl.data.FactorizationModel b = refit.setup().real().mf().model();
        assertThat(a.itemFactors()).containsExactly(b.itemFactors());
        assertThat(a.userFactors()).containsExactly(b.userFactors());
        assertThat(a.itemBias()).containsExactly(b.itemBias());
        assertThat(a.globalMean()).isEqualTo(b.globalMean());
        assertThat(fromFile.setup().real().mf().testRmse()).isEqualTo(refit.setup().real().mf().testRmse());
        org.recsysrl.api.Recommender served = org.recsysrl.api.Recommender.load(checkpoint);
        org.recsysrl.api.Recommender again = org.recsysrl.api.Recommender.load(old);
        for (String user : List.of("1", "7", "20")) {
            if (served.hasUser(user)) {
                org.recsysrl.api.RecommendRequest r = new org.recsysrl.api.RecommendRequest(user, List.of("100", "250"),
                        null, null, 5);
                assertThat(served.recommend(r)).isEqualTo(again.recommend(r));
            }
        }
    }
}
