package org.recsysrl.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.api.Exploration;
import org.recsysrl.api.Recommender;
import org.recsysrl.cli.Cli;

/**
 * Queued recommendations answered together: {@link Endpoints#handleAll} gives every call the
 * bytes {@link Endpoints#handle} gives it alone (errors, fallbacks, warnings and calls that are
 * not recommendations included; an impression's context is its own request's), and
 * {@link Admission} joins only the joinable tasks queued right behind one, up to its bound, never
 * waiting for more: an idle worker runs a task alone.
 */
class ServerBatchTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static Recommender lib;

    @BeforeAll
    static void train() {
        // the embedding head over 500 items: requests share a pass over the packed items
        lib = Recommender.load(Cli.trainOk("ppo", dir.resolve("m"), 64, "--set", "env.num_items=500", "--set",
                "model.actor_head=embedding"));
    }

    private static Endpoints endpoints(ImpressionLog impressions) {
        ServedModel served = ServedModel.of(lib);
        return new Endpoints(() -> served, new SessionStore(10, 10, 60_000), () -> "", null, l -> { },
                Exploration.greedy(), impressions);
    }

    private static Endpoints.Call get(String query) {
        return new Endpoints.Call("GET", "/v1/recommend", query, new byte[0]);
    }

    private static Endpoints.Call post(String path, String body) {
        return new Endpoints.Call("POST", path, null, body.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Endpoints.Call> mixedCalls() {
        List<Endpoints.Call> calls = new ArrayList<>();
        calls.add(get("user=3&k=5"));
        calls.add(post("/v1/recommend", "{\"user\":\"4\",\"history\":[\"1\",\"2\"],\"k\":3}"));
        calls.add(post("/v1/recommend", "{\"user\":\"5\",\"exclude\":[\"7\",\"nope\"],\"k\":4}")); // a warning
        calls.add(get("user=someone-new&k=3")); // the popular fallback, alone
        calls.add(get("user=3&k=0")); // 400
        calls.add(post("/v1/recommend", "{\"user\":")); // malformed JSON
        calls.add(new Endpoints.Call("GET", "/health/live", null, new byte[0])); // not a recommendation
        calls.add(post("/v1/recommend", "{\"user\":\"6\",\"candidates\":[\"9\",\"8\",\"x\"],\"k\":2}"));
        calls.add(get("user=3&history=no-such-item")); // 404 from the model
        calls.add(get("user=3&k=5")); // the first again
        calls.add(get("user=7&k=500&exclude_history=false")); // every item
        calls.add(new Endpoints.Call("PUT", "/v1/recommend", null, new byte[0])); // 405
        return calls;
    }

    private static Reply[] together(Endpoints endpoints, List<Endpoints.Call> calls) {
        Reply[] replies = new Reply[calls.size()];
        endpoints.handleAll(calls, (i, r) -> {
            assertThat(replies[i]).as("one reply per call").isNull();
            replies[i] = r;
        });
        return replies;
    }

    @Test
    void everyCallGetsTheBytesItGetsAlone() {
        Endpoints endpoints = endpoints(null);
        List<Endpoints.Call> calls = mixedCalls();
        Reply[] replies = together(endpoints, calls);
        int ok = 0;
        for (int i = 0; i < calls.size(); i++) {
            Reply alone = endpoints.handle(calls.get(i));
            assertThat(replies[i]).as("call %d", i).isNotNull();
            assertThat(replies[i].status()).as("call %d", i).isEqualTo(alone.status());
            assertThat(new String(replies[i].body(), StandardCharsets.UTF_8)).as("call %d", i)
                    .isEqualTo(new String(alone.body(), StandardCharsets.UTF_8));
            assertThat(replies[i].headerName()).isEqualTo(alone.headerName());
            ok += alone.status() == 200 ? 1 : 0;
        }
        assertThat(ok).as("the good calls").isEqualTo(8);
        assertThat(replies[11].headerValue()).isEqualTo("GET, POST");
    }

    @Test
    void eachImpressionCarriesItsOwnRequestsContext() throws Exception {
        Path together = dir.resolve("together.jsonl");
        Path alone = dir.resolve("alone.jsonl");
        List<Endpoints.Call> calls = new ArrayList<>();
        for (int u = 0; u < 6; u++) {
            calls.add(post("/v1/recommend", "{\"user\":\"" + u + "\",\"history\":[\"" + (3 * u) + "\"],\"k\":2,"
                    + "\"request_id\":\"r" + u + "\"}"));
        }
        try (ImpressionLog log = new ImpressionLog(together, 1 << 20, 100, 100, 1000, 0, l -> { })) {
            together(endpoints(log), calls);
        }
        try (ImpressionLog log = new ImpressionLog(alone, 1 << 20, 100, 100, 1000, 0, l -> { })) {
            Endpoints endpoints = endpoints(log);
            for (Endpoints.Call c : calls) {
                endpoints.handle(c);
            }
        }
        List<String> a = withoutTime(together);
        List<String> b = withoutTime(alone);
        assertThat(a).hasSize(6).isEqualTo(b);
        // the users' contexts differ: a batch that gave every impression one context would fail above
        assertThat(a.stream().map(l -> l.substring(l.indexOf("\"context\":["), l.indexOf(']', l.indexOf("\"context\""))))
                .distinct().count()).isEqualTo(6);
    }

    private static List<String> withoutTime(Path file) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            ObjectNode node = (ObjectNode) JSON.readTree(line);
            node.remove("time");
            out.add(node.toString());
        }
        Collections.sort(out);
        return out;
    }

    /** A joinable task that records how it was run. */
    private record Job(String name, List<String> runs) implements Admission.Joinable {
        @Override
        public void run() {
            runs.add("alone " + name);
        }

        @Override
        public void runTogether(List<Admission.Joinable> batch) {
            StringBuilder sb = new StringBuilder();
            for (Admission.Joinable j : batch) {
                sb.append(sb.length() == 0 ? "" : "+").append(((Job) j).name());
            }
            runs.add(sb.toString());
        }
    }

    @Test
    void aWorkerJoinsTheJoinableTasksQueuedBehindOneUpToTheBound() throws Exception {
        List<String> runs = Collections.synchronizedList(new ArrayList<>());
        Admission admission = new Admission(1, 64, 60_000_000_000L, 3, 0);
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        admission.submit(() -> {
            blocked.countDown();
            await(release);
        });
        assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
        for (String name : List.of("a", "b", "c", "d")) {
            assertThat(admission.submit(new Job(name, runs))).isEqualTo(Admission.Verdict.ADMITTED);
        }
        admission.submit(() -> runs.add("plain"));
        admission.submit(new Job("e", runs));
        release.countDown();
        waitForIdle(admission);
        // a, b, c: the bound; d finds the plain task behind it, which runs after it; e is alone
        assertThat(runs).containsExactly("a+b+c", "d", "plain", "e");
        assertThat(admission.started.sum()).isEqualTo(7);
        // an idle worker does not wait for company
        admission.submit(new Job("f", runs));
        waitForIdle(admission);
        assertThat(runs).endsWith("f");
        admission.stop(1000);
    }

    @Test
    void aBoundOfOneRunsEachTaskAlone() throws Exception {
        assertThat(twoQueuedBehindABlocker(new Admission(1, 64, 60_000_000_000L, 1, 0)))
                .containsExactly("alone a", "alone b");
    }

    /** How two joinable tasks queued behind a running one are run; stops the admission. */
    private static List<String> twoQueuedBehindABlocker(Admission admission) throws InterruptedException {
        List<String> runs = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch release = new CountDownLatch(1);
        admission.submit(() -> await(release));
        admission.submit(new Job("a", runs));
        admission.submit(new Job("b", runs));
        release.countDown();
        waitForIdle(admission);
        admission.stop(1000);
        return runs;
    }

    @Test
    void cheapTasksAreNotJoined() throws Exception {
        // a mean service time of zero (nothing served yet) is below a bound of one hour
        assertThat(twoQueuedBehindABlocker(new Admission(1, 64, 60_000_000_000L, 8, 3_600_000_000_000L)))
                .containsExactly("alone a", "alone b");
        // with a bound of zero the same two are joined
        assertThat(twoQueuedBehindABlocker(new Admission(1, 64, 60_000_000_000L, 8, 0))).containsExactly("a+b");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitForIdle(Admission admission) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (admission.inFlight() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(admission.inFlight()).as("tasks in flight").isZero();
    }
}
