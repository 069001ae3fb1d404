package org.recsysrl.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.recsysrl.serve.RecommendServer;
import org.recsysrl.util.UserInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code recsys-rl serve}: an HTTP recommendation server over a checkpoint. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve a checkpoint over HTTP/JSON: POST /v1/recommend, GET /v1/recommend?user=..&k=..,"
                + " POST /v1/recommend:batch, POST /v1/sessions/{id}/events, GET /v1/sessions/{id}/recommend,"
                + " DELETE /v1/sessions/{id}, POST /v1/feedback, /health/live, /health/ready, /metrics,"
                + " /openapi.json. --explore samples what is shown and --impression-log logs it for off-policy evaluation. Listens on 127.0.0.1 unless --host says otherwise. A replaced checkpoint file"
                + " is loaded in the background and swapped in.",
        footer = {"", "See docs/serving.md."})
final class ServeCommand implements Callable<Integer> {
    @Mixin
    CheckpointOption checkpointOption;

    @Option(names = "--data", paramLabel = "PATH", description = "the model's data (default: the path the checkpoint"
            + " records)")
    Path data;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to listen on; 0.0.0.0 for every"
            + " interface (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "TCP port, 0 = any free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--threads", description = "worker threads for the model; 0 = answer on the I/O threads"
            + " (default: the cores the I/O threads leave, at least 1)")
    Integer threads;

    @Option(names = "--io-threads", description = "network event-loop threads (default: half the cores, at least 1)")
    Integer ioThreads;

    @Option(names = "--max-queue-ms", defaultValue = "50", description = "admit a request only if its predicted wait"
            + " for a worker is at most this; otherwise 503 with Retry-After (default: ${DEFAULT-VALUE})")
    long maxQueueMillis;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "8", description = "answer up to N queued"
            + " recommendations together, their scores computed in one pass over the items (much cheaper per request"
            + " for large catalogs; the same answers); a worker never waits to fill a batch; 1: each alone"
            + " (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--queue", defaultValue = "1024", description = "requests waiting for a worker at most, whatever"
            + " the predicted wait (default: ${DEFAULT-VALUE})")
    int queue;

    @Option(names = "--max-body", defaultValue = "1048576", description = "largest request body in bytes"
            + " (default: ${DEFAULT-VALUE})")
    int maxBody;

    @Option(names = "--max-header", defaultValue = "16384", description = "largest request headers in bytes"
            + " (default: ${DEFAULT-VALUE})")
    int maxHeader;

    @Option(names = "--max-connections", defaultValue = "1000", description = "open connections at most; more are"
            + " answered 503 and closed (default: ${DEFAULT-VALUE})")
    int maxConnections;

    @Option(names = "--header-timeout", defaultValue = "10", description = "seconds a request's headers may take"
            + " from its first byte, else 408 (default: ${DEFAULT-VALUE})")
    long headerTimeout;

    @Option(names = "--body-timeout", defaultValue = "30", description = "seconds a request's body may take after"
            + " its headers, else 408 (default: ${DEFAULT-VALUE})")
    long bodyTimeout;

    @Option(names = "--idle-timeout", defaultValue = "60", description = "seconds a kept-alive connection may sit"
            + " without a request (default: ${DEFAULT-VALUE})")
    long idleTimeout;

    @Option(names = "--token-file", paramLabel = "FILE", description = "require 'Authorization: Bearer TOKEN' with the"
            + " token in FILE on every path but /health/*")
    Path tokenFile;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "serve HTTPS with this certificate chain")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "the certificate's private key (PKCS#8 PEM)")
    Path tlsKey;

    @Option(names = "--feedback-log", paramLabel = "FILE", description = "accept POST /v1/feedback and append each"
            + " to FILE as one JSON line")
    Path feedbackLog;

    @Option(names = "--access-log", paramLabel = "FILE", description = "append one JSON line per request to FILE"
            + " (default: off)")
    Path accessLog;

    @Option(names = "--explore", paramLabel = "POLICY", defaultValue = "greedy", description = "how shown items are"
            + " chosen: greedy, epsilon=E, softmax:temperature=T or plackett-luce[:temperature=T]; exploring answers"
            + " carry each item's propensity, the slate's and a request_id (default: ${DEFAULT-VALUE})")
    String explore;

    @Option(names = "--impression-log", paramLabel = "FILE", description = "append every answered recommendation to"
            + " FILE as one JSON line in the logged-feedback format (background writer, batched fsync)")
    Path impressionLog;

    @Option(names = "--impression-log-max-mb", defaultValue = "256", description = "rotate the impression log to"
            + " FILE.N when it reaches this size (default: ${DEFAULT-VALUE})")
    long impressionLogMaxMb;

    @Option(names = "--impression-log-batch-us", defaultValue = "250", description = "each answer leaves once its"
            + " impression line is written; the writer gathers lines for up to this many microseconds (or 64 lines)"
            + " while other requests are being answered, then writes them in one write (0: at once; default:"
            + " ${DEFAULT-VALUE})")
    long impressionLogBatchUs;

    @Option(names = "--index", paramLabel = "HOW", defaultValue = "exact", description = "how the top k is found:"
            + " exact (every item scored; answers carry log-probabilities), int8 (the same top k by logit from an"
            + " int8 copy of the item vectors, exact) or hnsw[:m=M,beam=B,ef=E] (an approximate HNSW index over the"
            + " logits, built when the model loads); int8 and hnsw answer with exact logits, \"scores\": \"logit\","
            + " greedy only (default: ${DEFAULT-VALUE})")
    String index;

    @Option(names = "--sessions", defaultValue = "100000", description = "live sessions kept (default: ${DEFAULT-VALUE})")
    int maxSessions;

    @Option(names = "--session-events", defaultValue = "200", description = "events kept per session"
            + " (default: ${DEFAULT-VALUE})")
    int sessionEvents;

    @Option(names = "--session-ttl", defaultValue = "3600", description = "seconds an untouched session lives"
            + " (default: ${DEFAULT-VALUE})")
    long sessionTtl;

    @Override
    public Integer call() throws Exception {
        RecommendServer.Options d = RecommendServer.Options.defaults();
        int t = threads == null ? d.threads() : threads;
        int io = ioThreads == null ? d.ioThreads() : ioThreads;
        requireInRange(t, io);
        Path checkpoint = checkpointOption.checkpoint;
        RecommendServer.Loop loop = RecommendServer.Loop.of(org.recsysrl.api.Exploration.parse(explore), impressionLog,
                impressionLogMaxMb << 20, impressionLogBatchUs);
        RecommendServer.Options o = new RecommendServer.Options(host, port, t, queue, maxQueueMillis, io, maxBody,
                maxHeader, maxConnections, headerTimeout * 1000, bodyTimeout * 1000, idleTimeout * 1000, maxSessions,
                sessionEvents, sessionTtl * 1000, d.reloadCheckMillis(), tokenFile, tlsCert, tlsKey, feedbackLog,
                accessLog, index, batch);
        if (!index.equals("exact") && !loop.exploration().isGreedy()) {
            throw new UserInputException("--index " + index + " finds a greedy top k; --explore " + explore
                    + " samples from every item's probability: drop one of the two");
        }
        RecommendServer server = listen(checkpoint, o, loop);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println(Instant.now() + " stopping: finishing the requests in flight");
            server.stop(10);
            stopped.countDown();
        }, "recsys-rl-serve-shutdown"));
        server.start();
        System.err.println(Instant.now() + " serving " + checkpoint + " (" + server.model().info().kind() + ", "
                + server.model().info().algorithm() + ", " + server.model().info().items() + " items, sha256 "
                + server.model().info().sha256() + ") on " + (tlsCert != null ? "https://" : "http://")
                + server.address().getAddress().getHostAddress() + ":" + server.port() + " with " + t + " workers (batches of up to " + batch + "), "
                + io + " I/O threads (" + (server.epoll() ? "epoll" : "NIO") + ")"
                + (tokenFile != null ? ", bearer token required" : "")
                + (index.equals("exact") ? "" : ", index " + index)
                + (loop.exploration().isGreedy() ? "" : ", exploring " + loop.exploration())
                + (impressionLog != null ? ", impressions to " + impressionLog : ""));
        stopped.await();
        return 0;
    }

    /** Refuses every numeric flag outside its range, in one line naming it. */
    private void requireInRange(int t, int io) {
        if (port < 0 || port > 65535) {
            throw new UserInputException("--port must be in [0, 65535] (got " + port + ")");
        }
        requireIn("--threads", t, 0, 1024);
        requireIn("--io-threads", io, 1, 1024);
        requireIn("--queue", queue, 0, 1_000_000);
        requireIn("--batch", batch, 1, 1024);
        requireIn("--max-queue-ms", maxQueueMillis, 0, Long.MAX_VALUE);
        requireIn("--max-body", maxBody, 1, Long.MAX_VALUE);
        requireIn("--max-header", maxHeader, 1024, Long.MAX_VALUE);
        requireIn("--max-connections", maxConnections, 1, Long.MAX_VALUE);
        requireIn("--header-timeout", headerTimeout, 1, Long.MAX_VALUE);
        requireIn("--body-timeout", bodyTimeout, 1, Long.MAX_VALUE);
        requireIn("--idle-timeout", idleTimeout, 1, Long.MAX_VALUE);
        requireIn("--sessions", maxSessions, 1, Long.MAX_VALUE);
        requireIn("--session-events", sessionEvents, 1, Long.MAX_VALUE);
        requireIn("--session-ttl", sessionTtl, 1, Long.MAX_VALUE);
        if (impressionLogMaxMb < 1) {
            throw new UserInputException("--impression-log-max-mb must be at least 1 (got " + impressionLogMaxMb + ")");
        }
        requireIn("--impression-log-batch-us", impressionLogBatchUs, 0, 100_000);
    }

    /** The server bound to its address (not yet started); a port in use or an unknown host is the user's mistake. */
    private RecommendServer listen(Path checkpoint, RecommendServer.Options o, RecommendServer.Loop loop) {
        try {
            return new RecommendServer(checkpoint, data, o, loop, line -> System.err.println(Instant.now() + " " + line));
        } catch (java.io.IOException | java.nio.channels.UnresolvedAddressException e) {
            // the constructor's only I/O is binding (a port in use, an address not of this host, a bad name)
            String why = e instanceof java.nio.channels.UnresolvedAddressException ? "no such host"
                    : e.getMessage() == null ? "cannot bind" : e.getMessage();
            throw new UserInputException("cannot listen on " + host + ":" + port + " (" + why
                    + "): choose another --host or --port");
        }
    }

    /** Refuses a flag's value outside [min, max] in one line naming the flag, the value and the range. */
    private static void requireIn(String flag, long value, long min, long max) {
        if (value < min || value > max) {
            throw new UserInputException(flag + " must be " + (max == Long.MAX_VALUE ? "at least " + min
                    : "in [" + min + ", " + max + "]") + " (got " + value + ")");
        }
    }
}
