package org.recsysrl.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.api.RecommendRequest;
import org.recsysrl.api.Recommender;
import org.recsysrl.cli.Cli;
import org.recsysrl.cli.Main;

/**
 * {@code serve --index hnsw}: answers through the index carry exact logits ({@code "scores":
 * "logit"}) in the exact path's order, honour the history's exclusion, and a model without an
 * inner-product form is refused in one line, exit 2.
 */
class ServerIndexTest {
    @TempDir
    static Path dir;
    static Path checkpoint;
    static Recommender lib;
    static RecommendServer server;

    @BeforeAll
    static void start() throws Exception {
        checkpoint = Cli.trainOk("ppo", dir, 128, "--set", "env.num_items=400", "--set", "env.num_users=20",
                "--set", "model.actor_head=embedding", "--set", "ppo.n_steps=64", "--set", "ppo.batch_size=32");
        lib = Recommender.load(checkpoint);
        server = new RecommendServer(checkpoint, null, new RecommendServer.Options(0, 2, 64, 1 << 16, 10, 10, 60_000,
                1000).withIndex("hnsw"), l -> { });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(1);
    }

    private static final java.net.http.HttpClient CLIENT = java.net.http.HttpClient.newHttpClient();

    private static HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                + server.port() + path)).timeout(java.time.Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersAreTheExactItemsScoredByTheirLogits() throws Exception {
        int same = 0;
        for (int u = 0; u < 20; u++) {
            JsonNode r = ServerApiTest.ok(get("/v1/recommend?user=" + u + "&k=10"));
            assertThat(r.path("scores").asText()).as(r.toString()).isEqualTo("logit");
            List<String> exact = ServerApiTest.ids(lib.recommend(RecommendRequest.forUser(Integer.toString(u), 10)));
            List<String> got = ServerApiTest.ids(r.get("items"));
            same += got.equals(exact) ? 1 : 0;
            // a logit, not the log-probability: they differ by the softmax's normaliser
            double first = r.get("items").get(0).get("score").asDouble();
            double exactFirst = lib.recommend(RecommendRequest.forUser(Integer.toString(u), 1)).get(0).score();
            assertThat(first).isNotCloseTo(exactFirst, org.assertj.core.data.Offset.offset(1e-4));
        }
        assertThat(same).as("answers equal to the exact top 10 (400 items: the graph should find them)")
                .isGreaterThanOrEqualTo(19);
    }

    @Test
    void theInt8IndexAnswersTheExactTopKByLogitOverHttp() throws Exception {
        RecommendServer int8 = new RecommendServer(checkpoint, null, new RecommendServer.Options(0, 2, 64, 1 << 16,
                10, 10, 60_000, 1000).withIndex("int8"), l -> { });
        int8.start();
        try {
            org.recsysrl.api.ItemIndex reference = org.recsysrl.api.Int8ItemIndex.of(lib.logitVectors());
            for (int u = 0; u < 20; u += 3) {
                String history = u + "," + (u + 100);
                HttpResponse<String> got = CLIENT.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://127.0.0.1:" + int8.port() + "/v1/recommend?user=" + u + "&k=10&history=" + history))
                        .build(), HttpResponse.BodyHandlers.ofString());
                JsonNode r = ServerApiTest.ok(got);
                assertThat(r.path("scores").asText()).isEqualTo("logit");
                List<org.recsysrl.api.ScoredItem> want = lib.recommend(new RecommendRequest(Integer.toString(u),
                        List.of(Integer.toString(u), Integer.toString(u + 100)), null, null, 10), reference);
                assertThat(ServerApiTest.ids(r.get("items"))).isEqualTo(ServerApiTest.ids(want))
                        .doesNotContain(Integer.toString(u), Integer.toString(u + 100));
                for (int i = 0; i < 10; i++) {
                    assertThat((float) r.get("items").get(i).get("score").asDouble()).isEqualTo(want.get(i).score());
                }
            }
        } finally {
            int8.stop(1);
        }
    }

    @Test
    void theHistoryIsExcludedAndExplicitExcludesAdd() throws Exception {
        List<String> top = ServerApiTest.ids(ServerApiTest.ok(get("/v1/recommend?user=4&k=6")).get("items"));
        JsonNode r = ServerApiTest.ok(get("/v1/recommend?user=4&k=6&history=" + top.get(0) + "," + top.get(1)
                + "&exclude=" + top.get(2)));
        List<String> got = ServerApiTest.ids(r.get("items"));
        assertThat(got).hasSize(6).doesNotContain(top.get(0), top.get(1), top.get(2));
    }

    @Test
    void aModelWithoutInnerProductsIsRefused() throws Exception {
        Path log = dir.resolve("log.csv");
        StringBuilder rows = new StringBuilder("user_id,item_id,timestamp\n");
        for (int u = 1; u <= 8; u++) {
            for (int i = 0; i < 5; i++) {
                rows.append(u).append(',').append((u * 7 + i * 3) % 11).append(',').append(i).append('\n');
            }
        }
        Files.writeString(log, rows);
        Cli.Result t = Cli.run("train", "--env", "logs", "--data", log.toString(), "--no-progress",
                "--set", "model.encoder=last-item", "--set", "model.embedding_dim=8", "--set", "seq.epochs=1",
                "--log-dir", dir.resolve("logs").toString(), "--checkpoint-dir", dir.resolve("ck").toString());
        assertThat(t.exitCode()).as(t.toString()).isZero();
        Cli.Result r = Cli.run("serve", "--checkpoint", dir.resolve("ck").resolve("supervised.safetensors").toString(),
                "--port", "0", "--index", "hnsw");
        assertThat(r.exitCode()).isEqualTo(Main.USER_ERROR);
        assertThat(Cli.userError(r)).contains("--index hnsw").contains("--index exact");
        Cli.Result int8 = Cli.run("serve", "--checkpoint", dir.resolve("ck").resolve("supervised.safetensors")
                .toString(), "--port", "0", "--index", "int8");
        assertThat(int8.exitCode()).isEqualTo(Main.USER_ERROR);
        assertThat(Cli.userError(int8)).contains("--index int8").contains("--index exact");
    }
}
