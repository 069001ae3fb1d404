package org.recsysrl.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.recsysrl.api.ExploredSlate;
import org.recsysrl.api.Exploration;
import org.recsysrl.api.RecommendRequest;
import org.recsysrl.api.Recommender;
import org.recsysrl.api.RequestException;
import org.recsysrl.api.ScoredItem;

/**
 * What every endpoint answers, independent of the transport: a {@link Call} in, a {@link Reply}
 * out. Never throws: a client mistake is a 4xx with a one-line JSON error, anything unexpected a
 * 500 whose details go to the log only.
 */
final class Endpoints {
    /** The largest number of requests in one {@code POST /v1/recommend:batch}. */
    static final int MAX_BATCH = 100;
    /** At most this many warnings are listed; the rest are counted. */
    static final int MAX_WARNINGS = 10;

    /**
     * One request as the transport received it.
     *
     * @param method HTTP method
     * @param path the raw (still percent-encoded) path
     * @param query the raw query string, or null
     * @param body the body's bytes (empty if none)
     */
    record Call(String method, String path, String query, byte[] body) {
    }

    private final Supplier<ServedModel> model;
    private final SessionStore sessions;
    private final Supplier<String> metricsText;
    private final LineLog feedback;
    private final Consumer<String> log;
    private final byte[] openApi;
    private final Exploration exploration;
    private final ImpressionLog impressions;
    /** Generated request ids: a random prefix per server start, then a counter. */
    private final String idPrefix;
    private final java.util.concurrent.atomic.AtomicLong nextId = new java.util.concurrent.atomic.AtomicLong();

    Endpoints(Supplier<ServedModel> model, SessionStore sessions, Supplier<String> metricsText,
            LineLog feedback, Consumer<String> log) {
        this(model, sessions, metricsText, feedback, log, Exploration.greedy(), null);
    }

    /**
     * @param exploration how the recommendation endpoints choose what they show
     * @param impressions where every answered recommendation is logged, or null
     */
    Endpoints(Supplier<ServedModel> model, SessionStore sessions, Supplier<String> metricsText,
            LineLog feedback, Consumer<String> log, Exploration exploration, ImpressionLog impressions) {
        this.exploration = exploration;
        this.impressions = impressions;
        this.idPrefix = Long.toString(System.currentTimeMillis(), 36) + "-"
                + Integer.toString(java.util.concurrent.ThreadLocalRandom.current().nextInt(1 << 20, 1 << 25), 36) + "-";
        this.model = model;
        this.sessions = sessions;
        this.metricsText = metricsText;
        this.feedback = feedback;
        this.log = log;
        try (InputStream in = Endpoints.class.getResourceAsStream("openapi.json")) {
            this.openApi = in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("openapi.json is missing from the server's jar", e);
        }
    }

    /** True for the endpoints answered on the I/O thread at once, never queued behind recommendations. */
    static boolean inline(String path) {
        return path.startsWith("/health/") || path.equals("/metrics") || path.equals("/openapi.json");
    }

    /** The endpoint's name in metrics and the access log. */
    static String endpoint(String method, String path) {
        if (path.startsWith("/v1/sessions/")) {
            if (path.endsWith("/events")) {
                return "session_events";
            }
            return path.endsWith("/recommend") ? "session_recommend" : "session_delete";
        }
        if (path.startsWith("/v1/items/")) {
            return "similar";
        }
        return switch (path) {
            case "/v1/recommend" -> "recommend";
            case "/v1/recommend:batch" -> "recommend_batch";
            case "/v1/feedback" -> "feedback";
            case "/health/live" -> "live";
            case "/health/ready" -> "ready";
            case "/metrics" -> "metrics";
            case "/openapi.json" -> "openapi";
            default -> "other";
        };
    }

    /** Answers one call. */
    Reply handle(Call c) {
        try {
            return route(c);
        } catch (RuntimeException | IOException e) {
            return failure(c, e);
        }
    }

