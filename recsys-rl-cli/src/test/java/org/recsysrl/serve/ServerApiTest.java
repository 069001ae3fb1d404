package org.recsysrl.serve;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.api.RecommendRequest;
import org.recsysrl.api.Recommender;
import org.recsysrl.api.ScoredItem;
import org.recsysrl.cli.Cli;

/** The API beyond the basics: warnings, exclusion, the popular fallback, batch, sessions, feedback, OpenAPI, logs. */
class ServerApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static Recommender lib;
    static Path checkpoint;
    static RecommendServer server;
    static Path feedback;
    static Path access;
    static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        Path ck = Cli.trainOk("ppo", dir.resolve("a"), 64);
        checkpoint = ck;
        lib = Recommender.load(ck);
        feedback = dir.resolve("feedback.jsonl");
        access = dir.resolve("access.jsonl");
        server = new RecommendServer(ck, null, new RecommendServer.Options(0, 2, 64, 1 << 16, 10, 10, 60_000, 1000)
                .withFiles(null, null, null, feedback, access), l -> { });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(1);
    }

    static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10));
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.method(method, HttpRequest.BodyPublishers.ofString(body));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode ok(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
        return JSON.readTree(r.body());
    }

    static List<String> ids(JsonNode items) {
        List<String> out = new ArrayList<>();
        items.forEach(n -> out.add(n.get("id").asText()));
        return out;
    }

    static List<String> ids(List<ScoredItem> items) {
        return items.stream().map(ScoredItem::id).toList();
    }

    @Test
    void unknownIdsInExcludeAndCandidatesAreIgnoredAndReported() throws Exception {
        JsonNode r = ok(send("POST", "/v1/recommend",
                "{\"user\": \"2\", \"k\": 3, \"exclude\": [\"nope\", 4], \"candidates\": [4, 5, \"new-item\", 6, 7]}"));
        assertThat(ids(r.get("items"))).containsExactlyElementsOf(ids(lib.recommend(RecommendRequest.forUser("2", 3)
                .withExclude(List.of("4")).withCandidates(List.of("4", "5", "6", "7")))));
        List<String> warnings = new ArrayList<>();
        r.get("warnings").forEach(w -> warnings.add(w.asText()));
        assertThat(warnings).containsExactly("unknown item nope in exclude ignored",
                "unknown item new-item in candidates ignored");
        // a request without unknown ids carries no warnings field: the old contract is unchanged
        assertThat(ok(send("GET", "/v1/recommend?user=2&k=2", null)).has("warnings")).isFalse();
    }

    @Test
    void anExplicitExcludeAddsToTheHistoryUnlessTurnedOff() throws Exception {
        JsonNode both = ok(send("POST", "/v1/recommend", "{\"user\": \"1\", \"history\": [\"3\", \"8\"],"
                + " \"exclude\": [\"5\"], \"k\": 6}"));
        assertThat(ids(both.get("items"))).containsExactlyElementsOf(ids(lib.recommend(
                new RecommendRequest("1", List.of("3", "8"), List.of("3", "8", "5"), null, 6))))
                .doesNotContain("3", "8", "5");
        JsonNode only = ok(send("POST", "/v1/recommend", "{\"user\": \"1\", \"history\": [\"3\", \"8\"],"
                + " \"exclude\": [\"5\"], \"exclude_history\": false, \"k\": 6}"));
        assertThat(ids(only.get("items"))).containsExactlyElementsOf(ids(lib.recommend(
                new RecommendRequest("1", List.of("3", "8"), List.of("5"), null, 6))));
    }

    @Test
    void unknownUsersGetThePopularFallback() throws Exception {
        JsonNode r = ok(send("POST", "/v1/recommend", "{\"user\": \"nobody\", \"k\": 3}"));
        assertThat(r.get("fallback").asText()).isEqualTo("popular");
        // by hand: the items the model ranks highest across its known users, by the sum of 1/(rank+1)
        Map<String, Double> score = new HashMap<>();
        int users = Math.min(PopularItems.USERS, lib.info().users());
        int depth = Math.min(PopularItems.DEPTH, lib.itemCount());
        for (int u = 0; u < users; u++) {
            List<ScoredItem> top = lib.recommend(RecommendRequest.forUser(Integer.toString(u), depth));
            for (int rank = 0; rank < top.size(); rank++) {
                score.merge(top.get(rank).id(), 1.0 / (rank + 1), Double::sum);
            }
        }
        String best = score.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertThat(r.get("items")).hasSize(3);
        assertThat(r.get("items").get(0).get("id").asText()).isEqualTo(best);
        assertThat(r.get("items").get(0).get("score").asDouble()).isCloseTo(score.get(best) / users,
                org.assertj.core.data.Offset.offset(1e-5));
        // the history is excluded from the fallback too
        JsonNode without = ok(send("POST", "/v1/recommend", "{\"user\": \"nobody\", \"history\": [\"" + best
                + "\"], \"k\": 3}"));
        assertThat(ids(without.get("items"))).doesNotContain(best).hasSize(3);
        assertThat(without.get("fallback").asText()).isEqualTo("popular");
    }

    @Test
    void sessionsCanBeDeleted() throws Exception {
        ok(send("POST", "/v1/sessions/gone/events", "{\"item\": 3}"));
        JsonNode d = ok(send("DELETE", "/v1/sessions/gone", null));
        assertThat(d.get("deleted").asBoolean()).isTrue();
        assertThat(send("GET", "/v1/sessions/gone/recommend?user=1&k=2", null).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "/v1/sessions/gone", null).statusCode()).isEqualTo(404);
        HttpResponse<String> wrong = send("GET", "/v1/sessions/gone", null);
        assertThat(wrong.statusCode()).isEqualTo(405);
        assertThat(wrong.headers().firstValue("Allow")).hasValue("DELETE");
    }

    @Test
    void aBatchAnswersEachRequestAsAloneAndReportsErrorsInPlace() throws Exception {
        JsonNode r = ok(send("POST", "/v1/recommend:batch", "{\"requests\": [{\"user\": \"1\", \"k\": 2},"
                + " {\"user\": \"2\", \"history\": [\"4\"], \"k\": 3}, {\"user\": \"1\", \"k\": 0},"
                + " {\"user\": \"1\", \"history\": [\"no-such\"]}]}"));
        JsonNode results = r.get("results");
        assertThat(results).hasSize(4);
        assertThat(ids(results.get(0).get("items"))).containsExactlyElementsOf(ids(lib.recommend(
                RecommendRequest.forUser("1", 2))));
        assertThat(ids(results.get(1).get("items"))).containsExactlyElementsOf(ids(lib.recommend(
                new RecommendRequest("2", List.of("4"), null, null, 3))));
        assertThat(results.get(2).get("status").asInt()).isEqualTo(400);
        assertThat(results.get(2).get("error").asText()).contains("k must be between 1");
        assertThat(results.get(3).get("status").asInt()).isEqualTo(404);
        assertThat(r.get("model").get("sha256").asText()).isEqualTo(lib.info().sha256());
        assertThat(send("POST", "/v1/recommend:batch", "{\"requests\": []}").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/v1/recommend:batch", "{\"requests\": [" + "{\"user\": 1},".repeat(100)
                + "{\"user\": 1}]}").statusCode()).isEqualTo(413);
    }

    @Test
    void feedbackIsAppendedOneWholeLinePerRequest() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String body = "{\"request_id\": \"r" + i + "\", \"user\": " + (i % 5) + ", \"items\": [\"1\", 2],"
                        + " \"rewards\": [1, 0.5], \"propensities\": [0.25, 0.125]" + (i == 0 ? ", \"time\": 1700000000000" : "")
                        + "}";
                done.add(pool.submit(() -> send("POST", "/v1/feedback", body).statusCode()));
            }
            for (Future<Integer> f : done) {
                assertThat(f.get()).isEqualTo(202);
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> lines = Files.readAllLines(feedback);
        assertThat(lines).hasSize(40);
        List<String> requestIds = new ArrayList<>();
        for (String line : lines) {
            JsonNode n = JSON.readTree(line);
            requestIds.add(n.get("request_id").asText());
            assertThat(n.get("items")).hasSize(2);
            assertThat(n.get("items").get(0).asText()).isEqualTo("1");
            assertThat(n.get("items").get(1).asText()).isEqualTo("2");
            assertThat(n.get("rewards").get(1).asDouble()).isEqualTo(0.5);
            assertThat(n.get("propensities").get(1).asDouble()).isEqualTo(0.125);
            assertThat(n.get("time").isIntegralNumber()).isTrue();
            if (n.get("request_id").asText().equals("r0")) {
                assertThat(n.get("time").asLong()).isEqualTo(1_700_000_000_000L);
                assertThat(n.get("user").asText()).isEqualTo("0");
            }
        }
        assertThat(requestIds).hasSize(40).doesNotHaveDuplicates();
        HttpResponse<String> bad = send("POST", "/v1/feedback", "{\"request_id\": \"x\", \"items\": [1, 2],"
                + " \"rewards\": [1]}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).get("error").asText()).contains("\"rewards\" must be a list of 2 numbers");
        assertThat(send("POST", "/v1/feedback", "{\"items\": [1], \"rewards\": [1]}").statusCode()).isEqualTo(400);
        assertThat(Files.readAllLines(feedback)).hasSize(40);
    }

    @Test
    void similarItemsAreTheNearestByCosineOfTheCatalogsVectors() throws Exception {
        // the reference: cosines computed here, in double, from the policy's item vectors
        float[] v = ((org.recsysrl.model.PolicyCheckpoint) org.recsysrl.model.Models.load(checkpoint, null)).network()
                .itemVectors();
        int n = lib.itemCount();
        int dim = v.length / n;
        int q = 5;
        double[] cos = new double[n];
        for (int i = 0; i < n; i++) {
            double dot = 0;
            double ni = 0;
            double nq = 0;
            for (int d = 0; d < dim; d++) {
                dot += (double) v[i * dim + d] * v[q * dim + d];
                ni += (double) v[i * dim + d] * v[i * dim + d];
                nq += (double) v[q * dim + d] * v[q * dim + d];
            }
            cos[i] = dot / Math.sqrt(ni * nq);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i != q) {
                order.add(i);
            }
        }
        order.sort((a, b) -> Double.compare(cos[b], cos[a]));
        JsonNode r = ok(send("GET", "/v1/items/5/similar?k=4", null));
        assertThat(r.get("item").asText()).isEqualTo("5");
        assertThat(ids(r.get("items"))).containsExactly(order.subList(0, 4).stream().map(String::valueOf)
                .toArray(String[]::new));
        for (int j = 0; j < 4; j++) {
            assertThat(r.get("items").get(j).get("score").asDouble()).isCloseTo(cos[order.get(j)],
                    org.assertj.core.data.Offset.offset(1e-5));
        }
        assertThat(r.get("model").get("kind").asText()).isEqualTo("simulator");
        assertThat(ids(r.get("items"))).isEqualTo(ids(lib.similar("5", 4)));
        assertThat(ok(send("GET", "/v1/items/5/similar", null)).get("items")).hasSize(10);
        // mistakes: one-line JSON errors
        HttpResponse<String> unknown = send("GET", "/v1/items/no-such-item/similar", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("error").asText()).contains("unknown item no-such-item");
        assertThat(send("GET", "/v1/items/5/similar?k=0", null).statusCode()).isEqualTo(400);
        assertThat(send("GET", "/v1/items/5/similar?k=" + n, null).statusCode()).isEqualTo(400);
        assertThat(send("GET", "/v1/items/5/similar?k=lots", null).body()).contains("k must be a whole number");
        assertThat(send("GET", "/v1/items/5/similar?user=3", null).body()).contains("unknown parameter");
        assertThat(send("POST", "/v1/items/5/similar", "{}").statusCode()).isEqualTo(405);
        assertThat(send("GET", "/v1/items/5/neighbours", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aFilterOnAModelWithoutAttributesIsA400() throws Exception {
        HttpResponse<String> r = send("GET", "/v1/recommend?user=3&filter=category:1", null);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("error").asText()).contains("no attribute category")
                .contains("they have none");
    }

    @Test
    void openApiAccessLogAndMetrics() throws Exception {
        JsonNode api = ok(send("GET", "/openapi.json", null));
        assertThat(api.get("openapi").asText()).startsWith("3.");
        for (String p : new String[] {"/v1/recommend", "/v1/recommend:batch", "/v1/feedback", "/v1/sessions/{id}",
            "/v1/items/{id}/similar", "/health/live", "/metrics"}) {
            assertThat(api.get("paths").has(p)).as(p).isTrue();
        }
        ok(send("GET", "/v1/recommend?user=3&k=2", null));
        assertThat(send("GET", "/v1/nothing", null).statusCode()).isEqualTo(404);
        String m = send("GET", "/metrics", null).body();
        assertThat(m).contains("recsysrl_endpoint_duration_seconds_count{endpoint=\"recommend\"}")
                .contains("recsysrl_endpoint_duration_seconds_bucket{endpoint=\"openapi\",le=\"0.001\"}")
                .contains("jvm_memory_heap_used_bytes").contains("jvm_threads_live").contains("recsysrl_connections ")
                .contains("recsysrl_queue_wait_seconds_count");
        List<JsonNode> lines = new ArrayList<>();
        for (String l : Files.readAllLines(access)) {
            lines.add(JSON.readTree(l));
        }
        assertThat(lines).anyMatch(n -> n.get("path").asText().equals("/v1/nothing") && n.get("status").asInt() == 404
                && n.get("method").asText().equals("GET") && n.get("remote").asText().equals("127.0.0.1")
                && n.get("micros").asLong() >= 0);
    }
}
