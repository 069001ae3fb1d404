package org.recsysrl.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.recsysrl.api.ModelInfo;
import org.recsysrl.api.RecommendRequest;
import org.recsysrl.api.Recommender;
import org.recsysrl.api.RequestException;
import org.recsysrl.api.ScoredItem;

/**
 * The HTTP/1.1 + JSON recommendation server on the JDK's {@code com.sun.net.httpserver}.
 *
 * <p>Endpoints: {@code POST /v1/recommend} ({@code {user?, history?, session?, exclude?,
 * candidates?, k}}) and {@code GET /v1/recommend?user=…&k=…[&history=a,b]}, answering
 * {@code {items: [{id, score}], model: {algorithm, steps, sha256}}};
 * {@code POST /v1/sessions/{id}/events} ({@code {item}} or {@code {items: [...]}}) and
 * {@code GET /v1/sessions/{id}/recommend?k=…}; {@code GET /health/live}, {@code GET /health/ready},
 * {@code GET /metrics} (Prometheus text).
 *
 * <p>Admission: the JDK server hands every exchange to an executor before reading it. Up to
 * {@code threads + queue} exchanges at a time go to a fixed pool of {@code threads} workers (with a
 * queue of that size), which read, answer and send; beyond that, an exchange is read on the
 * dispatcher thread and answered {@code 503} with {@code Retry-After} at once — never an unbounded
 * queue. Every bad request gets a 4xx with a one-line JSON error, and no
 * response ever carries a stack trace.
 *
 * <p>Hot reload: the checkpoint's size, modification time and file key are checked every
 * {@code reloadCheckMillis}; once a change has settled, the new file is loaded and validated in the
 * background and swapped in; if it fails, the old model keeps serving and the failure is logged.
 */
public final class RecommendServer implements AutoCloseable {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    /**
     * How the server runs.
     *
     * @param port TCP port (0 = any free port)
     * @param threads worker threads
     * @param queue requests that may wait for a worker (beyond them: 503)
     * @param maxBodyBytes largest request body accepted (beyond: 413)
     * @param maxSessions live sessions kept (least recently used evicted)
     * @param maxSessionEvents events kept per session (oldest dropped)
     * @param sessionTtlMillis a session untouched for longer expires
     * @param reloadCheckMillis how often the checkpoint file is checked for a replacement
     */
    public record Options(int port, int threads, int queue, int maxBodyBytes, int maxSessions, int maxSessionEvents,
            long sessionTtlMillis, long reloadCheckMillis) {
        /** Port 8080, a worker per core, a queue of 4 per worker, 1 MiB bodies, 100,000 sessions of 200 events for an hour, checks every second. */
        public static Options defaults() {
            int cores = Runtime.getRuntime().availableProcessors();
            return new Options(8080, cores, 4 * cores, 1 << 20, 100_000, 200, 3_600_000L, 1000L);
        }
    }

    private final Path checkpoint;
    private final Path data;
    private final Options options;
    private final Consumer<String> log;
    private final AtomicReference<Recommender> model = new AtomicReference<>();
    private final HttpServer http;
    private final ThreadPoolExecutor workers;
    private final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();
    /** Set while an exchange the executor did not admit runs on the dispatcher thread. */
    private static final ThreadLocal<Boolean> REJECTED = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private final SessionStore sessions;
    private final ServerMetrics metrics = new ServerMetrics();
    private final ScheduledExecutorService watcher;
    private volatile boolean stopping;
    private volatile String fileSignature;
    private String failedSignature;
    private String pendingSignature;

