package org.recsysrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.api.Exploration;
import org.recsysrl.serve.RecommendServer;

/**
 * A log written by a real server is learnable: an in-process server serves a long-video policy
 * with softmax exploration and an impression log; simulated users follow sessions (each shown item
 * becomes a session event) and post a reward for every shown item; {@code join} makes the
 * estimator-ready log, and both {@code train --algo offpolicy-dr} and the multi-step
 * {@code --algo offpolicy-fqi} learn from it.
 */
class ServedLogLearningTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int USERS = 60;
    static final int STEPS = 5;
    /** The simulated users like the first third of the 60 items: reward 1 for those, 0 otherwise. */
    static final int LIKED = 20;

    @TempDir
    Path dir;

    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aServedImpressionLogJoinedWithItsFeedbackTrains() throws Exception {
        // the served policy: trained one epoch at a negligible step size (near uniform)
        Path firstLog = dir.resolve("first.jsonl");
        assertEquals(0, Cli.run("log", "--env", "long-video", "--episodes", "30", "--seed", "3", "--out",
                firstLog.toString()).exitCode());
        Cli.Result first = Cli.run("train", "--algo", "banditnet", "--env", "long-video", "--data", firstLog.toString(),
                "--checkpoint-dir", dir.resolve("first").toString(), "--set", "learn.epochs=1", "--set", "learn.lr=1e-9",
                "--set", "learn.lambdas=0");
        assertEquals(0, first.exitCode(), first.toString());
        Path served = dir.resolve("first").resolve("banditnet.safetensors");
        Path impressions = dir.resolve("impressions.jsonl");
        Path feedback = dir.resolve("feedback.jsonl");
        double rewardSum = 0;
        try (RecommendServer server = new RecommendServer(served, null, new RecommendServer.Options(0, 2, 64, 1 << 16,
                10, 10, 60_000, 1000).withFiles(null, null, null, feedback, null), new RecommendServer.Loop(
                Exploration.softmax(1), impressions, 1 << 22, 10_000, 10, 100, 0), l -> { })) {
            server.start();
            for (int u = 0; u < USERS; u++) {
                String session = "s" + u;
                send(server, "POST", "/v1/sessions/" + session + "/events", "{\"item\": \"" + (u % 60) + "\"}");
                for (int t = 0; t < STEPS; t++) {
                    JsonNode answer = send(server, "GET", "/v1/sessions/" + session + "/recommend?user=" + u
                            + "&k=1&seed=" + (u * 100 + t), null);
                    String item = answer.get("items").get(0).get("id").asText();
                    double reward = Integer.parseInt(item) < LIKED ? 1 : 0;
                    rewardSum += reward;
                    send(server, "POST", "/v1/feedback", "{\"request_id\": \"" + answer.get("request_id").asText()
                            + "\", \"items\": [\"" + item + "\"], \"rewards\": [" + reward + "]}");
                    send(server, "POST", "/v1/sessions/" + session + "/events", "{\"item\": \"" + item + "\"}");
                }
            }
        }
        List<String> lines = Files.readAllLines(impressions);
        assertEquals(USERS * STEPS, lines.size());
        JsonNode line = JSON.readTree(lines.get(STEPS + 2)); // user 1, step 2 of its recommendations
        assertEquals("s1", line.get("session").asText());
        assertEquals(3, line.get("step").asInt()); // the history: the first event and two shown items
        assertEquals(12, line.get("context").size()); // long-video's observation
        assertTrue(line.get("propensities").get(0).asDouble() > 0 && line.get("propensities").get(0).asDouble() < 1);

        Path joined = dir.resolve("joined.jsonl");
        Cli.Result join = Cli.run("join", "--impressions", impressions.toString(), "--feedback", feedback.toString(),
                "--out", joined.toString());
        assertEquals(0, join.exitCode(), join.toString());
        double loggerMean = rewardSum / (USERS * STEPS);
        for (String algo : new String[] {"offpolicy-dr", "offpolicy-fqi"}) {
            Cli.Result train = Cli.run("train", "--algo", algo, "--env", "long-video", "--data", joined.toString(),
                    "--checkpoint-dir", dir.resolve("learned").toString(), "--set", "learn.epochs=30", "--set",
                    "learn.lr=0.01", "--set", "learn.batch_size=32");
            assertEquals(0, train.exitCode(), algo + ": " + train);
            assertTrue(Files.exists(dir.resolve("learned").resolve(algo + ".safetensors")), algo);
        }
        // the one-step learner learnt the users' taste: its IPS estimate on the served log is far above the served
        // policy's mean reward (about a third)
        Cli.Result ope = Cli.run("ope", "--log", joined.toString(), "--target", "checkpoint:"
                + dir.resolve("learned").resolve("offpolicy-dr.safetensors") + "@1", "--estimators", "ips",
                "--bootstrap", "20", "--json");
        assertEquals(0, ope.exitCode(), ope.toString());
        double learned = JSON.readTree(ope.out()).get("targets").get(0).get("estimates").get(0).get("value").asDouble();
        assertTrue(learned > 1.5 * loggerMean, "learned " + learned + " against the served policy's " + loggerMean);
    }

    private JsonNode send(RecommendServer server, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json");
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.method(method, HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() / 100 == 2, method + " " + path + ": " + r.statusCode() + " " + r.body());
        return r.body().isEmpty() ? null : JSON.readTree(r.body());
    }
}
