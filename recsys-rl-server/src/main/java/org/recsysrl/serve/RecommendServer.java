package org.recsysrl.serve;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.recsysrl.api.Recommender;
import org.recsysrl.util.UserInputException;

/**
 * The HTTP/1.1 + JSON recommendation server: a {@link Recommender} behind Netty.
 *
 * <p>Endpoints ({@link Endpoints}; the contract is {@code /openapi.json}): {@code POST /v1/recommend}
 * ({@code {user?, history?, session?, exclude?, candidates?, exclude_history?, k}}) and
 * {@code GET /v1/recommend?user=…&k=…}, answering {@code {items: [{id, score}], warnings?,
 * fallback?, model}}; {@code POST /v1/recommend:batch}; {@code POST /v1/sessions/{id}/events},
 * {@code GET /v1/sessions/{id}/recommend}, {@code DELETE /v1/sessions/{id}};
 * {@code POST /v1/feedback}; {@code GET /health/live}, {@code /health/ready}, {@code /metrics}
 * (Prometheus text), {@code /openapi.json}.
 *
 * <p>The jobs are split: {@link HttpTransport} owns the sockets, the connection bound, the read
 * deadlines ({@link Deadlines}) and the size bounds; {@link ConnectionHandler} orders a
 * connection's requests and hands them to the {@link Admission} (waiting-time bound in front of
 * the workers); {@link Endpoints} answers; {@link ModelReloader} swaps a replaced checkpoint in;
 * this class wires them and owns the lifecycle, authentication and the access log.
 */
public final class RecommendServer implements AutoCloseable {