    /**
     * Loads the model (a bad checkpoint fails here, before anything listens) and binds the port.
     *
     * @param data the model's data, or null for the path the checkpoint records
     * @param log receives one line per event worth logging (reloads, failures)
     * @throws IOException if the port cannot be bound
     */
    public RecommendServer(Path checkpoint, Path data, Options options, Consumer<String> log) throws IOException {
        this.checkpoint = checkpoint;
        this.data = data;
        this.options = options;
        this.log = log;
        this.fileSignature = signature(checkpoint);
        this.model.set(Recommender.load(checkpoint, data));
        this.sessions = new SessionStore(options.maxSessions(), options.maxSessionEvents(), options.sessionTtlMillis());
        this.workers = new ThreadPoolExecutor(options.threads(), options.threads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(1, options.queue() + options.threads())), r -> {
                    Thread t = new Thread(r, "recsys-rl-serve");
                    t.setDaemon(true);
                    return t;
                });
        this.http = HttpServer.create(new InetSocketAddress(options.port()), 1024);
        this.http.createContext("/", this::dispatch);
        // admission: the JDK hands each exchange to this executor before reading its headers. Up to
        // threads + queue exchanges go to the workers (which then parse and answer them); beyond,
        // the exchange runs at once on the dispatcher thread marked as rejected, and dispatch()
        // answers 503 without touching the model
        this.http.setExecutor(task -> {
            if (stopping || pending.incrementAndGet() > options.threads() + options.queue()) {
                if (!stopping) {
                    pending.decrementAndGet();
                }
                REJECTED.set(Boolean.TRUE);
                try {
                    task.run();
                } finally {
                    REJECTED.set(Boolean.FALSE);
                }
                return;
            }
            workers.execute(() -> {
                try {
                    task.run();
                } finally {
                    pending.decrementAndGet();
                }
            });
        });
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "recsys-rl-reload");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts listening and watching the checkpoint. */
    public void start() {
        http.start();
        watcher.scheduleWithFixedDelay(this::checkReload, options.reloadCheckMillis(), options.reloadCheckMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** The bound port. */
    public int port() {
        return http.getAddress().getPort();
    }

    /** The model being served now. */
    public Recommender model() {
        return model.get();
    }

    /**
     * Stops gracefully: new requests are answered 503, the requests in flight finish (up to
     * {@code graceSeconds}), then the listener closes.
     */
    public void stop(int graceSeconds) {
        stopping = true;
        watcher.shutdownNow();
        workers.shutdown();
        try {
            workers.awaitTermination(graceSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.stop(0);
    }

    @Override
    public void close() {
        stop(5);
    }

    // ---- dispatch --------------------------------------------------------------------------

    /** Runs on the server's dispatcher thread: routes cheap requests, admits the rest to the workers. */
    private void dispatch(HttpExchange ex) {
        String path = ex.getRequestURI().getRawPath();
        if (path.equals("/health/live")) {
            handle(ex, "live", () -> respond(ex, 200, "{\"status\":\"live\"}"));
            return;
        }
        if (REJECTED.get()) {
            metrics.rejected.increment();
            ex.getResponseHeaders().set("Retry-After", "1");
            handle(ex, endpoint(path), () -> respond(ex, 503, error(stopping ? "the server is shutting down"
                    : "the server is at capacity; retry after 1 s")));
            return;
        }
        route(ex, path);
    }

    private static String endpoint(String path) {
        if (path.startsWith("/v1/sessions/")) {
            return path.endsWith("/events") ? "session_events" : "session_recommend";
        }
        return switch (path) {
            case "/v1/recommend" -> "recommend";
            case "/health/live" -> "live";
            case "/health/ready" -> "ready";
            case "/metrics" -> "metrics";
            default -> "other";
        };
    }

    /** A response that failed to be sent (the client went away) is only counted. */
    private void handle(HttpExchange ex, String endpoint, Action action) {
        int status;
        try {
            status = action.run();
        } catch (IOException e) {
            status = 0;
        } finally {
            ex.close();
        }
        metrics.request(endpoint, status);
    }

    @FunctionalInterface
    private interface Action {
        int run() throws IOException;
    }

    private void route(HttpExchange ex, String path) {
        String method = ex.getRequestMethod();
        String endpoint = endpoint(path);
        handle(ex, endpoint, () -> {
            try {
                if (path.equals("/v1/recommend")) {
                    if (method.equals("GET")) {
                        return recommend(ex, fromQuery(query(ex), null));
                    }
                    if (method.equals("POST")) {
                        return recommend(ex, fromJson(body(ex)));
                    }
                    return notAllowed(ex, "GET, POST");
                }
                if (path.startsWith("/v1/sessions/")) {
                    return session(ex, method, path.substring("/v1/sessions/".length()));
                }
                switch (path) {
                    case "/health/ready":
                        return method.equals("GET") ? respond(ex, model.get() != null ? 200 : 503,
                                "{\"status\":\"ready\",\"model\":" + modelJson(model.get().info()) + "}")
                                : notAllowed(ex, "GET");
                    case "/metrics":
                        if (!method.equals("GET")) {
                            return notAllowed(ex, "GET");
                        }
                        byte[] text = metrics.render(model.get().info(), sessions.size(), sessions.evicted(),
                                pending.get())
                                .getBytes(StandardCharsets.UTF_8);
                        ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                        ex.sendResponseHeaders(200, text.length);
                        try (OutputStream out = ex.getResponseBody()) {
                            out.write(text);
                        }
                        return 200;
                    default:
                        return respond(ex, 404, error("no such endpoint " + path + ": use /v1/recommend,"
                                + " /v1/sessions/{id}/events, /v1/sessions/{id}/recommend, /health/live, /health/ready or /metrics"));
                }
            } catch (BadRequest e) {
                return respond(ex, e.status, error(e.getMessage()));
            } catch (RequestException e) {
                return respond(ex, e.status(), error(e.getMessage()));
            } catch (RuntimeException e) {
                log.accept("internal error on " + method + " " + path + ": " + e);
                return respond(ex, 500, error("internal error; see the server log"));
            }
        });
    }

    // ---- endpoints ------------------------------------------------------------------------

    private int recommend(HttpExchange ex, Parsed p) throws IOException {
        long t0 = System.nanoTime();
        Recommender m = model.get();
        List<String> history = p.history;
        if (p.session != null) {
            List<String> events = sessions.items(p.session, System.currentTimeMillis());
            if (events == null) {
                throw new BadRequest(404, "unknown session " + p.session + " (never seen, or expired)");
            }
            List<String> all = new ArrayList<>(events);
            all.addAll(history);
            history = all;
        }
        List<ScoredItem> items = m.recommend(new RecommendRequest(p.user, history, p.exclude, p.candidates, p.k));
        StringBuilder sb = new StringBuilder(64 + 40 * items.size());
        sb.append("{\"items\":[");
        for (int i = 0; i < items.size(); i++) {
            ScoredItem s = items.get(i);
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"id\":");
            quote(sb, s.id());
            sb.append(",\"score\":").append(Float.isFinite(s.score()) ? Float.toString(s.score()) : "null").append('}');
        }
        sb.append("],\"model\":").append(modelJson(m.info())).append('}');
        int status = respond(ex, 200, sb.toString());
        metrics.latency(System.nanoTime() - t0);
        return status;
    }

    private int session(HttpExchange ex, String method, String rest) throws IOException {
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            throw new BadRequest(404, "use /v1/sessions/{id}/events or /v1/sessions/{id}/recommend");
        }
        String id = URLDecoder.decode(rest.substring(0, slash), StandardCharsets.UTF_8);
        String action = rest.substring(slash + 1);
        if (id.length() > 256) {
            throw new BadRequest(400, "session id longer than 256 characters");
        }
        if (action.equals("events")) {
            if (!method.equals("POST")) {
                return notAllowed(ex, "POST");
            }
            JsonNode body = body(ex);
            List<String> items = new ArrayList<>();
            for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals("item") && !f.equals("items")) {
                    throw new BadRequest(400, "unknown field \"" + f + "\" in an event: give \"item\" or \"items\"");
                }
            }
            if (body.has("item")) {
                items.add(id(body.get("item"), "item"));
            }
            if (body.has("items")) {
                items.addAll(ids(body.get("items"), "items"));
            }
            if (items.isEmpty()) {
                throw new BadRequest(400, "an event needs \"item\" (an id) or \"items\" (a list of ids)");
            }
            Recommender m = model.get();
            for (String item : items) {
                if (!m.hasItem(item)) {
                    throw new BadRequest(404, "unknown item " + item);
                }
            }
            int length = sessions.append(id, items, System.currentTimeMillis());
            StringBuilder sb = new StringBuilder("{\"session\":");
            quote(sb, id);
            sb.append(",\"length\":").append(length).append('}');
            return respond(ex, 200, sb.toString());
        }
        if (action.equals("recommend")) {
            if (!method.equals("GET")) {
                return notAllowed(ex, "GET");
            }
            return recommend(ex, fromQuery(query(ex), id));
        }
        throw new BadRequest(404, "use /v1/sessions/{id}/events or /v1/sessions/{id}/recommend");
    }

    // ---- parsing ---------------------------------------------------------------------------

    /** A parsed recommendation request. */
    private static final class Parsed {
        String user;
        String session;
        List<String> history = List.of();
        List<String> exclude;
        List<String> candidates;
        int k = 10;
    }

    /** A client mistake with its HTTP status. */
    private static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        BadRequest(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private Parsed fromJson(JsonNode body) {
        Parsed p = new Parsed();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            switch (f.getKey()) {
                case "user" -> p.user = v.isNull() ? null : id(v, "user");
                case "session" -> p.session = v.isNull() ? null : id(v, "session");
                case "history" -> p.history = ids(v, "history");
                case "exclude" -> p.exclude = v.isNull() ? null : ids(v, "exclude");
                case "candidates" -> p.candidates = v.isNull() ? null : ids(v, "candidates");
                case "k" -> {
                    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                        throw new BadRequest(400, "\"k\" must be a whole number, got " + abbreviate(v.toString()));
                    }
                    p.k = v.intValue();
                }
                default -> throw new BadRequest(400, "unknown field \"" + abbreviate(f.getKey())
                        + "\": use user, session, history, exclude, candidates, k");
            }
        }
        return p;
    }

    private Parsed fromQuery(Map<String, String> q, String session) {
        Parsed p = new Parsed();
        p.session = session;
        for (Map.Entry<String, String> e : q.entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case "user" -> p.user = v;
                case "history" -> p.history = split(v);
                case "exclude" -> p.exclude = split(v);
                case "candidates" -> p.candidates = split(v);
                case "k" -> {
                    try {
                        p.k = Integer.parseInt(v);
                    } catch (NumberFormatException ex) {
                        throw new BadRequest(400, "k must be a whole number, got " + abbreviate(v));
                    }
                }
                default -> throw new BadRequest(400, "unknown parameter \"" + abbreviate(e.getKey())
                        + "\": use user, history, exclude, candidates, k");
            }
        }
        return p;
    }

    private static List<String> split(String v) {
        List<String> out = new ArrayList<>();
        if (!v.isEmpty()) {
            for (String s : v.split(",", -1)) {
                out.add(s);
            }
        }
        return out;
    }

    private static String id(JsonNode v, String field) {
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isIntegralNumber()) {
            return v.asText();
        }
        throw new BadRequest(400, "\"" + field + "\" must be an id (a string or a whole number), got "
                + abbreviate(v.toString()));
    }

    private static List<String> ids(JsonNode v, String field) {
        if (!v.isArray()) {
            throw new BadRequest(400, "\"" + field + "\" must be a list of ids, got " + abbreviate(v.toString()));
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode e : v) {
            out.add(id(e, field));
        }
        return out;
    }

    private JsonNode body(HttpExchange ex) throws IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > options.maxBodyBytes()) {
                    throw new BadRequest(413, "request body larger than " + options.maxBodyBytes() + " bytes");
                }
            } catch (NumberFormatException e) {
                throw new BadRequest(400, "malformed Content-Length " + abbreviate(length));
            }
        }
        byte[] buf;
        try (InputStream in = ex.getRequestBody()) {
            buf = in.readNBytes(options.maxBodyBytes() + 1);
        }
        if (buf.length > options.maxBodyBytes()) {
            throw new BadRequest(413, "request body larger than " + options.maxBodyBytes() + " bytes");
        }
        if (buf.length == 0) {
            throw new BadRequest(400, "empty request body: send a JSON object");
        }
        JsonNode node;
        try {
            node = JSON.readTree(buf);
        } catch (JsonProcessingException e) {
            throw new BadRequest(400, "malformed JSON: " + abbreviate(e.getOriginalMessage()));
        }
        if (node == null || !node.isObject()) {
            throw new BadRequest(400, "the body must be a JSON object");
        }
        return node;
    }

    private static Map<String, String> query(HttpExchange ex) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (out.put(k, v) != null) {
                throw new BadRequest(400, "parameter \"" + abbreviate(k) + "\" given twice");
            }
        }
        return out;
    }

    // ---- responses -------------------------------------------------------------------------

    private static int respond(HttpExchange ex, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
        return status;
    }

    private static int notAllowed(HttpExchange ex, String allowed) throws IOException {
        ex.getResponseHeaders().set("Allow", allowed);
        return respond(ex, 405, error("method " + ex.getRequestMethod() + " not allowed here; use " + allowed));
    }

    private static String error(String message) {
        StringBuilder sb = new StringBuilder("{\"error\":");
        quote(sb, message);
        return sb.append('}').toString();
    }

    private static String modelJson(ModelInfo info) {
        StringBuilder sb = new StringBuilder("{\"kind\":\"").append(info.kind()).append("\",\"algorithm\":\"")
                .append(info.algorithm()).append("\",\"steps\":").append(info.steps()).append(",\"sha256\":\"")
                .append(info.sha256()).append("\"}");
        return sb.toString();
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        String one = s.replaceAll("\\s+", " ");
        return one.length() > 80 ? one.substring(0, 80) + "…" : one;
    }

    // ---- reload ----------------------------------------------------------------------------

    /** Size, modification time and file key: changes when the file is replaced or rewritten. */
    private static String signature(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.size() + "/" + a.lastModifiedTime().toMillis() + "/" + a.fileKey();
        } catch (IOException e) {
            return "missing";
        }
    }

    /** On the watcher thread: loads a replaced checkpoint once its signature has stayed the same for one check. */
    private void checkReload() {
        String now = signature(checkpoint);
        if (now.equals(fileSignature) || now.equals(failedSignature) || now.equals("missing")) {
            pendingSignature = null;
            return;
        }
        if (!now.equals(pendingSignature)) {
            pendingSignature = now; // wait one more check for the file to settle
            return;
        }
        pendingSignature = null;
        try {
            Recommender next = Recommender.load(checkpoint, data);
            // logged before the swap: whoever sees the new model can also see the line that announced it
            log.accept("reloaded " + checkpoint + ": " + next.info().algorithm() + ", " + next.info().steps()
                    + " steps, sha256 " + next.info().sha256());
            fileSignature = now;
            metrics.reloads.increment();
            model.set(next);
        } catch (RuntimeException | Error e) {
            failedSignature = now;
            metrics.reloadFailures.increment();
            log.accept("could not load the replaced checkpoint " + checkpoint + " (" + abbreviate(e.getMessage())
                    + "); still serving sha256 " + model.get().info().sha256());
        }
    }
}
