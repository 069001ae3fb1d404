package org.recsysrl.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Endpoints} without a network and without a model (the server while it loads): routing,
 * the 404, 405 (with {@code Allow}), 400 and 413 replies and their one-line JSON errors, sessions,
 * feedback and the 500 for anything unexpected. Every check is on the exact status and text.
 */
class EndpointsRoutingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private final List<String> log = new ArrayList<>();
    private SessionStore sessions;
    private LineLog feedbackLog;
    private Endpoints endpoints;

    @BeforeEach
    void setUp() {
        sessions = new SessionStore(100, 100, 60_000);
        feedbackLog = new LineLog(dir.resolve("feedback.jsonl"), "feedback log");
        endpoints = new Endpoints(() -> null, sessions, () -> "# metrics\n", feedbackLog, log::add);
    }

    @AfterEach
    void tearDown() {
        feedbackLog.close();
    }

    private Reply call(String method, String path, String query, String body) {
        return endpoints.handle(new Endpoints.Call(method, path, query,
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8)));
    }

    private Reply get(String path) {
        return call("GET", path, null, null);
    }

    private Reply post(String path, String body) {
        return call("POST", path, null, body);
    }

    private static String text(Reply r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    /** The reply's status and its error, which must be a one-field JSON object on one line. */
    private static void assertError(Reply r, int status, String error) throws Exception {
        assertThat(r.status()).as(text(r)).isEqualTo(status);
        assertThat(r.contentType()).isEqualTo("application/json");
        assertThat(text(r)).doesNotContain("\n");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.size()).isEqualTo(1);
        assertThat(body.get("error").asText()).isEqualTo(error);
    }

    private static void assertNotAllowed(Reply r, String method, String allowed) throws Exception {
        assertError(r, 405, "method " + method + " not allowed here; use " + allowed);
        assertThat(r.headerName()).isEqualTo("Allow");
        assertThat(r.headerValue()).isEqualTo(allowed);
    }

    @Test
    void everyPathHasItsMetricsName() {
        assertThat(Endpoints.endpoint("GET", "/v1/recommend")).isEqualTo("recommend");
        assertThat(Endpoints.endpoint("POST", "/v1/recommend:batch")).isEqualTo("recommend_batch");
        assertThat(Endpoints.endpoint("POST", "/v1/feedback")).isEqualTo("feedback");
        assertThat(Endpoints.endpoint("GET", "/health/live")).isEqualTo("live");
        assertThat(Endpoints.endpoint("GET", "/health/ready")).isEqualTo("ready");
        assertThat(Endpoints.endpoint("GET", "/metrics")).isEqualTo("metrics");
        assertThat(Endpoints.endpoint("GET", "/openapi.json")).isEqualTo("openapi");
        assertThat(Endpoints.endpoint("POST", "/v1/sessions/a/events")).isEqualTo("session_events");
        assertThat(Endpoints.endpoint("GET", "/v1/sessions/a/recommend")).isEqualTo("session_recommend");
        assertThat(Endpoints.endpoint("DELETE", "/v1/sessions/a")).isEqualTo("session_delete");
        assertThat(Endpoints.endpoint("GET", "/v1/items/3/similar")).isEqualTo("similar");
        assertThat(Endpoints.endpoint("GET", "/v1/recommendations")).isEqualTo("other");
        assertThat(Endpoints.endpoint("GET", "/")).isEqualTo("other");
    }

    @Test
    void onlyHealthMetricsAndTheApiDocumentAreAnsweredInline() {
        assertThat(Endpoints.inline("/health/live")).isTrue();
        assertThat(Endpoints.inline("/health/ready")).isTrue();
        assertThat(Endpoints.inline("/metrics")).isTrue();
        assertThat(Endpoints.inline("/openapi.json")).isTrue();
        assertThat(Endpoints.inline("/v1/recommend")).isFalse();
        assertThat(Endpoints.inline("/metrics/x")).isFalse();
        assertThat(Endpoints.inline("/health")).isFalse();
        assertThat(Endpoints.inline("/openapi.yaml")).isFalse();
    }

    @Test
    void healthMetricsAndTheApiDocument() throws Exception {
        Reply live = get("/health/live");
        assertThat(live.status()).isEqualTo(200);
        assertThat(text(live)).isEqualTo("{\"status\":\"live\"}");
        Reply ready = get("/health/ready");
        assertThat(ready.status()).as("no model yet").isEqualTo(503);
        assertThat(text(ready)).isEqualTo("{\"status\":\"loading\"}");
        Reply metrics = get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(text(metrics)).isEqualTo("# metrics\n");
        Reply api = get("/openapi.json");
        assertThat(api.status()).isEqualTo(200);
        assertThat(api.contentType()).isEqualTo("application/json");
        try (InputStream in = Endpoints.class.getResourceAsStream("openapi.json")) {
            assertThat(api.body()).isEqualTo(in.readAllBytes());
        }
        assertNotAllowed(post("/health/live", "{}"), "POST", "GET");
        assertNotAllowed(post("/health/ready", "{}"), "POST", "GET");
        assertNotAllowed(call("DELETE", "/metrics", null, null), "DELETE", "GET");
        assertNotAllowed(call("PUT", "/openapi.json", null, null), "PUT", "GET");
        assertThat(log).isEmpty();
    }

    @Test
    void wrongMethodsAndUnknownPaths() throws Exception {
        assertNotAllowed(call("PUT", "/v1/recommend", null, "{}"), "PUT", "GET, POST");
        assertNotAllowed(get("/v1/recommend:batch"), "GET", "POST");
        assertNotAllowed(get("/v1/feedback"), "GET", "POST");
        assertError(get("/v1/nothing"), 404, "no such endpoint /v1/nothing: use /v1/recommend, /v1/recommend:batch,"
                + " /v1/sessions/{id}/events, /v1/sessions/{id}/recommend, /v1/items/{id}/similar, /v1/feedback,"
                + " /health/live, /health/ready, /metrics or /openapi.json");
        assertThat(get("/v1/nothing").headerName()).isNull();
    }

    @Test
    void anUnexpectedFailureIsA500WhoseDetailsGoOnlyToTheLog() throws Exception {
        // no model loaded: the recommendation itself fails, which the client must not see the details of
        assertError(call("GET", "/v1/recommend", "user=1", null), 500, "internal error; see the server log");
        assertThat(log).hasSize(1);
        assertThat(log.get(0)).startsWith("internal error on GET /v1/recommend: java.lang.NullPointerException");
    }

    @Test
    void aBatchNeedsAShortNonEmptyListOfRequests() throws Exception {
        String need = "a batch needs \"requests\": a non-empty list of recommendation requests";
        assertError(post("/v1/recommend:batch", "{}"), 400, need);
        assertError(post("/v1/recommend:batch", "{\"requests\": []}"), 400, need);
        assertError(post("/v1/recommend:batch", "{\"requests\": {\"user\": 1}}"), 400, need);
        assertError(post("/v1/recommend:batch", "{\"requests\": [{}], \"k\": 3}"), 400,
                "unknown field \"k\" in a batch: give \"requests\"");
        assertError(post("/v1/recommend:batch", "{\"requests\": [" + "{},".repeat(Endpoints.MAX_BATCH) + "{}]}"), 413,
                "a batch holds at most 100 requests (got 101)");
        assertError(post("/v1/recommend:batch", "[]"), 400, "the body must be a JSON object");
    }

    @Test
    void sessionPathsAndMethods() throws Exception {
        String use = "use /v1/sessions/{id}/events, /v1/sessions/{id}/recommend or DELETE /v1/sessions/{id}";
        assertError(call("DELETE", "/v1/sessions/", null, null), 404, use);
        assertError(call("DELETE", "/v1/sessions//events", null, null), 404, use);
        assertError(get("/v1/sessions/a/history"), 404, use);
        assertNotAllowed(get("/v1/sessions/a/events"), "GET", "POST");
        assertNotAllowed(post("/v1/sessions/a/recommend", "{}"), "POST", "GET");
        assertNotAllowed(get("/v1/sessions/a"), "GET", "DELETE");
        String longest = "s".repeat(256);
        assertError(call("DELETE", "/v1/sessions/" + longest, null, null), 404,
                "unknown session " + "s".repeat(80) + "… (never seen, or expired)");
        assertError(call("DELETE", "/v1/sessions/" + longest + "s", null, null), 400,
                "session id longer than 256 characters");
        assertError(call("DELETE", "/v1/sessions/%zz", null, null), 400,
                "malformed percent-encoding in the session id: %zz");
    }

    @Test
    void aSessionIsDeletedByItsDecodedId() throws Exception {
        sessions.append("a b", List.of("1", "2"), System.currentTimeMillis());
        Reply deleted = call("DELETE", "/v1/sessions/a%20b", null, null);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(text(deleted)).isEqualTo("{\"session\":\"a b\",\"deleted\":true}");
        assertThat(sessions.size()).isZero();
        assertError(call("DELETE", "/v1/sessions/a+b", null, null), 404, "unknown session a b (never seen, or expired)");
    }

    @Test
    void anEventNeedsItemOrItemsAndNothingElse() throws Exception {
        assertError(post("/v1/sessions/s/events", "{}"), 400, "an event needs \"item\" (an id) or \"items\" (a list of"
                + " ids)");
        assertError(post("/v1/sessions/s/events", "{\"items\": []}"), 400, "an event needs \"item\" (an id) or"
                + " \"items\" (a list of ids)");
        assertError(post("/v1/sessions/s/events", "{\"item\": 1, \"when\": 2}"), 400,
                "unknown field \"when\" in an event: give \"item\" or \"items\"");
        assertError(post("/v1/sessions/s/events", "{\"item\": 1.5}"), 400,
                "\"item\" must be an id (a string or a whole number), got 1.5");
        assertError(post("/v1/sessions/s/events", "{\"items\": 1}"), 400, "\"items\" must be a list of ids, got 1");
        assertError(post("/v1/sessions/s/events", ""), 400, "empty request body: send a JSON object");
        assertThat(sessions.size()).isZero();
    }

    @Test
    void similarItemsPathAndParameters() throws Exception {
        assertError(get("/v1/items/3"), 404, "use /v1/items/{id}/similar");
        assertError(get("/v1/items//similar"), 404, "use /v1/items/{id}/similar");
        assertError(get("/v1/items/3/similars"), 404, "use /v1/items/{id}/similar");
        assertNotAllowed(post("/v1/items/3/similar", "{}"), "POST", "GET");
        assertError(call("GET", "/v1/items/3/similar", "n=2", null), 400, "unknown parameter \"n\": use k");
        assertError(call("GET", "/v1/items/3/similar", "k=two", null), 400, "k must be a whole number, got two");
        assertError(call("GET", "/v1/items/3/similar", "k=1&k=2", null), 400, "parameter \"k\" given twice");
        assertError(get("/v1/items/%g/similar"), 400, "malformed percent-encoding in the item id: %g");
    }

    @Test
    void withoutAFeedbackLogFeedbackIsA404() throws Exception {
        Endpoints none = new Endpoints(() -> null, sessions, () -> "", null, log::add);
        Reply r = none.handle(new Endpoints.Call("POST", "/v1/feedback", null,
                "{\"request_id\": \"r\", \"items\": [\"1\"], \"rewards\": [1]}".getBytes(StandardCharsets.UTF_8)));
        assertError(r, 404, "feedback is not collected: start serve with --feedback-log FILE");
    }

    @Test
    void feedbackIsValidatedFieldByField() throws Exception {
        String needId = "feedback needs \"request_id\": the id of the recommendation it is about";
        String[][] cases = {
            {"\"request_id\": \"r\", \"items\": [1], \"rewards\": [1], \"click\": 1",
                "unknown field \"click\" in feedback: use request_id, user, items, rewards, propensities, time"},
            {"\"items\": [1], \"rewards\": [1]", needId},
            {"\"request_id\": \"\", \"items\": [1], \"rewards\": [1]", needId},
            {"\"request_id\": 1.5, \"items\": [1], \"rewards\": [1]", needId},
            {"\"request_id\": [\"r\"], \"items\": [1], \"rewards\": [1]", needId},
            {"\"request_id\": \"r\", \"rewards\": [1]", "feedback needs \"items\": the item ids shown, in order"},
            {"\"request_id\": \"r\", \"items\": [], \"rewards\": []", "\"items\" must list at least one item id"},
            {"\"request_id\": \"r\", \"items\": [1, 2]", "feedback needs \"rewards\": one number per item"},
            {"\"request_id\": \"r\", \"items\": [1, 2], \"rewards\": [1]",
                "\"rewards\" must be a list of 2 numbers, one per item"},
            {"\"request_id\": \"r\", \"items\": [1], \"rewards\": 1", "\"rewards\" must be a list of 1 numbers, one per item"},
            {"\"request_id\": \"r\", \"items\": [1, 2], \"rewards\": [1, \"a\"]",
                "\"rewards\" must hold finite numbers, got \"a\""},
            {"\"request_id\": \"r\", \"items\": [1], \"rewards\": [1e999]",
                "\"rewards\" must hold finite numbers, got \"Infinity\""},
            {"\"request_id\": \"r\", \"items\": [1], \"rewards\": [1], \"propensities\": [0.5, 0.5]",
                "\"propensities\" must be a list of 1 numbers, one per item"},
            {"\"request_id\": \"r\", \"items\": [1], \"rewards\": [1], \"propensities\": [null]",
                "\"propensities\" must hold finite numbers, got null"},
            {"\"request_id\": \"r\", \"items\": [1], \"rewards\": [1], \"time\": 1.5",
                "\"time\" must be milliseconds since the epoch (a whole number), got 1.5"},
            {"\"request_id\": \"r\", \"items\": [1], \"rewards\": [1], \"user\": {}",
                "\"user\" must be an id (a string or a whole number), got {}"},
        };
        for (String[] c : cases) {
            assertError(post("/v1/feedback", "{" + c[0] + "}"), 400, c[1]);
        }
        assertThat(Files.readString(dir.resolve("feedback.jsonl"))).as("nothing refused is logged").isEmpty();
    }

    @Test
    void acceptedFeedbackIsOneLineInAFixedFieldOrder() throws Exception {
        Reply r = post("/v1/feedback", "{\"time\": 1700000000000, \"propensities\": [0.5, 1], \"rewards\": [0, 2.5],"
                + " \"items\": [\"7\", 8], \"user\": 42, \"request_id\": \"req-1\"}");
        assertThat(r.status()).isEqualTo(202);
        assertThat(text(r)).isEqualTo("{\"accepted\":1}");
        long before = System.currentTimeMillis();
        assertThat(post("/v1/feedback", "{\"request_id\": 9, \"items\": [1], \"rewards\": [1], \"user\": null}").status())
                .isEqualTo(202);
        long after = System.currentTimeMillis();
        List<String> lines = Files.readAllLines(dir.resolve("feedback.jsonl"));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo("{\"request_id\":\"req-1\",\"user\":\"42\",\"items\":[\"7\",\"8\"],"
                + "\"rewards\":[0,2.5],\"propensities\":[0.5,1],\"time\":1700000000000}");
        JsonNode second = JSON.readTree(lines.get(1));
        assertThat(second.get("request_id").asText()).isEqualTo("9");
        assertThat(second.has("user")).isFalse();
        assertThat(second.has("propensities")).isFalse();
        assertThat(second.get("time").asLong()).isBetween(before, after);
    }
}