    /**
     * How the server runs.
     *
     * @param host address to listen on ({@code 127.0.0.1} by default; {@code 0.0.0.0} for every interface)
     * @param port TCP port (0 = any free port)
     * @param threads worker threads for the model (0 = answer on the I/O threads, no admission)
     * @param queue requests that may wait for a worker at most, whatever the predicted wait (a memory bound)
     * @param maxQueueMillis the longest predicted wait for a worker at which a request is still admitted (beyond: 503)
     * @param ioThreads Netty event-loop threads
     * @param maxBodyBytes largest request body accepted (beyond: 413)
     * @param maxHeaderBytes largest request headers accepted (beyond: 431)
     * @param maxConnections open connections at most (beyond: 503 and close)
     * @param headerTimeoutMillis a request's headers must arrive within this from its first byte (else 408)
     * @param bodyTimeoutMillis a request's body must arrive within this from the end of its headers (else 408)
     * @param idleTimeoutMillis a kept-alive connection without a request is closed after this
     * @param maxSessions live sessions kept (least recently used evicted)
     * @param maxSessionEvents events kept per session (oldest dropped)
     * @param sessionTtlMillis a session untouched for longer expires
     * @param reloadCheckMillis how often the checkpoint file is checked for a replacement
     * @param tokenFile a file holding the bearer token every request but {@code /health/*} must carry, or null
     * @param tlsCert PEM certificate chain for TLS, or null for plain HTTP
     * @param tlsKey PEM private key (PKCS#8) for TLS, or null
     * @param feedbackLog the JSON-lines file {@code POST /v1/feedback} appends to, or null (feedback off)
     * @param accessLog the JSON-lines access log, or null (off)
     * @param index how the top k is found: null or {@code exact} (every item scored, the default),
     *     {@code int8} (the exact top k by logit from an int8 copy of the item vectors) or
     *     {@code hnsw[:m=M,beam=B,ef=E]} (an approximate HNSW index over the logits, built at load);
     *     through an index, answers are scored by logits
     * @param maxBatch the most queued recommendations a worker answers together, their scores computed
     *     in one pass over the items (1: each alone; a worker never waits to fill a batch)
     */
    public record Options(String host, int port, int threads, int queue, long maxQueueMillis, int ioThreads,
            int maxBodyBytes, int maxHeaderBytes, int maxConnections, long headerTimeoutMillis, long bodyTimeoutMillis,
            long idleTimeoutMillis, int maxSessions, int maxSessionEvents, long sessionTtlMillis,
            long reloadCheckMillis, Path tokenFile, Path tlsCert, Path tlsKey, Path feedbackLog, Path accessLog,
            String index, int maxBatch) {

        /** The defaults with the given port, workers, queue bound, body bound, sessions and reload period. */
        public Options(int port, int threads, int queue, int maxBodyBytes, int maxSessions, int maxSessionEvents,
                long sessionTtlMillis, long reloadCheckMillis) {
            this("127.0.0.1", port, threads, queue, 50, defaultIoThreads(), maxBodyBytes, 16 * 1024, 1000, 10_000, 30_000,
                    60_000, maxSessions, maxSessionEvents, sessionTtlMillis, reloadCheckMillis, null, null, null, null,
                    null, null, DEFAULT_BATCH);
        }

        /**
         * Loopback, port 8080, one thread per core ({@link #defaultIoThreads()} event loops, the other
         * cores' worth of workers), a 50 ms waiting bound (and at most
         * 1,024 waiting), 1 MiB bodies, 16 KiB headers, 1,000 connections, 10 s for headers, 30 s for
         * a body, 60 s idle, 100,000 sessions of 200 events for an hour, checks every second; no
         * token, TLS, feedback or access log.
         */
        public static Options defaults() {
            return new Options(8080, defaultWorkers(), 1024, 1 << 20, 100_000, 200, 3_600_000L, 1000L);
        }

        /**
         * Event loops by default: half the cores, at least one. With {@link #defaultWorkers()} the server
         * runs one thread per core: more runnable threads than cores (a worker and an event loop per
         * core, as before) made the tail wait for the scheduler (docs/serving.md, "Threads").
         */
        public static int defaultIoThreads() {
            return Math.max(1, cores() / 2);
        }

        /** Model workers by default: the cores the event loops leave, at least one. */
        public static int defaultWorkers() {
            return Math.max(1, cores() - defaultIoThreads());
        }

        private static int cores() {
            return Runtime.getRuntime().availableProcessors();
        }

        /** With another address to listen on. */
        public Options withHost(String h) {
            return new Options(h, port, threads, queue, maxQueueMillis, ioThreads, maxBodyBytes, maxHeaderBytes,
                    maxConnections, headerTimeoutMillis, bodyTimeoutMillis, idleTimeoutMillis, maxSessions,
                    maxSessionEvents, sessionTtlMillis, reloadCheckMillis, tokenFile, tlsCert, tlsKey, feedbackLog,
                    accessLog, index, maxBatch);
        }

        /** With other admission settings. */
        public Options withAdmission(int workers, int waiting, long waitMillis, int io) {
            return new Options(host, port, workers, waiting, waitMillis, io, maxBodyBytes, maxHeaderBytes,
                    maxConnections, headerTimeoutMillis, bodyTimeoutMillis, idleTimeoutMillis, maxSessions,
                    maxSessionEvents, sessionTtlMillis, reloadCheckMillis, tokenFile, tlsCert, tlsKey, feedbackLog,
                    accessLog, index, maxBatch);
        }

        /** With other connection bounds and read deadlines. */
        public Options withConnectionLimits(int connections, int headerBytes, long headerMillis, long bodyMillis,
                long idleMillis) {
            return new Options(host, port, threads, queue, maxQueueMillis, ioThreads, maxBodyBytes, headerBytes,
                    connections, headerMillis, bodyMillis, idleMillis, maxSessions, maxSessionEvents, sessionTtlMillis,
                    reloadCheckMillis, tokenFile, tlsCert, tlsKey, feedbackLog, accessLog, index, maxBatch);
        }

        /** With a bearer-token file, TLS files and log files (each may be null). */
        public Options withFiles(Path token, Path cert, Path key, Path feedback, Path access) {
            return new Options(host, port, threads, queue, maxQueueMillis, ioThreads, maxBodyBytes, maxHeaderBytes,
                    maxConnections, headerTimeoutMillis, bodyTimeoutMillis, idleTimeoutMillis, maxSessions,
                    maxSessionEvents, sessionTtlMillis, reloadCheckMillis, token, cert, key, feedback, access, index,
                    maxBatch);
        }

        /** With another way to find the top k: {@code exact} (or null) or {@code hnsw[:m=M,beam=B,ef=E]}. */
        public Options withIndex(String how) {
            return new Options(host, port, threads, queue, maxQueueMillis, ioThreads, maxBodyBytes, maxHeaderBytes,
                    maxConnections, headerTimeoutMillis, bodyTimeoutMillis, idleTimeoutMillis, maxSessions,
                    maxSessionEvents, sessionTtlMillis, reloadCheckMillis, tokenFile, tlsCert, tlsKey, feedbackLog,
                    accessLog, how, maxBatch);
        }

        /** With another bound on the queued recommendations answered together (1: each alone). */
        public Options withBatch(int most) {
            return new Options(host, port, threads, queue, maxQueueMillis, ioThreads, maxBodyBytes, maxHeaderBytes,
                    maxConnections, headerTimeoutMillis, bodyTimeoutMillis, idleTimeoutMillis, maxSessions,
                    maxSessionEvents, sessionTtlMillis, reloadCheckMillis, tokenFile, tlsCert, tlsKey, feedbackLog,
                    accessLog, index, most);
        }

        /** The default bound on the queued recommendations a worker answers together. */
        public static final int DEFAULT_BATCH = 8;
    }

