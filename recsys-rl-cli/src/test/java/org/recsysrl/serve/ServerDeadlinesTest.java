package org.recsysrl.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.cli.Cli;

/**
 * Each read deadline on its own (headers, body, idle: one short, the others a minute), on fresh
 * and on kept-alive connections; pipelining past the read-ahead bound; the body bound on chunked
 * and kept-alive requests. Nothing here asserts how fast anything is: a short deadline must
 * expire with its own message, and a long one must not.
 */
class ServerDeadlinesTest {
    private static final int MINUTE = 60_000;
    private static final String GET_LIVE = "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n";
    @TempDir
    static Path dir;
    static Path checkpoint;

    @BeforeAll
    static void train() {
        checkpoint = Cli.trainOk("ppo", dir.resolve("a"), 64);
    }

    private static RecommendServer server(long headerMillis, long bodyMillis, long idleMillis) throws IOException {
        return new RecommendServer(checkpoint, null, new RecommendServer.Options(0, 1, 64, 4096, 10, 10, MINUTE, 1000)
                .withConnectionLimits(20, 2048, headerMillis, bodyMillis, idleMillis), l -> { });
    }

    /** What arrived until the server closed the connection, or null if it did not close it within 5 s. */
    private static String untilClosed(Socket s) throws IOException {
        s.setSoTimeout(5_000);
        InputStream in = s.getInputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
                out.write(buf, 0, r);
            }
        } catch (SocketTimeoutException e) {
            return null;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** One response on a kept-alive connection: its head and body. */
    private static String response(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            assertThat(c).as("the connection closed after " + head).isNotNegative();
            head.append((char) c);
        }
        Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        assertThat(length.find()).as(head.toString()).isTrue();
        return head + new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8);
    }

    private static void send(Socket s, String raw) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static List<String> statuses(String responses) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("HTTP/1\\.1 (\\d{3}) ").matcher(responses);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void slowHeadersExpireWithTheHeaderDeadlineAlsoOnAKeptAliveConnection() throws Exception {
        try (RecommendServer server = server(300, MINUTE, MINUTE)) {
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                send(s, "GET /v1/recommend?user=3 HTTP/1.1\r\nHost: x\r\n");
                String answer = untilClosed(s);
                assertThat(answer).as("closed by the deadline").isNotNull();
                ServerSafetyTest.assertJsonError(answer, 408, "the request's headers did not arrive within 300 ms");
            }
            assertThat(server.metrics().timeouts.sum()).isEqualTo(1);
            // the second request of a kept-alive connection has the same deadline as the first
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(5_000);
                send(s, GET_LIVE);
                assertThat(response(s.getInputStream())).startsWith("HTTP/1.1 200");
                send(s, "GET /health/live HTTP/1.1\r\n");
                String answer = untilClosed(s);
                assertThat(answer).as("closed by the deadline").isNotNull();
                ServerSafetyTest.assertJsonError(answer, 408, "headers did not arrive within 300 ms");
            }
            assertThat(server.metrics().timeouts.sum()).isEqualTo(2);
            assertThat(server.metrics().render(new ServerMetrics.Gauges(server.model().info(), 0, 0, 0, 0, 0, 0, 0)))
                    .contains("recsysrl_requests_total{endpoint=\"other\",status=\"408\"} 2\n")
                    .contains("recsysrl_read_timeouts_total 2\n");
        }
    }

    @Test
    void aSlowBodyExpiresWithTheBodyDeadlineButAnAnsweredRequestDoesNot() throws Exception {
        try (RecommendServer server = server(MINUTE, 300, MINUTE)) {
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                send(s, "POST /v1/recommend HTTP/1.1\r\nHost: x\r\nContent-Length: 20\r\n\r\n{\"user\":");
                String answer = untilClosed(s);
                assertThat(answer).as("closed by the deadline").isNotNull();
                ServerSafetyTest.assertJsonError(answer, 408, "the request's body did not arrive within 300 ms");
            }
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                send(s, "POST /v1/recommend HTTP/1.1\r\nHost: x\r\nContent-Length: 20\r\n\r\n");
                String answer = untilClosed(s);
                assertThat(answer).as("no byte of the body: the body's deadline still runs").isNotNull();
                ServerSafetyTest.assertJsonError(answer, 408, "the request's body did not arrive within 300 ms");
            }
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(5_000);
                String post = "POST /v1/recommend HTTP/1.1\r\nHost: x\r\nContent-Length: 16\r\n\r\n{\"user\":1,\"k\":2}";
                send(s, post);
                assertThat(response(s.getInputStream())).startsWith("HTTP/1.1 200");
                Thread.sleep(1_000); // beyond the body deadline: an answered connection waits on the idle one
                send(s, post);
                assertThat(response(s.getInputStream())).startsWith("HTTP/1.1 200");
            }
            assertThat(server.metrics().timeouts.sum()).isEqualTo(2);
        }
    }

    @Test
    void anIdleConnectionIsClosedSilentlyButSlowHeadersHaveTheirOwnDeadline() throws Exception {
        try (RecommendServer server = server(MINUTE, MINUTE, 300)) {
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                assertThat(untilClosed(s)).as("closed without a word").isEqualTo("");
            }
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(5_000);
                send(s, GET_LIVE);
                assertThat(response(s.getInputStream())).startsWith("HTTP/1.1 200").endsWith("{\"status\":\"live\"}");
                assertThat(untilClosed(s)).as("idle after its answer: closed without a word").isEqualTo("");
            }
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(5_000);
                send(s, "GET /health/live HTTP/1.1\r\n");
                Thread.sleep(1_000); // beyond the idle deadline, within the header deadline
                send(s, "Host: x\r\nConnection: close\r\n\r\n");
                assertThat(untilClosed(s)).startsWith("HTTP/1.1 200").endsWith("{\"status\":\"live\"}");
            }
            assertThat(server.metrics().timeouts.sum()).isZero();
        }
    }

    @Test
    void aClientPipeliningBeyondTheReadAheadBoundIsAnsweredInFull() throws Exception {
        try (RecommendServer server = server(MINUTE, MINUTE, MINUTE)) {
            int n = 3 * ConnectionHandler.MAX_PIPELINED;
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < n - 1; i++) {
                all.append("GET /v1/recommend?user=").append(i % 10).append("&k=1 HTTP/1.1\r\nHost: x\r\n\r\n");
            }
            all.append("GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                send(s, all.toString());
                String answers = untilClosed(s);
                assertThat(answers).as("every answer before the close").isNotNull();
                List<String> codes = statuses(answers);
                assertThat(codes).hasSize(n);
                assertThat(codes.subList(0, n - 1)).containsOnly("200");
                assertThat(codes.get(n - 1)).isEqualTo("404");
            }
        }
    }

    @Test
    void theBodyBoundHoldsToTheByteForChunkedBodiesAndKeepsTheConnection() throws Exception {
        try (RecommendServer server = server(MINUTE, MINUTE, MINUTE)) {
            String json = "{\"user\":1,\"k\":2}";
            String exact = json + " ".repeat(4096 - json.length());
            String chunked = "POST /v1/recommend HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close"
                    + "\r\n\r\n";
            assertThat(ServerSafetyTest.exchange(server.port(), chunked + "1000\r\n" + exact + "\r\n0\r\n\r\n"))
                    .startsWith("HTTP/1.1 200");
            ServerSafetyTest.assertJsonError(ServerSafetyTest.exchange(server.port(), chunked + "1000\r\n" + exact
                    + "\r\n1\r\n \r\n0\r\n\r\n"), 413, "request body larger than 4096 bytes");
            // a kept-alive request with a declared length over the bound: 413, and the connection reads on
            String over = "POST /v1/recommend HTTP/1.1\r\nHost: x\r\nContent-Length: 4097\r\n\r\n" + " ".repeat(4097);
            String both = ServerSafetyTest.exchange(server.port(), over + "GET /health/live HTTP/1.1\r\nHost: x\r\n"
                    + "Connection: close\r\n\r\n");
            assertThat(statuses(both)).as(both).containsExactly("413", "200");
            assertThat(both).contains("{\"error\":\"request body larger than 4096 bytes\"}");
            assertThat(server.metrics().render(new ServerMetrics.Gauges(server.model().info(), 0, 0, 0, 0, 0, 0, 0)))
                    .contains("recsysrl_requests_total{endpoint=\"other\",status=\"413\"} 2\n");
            assertThat(server.epoll()).isEqualTo(io.netty.channel.epoll.Epoll.isAvailable()
                    && !Boolean.getBoolean("recsysrl.serve.nio"));
        }
    }
}
