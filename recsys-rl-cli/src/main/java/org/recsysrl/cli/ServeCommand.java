package org.recsysrl.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.recsysrl.serve.RecommendServer;
import org.recsysrl.util.UserInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code recsys-rl serve}: an HTTP recommendation server over a checkpoint. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve a checkpoint over HTTP/JSON: POST /v1/recommend, GET /v1/recommend?user=..&k=..,"
                + " POST /v1/sessions/{id}/events, GET /v1/sessions/{id}/recommend, /health/live, /health/ready,"
                + " /metrics. A replaced checkpoint file is loaded in the background and swapped in.",
        footer = {"", "See docs/serving.md."})
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, description = "a .safetensors file written by train")
    Path checkpoint;

    @Option(names = "--data", paramLabel = "PATH", description = "the model's data (default: the path the checkpoint"
            + " records)")
    Path data;

    @Option(names = "--port", defaultValue = "8080", description = "TCP port, 0 = any free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--threads", description = "worker threads (default: one per core)")
    Integer threads;

    @Option(names = "--queue", description = "requests that may wait for a worker before 503 (default: 4 per worker)")
    Integer queue;

    @Option(names = "--max-body", defaultValue = "1048576", description = "largest request body in bytes"
            + " (default: ${DEFAULT-VALUE})")
    int maxBody;

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
        int q = queue == null ? 4 * t : queue;
        if (port < 0 || port > 65535) {
            throw new UserInputException("--port must be in [0, 65535] (got " + port + ")");
        }
        if (t < 1 || t > 1024 || q < 0 || q > 1_000_000 || maxBody < 1 || maxSessions < 1 || sessionEvents < 1
                || sessionTtl < 1) {
            throw new UserInputException("--threads (1..1024), --queue (0..1000000), --max-body, --sessions,"
                    + " --session-events and --session-ttl must be positive");
        }
        RecommendServer.Options o = new RecommendServer.Options(port, t, q, maxBody, maxSessions, sessionEvents,
                sessionTtl * 1000, d.reloadCheckMillis());
        RecommendServer server;
        try {
            server = new RecommendServer(checkpoint, data, o, line -> System.err.println(Instant.now() + " " + line));
        } catch (java.net.BindException e) {
            throw new UserInputException("cannot listen on port " + port + " (" + e.getMessage()
                    + "): choose another --port");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println(Instant.now() + " stopping: finishing the requests in flight");
            server.stop(10);
            stopped.countDown();
        }, "recsys-rl-serve-shutdown"));
        server.start();
        System.err.println(Instant.now() + " serving " + checkpoint + " (" + server.model().info().kind() + ", "
                + server.model().info().algorithm() + ", " + server.model().info().items() + " items, sha256 "
                + server.model().info().sha256() + ") on port " + server.port() + " with " + t + " workers");
        stopped.await();
        return 0;
    }
}