    /**
     * Exploration and the impression log (issue 24).
     *
     * @param exploration how recommendations are chosen (greedy by default)
     * @param impressionLog the JSON-lines file every answered recommendation is appended to, or null (off)
     * @param impressionLogMaxBytes size at which the impression log is rotated
     * @param impressionBuffer impressions that may wait for the writer; more are dropped and counted
     * @param syncMillis the longest time between two fsyncs of the impression log
     * @param syncLines fsync the impression log at the latest after this many lines
     * @param batchMicros how long the impression log's writer gathers lines (and holds their answers)
     *     while other requests are being answered, before one write (0: it writes as soon as woken)
     */
    public record Loop(org.recsysrl.api.Exploration exploration, Path impressionLog, long impressionLogMaxBytes,
            int impressionBuffer, long syncMillis, int syncLines, long batchMicros) {
        /** The default batching window of the impression log's writer, in microseconds. */
        public static final long DEFAULT_BATCH_MICROS = 250;

        /** Greedy, no impression log. */
        public static Loop none() {
            return new Loop(org.recsysrl.api.Exploration.greedy(), null, 256L << 20, 65_536, 100, 1000,
                    DEFAULT_BATCH_MICROS);
        }

        /**
         * With this exploration and impression log (null for none), rotated at {@code maxBytes}, its
         * writer gathering lines for up to {@code batchMicros}.
         */
        public static Loop of(org.recsysrl.api.Exploration exploration, Path impressionLog, long maxBytes,
                long batchMicros) {
            return new Loop(exploration, impressionLog, maxBytes, 65_536, 100, 1000, batchMicros);
        }
    }

    private final Options options;
    private final Consumer<String> log;
    private final ImpressionLog impressions;
    private final ServerMetrics metrics = new ServerMetrics();
    private final AtomicReference<ServedModel> model = new AtomicReference<>();
    private final SessionStore sessions;
    private final Admission admission;
    private final Endpoints endpoints;
    private final ModelReloader reloader;
    private final byte[] tokenDigest;
    private final LineLog feedback;
    private final LineLog access;
    private final HttpTransport transport;

    /**
     * Loads the model (a bad checkpoint fails here, before anything listens) and binds the address.
     *
     * @param data the model's data, or null for the path the checkpoint records
     * @param log receives one line per event worth logging (reloads, failures)
     * @throws IOException if the address cannot be bound
     * @throws UserInputException if the token, TLS or log files cannot be used
     */
    public RecommendServer(Path checkpoint, Path data, Options options, Consumer<String> log) throws IOException {
        this(checkpoint, data, options, Loop.none(), log);
    }

