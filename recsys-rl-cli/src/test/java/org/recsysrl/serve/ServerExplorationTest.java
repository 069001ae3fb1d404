package org.recsysrl.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.api.ExploredSlate;
import org.recsysrl.api.Exploration;
import org.recsysrl.api.RecommendRequest;
import org.recsysrl.api.Recommender;
import org.recsysrl.cli.Cli;

/** Exploration at serving and the impression log, over HTTP. */
class ServerExplorationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static Path checkpoint;
    static Recommender lib;
    static RecommendServer server;
    static Path impressions;
    static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        checkpoint = Cli.trainOk("ppo", dir.resolve("a"), 64);
        lib = Recommender.load(checkpoint);
        impressions = dir.resolve("impressions.jsonl");
        server = new RecommendServer(checkpoint, null, new RecommendServer.Options(0, 2, 64, 1 << 16, 10, 10, 60_000,
                1000), new RecommendServer.Loop(Exploration.epsilonGreedy(0.5), impressions, 1 << 20, 1000, 10, 100, 0),
                l -> { });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(1);
    }

    static JsonNode call(RecommendServer s, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
                .timeout(Duration.ofSeconds(10));
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.method(method, HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void aSeededAnswerIsTheLibrarysSampleWithItsPropensities() throws Exception {
        for (long seed = 1; seed <= 12; seed++) {
            JsonNode r = call(server, "POST", "/v1/recommend", "{\"user\":\"3\",\"k\":4,\"seed\":" + seed
                    + ",\"request_id\":\"q" + seed + "\"}");
            ExploredSlate expected = Exploration.epsilonGreedy(0.5).recommend(lib, RecommendRequest.forUser("3", 4),
                    new SplittableRandom(seed));
            assertThat(r.get("request_id").asText()).isEqualTo("q" + seed);
            assertThat(r.get("items")).hasSize(4);
            for (int j = 0; j < 4; j++) {
                JsonNode item = r.get("items").get(j);
                assertThat(item.get("id").asText()).isEqualTo(expected.items().get(j).id());
                assertThat(item.get("propensity").asDouble()).isEqualTo(expected.propensity(j));
            }
            assertThat(r.get("slate_propensity").asDouble()).isEqualTo(expected.slatePropensity());
            // the same seed, the same answer
            JsonNode again = call(server, "GET", "/v1/recommend?user=3&k=4&seed=" + seed, null);
            assertThat(again.get("items")).isEqualTo(r.get("items"));
        }
        // by hand: a catalog of n items, epsilon 0.5, the greedy slate's items have 0.5 + 0.5 / n
        int n = lib.itemCount();
        JsonNode greedyItem = null;
        for (long seed = 100; seed < 200 && greedyItem == null; seed++) {
            JsonNode r = call(server, "GET", "/v1/recommend?user=4&k=1&seed=" + seed, null);
            if (r.get("items").get(0).get("id").asText().equals(lib.recommend(RecommendRequest.forUser("4", 1)).get(0).id())) {
                greedyItem = r.get("items").get(0);
            }
        }
        assertThat(greedyItem.get("propensity").asDouble()).isCloseTo(0.5 + 0.5 / n, within(1e-12));
    }

    @Test
    void rankedIsRecommendOfTheWholeCatalog() {
        int n = lib.itemCount();
        for (String user : List.of("0", "3", "7")) {
            RecommendRequest all = RecommendRequest.forUser(user, n);
            assertThat(lib.ranked(all)).isEqualTo(lib.recommend(all));
            RecommendRequest some = new RecommendRequest(user, List.of("1", "2"), List.of("5"),
                    List.of("9", "3", "5", "4", "9", "8"), n);
            assertThat(lib.ranked(some)).isEqualTo(lib.recommend(some)).hasSize(4);
        }
    }

    @Test
    void everyAnswerIsLoggedAsOneImpressionLine() throws Exception {
        Set<String> ids = new HashSet<>();
        Map<String, JsonNode> answers = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            JsonNode r = call(server, "GET", "/v1/recommend?user=" + (i % 5) + "&k=3", null);
            String id = r.get("request_id").asText();
            assertThat(ids.add(id)).as("generated ids are unique").isTrue();
            answers.put(id, r);
        }
        JsonNode batch = call(server, "POST", "/v1/recommend:batch",
                "{\"requests\":[{\"user\":\"1\",\"k\":2,\"request_id\":\"b1\"},{\"user\":\"2\",\"k\":2}]}");
        answers.put("b1", batch.get("results").get(0));
        answers.put(batch.get("results").get(1).get("request_id").asText(), batch.get("results").get(1));
        // an answer that shows nothing is not an impression
        JsonNode empty = call(server, "POST", "/v1/recommend",
                "{\"user\":\"1\",\"k\":2,\"candidates\":[\"4\"],\"exclude\":[\"4\"],\"request_id\":\"none\"}");
        assertThat(empty.get("items")).isEmpty();
        long deadline = System.currentTimeMillis() + 10_000;
        List<JsonNode> lines = new ArrayList<>();
        while (System.currentTimeMillis() < deadline) {
            lines.clear();
            for (String l : Files.readAllLines(impressions)) {
                lines.add(JSON.readTree(l));
            }
            if (lines.stream().map(l -> l.get("request_id").asText()).filter(answers::containsKey).count()
                    >= answers.size()) {
                break;
            }
            Thread.sleep(20);
        }
        int matched = 0;
        for (JsonNode line : lines) {
            JsonNode answer = answers.get(line.get("request_id").asText());
            if (answer == null) {
                continue;
            }
            matched++;
            assertThat(line.get("time").asLong()).isPositive();
            assertThat(line.get("policy").asText()).isEqualTo("epsilon=0.5");
            assertThat(line.get("model").asText()).isEqualTo(lib.info().sha256());
            JsonNode items = answer.get("items");
            assertThat(line.get("items")).hasSize(items.size());
            for (int j = 0; j < items.size(); j++) {
                assertThat(line.get("items").get(j).asText()).isEqualTo(items.get(j).get("id").asText());
                double p = line.get("propensities").get(j).asDouble();
                assertThat(p).isEqualTo(items.get(j).get("propensity").asDouble()).isGreaterThan(0).isLessThanOrEqualTo(1);
            }
            assertThat(line.get("slate_propensity").asDouble()).isEqualTo(answer.get("slate_propensity").asDouble());
            assertThat(line.has("rewards")).isFalse();
        }
        assertThat(matched).isEqualTo(answers.size());
        assertThat(lines).noneMatch(l -> l.get("request_id").asText().equals("none"));
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("recsysrl_impressions_dropped_total 0").contains("recsysrl_impressions_logged_total ");
    }

    @Test
    void everyAnswerArrivesAfterItsImpressionLineIsInTheFile() throws Exception {
        Path log = dir.resolve("held.jsonl");
        try (RecommendServer held = new RecommendServer(checkpoint, null, new RecommendServer.Options(0, 2, 64, 1 << 16,
                10, 10, 60_000, 1000), RecommendServer.Loop.of(Exploration.epsilonGreedy(0.5), log, 1 << 20, 20_000),
                l -> { })) {
            // the writer gathers each batch for 20 ms (or 64 lines) as if other requests were always in flight:
            // an answer that left before its line would reach the client long before the line reaches the file
            held.impressions().watch(() -> true);
            held.start();
            int clients = 4;
            int perClient = 25;
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
            List<java.util.concurrent.Future<List<String>>> missing = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int id = c;
                missing.add(pool.submit(() -> {
                    List<String> notYetLogged = new ArrayList<>();
                    for (int i = 0; i < perClient; i++) {
                        String rid = "c" + id + "-" + i;
                        String body = i % 5 == 4 // now and then a batch: its answer waits for both lines
                                ? "{\"requests\":[{\"user\":\"1\",\"k\":2,\"request_id\":\"" + rid + "a\"},"
                                        + "{\"user\":\"2\",\"k\":3,\"request_id\":\"" + rid + "b\"}]}"
                                : "{\"user\":\"" + (1 + i % 3) + "\",\"k\":3,\"request_id\":\"" + rid + "\"}";
                        call(held, "POST", i % 5 == 4 ? "/v1/recommend:batch" : "/v1/recommend", body);
                        String written = Files.readString(log); // read when the answer has arrived
                        for (String want : i % 5 == 4 ? List.of(rid + "a", rid + "b") : List.of(rid)) {
                            if (!written.contains("\"request_id\":\"" + want + "\"")) {
                                notYetLogged.add(want);
                            }
                        }
                    }
                    return notYetLogged;
                }));
            }
            List<String> all = new ArrayList<>();
            for (java.util.concurrent.Future<List<String>> f : missing) {
                all.addAll(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            pool.shutdown();
            assertThat(all).isEmpty();
            assertThat(Files.readAllLines(log)).hasSize(clients * (perClient + perClient / 5));
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + held.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("recsysrl_impressions_held 0").contains("recsysrl_impressions_dropped_total 0")
                    .contains("recsysrl_impressions_logged_total " + clients * (perClient + perClient / 5));
        }
    }

    @Test
    void greedyServingWithoutALogAnswersAsBefore() throws Exception {
        try (RecommendServer plain = new RecommendServer(checkpoint, null, new RecommendServer.Options(0, 1, 8, 4096, 10,
                10, 60_000, 1000), l -> { })) {
            JsonNode r = call(plain, "GET", "/v1/recommend?user=3&k=3", null);
            assertThat(r.has("request_id")).isFalse();
            assertThat(r.has("slate_propensity")).isFalse();
            assertThat(r.get("items").get(0).has("propensity")).isFalse();
            assertThat(r.get("items").get(0).get("id").asText())
                    .isEqualTo(lib.recommend(RecommendRequest.forUser("3", 3)).get(0).id());
        }
    }
}