    /** The reply to a call that failed with {@code e}: its 4xx, or a 500 whose details only the log gets. */
    private Reply failure(Call c, Exception e) {
        if (e instanceof BadRequest b) {
            return Reply.error(b.status, b.getMessage());
        }
        if (e instanceof RequestException r) {
            return Reply.error(r.status(), r.getMessage());
        }
        log.accept("internal error on " + c.method() + " " + Json.abbreviate(c.path()) + ": " + e);
        return Reply.error(500, "internal error; see the server log");
    }

    /**
     * True for the calls {@link #handleAll} can answer together: {@code GET} and {@code POST} of
     * {@code /v1/recommend}.
     */
    static boolean joinable(String method, String path) {
        return path.equals("/v1/recommend") && (method.equals("GET") || method.equals("POST"));
    }

    /** Receives the reply to call {@code index} of {@link #handleAll}. */
    interface Replies {
        void reply(int index, Reply reply);
    }

    /**
     * Answers several calls, each exactly as {@link #handle} would (the same bytes), the greedy
     * recommendations among them scored together ({@link Recommender#recommendAll}: one pass over
     * the items for all); other calls, an exploring policy, an index and unknown users' fallbacks
     * are answered one by one. Each reply goes to {@code replies} as soon as it is made. Never throws.
     */
    void handleAll(List<Call> calls, Replies replies) {
        ServedModel served = model.get();
        boolean together = exploration.isGreedy() && served.index() == null && served.model() != null;
        List<Shared> shared = new ArrayList<>(calls.size());
        List<RecommendRequest> requests = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            Call c = calls.get(i);
            if (!together || !joinable(c.method(), c.path())) {
                replies.reply(i, handle(c));
                continue;
            }
            try {
                RequestParsing.Parsed p = c.method().equals("GET") ? RequestParsing.fromQuery(
                        RequestParsing.query(c.query()), null) : RequestParsing.fromJson(RequestParsing.object(c.body()));
                Prepared q = prepare(served.model(), p);
                if (p.user != null && !served.model().hasUser(p.user)) {
                    replies.reply(i, reply(served, p, q, rank(served, p, q, false)));
                    continue;
                }
                shared.add(new Shared(i, p, q));
                requests.add(new RecommendRequest(p.user, q.history(), q.exclude(), q.candidates(), p.k));
            } catch (RuntimeException e) {
                replies.reply(i, failure(c, e));
            }
        }
        List<Recommender.Answer> answers;
        try {
            answers = served.model().recommendAll(requests);
        } catch (RuntimeException e) {
            for (Shared w : shared) {
                replies.reply(w.index(), failure(calls.get(w.index()), e));
            }
            return;
        }
        for (int j = 0; j < shared.size(); j++) {
            Shared w = shared.get(j);
            Recommender.Answer a = answers.get(j);
            try {
                if (a.error() != null) {
                    throw a.error();
                }
                replies.reply(w.index(), reply(served, w.parsed(), w.prepared(),
                        new Ranking(a.items(), null, a.observation())));
            } catch (RuntimeException e) {
                replies.reply(w.index(), failure(calls.get(w.index()), e));
            }
        }
    }

    /** A call of {@link #handleAll} whose request is scored with the others. */
    private record Shared(int index, RequestParsing.Parsed parsed, Prepared prepared) {
    }

    private Reply route(Call c) throws IOException {
        String path = c.path();
        String method = c.method();
        switch (path) {
            case "/v1/recommend":
                if (method.equals("GET")) {
                    return recommend(RequestParsing.fromQuery(RequestParsing.query(c.query()), null));
                }
                if (method.equals("POST")) {
                    return recommend(RequestParsing.fromJson(RequestParsing.object(c.body())));
                }
                return notAllowed(method, "GET, POST");
            case "/v1/recommend:batch":
                return method.equals("POST") ? batch(RequestParsing.object(c.body())) : notAllowed(method, "POST");
            case "/v1/feedback":
                return method.equals("POST") ? feedback(RequestParsing.object(c.body())) : notAllowed(method, "POST");
            case "/health/live":
                return method.equals("GET") ? Reply.json(200, "{\"status\":\"live\"}") : notAllowed(method, "GET");
            case "/health/ready": {
                if (!method.equals("GET")) {
                    return notAllowed(method, "GET");
                }
                ServedModel m = model.get();
                return m == null ? Reply.json(503, "{\"status\":\"loading\"}")
                        : Reply.json(200, "{\"status\":\"ready\",\"model\":" + Json.model(m.model().info()) + "}");
            }
            case "/metrics":
                return method.equals("GET") ? new Reply(200, "text/plain; version=0.0.4; charset=utf-8",
                        metricsText.get().getBytes(java.nio.charset.StandardCharsets.UTF_8), null, null)
                        : notAllowed(method, "GET");
            case "/openapi.json":
                return method.equals("GET") ? new Reply(200, Reply.JSON, openApi, null, null) : notAllowed(method, "GET");
            default:
                if (path.startsWith("/v1/sessions/")) {
                    return session(c, path.substring("/v1/sessions/".length()));
                }
                if (path.startsWith("/v1/items/")) {
                    return similar(c, path.substring("/v1/items/".length()));
                }
                return Reply.error(404, "no such endpoint " + Json.abbreviate(path) + ": use /v1/recommend,"
                        + " /v1/recommend:batch, /v1/sessions/{id}/events, /v1/sessions/{id}/recommend,"
                        + " /v1/items/{id}/similar,"
                        + " /v1/feedback, /health/live, /health/ready, /metrics or /openapi.json");
        }
    }

    private static Reply notAllowed(String method, String allowed) {
        return Reply.error(405, "method " + Json.abbreviate(method) + " not allowed here; use " + allowed)
                .with("Allow", allowed);
    }

    // ---- recommendations ----------------------------------------------------------------------

    private Reply recommend(RequestParsing.Parsed p) {
        ServedModel m = model.get();
        Prepared q = prepare(m.model(), p);
        return reply(m, p, q, rank(m, p, q, !exploration.isGreedy()));
    }

    /** The 200 answer of a recommendation: its items and the rest, then the model. */
    private Reply reply(ServedModel m, RequestParsing.Parsed p, Prepared q, Ranking ranking) {
        StringBuilder sb = new StringBuilder(128 + 48 * Math.max(0, Math.min(p.k, 100)));
        sb.append('{');
        long ticket = write(m, p, q, ranking, sb);
        sb.append(",\"model\":");
        Json.model(sb, m.model().info());
        return Reply.json(200, sb.append('}').toString()).afterImpression(ticket);
    }

    /**
     * The candidates that pass the filter (every attribute's value one of those listed): the
     * request's candidates in their order, or all matching items in the data's order.
     */
    private static List<String> filtered(Recommender m, Map<String, List<String>> filter, List<String> candidates) {
        Set<String> passing = null;
        for (Map.Entry<String, List<String>> f : filter.entrySet()) {
            Set<String> matching = new LinkedHashSet<>(m.itemsWith(f.getKey(), new HashSet<>(f.getValue())));
            if (passing != null) {
                matching.retainAll(passing);
            }
            passing = matching;
        }
        if (candidates == null) {
            return new ArrayList<>(passing);
        }
        List<String> out = new ArrayList<>();
        for (String id : candidates) {
            if (passing.contains(id)) {
                out.add(id);
            }
        }
        return out;
    }

    /**
     * Appends {@code "items": [...]} and, when there are any, {@code "warnings"} and {@code "fallback"};
     * returns the impression line's ticket (0: none logged).
     */
    private long answer(ServedModel served, RequestParsing.Parsed p, StringBuilder sb) {
        Prepared q = prepare(served.model(), p);
        return write(served, p, q, rank(served, p, q, !exploration.isGreedy()), sb);
    }

    /**
     * What a recommendation request asks of the model once its ids are checked.
     *
     * @param history the request's history after the session's events
     * @param warnings the unknown ids ignored
     * @param exclude the items to exclude (null: the library's default, the history's items)
     * @param candidates the items to choose from, filter applied (null: all)
     */
    private record Prepared(List<String> history, List<String> warnings, List<String> exclude,
            List<String> candidates) {
    }

    /** The request's history, its known exclusions and candidates (the unknown ones as warnings). */
    private Prepared prepare(Recommender m, RequestParsing.Parsed p) {
        List<String> history = history(p);
        List<String> warnings = new ArrayList<>();
        // unknown ids in exclude and candidates are dropped and reported
        List<String> exclude = known(m, p.exclude, "exclude", warnings);
        List<String> candidates = known(m, p.candidates, "candidates", warnings);
        if (p.filter != null) {
            candidates = filtered(m, p.filter, candidates);
        }
        return new Prepared(history, warnings, exclusion(p, history, exclude), candidates);
    }

    /**
     * Appends the answer to a prepared request given the model's ranking: the part after scoring;
     * returns the ticket of its impression line (0: none logged, or dropped).
     */
    private long write(ServedModel served, RequestParsing.Parsed p, Prepared q, Ranking ranking, StringBuilder sb) {
        List<String> history = q.history();
        List<String> warnings = q.warnings();
        boolean explore = !exploration.isGreedy();
        List<ScoredItem> items = ranking.items();
        ExploredSlate slate = null;
        if (explore) {
            slate = exploration.sample(items, p.k, p.seed == null ? java.util.concurrent.ThreadLocalRandom.current()
                    : new java.util.SplittableRandom(p.seed));
            items = slate.items();
        }
        String requestId = p.requestId;
        if (requestId == null && (explore || impressions != null)) {
            requestId = idPrefix + Long.toString(nextId.incrementAndGet(), 36);
        }
        if (requestId != null) {
            sb.append("\"request_id\":");
            Json.quote(sb, requestId);
            sb.append(',');
        }
        appendItems(sb, items, slate);
        long ticket = 0;
        if (impressions != null && !items.isEmpty()) { // nothing shown, nothing to evaluate
            ticket = impressions.offer(impression(requestId, p, items, slate, served, history.size(),
                    ranking.observation()));
        }
        if (!warnings.isEmpty()) {
            sb.append(",\"warnings\":[");
            for (int i = 0; i < warnings.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                Json.quote(sb, warnings.get(i));
            }
            sb.append(']');
        }
        if (ranking.fallback() != null) {
            sb.append(",\"fallback\":\"").append(ranking.fallback()).append('"');
        }
        if (served.index() != null && !explore && !"popular".equals(ranking.fallback())) {
            sb.append(",\"scores\":\"logit\""); // through the index: logits, not log-probabilities
        }
        return ticket;
    }

    /** The request's history, after the session's events when it names a session (404 if unknown). */
    private List<String> history(RequestParsing.Parsed p) {
        List<String> history = p.history;
        if (p.session != null) {
            List<String> events = sessions.items(p.session, System.currentTimeMillis());
            if (events == null) {
                throw new BadRequest(404, "unknown session " + Json.abbreviate(p.session) + " (never seen, or expired)");
            }
            List<String> all = new ArrayList<>(events.size() + history.size());
            all.addAll(events);
            all.addAll(history);
            history = all;
        }
        return history;
    }

    /** The ids the model knows (null stays null); a warning for each other one of request field {@code field}. */
    private static List<String> known(Recommender m, List<String> ids, String field, List<String> warnings) {
        if (ids == null) {
            return null;
        }
        List<String> known = new ArrayList<>(ids.size());
        for (String id : ids) {
            if (m.hasItem(id)) {
                known.add(id);
            } else {
                warn(warnings, "unknown item " + Json.abbreviate(id) + " in " + field + " ignored");
            }
        }
        return known;
    }

    /**
     * The items to exclude: an explicit exclude adds to the history's exclusion unless exclude_history
     * is false; null leaves the library's default (the history's items, a known user's too).
     */
    private static List<String> exclusion(RequestParsing.Parsed p, List<String> history, List<String> exclude) {
        if (p.excludeHistory) {
            if (exclude != null && !exclude.isEmpty()) {
                LinkedHashSet<String> both = new LinkedHashSet<>(history);
                both.addAll(exclude);
                return new ArrayList<>(both);
            }
            return null; // the library's default: the history's items (a known user's too)
        }
        return exclude == null ? List.of() : exclude;
    }

    /**
     * Ranked items and the fallback that produced them (null: the model itself), with the
     * observation the model scored at (null: the model's {@link Recommender#lastObservation}).
     */
    private record Ranking(List<ScoredItem> items, String fallback, float[] observation) {
        Ranking(List<ScoredItem> items, String fallback) {
            this(items, fallback, null);
        }
    }

    /** The model's answer: the top k, or every eligible item ranked when exploring (the policy samples from it). */
    private static Ranking rank(ServedModel served, RequestParsing.Parsed p, Prepared q, boolean explore) {
        Recommender m = served.model();
        List<String> history = q.history();
        List<String> exclude = q.exclude();
        List<String> candidates = q.candidates();
        // exploring: every eligible item, ranked, is what the policy samples from
        int ranked = p.k;
        if (explore) {
            int n = m.itemCount();
            if (p.k < 1 || p.k > n) {
                throw new RequestException(400, "k must be between 1 and the catalog size " + n + " (got " + p.k + ")");
            }
            ranked = n;
        }
        if (p.user != null && !m.hasUser(p.user)) {
            return rankForUnknownUser(served, p, history, exclude, candidates, explore, ranked);
        }
        RecommendRequest r = new RecommendRequest(p.user, history, exclude, candidates, p.k);
        return new Ranking(explore ? m.ranked(r) : served.recommend(r), null);
    }

    /** An unknown user: the model continuing the history when it answers guests, else the popular items. */
    private static Ranking rankForUnknownUser(ServedModel served, RequestParsing.Parsed p, List<String> history,
            List<String> exclude, List<String> candidates, boolean explore, int ranked) {
        Recommender m = served.model();
        int n = m.itemCount();
        if (p.k < 1 || p.k > n) {
            throw new RequestException(400, "k must be between 1 and the catalog size " + n + " (got " + p.k + ")");
        }
        for (String id : history) {
            if (!m.hasItem(id)) {
                throw new RequestException(404, "unknown item " + Json.abbreviate(id) + " in history");
            }
        }
        if (!history.isEmpty()) {
            try { // a model that answers guests continues the session's history
                RecommendRequest r = new RecommendRequest(null, history, exclude, candidates, p.k);
                return new Ranking(explore ? m.ranked(r) : served.recommend(r), "history");
            } catch (RequestException e) {
                // no answer for guests: the popular items
            }
        }
        if (served.popular().isEmpty()) {
            throw new RequestException(404, "unknown user " + Json.abbreviate(p.user)
                    + " (and this model has no popularity fallback)");
        }
        Set<String> excluded = new HashSet<>(exclude == null ? history : exclude);
        return new Ranking(served.popular().top(ranked, excluded, candidates == null ? null : new HashSet<>(candidates)),
                "popular");
    }

    /** Appends {@code "items":[...]}, with each item's propensity when the slate was sampled. */
    private static void appendItems(StringBuilder sb, List<ScoredItem> items, ExploredSlate slate) {
        sb.append("\"items\":[");
        for (int i = 0; i < items.size(); i++) {
            ScoredItem s = items.get(i);
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"id\":");
            Json.quote(sb, s.id());
            sb.append(",\"score\":").append(Float.isFinite(s.score()) ? Float.toString(s.score()) : "null");
            if (slate != null) {
                sb.append(",\"propensity\":").append(slate.propensity(i));
            }
            sb.append('}');
        }
        sb.append(']');
        if (slate != null) {
            sb.append(",\"slate_propensity\":").append(slate.slatePropensity());
        }
    }

    /**
     * One impression in the logged-feedback format (docs/ope.md): {@code time, request_id, user?,
     * session?, step?, context?, items, propensities, slate_propensity}, plus {@code policy} and
     * {@code model} (the checkpoint's SHA-256), which estimators ignore. A greedy answer has every
     * propensity 1. A policy checkpoint's answer carries the environment observation its network
     * scored as {@code context} (what the off-policy learners read) and, in a session, {@code step} =
     * the length of the history it continued (so a session's impressions order into a trajectory).
     */
    private JsonBytes impression(String requestId, RequestParsing.Parsed p, List<ScoredItem> items, ExploredSlate slate,
            ServedModel served, int step, float[] scoredAt) {
        float[] observation = scoredAt != null ? scoredAt : served.model().lastObservation();
        JsonBytes line = JsonBytes.forThisThread(); // this thread's buffer: the log copies the bytes out
        line.ascii("{\"time\":").number(System.currentTimeMillis()).ascii(",\"request_id\":").quoted(requestId);
        if (p.user != null) {
            line.ascii(",\"user\":").quoted(p.user);
        }
        if (p.session != null) {
            line.ascii(",\"session\":").quoted(p.session).ascii(",\"step\":").number(step);
        }
        if (observation != null) {
            line.ascii(",\"context\":[");
            for (int j = 0; j < observation.length; j++) {
                if (j > 0) {
                    line.ascii(',');
                }
                line.number(observation[j]);
            }
            line.ascii(']');
        }
        line.ascii(",\"items\":[");
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                line.ascii(',');
            }
            line.quoted(items.get(i).id());
        }
        line.ascii("],\"propensities\":[");
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                line.ascii(',');
            }
            line.number(slate == null ? 1.0 : slate.propensity(i));
        }
        line.ascii("],\"slate_propensity\":").number(slate == null ? 1.0 : slate.slatePropensity());
        line.ascii(",\"policy\":").quoted(exploration.toString());
        return line.ascii(",\"model\":\"").ascii(served.model().info().sha256()).ascii("\"}");
    }

    private static List<String> warn(List<String> warnings, String message) {
        List<String> w = warnings == null ? new ArrayList<>() : warnings;
        if (w.size() < MAX_WARNINGS) {
            w.add(message);
        } else if (w.size() == MAX_WARNINGS) {
            w.add("more unknown items ignored");
        }
        return w;
    }

    private Reply batch(JsonNode body) {
        JsonNode requests = null;
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("requests")) {
                throw new BadRequest(400, "unknown field \"" + Json.abbreviate(f) + "\" in a batch: give \"requests\"");
            }
            requests = body.get(f);
        }
        if (requests == null || !requests.isArray() || requests.isEmpty()) {
            throw new BadRequest(400, "a batch needs \"requests\": a non-empty list of recommendation requests");
        }
        if (requests.size() > MAX_BATCH) {
            throw new BadRequest(413, "a batch holds at most " + MAX_BATCH + " requests (got " + requests.size() + ")");
        }
        ServedModel m = model.get();
        StringBuilder sb = new StringBuilder(256 * requests.size());
        sb.append("{\"results\":[");
        int i = 0;
        long ticket = 0; // the last impression logged: the batch's answer waits for all of them
        for (JsonNode r : requests) {
            if (i++ > 0) {
                sb.append(',');
            }
            int mark = sb.length();
            try {
                if (!r.isObject()) {
                    throw new BadRequest(400, "each request of a batch must be a JSON object");
                }
                sb.append('{');
                ticket = Math.max(ticket, answer(m, RequestParsing.fromJson(r), sb));
                sb.append('}');
            } catch (BadRequest e) {
                sb.setLength(mark);
                sb.append("{\"status\":").append(e.status).append(",\"error\":");
                Json.quote(sb, e.getMessage());
                sb.append('}');
            } catch (RequestException e) {
                sb.setLength(mark);
                sb.append("{\"status\":").append(e.status()).append(",\"error\":");
                Json.quote(sb, e.getMessage());
                sb.append('}');
            }
        }
        sb.append("],\"model\":");
        Json.model(sb, m.model().info());
        return Reply.json(200, sb.append('}').toString()).afterImpression(ticket);
    }

    // ---- similar items ------------------------------------------------------------------------

    /** {@code GET /v1/items/{id}/similar?k=K}: the model's nearest items by its item vectors. */
    private Reply similar(Call c, String rest) {
        int slash = rest.indexOf('/');
        if (slash <= 0 || !rest.substring(slash + 1).equals("similar")) {
            throw new BadRequest(404, "use /v1/items/{id}/similar");
        }
        if (!c.method().equals("GET")) {
            return notAllowed(c.method(), "GET");
        }
        String id = RequestParsing.decode(rest.substring(0, slash), "item id");
        int k = 10;
        for (Map.Entry<String, String> e : RequestParsing.query(c.query()).entrySet()) {
            if (!e.getKey().equals("k")) {
                throw new BadRequest(400, "unknown parameter \"" + Json.abbreviate(e.getKey()) + "\": use k");
            }
            try {
                k = Integer.parseInt(e.getValue());
            } catch (NumberFormatException ex) {
                throw new BadRequest(400, "k must be a whole number, got " + Json.abbreviate(e.getValue()));
            }
        }
        ServedModel m = model.get();
        List<ScoredItem> items = m.model().similar(id, k);
        StringBuilder sb = new StringBuilder(64 + 48 * items.size());
        sb.append("{\"item\":");
        Json.quote(sb, id);
        sb.append(",\"items\":[");
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"id\":");
            Json.quote(sb, items.get(i).id());
            sb.append(",\"score\":").append(items.get(i).score());
            sb.append('}');
        }
        sb.append("],\"model\":");
        Json.model(sb, m.model().info());
        return Reply.json(200, sb.append('}').toString());
    }

    // ---- sessions -----------------------------------------------------------------------------

    private Reply session(Call c, String rest) {
        int slash = rest.indexOf('/');
        String rawId = slash < 0 ? rest : rest.substring(0, slash);
        String action = slash < 0 ? "" : rest.substring(slash + 1);
        if (rawId.isEmpty()) {
            throw new BadRequest(404, "use /v1/sessions/{id}/events, /v1/sessions/{id}/recommend or DELETE /v1/sessions/{id}");
        }
        String id = RequestParsing.decode(rawId, "session id");
        if (id.length() > 256) {
            throw new BadRequest(400, "session id longer than 256 characters");
        }
        String method = c.method();
        switch (action) {
            case "events":
                return method.equals("POST") ? appendEvents(id, c.body()) : notAllowed(method, "POST");
            case "recommend":
                if (!method.equals("GET")) {
                    return notAllowed(method, "GET");
                }
                return recommend(RequestParsing.fromQuery(RequestParsing.query(c.query()), id));
            case "": {
                if (!method.equals("DELETE")) {
                    return notAllowed(method, "DELETE");
                }
                if (!sessions.remove(id, System.currentTimeMillis())) {
                    throw new BadRequest(404, "unknown session " + Json.abbreviate(id) + " (never seen, or expired)");
                }
                StringBuilder sb = new StringBuilder("{\"session\":");
                Json.quote(sb, id);
                return Reply.json(200, sb.append(",\"deleted\":true}").toString());
            }
            default:
                throw new BadRequest(404, "use /v1/sessions/{id}/events, /v1/sessions/{id}/recommend or DELETE"
                        + " /v1/sessions/{id}");
        }
    }

    /** {@code POST /v1/sessions/{id}/events}: appends {@code "item"} or {@code "items"} to the session. */
    private Reply appendEvents(String id, byte[] rawBody) {
        JsonNode body = RequestParsing.object(rawBody);
        List<String> items = new ArrayList<>();
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("item") && !f.equals("items")) {
                throw new BadRequest(400, "unknown field \"" + Json.abbreviate(f)
                        + "\" in an event: give \"item\" or \"items\"");
            }
        }
        if (body.has("item")) {
            items.add(RequestParsing.id(body.get("item"), "item"));
        }
        if (body.has("items")) {
            items.addAll(RequestParsing.ids(body.get("items"), "items"));
        }
        if (items.isEmpty()) {
            throw new BadRequest(400, "an event needs \"item\" (an id) or \"items\" (a list of ids)");
        }
        Recommender m = model.get().model();
        for (String item : items) {
            if (!m.hasItem(item)) {
                throw new BadRequest(404, "unknown item " + Json.abbreviate(item));
            }
        }
        int length = sessions.append(id, items, System.currentTimeMillis());
        StringBuilder sb = new StringBuilder("{\"session\":");
        Json.quote(sb, id);
        return Reply.json(200, sb.append(",\"length\":").append(length).append('}').toString());
    }

    // ---- feedback -----------------------------------------------------------------------------

    /**
     * Appends one impression with its rewards to the feedback log:
     * {@code {request_id, user?, items, rewards, propensities?, time}}, {@code time} in
     * milliseconds since the epoch (the server's clock when not given).
     */
    private Reply feedback(JsonNode body) throws IOException {
        if (feedback == null) {
            throw new BadRequest(404, "feedback is not collected: start serve with --feedback-log FILE");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            switch (f) {
                case "request_id", "user", "items", "rewards", "propensities", "time" -> { }
                default -> throw new BadRequest(400, "unknown field \"" + Json.abbreviate(f)
                        + "\" in feedback: use request_id, user, items, rewards, propensities, time");
            }
        }
        JsonNode rid = body.get("request_id");
        if (rid == null || !(rid.isTextual() || rid.isIntegralNumber()) || rid.asText().isEmpty()) {
            throw new BadRequest(400, "feedback needs \"request_id\": the id of the recommendation it is about");
        }
        JsonNode items = body.get("items");
        if (items == null) {
            throw new BadRequest(400, "feedback needs \"items\": the item ids shown, in order");
        }
        List<String> shown = RequestParsing.ids(items, "items");
        if (shown.isEmpty()) {
            throw new BadRequest(400, "\"items\" must list at least one item id");
        }
        JsonNode rewards = body.get("rewards");
        numbers(rewards, "rewards", shown.size(), true);
        JsonNode propensities = body.get("propensities");
        if (propensities != null) {
            numbers(propensities, "propensities", shown.size(), false);
        }
        ObjectNode line = RequestParsing.JSON.createObjectNode();
        line.put("request_id", rid.asText());
        JsonNode user = body.get("user");
        if (user != null && !user.isNull()) {
            line.put("user", RequestParsing.id(user, "user"));
        }
        line.putArray("items").addAll(shown.stream().map(line::textNode).toList());
        line.set("rewards", rewards);
        if (propensities != null) {
            line.set("propensities", propensities);
        }
        JsonNode time = body.get("time");
        if (time != null && !(time.isIntegralNumber() && time.canConvertToLong())) {
            throw new BadRequest(400, "\"time\" must be milliseconds since the epoch (a whole number), got "
                    + Json.abbreviate(time.toString()));
        }
        line.put("time", time != null ? time.longValue() : System.currentTimeMillis());
        try {
            feedback.append(RequestParsing.JSON.writeValueAsString(line));
        } catch (IOException e) {
            log.accept("could not append to the feedback log " + feedback.file() + ": " + e);
            throw new UncheckedIOException(e);
        }
        return Reply.json(202, "{\"accepted\":1}");
    }

    private static void numbers(JsonNode v, String field, int length, boolean required) {
        if (v == null) {
            if (required) {
                throw new BadRequest(400, "feedback needs \"" + field + "\": one number per item");
            }
            return;
        }
        if (!v.isArray() || v.size() != length) {
            throw new BadRequest(400, "\"" + field + "\" must be a list of " + length + " numbers, one per item");
        }
        for (JsonNode e : v) {
            if (!e.isNumber() || !Double.isFinite(e.asDouble())) {
                throw new BadRequest(400, "\"" + field + "\" must hold finite numbers, got " + Json.abbreviate(e.toString()));
            }
        }
    }
}
