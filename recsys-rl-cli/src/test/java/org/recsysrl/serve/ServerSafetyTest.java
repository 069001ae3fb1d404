package org.recsysrl.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.cli.Cli;

/**
 * Slow and hostile clients over raw sockets on 127.0.0.1: stalled connections, read deadlines,
 * the connection bound, malformed requests, bearer tokens, the bind address. Every socket has a
 * read timeout, so a server that hangs fails the test instead of hanging it.
 */
class ServerSafetyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static Path checkpoint;
    static RecommendServer server;

    @BeforeAll
    static void start() throws Exception {
        checkpoint = Cli.trainOk("ppo", dir.resolve("a"), 64);
        // short deadlines so that the test sees them; 150 connections at most
        server = new RecommendServer(checkpoint, null, new RecommendServer.Options(0, 2, 64, 4096, 10, 10, 60_000, 1000)
                .withConnectionLimits(150, 2048, 400, 400, 5_000), l -> System.err.println("server: " + l));
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(1);
    }

    /** Sends {@code raw} on a new connection and returns everything the server sends until it closes (or 5 s). */
    static String exchange(int port, String raw) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return readAll(s.getInputStream());
        }
    }

    static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            for (int r = in.read(buf); r > 0; r = in.read(buf)) {
                out.write(buf, 0, r);
            }
        } catch (SocketTimeoutException e) {
            // what arrived is the answer
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The status line, and the body that must be a one-line JSON error. */
    static void assertJsonError(String response, int status, String contains) throws Exception {
        assertThat(response).as(response).startsWith("HTTP/1.1 " + status + " ");
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        assertThat(body).as(response).doesNotContain("\n").doesNotContain("<html").doesNotContain("Exception");
        assertThat(JSON.readTree(body).get("error").asText()).as(response).contains(contains);
    }

    static String get(String path) throws IOException {
        return exchange(server.port(), "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    }

    @Test
    void listensOnLoopbackByDefault() {
        assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
        assertThat(RecommendServer.Options.defaults().host()).isEqualTo("127.0.0.1");
    }

    @Test
    void anAddressThatCannotBeBoundIsTheUsersMistake() {
        // the port is taken by the running server; the name does not resolve
        assertThat(Cli.userError(Cli.run("serve", "--checkpoint", checkpoint.toString(), "--port",
                Integer.toString(server.port())))).contains("cannot listen on 127.0.0.1:" + server.port())
                .contains("Address already in use").contains("choose another --host or --port");
        assertThat(Cli.userError(Cli.run("serve", "--checkpoint", checkpoint.toString(), "--port", "0", "--host",
                "no-such-host.invalid"))).contains("cannot listen on no-such-host.invalid:0");
    }

    @Test
    void aHundredStalledConnectionsFreezeNothingAndAreClosedWith408() throws Exception {
        // deadlines of 3 s: the well-behaved requests must be answered while the stalled ones still hang
        RecommendServer own = new RecommendServer(checkpoint, null, new RecommendServer.Options(0, 2, 64, 4096, 10, 10,
                60_000, 1000).withConnectionLimits(150, 2048, 3_000, 3_000, 5_000), l -> { });
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                Socket s = new Socket("127.0.0.1", own.port());
                s.setSoTimeout(8_000);
                String half = i % 2 == 0 ? "GET /v1/recommend?user=3 HTTP/1.1\r\nHost: x\r\n"
                        : "POST /v1/recommend HTTP/1.1\r\nHost: x\r\nContent-Length: 40\r\n\r\n{\"user\":";
                s.getOutputStream().write(half.getBytes(StandardCharsets.US_ASCII));
                stalled.add(s);
            }
            String health = "GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
            assertThat(exchange(own.port(), health)).startsWith("HTTP/1.1 200");
            assertThat(exchange(own.port(), "GET /v1/recommend?user=3&k=2 HTTP/1.1\r\nHost: x\r\nConnection: close"
                    + "\r\n\r\n")).startsWith("HTTP/1.1 200");
            // answered while every stalled connection is still waiting for its deadline
            for (Socket s : stalled) {
                assertThat(s.getInputStream().available()).isZero();
            }
            // then the deadlines close them with a JSON 408
            assertJsonError(readAll(stalled.get(0).getInputStream()), 408, "headers did not arrive within 3000 ms");
            assertJsonError(readAll(stalled.get(1).getInputStream()), 408, "body did not arrive within 3000 ms");
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
            own.stop(1);
        }
    }

    @Test
    void shortDeadlinesAnswer408() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write("GET /v1/recommend?user=3 HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            assertJsonError(readAll(s.getInputStream()), 408, "headers did not arrive within 400 ms");
        }
    }

    @Test
    void connectionsBeyondTheBoundGet503AndTheRestStillWork() throws Exception {
        RecommendServer small = new RecommendServer(checkpoint, null, new RecommendServer.Options(0, 1, 8, 4096, 10,
                10, 60_000, 1000).withConnectionLimits(3, 2048, 5_000, 5_000, 5_000), l -> { });
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(new Socket("127.0.0.1", small.port()));
            }
            for (int i = 0; i < 100 && small.connections() < 3; i++) {
                Thread.sleep(50); // the event loops have counted the three
            }
            assertThat(small.connections()).isEqualTo(3);
            String refused = exchange(small.port(), "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
            assertJsonError(refused, 503, "too many open connections (at most 3)");
            assertThat(refused).containsIgnoringCase("Retry-After: 1");
            held.remove(0).close();
            for (int i = 0; i < 100 && small.connections() > 2; i++) {
                Thread.sleep(50);
            }
            assertThat(exchange(small.port(), "GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 200");
        } finally {
            for (Socket s : held) {
                s.close();
            }
            small.stop(1);
        }
    }

    @Test
    void everyMalformedRequestGetsA4xxWithTheOneLineJsonError() throws Exception {
        int port = server.port();
        assertJsonError(get("/v1/recommend?user=%ZZ&k=2"), 400, "malformed percent-encoding");
        assertJsonError(get("/v1/recommend?user=1&k=%"), 400, "malformed percent-encoding");
        assertJsonError(get("/v1/sessions/%G1/recommend"), 400, "malformed percent-encoding");
        assertJsonError(exchange(port, "POST /v1/recommend HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}"),
                400, "malformed HTTP request");
        assertJsonError(exchange(port, "POST /v1/recommend HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "zz\r\n{}\r\n0\r\n\r\n"), 400, "malformed HTTP request");
        assertJsonError(exchange(port, "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n"), 400, "must be a path starting with /");
        assertJsonError(exchange(port, "GET http://x/v1/recommend HTTP/1.1\r\nHost: x\r\n\r\n"), 400,
                "must be a path starting with /");
        assertJsonError(exchange(port, "GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(3000)
                + "\r\n\r\n"), 431, "request headers larger than 2048 bytes");
        assertJsonError(exchange(port, "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414,
                "request line longer than");
        assertJsonError(exchange(port, "HELLO\r\n\r\n"), 400, "malformed HTTP request");
        assertJsonError(exchange(port, "POST /v1/recommend HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n"
                + "Connection: close\r\n\r\n" + "x".repeat(5000)), 413, "larger than 4096 bytes");
        // chunked bodies are fine when well formed
        assertThat(exchange(port, "POST /v1/recommend HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n9\r\n{\"user\":1\r\n6\r\n,\"k\":2\r\n1\r\n}\r\n0\r\n\r\n"))
                .startsWith("HTTP/1.1 200");
        // and the server still answers
        assertThat(get("/health/live")).startsWith("HTTP/1.1 200");
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        String one = "GET /v1/recommend?user=1&k=1 HTTP/1.1\r\nHost: x\r\n\r\n";
        String all = exchange(server.port(), one + "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n" + one
                + "GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        List<String> statuses = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("HTTP/1\\.1 (\\d{3}) ").matcher(all);
        while (m.find()) {
            statuses.add(m.group(1));
        }
        assertThat(statuses).as(all).containsExactly("200", "200", "200", "404");
        assertThat(all.indexOf("\"items\"")).isLessThan(all.indexOf("\"live\""));
    }

    @Test
    void aBearerTokenGuardsEverythingButHealth() throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "s3cret-token\n");
        RecommendServer guarded = new RecommendServer(checkpoint, null, new RecommendServer.Options(0, 1, 8, 4096, 10,
                10, 60_000, 1000).withFiles(token, null, null, null, null), l -> { });
        try {
            int port = guarded.port();
            String none = exchange(port, "GET /v1/recommend?user=1&k=2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(none).startsWith("HTTP/1.1 401").containsIgnoringCase("WWW-Authenticate: Bearer")
                    .endsWith("{\"error\":\"unauthorized\"}");
            String wrong = exchange(port, "GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer s3cret-tokem\r\n"
                    + "Connection: close\r\n\r\n");
            assertThat(wrong).startsWith("HTTP/1.1 401").endsWith("{\"error\":\"unauthorized\"}");
            assertThat(exchange(port, "GET /v1/recommend?user=1&k=2 HTTP/1.1\r\nHost: x\r\n"
                    + "Authorization: Bearer s3cret-token\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
            assertThat(exchange(port, "GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 200");
        } finally {
            guarded.stop(1);
        }
    }

    @Test
    void tlsServesHttpsWithAPemCertificateAndKey() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process p;
        try {
            p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(),
                    "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost").redirectErrorStream(true).start();
        } catch (IOException e) {
            org.junit.jupiter.api.Assumptions.abort("openssl is not installed: " + e.getMessage());
            return;
        }
        p.getInputStream().readAllBytes();
        org.junit.jupiter.api.Assumptions.assumeTrue(p.waitFor() == 0, "openssl could not make a certificate");
        RecommendServer https = new RecommendServer(checkpoint, null, new RecommendServer.Options(0, 1, 8, 4096, 10,
                10, 60_000, 1000).withFiles(null, cert, key, null, null), l -> { });
        try {
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(cert)) {
                trust.setCertificateEntry("server", java.security.cert.CertificateFactory.getInstance("X.509")
                        .generateCertificate(in));
            }
            tmf.init(trust);
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) ctx.getSocketFactory()
                    .createSocket("127.0.0.1", https.port())) {
                javax.net.ssl.SSLParameters params = s.getSSLParameters();
                params.setEndpointIdentificationAlgorithm(null); // a self-signed certificate for the test
                s.setSSLParameters(params);
                s.setSoTimeout(5_000);
                s.getOutputStream().write("GET /v1/recommend?user=1&k=2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                String answer = readAll(s.getInputStream());
                assertThat(answer).startsWith("HTTP/1.1 200").contains("\"items\":[{\"id\"");
            }
        } finally {
            https.stop(1);
        }
        // half a TLS configuration, or an unreadable token file, is the user's mistake, named
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> new RecommendServer(checkpoint, null,
                new RecommendServer.Options(0, 1, 8, 4096, 10, 10, 60_000, 1000).withFiles(null, cert, null, null, null),
                l -> { }))).isInstanceOf(org.recsysrl.util.UserInputException.class).hasMessageContaining("--tls-key");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> new RecommendServer(checkpoint, null,
                new RecommendServer.Options(0, 1, 8, 4096, 10, 10, 60_000, 1000).withFiles(dir.resolve("no-token"), null,
                null, null, null), l -> { }))).isInstanceOf(org.recsysrl.util.UserInputException.class)
                .hasMessageContaining("token file");
    }

    @Test
    void keptAliveConnectionsServeManyRequests() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (int i = 0; i < 5; i++) {
                out.write(("GET /v1/recommend?user=" + i + "&k=1 HTTP/1.1\r\nHost: x\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String head = readHead(in);
                assertThat(head).startsWith("HTTP/1.1 200");
                int length = Integer.parseInt(head.replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
                assertThat(in.readNBytes(length)).hasSize(length);
            }
        }
    }

    @Test
    void http10ClientsGetKeepAliveOnlyWhenTheyAskForIt() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write("GET /health/live HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(readHead(s.getInputStream())).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: keep-alive");
        }
        assertThat(exchange(server.port(), "GET /health/live HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.1 200")
                .containsIgnoringCase("connection: close").endsWith("{\"status\":\"live\"}");
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            sb.append((char) c);
        }
        return sb.toString();
    }
}