    /**
     * As {@link #RecommendServer(Path, Path, Options, Consumer)}, exploring and logging impressions
     * as {@code loop} says.
     *
     * @throws IOException if the address cannot be bound
     * @throws UserInputException if the token, TLS or log files cannot be used
     */
    public RecommendServer(Path checkpoint, Path data, Options options, Loop loop, Consumer<String> log)
            throws IOException {
        this.options = options;
        this.log = log;
        ServedModel.Loader loader = ServedModel.loader(options.index(), log);
        this.model.set(loader.load(checkpoint, data));
        this.reloader = new ModelReloader(checkpoint, data, model, metrics, log, options.reloadCheckMillis(), loader);
        this.sessions = new SessionStore(options.maxSessions(), options.maxSessionEvents(), options.sessionTtlMillis());
        this.tokenDigest = options.tokenFile() == null ? null : digest("Bearer " + readToken(options.tokenFile()));
        SslContext tls = tls(options);
        this.feedback = options.feedbackLog() == null ? null : new LineLog(options.feedbackLog(), "feedback log");
        this.access = options.accessLog() == null ? null : new LineLog(options.accessLog(), "access log");
        this.impressions = loop.impressionLog() == null ? null : new ImpressionLog(loop.impressionLog(),
                loop.impressionLogMaxBytes(), loop.impressionBuffer(), loop.syncMillis(), loop.syncLines(),
                loop.batchMicros(), log);
        this.admission = options.threads() == 0 ? null
                : new Admission(options.threads(), options.queue(), options.maxQueueMillis() * 1_000_000L,
                        Math.max(1, options.maxBatch()), JOIN_MIN_SERVICE_NANOS);
        if (impressions != null && admission != null) { // the log gathers lines while requests are being answered
            impressions.watch(() -> admission.inFlight() > 0);
            admission.onIdle(impressions::othersDone);
        }
        HttpTransport[] t = new HttpTransport[1];
        this.endpoints = new Endpoints(model::get, sessions, () -> metrics.render(new ServerMetrics.Gauges(
                model.get().model().info(), sessions.size(), sessions.evicted(),
                admission == null ? 0 : admission.inFlight(), t[0] == null ? 0 : t[0].connections(),
                admission == null ? 0 : admission.waitedNanos.sum(), admission == null ? 0 : admission.started.sum(),
                admission == null ? 0 : admission.meanServiceNanos())) + impressionMetrics() + indexMetrics() + batchMetrics(), feedback, log,
                loop.exploration(), impressions);
        try {
            this.transport = new HttpTransport(options, tls, metrics, () -> new ConnectionHandler(this));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding " + options.host() + ":" + options.port(), e);
        }
        t[0] = transport;
    }

    /**
     * Queued recommendations are answered together only while a request's mean service time is at
     * least this (50 µs: a large catalog). Measured side by side with a 1,000-item model (about 5 µs
     * a request), joining them cost more server CPU per request than it saved (44 against 27 µs at
     * 8 connections): the worker that empties the queue leaves the other to park and be woken.
     */
    static final long JOIN_MIN_SERVICE_NANOS = 50_000;

    private String batchMetrics() {
        StringBuilder sb = new StringBuilder(256);
        ServerMetrics.counter(sb, "recsysrl_batches_total", "counter",
                "Runs of queued recommendations answered together (a run of one included).",
                admission == null ? 0 : admission.joinedRuns.sum());
        ServerMetrics.counter(sb, "recsysrl_batched_requests_total", "counter",
                "Recommendations answered in those runs (divided by the runs: the mean batch).",
                admission == null ? 0 : admission.joinedTasks.sum());
        return sb.toString();
    }

    private String indexMetrics() {
        ServedModel m = model.get();
        StringBuilder sb = new StringBuilder(256);
        ServerMetrics.counter(sb, "recsysrl_index_fallbacks_total", "counter",
                "Indexed requests answered by the exact path: the index found fewer than k allowed items.",
                m.index() == null ? 0 : m.model().indexFallbacks());
        ServerMetrics.counter(sb, "recsysrl_index_build_milliseconds", "gauge",
                "Milliseconds the served model's approximate index took to build (0: no index).",
                Math.round(m.indexBuildSeconds() * 1000));
        return sb.toString();
    }

    private String impressionMetrics() {
        StringBuilder sb = new StringBuilder(512);
        ServerMetrics.counter(sb, "recsysrl_impressions_logged_total", "counter",
                "Impressions written to the impression log.", impressions == null ? 0 : impressions.written.sum());
        ServerMetrics.counter(sb, "recsysrl_impressions_dropped_total", "counter",
                "Impressions not logged: the buffer was full or a write failed (a full disk).",
                impressions == null ? 0 : impressions.dropped.sum());
        ServerMetrics.counter(sb, "recsysrl_impressions_pending", "gauge", "Impressions waiting for the writer.",
                impressions == null ? 0 : impressions.pending());
        ServerMetrics.counter(sb, "recsysrl_impression_log_rotations_total", "counter",
                "Times the impression log was rotated by size.", impressions == null ? 0 : impressions.rotations.sum());
        ServerMetrics.counter(sb, "recsysrl_impression_log_writes_total", "counter",
                "Batches of impression lines written, one write each (lines logged divided by them: the mean batch).",
                impressions == null ? 0 : impressions.batches.sum());
        ServerMetrics.counter(sb, "recsysrl_impressions_held", "gauge",
                "Answers waiting for their impression lines to be written.", impressions == null ? 0 : impressions.held());
        return sb.toString();
    }

