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
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
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

/** The server over a real socket on an ephemeral port: every endpoint, every bad request, reload, overload. */
class RecommendServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static Path checkpoint;
    static Path secondCheckpoint;
    static RecommendServer server;
    static final List<String> logged = new CopyOnWriteArrayList<>();
    static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        checkpoint = Cli.trainOk("ppo", dir.resolve("a"), 128);
        secondCheckpoint = Cli.trainOk("a2c", dir.resolve("b"), 64);
        Path served = dir.resolve("served.safetensors");
        Files.copy(checkpoint, served);
        server = new RecommendServer(served, null, new RecommendServer.Options(0, 2, 4, 4096, 3, 5, 60_000, 100),
                logged::add);
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(1);
    }

    static HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void recommendAnswersWhatTheLibraryAnswers() throws Exception {
        Recommender lib = Recommender.load(checkpoint);
        List<ScoredItem> expected = lib.recommend(new RecommendRequest("3", List.of("1", "2"), null, null, 5));
        HttpResponse<String> r = post("/v1/recommend", "{\"user\": \"3\", \"history\": [1, \"2\"], \"k\": 5}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("items")).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(body.get("items").get(i).get("id").asText()).isEqualTo(expected.get(i).id());
            assertThat((float) body.get("items").get(i).get("score").asDouble()).isEqualTo(expected.get(i).score());
        }
        assertThat(body.get("model").get("algorithm").asText()).isEqualTo("ppo");
        assertThat(body.get("model").get("sha256").asText()).isEqualTo(lib.info().sha256());
        // history items are excluded by default (an explicit exclude list adds to them: ServerApiTest)
        for (JsonNode item : body.get("items")) {
            assertThat(item.get("id").asText()).isNotIn("1", "2");
        }
        JsonNode g = json(get("/v1/recommend?user=3&k=4&candidates=1,2,7,9,11&exclude=9"));
        List<String> ids = new ArrayList<>();
        g.get("items").forEach(n -> ids.add(n.get("id").asText()));
        assertThat(ids).hasSize(4).containsExactlyInAnyOrder("1", "2", "7", "11");
        List<ScoredItem> same = lib.recommend(RecommendRequest.forUser("3", 4)
                .withCandidates(List.of("1", "2", "7", "9", "11")).withExclude(List.of("9")));
        assertThat(ids).containsExactly(same.stream().map(ScoredItem::id).toArray(String[]::new));
    }

    @Test
    void sessionsCollectEventsAndAreBounded() throws Exception {
        assertThat(json(post("/v1/sessions/s1/events", "{\"item\": \"4\"}")).get("length").asInt()).isEqualTo(1);
        assertThat(json(post("/v1/sessions/s1/events", "{\"items\": [5, 6, 7, 8, 9]}")).get("length").asInt())
                .isEqualTo(5); // at most 5 events: the oldest dropped
        HttpResponse<String> r = get("/v1/sessions/s1/recommend?user=2&k=3");
        assertThat(r.statusCode()).isEqualTo(200);
        Recommender lib = Recommender.load(checkpoint);
        List<ScoredItem> expected = lib.recommend(new RecommendRequest("2", List.of("5", "6", "7", "8", "9"), null,
                null, 3));
        assertThat(json(r).get("items").get(0).get("id").asText()).isEqualTo(expected.get(0).id());
        // at most 3 sessions: the least recently used is evicted
        for (String s : new String[] {"s2", "s3", "s4"}) {
            post("/v1/sessions/" + s + "/events", "{\"item\": 1}");
        }
        assertThat(get("/v1/sessions/s1/recommend?user=2&k=3").statusCode()).isEqualTo(404);
        assertThat(get("/v1/sessions/s4/recommend?user=2&k=3").statusCode()).isEqualTo(200);
    }

    @Test
    void everyBadRequestGetsA4xxWithAOneLineJsonError() throws Exception {
        Object[][] cases = {
            {post("/v1/recommend", "{\"user\": \"1\", \"history\": [\"99999\"], \"k\": 3}"), 404, "unknown item 99999"},
            {post("/v1/recommend", "{\"user\": \"1\", \"k\": 0}"), 400, "k must be between 1"},
            {post("/v1/recommend", "{\"user\": \"1\", \"k\": 51}"), 400, "k must be between 1"},
            {post("/v1/recommend", "{\"user\": \"1\", \"k\": \"three\"}"), 400, "\"k\" must be a whole number"},
            {post("/v1/recommend", "{\"user\": [1], \"k\": 3}"), 400, "\"user\" must be an id"},
            {post("/v1/recommend", "{\"user\": \"1\", \"k\": 3, \"color\": 1}"), 400, "unknown field \"color\""},
            {post("/v1/recommend", "{\"user\": \"1\", \"k\": 3"), 400, "malformed JSON"},
            {post("/v1/recommend", "[1, 2]"), 400, "must be a JSON object"},
            {post("/v1/recommend", ""), 400, "empty request body"},
            {post("/v1/recommend", "{\"history\": [\"" + "1\", \"".repeat(2000) + "1\"], \"user\": \"1\", \"k\": 3}"),
                413, "larger than 4096 bytes"},
            {post("/v1/recommend", "{\"k\": 3}"), 400, "needs a user"},
            {get("/v1/recommend?user=1&k=3&k=4"), 400, "given twice"},
            {get("/v1/recommend?user=1&kk=3"), 400, "unknown parameter"},
            {get("/v1/nothing"), 404, "no such endpoint"},
            {get("/v1/sessions/none/recommend?user=1"), 404, "unknown session none"},
            {post("/v1/sessions/x/events", "{\"thing\": 1}"), 400, "unknown field"},
            {post("/v1/sessions/x/events", "{\"item\": \"99999\"}"), 404, "unknown item 99999"},
            {get("/v1/sessions/x/events"), 405, "not allowed"},
            {client.send(HttpRequest.newBuilder(uri("/v1/recommend")).method("DELETE",
                    HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()), 405, "not allowed"},
        };
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            HttpResponse<String> r = (HttpResponse<String>) c[0];
            assertThat(r.statusCode()).as(r.body()).isEqualTo(c[1]);
            assertThat(r.body()).doesNotContain("\n").doesNotContain("Exception").doesNotContain("at org.");
            assertThat(json(r).get("error").asText()).as(r.body()).contains((String) c[2]);
        }
    }

    @Test
    void healthAndMetrics() throws Exception {
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json(ready).get("model").get("kind").asText()).isEqualTo("simulator");
        get("/v1/recommend?user=1&k=2");
        String m = get("/metrics").body();
        assertThat(m).contains("recsysrl_requests_total{endpoint=\"recommend\",status=\"200\"}")
                .contains("recsysrl_request_duration_seconds_bucket{le=\"0.001\"}")
                .contains("recsysrl_request_duration_seconds_count")
                .contains("recsysrl_model_info{kind=\"simulator\"");
    }

    @Test
    void manyConcurrentClientsGetExactlyTheLibrarysAnswers() throws Exception {
        Recommender lib = Recommender.load(checkpoint);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> done = new ArrayList<>();
            for (int c = 0; c < 200; c++) {
                int user = c % 10;
                done.add(pool.submit((Callable<Boolean>) () -> {
                    HttpResponse<String> r;
                    do {
                        r = get("/v1/recommend?user=" + user + "&k=5");
                    } while (r.statusCode() == 503); // overload is allowed to say so
                    List<ScoredItem> expected = lib.recommend(RecommendRequest.forUser(Integer.toString(user), 5));
                    JsonNode items = json(r).get("items");
                    for (int i = 0; i < 5; i++) {
                        if (!items.get(i).get("id").asText().equals(expected.get(i).id())) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : done) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
