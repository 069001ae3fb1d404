package org.recsysrl.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.api.RecommendRequest;
import org.recsysrl.api.Recommender;
import org.recsysrl.api.ScoredItem;
import org.recsysrl.cli.Cli;

/**
 * {@link Endpoints} with a model, without a network: the exact text of an answer (built by hand
 * from the library's own answer), the warnings' bound, the batch's bound, sessions' events, the
 * exclusions and readiness.
 */
class EndpointsAnswersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static Recommender lib;
    static ServedModel served;

    @BeforeAll
    static void load() {
        lib = Recommender.load(Cli.trainOk("ppo", dir.resolve("a"), 64));
        served = ServedModel.of(lib);
    }

    private final SessionStore sessions = new SessionStore(100, 100, 60_000);
    private final List<String> log = new ArrayList<>();
    private final Endpoints endpoints = new Endpoints(() -> served, sessions, () -> "", null, log::add);

    private Reply call(String method, String path, String query, String body) {
        return endpoints.handle(new Endpoints.Call(method, path, query,
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(Reply r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static JsonNode ok(Reply r) throws Exception {
        assertThat(r.status()).as(text(r)).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static List<String> ids(JsonNode items) {
        List<String> out = new ArrayList<>();
        items.forEach(n -> out.add(n.get("id").asText()));
        return out;
    }

    private static List<String> libraryIds(List<ScoredItem> items) {
        return items.stream().map(ScoredItem::id).toList();
    }

    private static String modelJson() {
        return Json.model(lib.info());
    }

    /** The answer's text by hand: {@code "items"} with each id and score, then the model. */
    private static String itemsJson(List<ScoredItem> items) {
        StringBuilder sb = new StringBuilder("\"items\":[");
        for (int i = 0; i < items.size(); i++) {
            sb.append(i > 0 ? "," : "").append("{\"id\":\"").append(items.get(i).id()).append("\",\"score\":")
                    .append(items.get(i).score()).append('}');
        }
        return sb.append(']').toString();
    }

    @Test
    void anAnswerIsTheLibrarysTopKWordForWord() throws Exception {
        List<ScoredItem> expected = lib.recommend(RecommendRequest.forUser("2", 3));
        Reply r = call("GET", "/v1/recommend", "user=2&k=3", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(text(r)).isEqualTo("{" + itemsJson(expected) + ",\"model\":" + modelJson() + "}");
        Reply withId = call("POST", "/v1/recommend", null, "{\"user\": 2, \"k\": 3, \"request_id\": \"a\\\"b\"}");
        assertThat(text(withId)).isEqualTo("{\"request_id\":\"a\\\"b\"," + itemsJson(expected) + ",\"model\":"
                + modelJson() + "}");
        assertThat(log).isEmpty();
    }

    @Test
    void readinessNamesTheModel() {
        Reply r = call("GET", "/health/ready", null, null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(text(r)).isEqualTo("{\"status\":\"ready\",\"model\":" + modelJson() + "}");
    }

    @Test
    void atMostTenUnknownIdsAreListedAndTheRestCounted() throws Exception {
        StringBuilder ten = new StringBuilder();
        for (int i = 0; i < Endpoints.MAX_WARNINGS; i++) {
            ten.append(i > 0 ? "," : "").append("\"x").append(i).append('"');
        }
        JsonNode exact = ok(call("POST", "/v1/recommend", null, "{\"user\": 1, \"k\": 2, \"exclude\": [" + ten + "]}"));
        assertThat(exact.get("warnings")).hasSize(10);
        assertThat(exact.get("warnings").get(9).asText()).isEqualTo("unknown item x9 in exclude ignored");
        JsonNode more = ok(call("POST", "/v1/recommend", null, "{\"user\": 1, \"k\": 2, \"exclude\": [" + ten
                + ", \"y\"], \"candidates\": [\"z\", 1, 2, 3]}"));
        assertThat(more.get("warnings")).hasSize(11);
        assertThat(more.get("warnings").get(10).asText()).isEqualTo("more unknown items ignored");
        assertThat(ids(more.get("items"))).isSubsetOf("1", "2", "3").hasSize(2);
    }

    @Test
    void aBatchOfExactlyTheBoundIsAnswered() throws Exception {
        JsonNode r = ok(call("POST", "/v1/recommend:batch", null, "{\"requests\": ["
                + "{\"user\": 1, \"k\": 1},".repeat(Endpoints.MAX_BATCH - 3) + "{\"colour\": 1}, [1], {\"user\": 1, \"k\": 0}]}"));
        JsonNode results = r.get("results");
        assertThat(results).hasSize(100);
        assertThat(ids(results.get(0).get("items"))).containsExactly(lib.recommend(RecommendRequest.forUser("1", 1))
                .get(0).id());
        assertThat(results.get(97).get("error").asText()).startsWith("unknown field \"colour\"");
        assertThat(results.get(97).size()).isEqualTo(2);
        assertThat(results.get(98).toString()).isEqualTo("{\"status\":400,\"error\":\"each request of a batch must be"
                + " a JSON object\"}");
        assertThat(results.get(99).get("status").asInt()).isEqualTo(400);
        assertThat(results.get(99).get("error").asText()).startsWith("k must be between 1");
        assertThat(results.get(99).has("items")).isFalse();
        assertThat(r.get("model").toString()).isEqualTo(modelJson());
    }

    @Test
    void sessionEventsAddUpAndTheirItemsAreExcluded() throws Exception {
        assertThat(text(call("POST", "/v1/sessions/s%201/events", null, "{\"items\": [\"3\", 4]}")))
                .isEqualTo("{\"session\":\"s 1\",\"length\":2}");
        assertThat(text(call("POST", "/v1/sessions/s%201/events", null, "{\"item\": 5, \"items\": [6]}")))
                .isEqualTo("{\"session\":\"s 1\",\"length\":4}");
        Reply unknown = call("POST", "/v1/sessions/s%201/events", null, "{\"items\": [7, \"no-such\"]}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(text(unknown)).isEqualTo("{\"error\":\"unknown item no-such\"}");
        assertThat(sessions.items("s 1", System.currentTimeMillis())).containsExactly("3", "4", "5", "6");
        JsonNode r = ok(call("GET", "/v1/sessions/s%201/recommend", "user=1&k=5", null));
        assertThat(ids(r.get("items"))).containsExactlyElementsOf(libraryIds(lib.recommend(
                new RecommendRequest("1", List.of("3", "4", "5", "6"), null, null, 5))));
        assertThat(ids(r.get("items"))).doesNotContain("3", "4", "5", "6");
    }

    @Test
    void withoutHistoryExclusionOnlyTheExplicitExcludeIsLeftOut() throws Exception {
        int n = lib.itemCount();
        JsonNode all = ok(call("POST", "/v1/recommend", null, "{\"user\": 1, \"history\": [\"3\"], \"k\": " + n
                + ", \"exclude_history\": false}"));
        assertThat(ids(all.get("items"))).hasSize(n).contains("3");
        JsonNode one = ok(call("POST", "/v1/recommend", null, "{\"user\": 1, \"history\": [\"3\"], \"k\": " + (n - 1)
                + ", \"exclude_history\": false, \"exclude\": [\"4\"]}"));
        assertThat(ids(one.get("items"))).hasSize(n - 1).contains("3").doesNotContain("4");
        JsonNode both = ok(call("POST", "/v1/recommend", null, "{\"user\": 1, \"history\": [\"3\"], \"k\": " + (n - 2)
                + ", \"exclude\": [\"4\"]}"));
        assertThat(ids(both.get("items"))).isNotEmpty().doesNotContain("3", "4");
        JsonNode empty = ok(call("POST", "/v1/recommend", null, "{\"user\": 1, \"history\": [\"3\"], \"k\": " + (n - 1)
                + ", \"exclude\": []}"));
        assertThat(ids(empty.get("items"))).isNotEmpty().doesNotContain("3");
    }

    @Test
    void anyKFromOneToTheCatalogSizeIsTakenWhenExploringAndForUnknownUsers() throws Exception {
        Endpoints exploring = new Endpoints(() -> served, sessions, () -> "", null, log::add,
                org.recsysrl.api.Exploration.epsilonGreedy(0.5), null);
        int n = lib.itemCount();
        for (Endpoints e : List.of(exploring, endpoints)) {
            for (String user : List.of("1", "nobody")) {
                if (e == endpoints && user.equals("1")) {
                    continue; // the library's own bound, tested with the library
                }
                for (int k : new int[] {1, n}) {
                    Reply r = e.handle(new Endpoints.Call("GET", "/v1/recommend", "user=" + user + "&k=" + k
                            + "&seed=3", new byte[0]));
                    assertThat(ok(r).get("items")).hasSize(k);
                }
                for (int k : new int[] {0, n + 1}) {
                    Reply r = e.handle(new Endpoints.Call("GET", "/v1/recommend", "user=" + user + "&k=" + k,
                            new byte[0]));
                    assertThat(r.status()).isEqualTo(400);
                    assertThat(text(r)).contains("k must be between 1 and the catalog size " + n + " (got " + k + ")");
                }
            }
        }
    }

    @Test
    void similarItemsAnswerWordForWord() throws Exception {
        List<ScoredItem> expected = lib.similar("5", 10);
        Reply r = call("GET", "/v1/items/5/similar", null, null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(text(r)).isEqualTo("{\"item\":\"5\"," + itemsJson(expected) + ",\"model\":" + modelJson() + "}");
        JsonNode two = JSON.readTree(call("GET", "/v1/items/5/similar", "k=2", null).body());
        assertThat(ids(two.get("items"))).containsExactly(expected.get(0).id(), expected.get(1).id());
    }
}