    private static String readToken(Path file) {
        String token;
        try {
            token = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException | RuntimeException e) {
            throw new UserInputException("cannot read the token file " + file + " (" + e.getMessage()
                    + "): give a readable file holding the bearer token");
        }
        if (token.isEmpty() || token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new UserInputException("the token file " + file + " must hold one token of printable ASCII"
                    + " characters without spaces");
        }
        return token;
    }

    private static SslContext tls(Options o) {
        if (o.tlsCert() == null && o.tlsKey() == null) {
            return null;
        }
        if (o.tlsCert() == null || o.tlsKey() == null) {
            throw new UserInputException("TLS needs both --tls-cert and --tls-key (PEM files)");
        }
        try {
            return SslContextBuilder.forServer(o.tlsCert().toFile(), o.tlsKey().toFile()).build();
        } catch (Exception e) {
            throw new UserInputException("cannot use " + o.tlsCert() + " and " + o.tlsKey() + " for TLS ("
                    + Json.abbreviate(e.getMessage()) + "): give a PEM certificate chain and its PKCS#8 PEM key");
        }
    }

    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * True if the request may proceed: no token is configured, the path is a health probe, or the
     * {@code Authorization} header is the token. Both sides are hashed first, so the comparison
     * takes the same time whatever was sent.
     */
    boolean authorized(String path, String authorization) {
        if (tokenDigest == null || path.startsWith("/health/")) {
            return true;
        }
        return authorization != null && MessageDigest.isEqual(tokenDigest, digest(authorization.strip()));
    }

    /** Starts watching the checkpoint (the address is bound and serving since construction). */
    public void start() {
        reloader.start();
    }

    /** The bound port. */
    public int port() {
        return transport.address().getPort();
    }

    /** The bound address. */
    public java.net.InetSocketAddress address() {
        return transport.address();
    }

    /** True if the native epoll transport runs (else Java NIO). */
    public boolean epoll() {
        return transport.epoll();
    }

    /** The model being served now. */
    public Recommender model() {
        return model.get().model();
    }

    /** Open client connections. */
    int connections() {
        return transport.connections();
    }

    void log(String line) {
        log.accept(line);
    }

    Options options() {
        return options;
    }

    ServerMetrics metrics() {
        return metrics;
    }

    Admission admission() {
        return admission;
    }

    /** The impression log, or null when off. */
    ImpressionLog impressions() {
        return impressions;
    }

    Endpoints endpoints() {
        return endpoints;
    }

    /** Appends one access-log line if the access log is on; a failed write is logged, never fatal. */
    void accessLog(SocketAddress remote, String method, String path, int status, long nanos) {
        if (access == null) {
            return;
        }
        StringBuilder sb = new StringBuilder(160);
        sb.append("{\"time\":").append(System.currentTimeMillis()).append(",\"remote\":");
        Json.quote(sb, ConnectionHandler.remote(remote));
        sb.append(",\"method\":");
        Json.quote(sb, method);
        sb.append(",\"path\":");
        Json.quote(sb, path);
        sb.append(",\"status\":").append(status).append(",\"micros\":").append(nanos / 1000).append('}');
        try {
            access.append(sb.toString());
        } catch (IOException e) {
            log.accept("could not append to the access log " + access.file() + ": " + e);
        }
    }

    /**
     * Stops gracefully: new requests are answered 503, the admitted ones finish (up to
     * {@code graceSeconds}), then the listener and every connection close.
     */
    public void stop(int graceSeconds) {
        reloader.stop();
        if (admission != null) {
            admission.stop(graceSeconds * 1000L);
        }
        if (impressions != null) { // before the transport: the answers waiting for their lines still leave
            impressions.close();
        }
        transport.close();
        if (feedback != null) {
            feedback.close();
        }
        if (access != null) {
            access.close();
        }
    }

    @Override
    public void close() {
        stop(5);
    }
}
