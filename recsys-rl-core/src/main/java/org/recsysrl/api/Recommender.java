package org.recsysrl.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.recsysrl.data.IdMap;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.model.LoadedModel;
import org.recsysrl.model.Models;
import org.recsysrl.nn.Kernels;
import org.recsysrl.nn.QuantizedTopK;
import org.recsysrl.recommend.History;
import org.recsysrl.util.UserInputException;

/**
 * A trained recsys-rl model, loaded from its checkpoint, answering "which k items next?" for a
 * known user or a live session, in the data's own ids. This is the library entry point for JVM
 * services; the {@code serve} command is built on it.
 *
 * <pre>{@code
 * Recommender model = Recommender.load(Path.of("checkpoints/supervised.safetensors"));
 * List<ScoredItem> top = model.recommend(RecommendRequest.forHistory(List.of("1", "2", "3"), 10));
 * for (ScoredItem item : top) {
 *     System.out.println(item.id() + " " + item.score());
 * }
 * }</pre>
 *
 * <p>Every checkpoint {@code train} writes loads:
 * <ul>
 *   <li>trained on a log ({@code --env logs}): the checkpoint carries the item ids, the
 *       transitions the model mixes in and (by default, for logs of up to 5 million interactions:
 *       {@code seq.checkpoint_histories}) every known user's history, so the log is not read: the
 *       checkpoint can be moved or shipped alone. A known user's history is their whole history in
 *       the log, a session's history its item ids; guests are answered from the session alone.
 *       Checkpoints of earlier versions (format {@code recsys-rl-checkpoint/1}) read the log again
 *       (from the path the checkpoint records, or the one given) and it must be the same file;</li>
 *   <li>trained in the simulator: items and users are {@code 0 … n−1}; the policy sees the user's
 *       state after the session's items were shown (the environment replays them), so a user is
 *       required;</li>
 *   <li>trained in the {@code movielens} environment: its ratings are read (the environment's
 *       rewards are the real ratings) and checked to be the same; the factorisation is the one the
 *       checkpoint stores (earlier checkpoints: fitted again); users are the environment's session
 *       users; a user is required.</li>
 * </ul>
 *
 * <p>Items of the history are excluded unless the request gives its own exclude list; candidates
 * restrict the choice. {@link #recommend} is thread-safe: each thread gets its own scoring
 * workspace on first use, so a call allocates little beyond its result.
 */
public final class Recommender {
    private final Backend backend;
    private final ModelInfo info;
    private final ThreadLocal<Workspace> workspaces;

    Recommender(Backend backend, ModelInfo info) {
        this.backend = backend;
        this.info = info;
        this.workspaces = ThreadLocal.withInitial(() -> new Workspace(backend));
    }

    /**
     * Loads a checkpoint written by {@code recsys-rl train} (and, for a {@code movielens} model or a
     * log model of an earlier version, the data it recorded; a log model of this version needs
     * nothing but the file).
     *
     * @throws UserInputException if the file is missing, not a recsys-rl checkpoint, or its data is
     *     missing or different
     */
    public static Recommender load(Path checkpoint) {
        return load(checkpoint, null);
    }

