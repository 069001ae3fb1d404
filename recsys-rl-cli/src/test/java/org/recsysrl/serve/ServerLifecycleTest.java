package org.recsysrl.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.api.Recommender;
import org.recsysrl.cli.Cli;

/** Hot reload (good and corrupt replacements), admission by waiting time → 503, graceful shutdown. */
class ServerLifecycleTest {
    @TempDir
    Path dir;

    /** Sends a request's headers and part of its body; the server's worker waits for the rest. */
    private static Socket slowPost(int port, String body, int sendFirst) throws Exception {
        Socket s = new Socket("127.0.0.1", port);
        OutputStream out = s.getOutputStream();
        out.write(("POST /v1/recommend HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n"
                + body.substring(0, sendFirst)).getBytes(StandardCharsets.UTF_8));
        out.flush();
        return s;
    }

    private static String finish(Socket s, String body, int sentFirst) throws Exception {
        s.getOutputStream().write(body.substring(sentFirst).getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        return in.readLine();
    }

    private static String statusLine(int port, String path) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            StringBuilder all = new StringBuilder();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                all.append(line).append('\n');
            }
            return all.toString();
        }
    }

    @Test
    void aReplacedCheckpointIsSwappedInAndACorruptOneIsIgnored() throws Exception {
        Path first = Cli.trainOk("ppo", dir.resolve("a"), 64);
        Path second = Cli.trainOk("a2c", dir.resolve("b"), 64);
        Path served = dir.resolve("served.safetensors");
        Files.copy(first, served);
        List<String> log = new CopyOnWriteArrayList<>();
        RecommendServer server = new RecommendServer(served, null,
                new RecommendServer.Options(0, 1, 2, 4096, 10, 10, 60_000, 50), log::add);
        server.start();
        try {
            String sha1 = server.model().info().sha256();
            // an atomic replacement: write beside, then rename over
            Path tmp = dir.resolve("tmp.safetensors");
            Files.copy(second, tmp);
            Files.move(tmp, served, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            String sha2 = Recommender.load(second).info().sha256();
            for (int i = 0; i < 100 && !server.model().info().sha256().equals(sha2); i++) {
                Thread.sleep(50);
            }
            assertThat(server.model().info().sha256()).isEqualTo(sha2).isNotEqualTo(sha1);
            assertThat(server.model().info().algorithm()).isEqualTo("a2c");
            assertThat(log).anyMatch(l -> l.startsWith("reloaded"));
            // a corrupt replacement: the old model keeps serving, the failure is logged once
            Files.write(tmp, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
            Files.move(tmp, served, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            for (int i = 0; i < 100 && log.stream().noneMatch(l -> l.startsWith("could not load")); i++) {
                Thread.sleep(50);
            }
            assertThat(log).anyMatch(l -> l.startsWith("could not load") && l.contains("still serving sha256 " + sha2));
            assertThat(server.model().info().sha256()).isEqualTo(sha2);
            assertThat(statusLine(server.port(), "/v1/recommend?user=1&k=2")).startsWith("HTTP/1.1 200");
            assertThat(statusLine(server.port(), "/metrics")).contains("recsysrl_model_reloads_total 1")
                    .contains("recsysrl_model_reload_failures_total 1");
        } finally {
            server.stop(1);
        }
    }

    @Test
    void aRequestThatWouldWaitTooLongIsAnswered503AndShutdownFinishesTheRequestsInFlight() throws Exception {
        Path ck = Cli.trainOk("ppo", dir.resolve("c"), 64);
        // one worker, a waiting bound of 100 ms
        RecommendServer server = new RecommendServer(ck, null, new RecommendServer.Options(0, 1, 4, 4096, 10, 10,
                60_000, 1000).withAdmission(1, 4, 100, 1), l -> { });
        server.start();
        // a slow client sending its body bit by bit holds no worker
        String body = "{\"user\": \"1\", \"k\": 2}";
        Socket slow = slowPost(server.port(), body, 5);
        Thread.sleep(100);
        assertThat(statusLine(server.port(), "/v1/recommend?user=1&k=2")).startsWith("HTTP/1.1 200");
        assertThat(finish(slow, body, 5)).startsWith("HTTP/1.1 200");
        slow.close();
        // the only worker is busy: the first request waits (its predicted wait is within the bound) ...
        CountDownLatch release = new CountDownLatch(1);
        long startedBefore = server.admission().started.sum();
        assertThat(server.admission().submit(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })).isEqualTo(Admission.Verdict.ADMITTED);
        for (int i = 0; i < 200 && server.admission().started.sum() == startedBefore; i++) {
            Thread.sleep(10); // the worker has taken the blocking task
        }
        Socket queued = new Socket("127.0.0.1", server.port());
        queued.setSoTimeout(10_000);
        queued.getOutputStream().write("GET /v1/recommend?user=1&k=2 HTTP/1.1\r\nHost: x\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        Thread.sleep(300);
        // ... and once it has waited longer than the bound, a newcomer would too: 503 with Retry-After
        String rejected = statusLine(server.port(), "/v1/recommend?user=1&k=2");
        assertThat(rejected).startsWith("HTTP/1.1 503").containsIgnoringCase("Retry-After: 1").contains("at capacity");
        // health never queues behind recommendations
        assertThat(statusLine(server.port(), "/health/live")).startsWith("HTTP/1.1 200");
        // stop while a request is admitted: it still gets its answer
        Thread stopper = new Thread(() -> server.stop(10));
        stopper.start();
        Thread.sleep(200);
        release.countDown();
        BufferedReader in = new BufferedReader(new InputStreamReader(queued.getInputStream(), StandardCharsets.UTF_8));
        assertThat(in.readLine()).startsWith("HTTP/1.1 200");
        queued.close();
        stopper.join(15_000);
        assertThat(stopper.isAlive()).isFalse();
    }
}