    /**
     * As {@link #load(Path)}, reading the model's data from {@code data} instead of the recorded path.
     * The data is read and refused if it differs even when the checkpoint does not need it; a log
     * model saved without user histories takes them from it.
     */
    public static Recommender load(Path checkpoint, Path data) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        LoadedModel model = Models.load(checkpoint, data);
        Checkpoint.Loaded loaded = model.checkpoint();
        Backend backend = Backends.of(model);
        String kind = model.workloadName();
        ModelInfo info = new ModelInfo(kind, loaded.info().algorithm(), loaded.info().steps(), sha256(checkpoint),
                backend.items.size(), backend.users == null ? 0 : backend.users.size(), checkpoint.toString());
        return new Recommender(backend, info);
    }

    /** What model this is. */
    public ModelInfo info() {
        return info;
    }

    /** Number of items. */
    public int itemCount() {
        return backend.items.size();
    }

    /** True if {@code id} is a known item. */
    public boolean hasItem(String id) {
        return backend.items.index(id) >= 0;
    }

    /** True if {@code id} is a known user. */
    public boolean hasUser(String id) {
        return backend.users != null && backend.users.index(id) >= 0;
    }

    /**
     * The best {@code k} items for the request, best first (fewer if fewer are allowed), with their
     * scores; ties go to the item that comes first in the data. A sequence model served as the
     * network alone over {@link org.recsysrl.nn.QuantizedTopK#MIN_ITEMS} items or more selects them
     * from an int8 copy of its item table ({@link QuantizedTopK}): the same items and score bits as
     * scoring every item, reading a quarter of the bytes ({@code -Drecsysrl.topk=float} at load
     * turns it off).
     *
     * @throws RequestException for an unknown user or item id, a bad k, or a request without the
     *     user this model needs
     */
    public List<ScoredItem> recommend(RecommendRequest request) {
        Objects.requireNonNull(request, "request");
        checkK(request.k(), backend.items.size());
        Workspace ws = workspaces.get();
        if (backend.quantized != null && request.candidates() == null) {
            List<ScoredItem> fast = recommendQuantized(request, ws);
            if (fast != null) {
                return fast;
            }
        }
        int stamp = scoreAndExclude(request, ws);
        return select(request, ws, ws.scores, stamp);
    }

    /**
     * The best {@code k} of {@code scores} (one request's, every item scored) that the request
     * allows, its exclusions stamped with {@code stamp} in {@code ws}: the second half of
     * {@link #recommend}. Sets the excluded items' scores to −∞.
     */
    private List<ScoredItem> select(RecommendRequest request, Workspace ws, float[] scores, int stamp) {
        int n = backend.items.size();
        int k = request.k();
        int m = 0;
        if (request.candidates() != null) {
            for (String id : request.candidates()) {
                int i = item(id, "candidates");
                if (ws.excluded[i] != stamp && ws.candidate[i] != stamp) {
                    ws.candidate[i] = stamp;
                    m = Kernels.offer(scores, ws.top, i, m, k);
                }
            }
        } else {
            // the excluded items drop out of this request's scores (a few writes, no copy of the
            // catalog), then one pass selects the top k (org.recsysrl.nn.Kernels#topK: SIMD
            // comparisons against the running k-th score, no sort); ranked() is the reference
            for (int e = 0; e < ws.excludedCount; e++) {
                scores[ws.excludedList[e]] = Float.NEGATIVE_INFINITY;
            }
            m = Kernels.topK(scores, n, k, ws.top);
        }
        List<ScoredItem> out = new ArrayList<>(m);
        for (int r = 0; r < m; r++) {
            int i = ws.top[r];
            out.add(new ScoredItem(backend.items.raw(i), scores[i]));
        }
        return out;
    }

    /**
     * One answer of {@link #recommendAll}: the items {@link #recommend} returns for the request, or
     * the error it throws.
     *
     * @param items the best k items, best first, or null when the request failed
     * @param error why the request failed, or null
     * @param observation what {@link #lastObservation} gives after {@code recommend} of this request
     *     alone (a copy; null for a model without one or a failed request)
     */
    public record Answer(List<ScoredItem> items, RequestException error, float[] observation) {
    }

    /** At most this many requests share one pass over the items in {@link #recommendAll} (memory: rows × items floats per thread). */
    public static final int MAX_SHARED_ROWS = 16;

    /**
     * The answers to several requests, in order: each the same items and scores, bit for bit, as
     * {@link #recommend} gives it alone (or the {@link RequestException} it throws, in the answer),
     * computed together where the model allows it. A policy whose scores are products of a query with
     * every item's vector (the embedding head) computes each request's query, then scores up to
     * {@value #MAX_SHARED_ROWS} queries in one pass over the item table, which a large catalog makes
     * much cheaper than a pass each (the table no longer fits in the cache); other models, and a
     * single request, are answered one by one. What a server calls with the requests waiting in its
     * queue. After it, {@link #lastObservation} is unspecified: each answer carries its own.
     */
    public List<Answer> recommendAll(List<RecommendRequest> requests) {
        Objects.requireNonNull(requests, "requests");
        List<Answer> out = new ArrayList<>(requests.size());
        Workspace ws = workspaces.get();
        int width = sharedQueryWidth();
        for (int from = 0; from < requests.size(); ) {
            int rows = Math.min(MAX_SHARED_ROWS, requests.size() - from);
            if (width == 0 || rows == 1) {
                out.add(alone(requests.get(from)));
                from++;
            } else {
                scoreTogether(requests.subList(from, from + rows), ws, (Backends.PolicyScorer) ws.scorer, width, out);
                from += rows;
            }
        }
        return out;
    }

    /**
     * {@link #recommend}'s answer from the backend's int8 table ({@link QuantizedTopK}: the same
     * items, order and scores as scoring every item), or null when the query is too large for its
     * bound (the caller then scores every item).
     */
    private List<ScoredItem> recommendQuantized(RecommendRequest request, Workspace ws) {
        ws.scored = false;
        History h = history(request, ws);
        float[] query = ws.query(backend.quantizedQueryLength());
        backend.quantizedQuery(ws, h, query);
        ws.scored = true;
        stampExclusions(request, ws, h.to());
        int k = request.k();
        QuantizedTopK.Workspace qws = ws.quantized();
        float[] scores = ws.topScores(k);
        int m = backend.quantized.topK(query, k, ws.excludedList, ws.excludedCount, qws, ws.top, scores);
        if (m < 0) {
            return null;
        }
        List<ScoredItem> out = new ArrayList<>(m);
        for (int r = 0; r < m; r++) {
            out.add(new ScoredItem(backend.items.raw(ws.top[r]), scores[r]));
        }
        return out;
    }

    /** The width of the query through which this thread's requests share a pass (0: each alone); for tests. */
    int sharedQueryWidth() {
        Workspace ws = workspaces.get();
        return ws.scorer instanceof Backends.PolicyScorer policy ? policy.queryWidth() : 0;
    }

    private Answer alone(RecommendRequest request) {
        try {
            List<ScoredItem> items = recommend(request);
            return new Answer(items, null, lastObservation());
        } catch (RequestException e) {
            return new Answer(null, e, null);
        }
    }

    /**
     * {@link #recommendAll} for requests whose queries share one pass: each request's query (its
     * history replayed, the actor's layers), then all rows' log-probabilities in one product over
     * the packed items, then each request's exclusions and top k as {@link #recommend} makes them.
     */
    private void scoreTogether(List<RecommendRequest> requests, Workspace ws, Backends.PolicyScorer scorer, int width,
            List<Answer> out) {
        int count = requests.size();
        int n = backend.items.size();
        ws.scored = false;
        float[][] scores = ws.rowScores(count);
        float[] queries = ws.query(count * width);
        int[] rowOf = new int[count];
        float[][] observations = new float[count][];
        RequestException[] errors = new RequestException[count];
        int rows = 0;
        for (int b = 0; b < count; b++) {
            RecommendRequest request = requests.get(b);
            try {
                checkK(request.k(), n);
                scorer.query(history(request, ws), queries, rows);
                observations[b] = scorer.observation().clone();
                rowOf[b] = rows++;
            } catch (RequestException e) {
                errors[b] = e;
            }
        }
        scorer.scoreQueries(queries, rows, scores);
        for (int b = 0; b < count; b++) {
            if (errors[b] != null) {
                out.add(new Answer(null, errors[b], null));
                continue;
            }
            RecommendRequest request = requests.get(b);
            try {
                int stamp = stampExclusions(request, ws, history(request, ws).to());
                out.add(new Answer(select(request, ws, scores[rowOf[b]], stamp), null, observations[b]));
            } catch (RequestException e) {
                out.add(new Answer(null, e, null));
            }
        }
    }

    private static void checkK(int k, int n) {
        if (k < 1 || k > n) {
            throw new RequestException(400, "k must be between 1 and the catalog size " + n + " (got " + k + ")");
        }
    }

    /**
     * The environment observation a policy checkpoint's network saw when it scored the last request
     * this thread passed to {@link #recommend} or {@link #ranked} (the user's state after the
     * replayed history), a copy; null for a model without one (a sequence model) or when that request
     * was not scored. What a server writes as an impression's {@code context}, so that its log can
     * be learnt from ({@code train --algo offpolicy-dr} reads the observation as the context).
     */
    public float[] lastObservation() {
        Workspace ws = workspaces.get();
        if (!ws.scored || !(ws.scorer instanceof Backends.PolicyScorer observing)) {
            return null;
        }
        return observing.observation().clone();
    }

    /**
     * The model's scores in inner-product form, or null if they have none: item i's log-probability
     * is the log-softmax of the logits {@code query · rows[i]} (a simulator, platform or MovieLens
     * policy with the {@code embedding} or {@code logits} head; a log model's scores are a blend and
     * have no such form). What an approximate maximum-inner-product index is built from; made on the
     * first call and shared, so the array must not be changed.
     */
    public LogitVectors logitVectors() {
        Object v = logitVectors;
        if (v == null) {
            synchronized (this) {
                v = logitVectors;
                if (v == null) {
                    int dim = backend.logitDimension();
                    v = dim == 0 ? Boolean.FALSE : new LogitVectors(backend.logitVectors(), dim, backend.items.size(),
                            backend.logitBias());
                    logitVectors = v;
                }
            }
        }
        return v instanceof LogitVectors l ? l : null;
    }

    private volatile Object logitVectors;
    private final java.util.concurrent.atomic.LongAdder indexFallbacks = new java.util.concurrent.atomic.LongAdder();

    /**
     * As {@link #recommend(RecommendRequest)}, through an approximate index over
     * {@link #logitVectors()}: the model computes the request's query only (no score per item), the
     * index proposes the best {@code k} items the request allows, and each returned item's score is
     * its <em>logit</em> ({@link LogitVectors#logit}: its log-probability plus the softmax's
     * normaliser, which only a pass over every item could give), the k ordered by it, ties to the
     * item first in the data. Requests with {@code candidates} are answered by the candidates'
     * logits, and those for which the index finds fewer than {@code k} allowed items while the
     * catalog has them (counted in {@link #indexFallbacks()}) by every item's: the exact top k by
     * logit, which an exact index ({@link Int8ItemIndex}) always gives. A model without the
     * inner-product form, or a null index, is answered exactly as
     * {@link #recommend(RecommendRequest)} (log-probabilities).
     *
     * @throws RequestException as {@link #recommend(RecommendRequest)}
     */
    public List<ScoredItem> recommend(RecommendRequest request, ItemIndex index) {
        Objects.requireNonNull(request, "request");
        LogitVectors vectors = index == null ? null : logitVectors();
        int n = backend.items.size();
        int k = request.k();
        if (vectors == null || k < 1 || k > n) {
            return recommend(request); // and its message for a bad k
        }
        Workspace ws = workspaces.get();
        ws.scored = false;
        History h = history(request, ws);
        int stamp = stampExclusions(request, ws, h.to());
        float[] query = ws.query(vectors.dimension());
        backend.logitQuery(ws, h, query);
        ws.scored = true; // the scorer replayed the history: its observation is this request's
        int found = -1; // -1: the exact path answers
        if (request.candidates() == null) {
            int[] excluded = ws.excluded;
            found = index.search(query, k, i -> excluded[i] != stamp, ws.top);
            if (found < Math.min(k, n - ws.excludedCount)) {
                indexFallbacks.increment();
                found = -1;
            }
        }
        if (found < 0) {
            found = topByLogit(request, ws, vectors, query, stamp);
        } else {
            for (int r = 0; r < found; r++) {
                ws.scores[ws.top[r]] = vectors.logit(query, ws.top[r]);
            }
            sortByScore(ws.top, found, ws.scores);
        }
        List<ScoredItem> out = new ArrayList<>(found);
        for (int r = 0; r < found; r++) {
            out.add(new ScoredItem(backend.items.raw(ws.top[r]), ws.scores[ws.top[r]]));
        }
        return out;
    }

    /**
     * The exact top k by logit ({@link LogitVectors#logit}) of the items the request allows, ties
     * to the item first in the data, into {@code ws.top} (their logits in {@code ws.scores}):
     * the candidates' logits when the request has candidates, else every item's (the reference an
     * exact index meets, and the answer when the index found too few). Returns how many.
     */
    private int topByLogit(RecommendRequest request, Workspace ws, LogitVectors vectors, float[] query, int stamp) {
        int k = request.k();
        if (request.candidates() != null) {
            int m = 0;
            for (String id : request.candidates()) {
                int i = item(id, "candidates");
                if (ws.excluded[i] != stamp && ws.candidate[i] != stamp) {
                    ws.candidate[i] = stamp;
                    ws.scores[i] = vectors.logit(query, i);
                    m = Kernels.offer(ws.scores, ws.top, i, m, k);
                }
            }
            return m;
        }
        int n = backend.items.size();
        for (int i = 0; i < n; i++) {
            ws.scores[i] = ws.excluded[i] == stamp ? Float.NEGATIVE_INFINITY : vectors.logit(query, i);
        }
        return Kernels.topK(ws.scores, n, k, ws.top);
    }

    /** Whether {@link #recommend(RecommendRequest)} selects through the int8 table ({@link QuantizedTopK}). */
    boolean usesQuantizedTopK() {
        return backend.quantized != null;
    }

    /** How many indexed requests the exact path answered because the index found too few items. */
    public long indexFallbacks() {
        return indexFallbacks.sum();
    }

    /** Sorts {@code top[0, m)} by descending score, ties to the lower index (insertion sort: m is k). */
    private static void sortByScore(int[] top, int m, float[] scores) {
        for (int r = 1; r < m; r++) {
            int i = top[r];
            float s = scores[i];
            int p = r;
            while (p > 0 && (scores[top[p - 1]] < s || (scores[top[p - 1]] == s && top[p - 1] > i))) {
                top[p] = top[p - 1];
                p--;
            }
            top[p] = i;
        }
    }

    /** The name of the one item attribute a model may carry: its environment's group of each item. */
    public static final String CATEGORY = "category";

    /**
     * The item attributes this model knows: {@code ["category"]} for a model trained in an
     * environment whose items come in groups (the {@code e-commerce} platform's product categories,
     * the {@code social-feed} platform's content types), else none.
     */
    public List<String> attributes() {
        return backend.categories == null ? List.of() : List.of(CATEGORY);
    }

    /**
     * The ids of the items whose {@code attribute} is one of {@code values}, in the data's order.
     *
     * @throws RequestException 400 if the model has no such attribute (naming those it has)
     */
    public List<String> itemsWith(String attribute, java.util.Collection<String> values) {
        if (!attributes().contains(attribute)) {
            throw new RequestException(400, "this model's items have no attribute " + attribute
                    + (attributes().isEmpty() ? " (they have none: it was not trained in an environment with item"
                            + " categories)" : "; use " + String.join(", ", attributes())));
        }
        int[] groups = backend.categories;
        List<String> out = new ArrayList<>();
        for (int i = 0; i < groups.length; i++) {
            if (values.contains(Integer.toString(groups[i]))) {
                out.add(backend.items.raw(i));
            }
        }
        return out;
    }

    /**
     * The {@code k} items most similar to {@code item} by the model's own item vectors, best first,
     * each with its cosine similarity in [−1, 1]; the item itself is left out, ties go to the item
     * first in the data. The vectors are those the model scores items through: a log model's item
     * embeddings, a simulator or MovieLens policy's catalog embeddings (the embedding head) or its
     * output layer's row per item (the logits head). The unit vectors are made on the first call
     * (as large as the vectors: items × dimension floats) and kept.
     *
     * @throws RequestException 404 for an unknown item, 400 for a k outside [1, items − 1] or a
     *     model whose head has no vector per item
     */
    public List<ScoredItem> similar(String item, int k) {
        int n = backend.items.size();
        int i = item == null ? -1 : backend.items.index(item);
        if (i < 0) {
            throw new RequestException(404, "unknown item " + item);
        }
        if (k < 1 || k > n - 1) {
            throw new RequestException(400, "k must be between 1 and the catalog size less one, " + (n - 1)
                    + " (got " + k + ")");
        }
        UnitVectors unit = unitVectors();
        if (unit == null) {
            throw new RequestException(400, "this model (" + info.kind() + ", " + info.algorithm()
                    + ") has no vector per item to compare items by");
        }
        Workspace ws = workspaces.get();
        float[] query = java.util.Arrays.copyOfRange(unit.rows, i * unit.dim, (i + 1) * unit.dim);
        if (unit.packed != null) {
            Kernels.multiplyPacked(query, unit.dim, unit.packed, n, 1f, null, 0, ws.scores);
        } else {
            Kernels.multiply(query, 1, unit.dim, unit.byDimension, 0, n, null, 0, ws.scores);
        }
        ws.scores[i] = Float.NEGATIVE_INFINITY;
        int m = Kernels.topK(ws.scores, n, k, ws.top);
        List<ScoredItem> out = new ArrayList<>(m);
        for (int r = 0; r < m; r++) {
            out.add(new ScoredItem(backend.items.raw(ws.top[r]), ws.scores[ws.top[r]]));
        }
        return out;
    }

    /** The model's item vectors scaled to unit length, row-major and by dimension (packed if the kernels can). */
    private record UnitVectors(float[] rows, float[] byDimension, float[] packed, int dim) {
    }

    private volatile Object unitVectors;

    private UnitVectors unitVectors() {
        Object u = unitVectors;
        if (u == null) {
            synchronized (this) {
                u = unitVectors;
                if (u == null) {
                    u = makeUnitVectors();
                    unitVectors = u;
                }
            }
        }
        return u instanceof UnitVectors v ? v : null;
    }

    /** The unit vectors, or a marker (not null) when the model has none. */
    private Object makeUnitVectors() {
        int n = backend.items.size();
        float[] v = backend.itemVectors();
        if (v == null || v.length == 0 || v.length % n != 0) {
            return Boolean.FALSE;
        }
        int dim = v.length / n;
        float[] byDimension = new float[v.length];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int d = 0; d < dim; d++) {
                norm += (double) v[i * dim + d] * v[i * dim + d];
            }
            // a zero vector stays zero: similarity 0 to everything
            float inv = norm > 0 ? (float) (1 / Math.sqrt(norm)) : 0f;
            for (int d = 0; d < dim; d++) {
                v[i * dim + d] *= inv;
                byDimension[d * n + i] = v[i * dim + d];
            }
        }
        return new UnitVectors(v, byDimension, Kernels.packColumns(byDimension, dim, n), dim);
    }

    /**
     * Every item the request allows (its {@code k} is ignored), ranked as {@link #recommend} ranks
     * them: by score, ties to the item first in the data; items the model scores minus infinity are
     * left out. The same as {@code recommend} with {@code k} = the catalog size, in
     * {@code O(n log n)} instead of that call's {@code O(n k)}; what {@link Exploration} samples from.
     * The list is an unmodifiable view whose items are made when read.
     *
     * @throws RequestException as {@link #recommend} (except for {@code k})
     */
    public List<ScoredItem> ranked(RecommendRequest request) {
        Objects.requireNonNull(request, "request");
        int n = backend.items.size();
        Workspace ws = workspaces.get();
        int stamp = scoreAndExclude(request, ws);
        // keys: descending score in the high 32 bits (float order made unsigned), index in the low
        long[] keys = new long[n];
        int m = 0;
        if (request.candidates() != null) {
            for (String id : request.candidates()) {
                int i = item(id, "candidates");
                if (ws.excluded[i] != stamp && ws.candidate[i] != stamp && ws.scores[i] > Float.NEGATIVE_INFINITY) {
                    ws.candidate[i] = stamp;
                    keys[m++] = rankKey(ws.scores[i], i);
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                if (ws.excluded[i] != stamp && ws.scores[i] > Float.NEGATIVE_INFINITY) {
                    keys[m++] = rankKey(ws.scores[i], i);
                }
            }
        }
        java.util.Arrays.sort(keys, 0, m);
        int[] index = new int[m];
        float[] score = new float[m];
        for (int r = 0; r < m; r++) {
            index[r] = (int) (keys[r] & 0xFFFFFFFFL);
            score[r] = ws.scores[index[r]];
        }
        int size = m;
        // an unmodifiable view that makes each item when asked: an explorer reads only a few of them
        return new java.util.AbstractList<ScoredItem>() {
            @Override
            public ScoredItem get(int r) {
                java.util.Objects.checkIndex(r, size);
                return new ScoredItem(backend.items.raw(index[r]), score[r]);
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    /**
     * The shared first half of {@link #recommend} and {@link #ranked}: resolves the user, builds the
     * history (the known user's, then the session's), scores every item into {@code ws.scores} and
     * stamps the excluded items in {@code ws.excluded}. Returns the stamp that marks this request.
     */
    private int scoreAndExclude(RecommendRequest request, Workspace ws) {
        ws.scored = false;
        History h = history(request, ws);
        backend.scorer(ws).score(h, ws.scores);
        ws.scored = true;
        return stampExclusions(request, ws, h.to());
    }

    /** Resolves the user and builds the history in {@code ws.history}: the known user's, then the session's. */
    private History history(RecommendRequest request, Workspace ws) {
        int user = History.UNKNOWN_USER;
        if (request.user() != null) {
            user = backend.users == null ? -1 : backend.users.index(request.user());
            if (user < 0) {
                throw new RequestException(404, "unknown user " + request.user());
            }
        } else if (backend.usersRequired) {
            throw new RequestException(400, "this model (trained in an environment of known users) needs a user:"
                    + " give \"user\"");
        }
        int len = 0;
        if (user >= 0) {
            len = backend.userHistory(user, ws);
        }
        for (String id : request.history()) {
            ws.ensureHistory(len + 1);
            ws.history[len++] = item(id, "history");
        }
        return new History(user, ws.history, null, 0, len);
    }

    /**
     * Stamps the excluded items in {@code ws.excluded} (the history's first {@code historyLength}
     * items by default, else the request's list; the caller stamps its candidates with the same
     * stamp) and returns the stamp.
     */
    private int stampExclusions(RecommendRequest request, Workspace ws, int historyLength) {
        int stamp = ++ws.epoch;
        ws.excludedCount = 0;
        if (request.exclude() == null) {
            for (int p = 0; p < historyLength; p++) {
                ws.exclude(ws.history[p], stamp);
            }
        } else {
            for (String id : request.exclude()) {
                ws.exclude(item(id, "exclude"), stamp);
            }
        }
        return stamp;
    }

    private static long rankKey(float score, int index) {
        int bits = Float.floatToIntBits(score == 0 ? 0f : score); // -0 ranks as 0, as in recommend
        int ordered = bits >= 0 ? bits : bits ^ 0x7fffffff; // signed int order = float order
        long ascending = (long) ordered + 2147483648L;
        return ((0xFFFFFFFFL - ascending) << 32) | index;
    }

    private int item(String id, String field) {
        int i = id == null ? -1 : backend.items.index(id);
        if (i < 0) {
            throw new RequestException(404, "unknown item " + id + " in " + field);
        }
        return i;
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int r = in.read(buf); r > 0; r = in.read(buf)) {
                d.update(buf, 0, r);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (IOException e) {
            throw new UserInputException("cannot read " + file + " (" + e.getMessage() + ")");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a kind of model provides: ids, user histories, a scorer. */
    abstract static class Backend {
        final IdMap items;
        final IdMap users;
        final boolean usersRequired;
        /** Each item's category (an environment's action groups), or null. */
        int[] categories;

        Backend(IdMap items, IdMap users, boolean usersRequired) {
            this.items = items;
            this.users = users;
            this.usersRequired = usersRequired;
        }

        /** Copies {@code user}'s known history into {@code ws.history}; returns its length. */
        int userHistory(int user, Workspace ws) {
            return 0;
        }

        /** A vector per item, [items × d] row-major (a copy), or null if the model has none. */
        float[] itemVectors() {
            return null;
        }

        /** The width of the scores' inner-product form ({@link #logitVectors()}), 0 if none. */
        int logitDimension() {
            return 0;
        }

        /** Rows such that logit_i = query · row_i, [items × logitDimension()], or null. */
        float[] logitVectors() {
            return null;
        }

        /** Whether the last component of {@link #logitVectors()}'s rows is an item bias (the query's being 1). */
        boolean logitBias() {
            return false;
        }

        /** Writes the history's query of the inner-product form into {@code query}. */
        void logitQuery(Workspace ws, History h, float[] query) {
            throw new UnsupportedOperationException("no inner-product form");
        }

        /**
         * The exact top-k over an int8 copy of the scores' inner-product form, or null when every
         * item is scored (set by a backend whose scores are {@code query · row + bias} as its scorer
         * computes them, for catalogs of at least {@link QuantizedTopK#MIN_ITEMS} items).
         */
        QuantizedTopK quantized;

        /** The length of {@link #quantizedQuery}'s query. */
        int quantizedQueryLength() {
            return 0;
        }

        /** Writes the history's query for {@link #quantized} into {@code query}. */
        void quantizedQuery(Workspace ws, History h, float[] query) {
            throw new UnsupportedOperationException("no quantized table");
        }

        /** A new scorer (one per thread). */
        abstract org.recsysrl.recommend.Recommender.Scorer newScorer();

        org.recsysrl.recommend.Recommender.Scorer scorer(Workspace ws) {
            return ws.scorer;
        }
    }

    /** One thread's buffers. */
    static final class Workspace {
        final org.recsysrl.recommend.Recommender.Scorer scorer;
        final float[] scores;
        final int[] excluded;
        final int[] candidate;
        int[] top;
        int[] history = new int[64];
        /** This request's excluded items (each once), in the order met. */
        int[] excludedList = new int[64];
        int excludedCount;
        int epoch;
        /** Whether the scorer scored this thread's last request (false while it runs or after it threw). */
        boolean scored;

        private final Backend backend;

        Workspace(Backend backend) {
            this.backend = backend;
            int n = backend.items.size();
            this.scorer = backend.newScorer();
            this.scores = new float[n];
            this.excluded = new int[n];
            this.candidate = new int[n];
            this.top = new int[n];
        }

        void exclude(int item, int stamp) {
            if (excluded[item] != stamp) {
                excluded[item] = stamp;
                if (excludedCount == excludedList.length) {
                    excludedList = java.util.Arrays.copyOf(excludedList, 2 * excludedCount);
                }
                excludedList[excludedCount++] = item;
            }
        }

        private float[] query = new float[0];
        /** Rows of scores for requests scored together; row 0 is {@link #scores}, the rest made when first needed. */
        private float[][] rowScores;

        float[][] rowScores(int rows) {
            if (rowScores == null || rowScores.length < rows) {
                float[][] grown = new float[rows][];
                for (int r = 0; r < rows; r++) {
                    grown[r] = r == 0 ? scores : rowScores != null && r < rowScores.length ? rowScores[r]
                            : new float[scores.length];
                }
                rowScores = grown;
            }
            return rowScores;
        }

        private QuantizedTopK.Workspace quantized;
        private float[] topScores = new float[0];

        QuantizedTopK.Workspace quantized() {
            if (quantized == null) {
                quantized = backend.quantized.newWorkspace();
            }
            return quantized;
        }

        float[] topScores(int k) {
            if (topScores.length < k) {
                topScores = new float[k];
            }
            return topScores;
        }

        float[] query(int dimension) {
            if (query.length < dimension) {
                query = new float[dimension];
            }
            return query;
        }

        void ensureHistory(int length) {
            if (length > history.length) {
                history = java.util.Arrays.copyOf(history, Math.max(length, 2 * history.length));
            }
        }
    }
}
