package org.recsysrl.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntPredicate;
import org.apache.lucene.codecs.hnsw.DefaultFlatVectorScorer;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.TaskExecutor;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.hnsw.HnswConcurrentMergeBuilder;
import org.apache.lucene.util.hnsw.HnswGraph;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.NeighborArray;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomAccessVectorValues;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.recsysrl.api.ItemIndex;
import org.recsysrl.api.LogitVectors;
import org.recsysrl.util.UserInputException;

/**
 * An approximate maximum-inner-product index over a model's logit vectors: Lucene's HNSW graph
 * ({@code org.apache.lucene.util.hnsw}, similarity {@code MAXIMUM_INNER_PRODUCT}), built once when
 * a model is loaded. The graph is copied into plain arrays after the build, so any number of
 * threads search it at once, each through its own cursor. The graph's vectors are a copy of the
 * model's rows, one array per row. Items the request does not allow are skipped by the search
 * (Lucene's filtered search: they are visited but never collected).
 */
public final class HnswItemIndex implements ItemIndex {
    /**
     * How the graph is built and searched.
     *
     * @param maxConnections neighbours per node and level (Lucene's M; level 0 keeps twice as many)
     * @param beamWidth candidates kept while a node's neighbours are chosen during the build
     * @param ef candidates kept while searching (at least the k asked for): recall against time
     */
    public record Settings(int maxConnections, int beamWidth, int ef) {
        static Settings defaults() {
            return new Settings(16, 100, 200);
        }

        /**
         * {@code hnsw} or {@code hnsw:m=M,beam=B,ef=E} (any of the three, in any order).
         *
         * @throws UserInputException naming the flag for anything else
         */
        static Settings parse(String flag, String value) {
            Settings s = defaults();
            if (value.equals("hnsw")) {
                return s;
            }
            if (!value.startsWith("hnsw:") || value.length() == 5) {
                throw new UserInputException(flag + " must be exact, int8, hnsw or hnsw:m=M,beam=B,ef=E (got " + value + ")");
            }
            int m = s.maxConnections;
            int beam = s.beamWidth;
            int ef = s.ef;
            for (String part : value.substring(5).split(",", -1)) {
                int eq = part.indexOf('=');
                String key = eq < 0 ? part : part.substring(0, eq);
                int v = eq < 0 ? -1 : positive(flag, part, part.substring(eq + 1));
                switch (key) {
                    case "m" -> m = v;
                    case "beam" -> beam = v;
                    case "ef" -> ef = v;
                    default -> throw new UserInputException(flag + ": unknown setting " + part
                            + " (hnsw takes m=, beam= and ef=, e.g. hnsw:m=16,beam=100,ef=100)");
                }
                if (v < 0) {
                    throw new UserInputException(flag + ": " + part + " needs a value, e.g. " + key + "=16");
                }
            }
            if (m > 512 || beam > 3200 || ef > 10_000) {
                throw new UserInputException(flag + ": m at most 512, beam at most 3200, ef at most 10000 (got " + value
                        + ")");
            }
            return new Settings(m, beam, ef);
        }

        private static int positive(String flag, String part, String digits) {
            try {
                int v = Integer.parseInt(digits);
                if (v >= 1) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
            throw new UserInputException(flag + ": " + part + " must be a whole number of at least 1");
        }

        @Override
        public String toString() {
            return "hnsw:m=" + maxConnections + ",beam=" + beamWidth + ",ef=" + ef;
        }
    }

    /**
     * The graph's similarity: Lucene's maximum inner product over the rows as they are (a bias is
     * their last component, the query's being 1), so the graph's order is the logits' order.
     * Reducing it to the cosine of unit vectors one dimension wider ({@code [r_i / R,
     * sqrt(1 − |r_i|² / R²)]}, the query {@code [q / |q|, 0]}) was tried and lost: on 3,000 random
     * rows of unequal norms, recall@10 0.85 at ef 100 against 1.00 for this (the queries end up far
     * from every row, where the graph navigates poorly).
     */
    private static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;

    private final FlatVectors vectors;
    private final Settings settings;
    /** neighbours[level][node]: the node's neighbours on that level, null if the node is not on it. */
    private final int[][][] neighbours;
    /** The nodes of each level above 0, ascending. */
    private final int[][] levelNodes;
    private final int entryNode;
    private final java.util.concurrent.atomic.LongAdder searches = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder visited = new java.util.concurrent.atomic.LongAdder();

    private HnswItemIndex(FlatVectors vectors, Settings settings, OnHeapHnswGraph graph) throws IOException {
        this.vectors = vectors;
        this.settings = settings;
        int levels = graph.numLevels();
        this.neighbours = new int[levels][][];
        this.levelNodes = new int[levels][];
        for (int level = 0; level < levels; level++) {
            neighbours[level] = new int[vectors.size][];
            HnswGraph.NodesIterator it = graph.getNodesOnLevel(level);
            int[] nodes = new int[it.size()];
            int count = 0;
            while (it.hasNext()) {
                int node = it.nextInt();
                NeighborArray a = graph.getNeighbors(level, node);
                neighbours[level][node] = Arrays.copyOf(a.nodes(), a.size());
                nodes[count++] = node;
            }
            Arrays.sort(nodes, 0, count);
            levelNodes[level] = Arrays.copyOf(nodes, count);
        }
        this.entryNode = graph.entryNode();
    }

    /**
     * Builds the graph over {@code logits}' rows with {@code threads} threads, as
     * {@code serve --index SETTINGS} does ({@code hnsw} or {@code hnsw:m=M,beam=B,ef=E}); for
     * measurements ({@code scripts/IndexRecall.java}).
     *
     * @throws UserInputException for settings that do not parse
     */
    public static HnswItemIndex build(LogitVectors logits, String settings, int threads) {
        return build(logits, Settings.parse("--index", settings), threads);
    }

    /**
     * Builds the graph over {@code logits}' rows with {@code threads} threads (Lucene's concurrent
     * builder when more than one).
     */
    static HnswItemIndex build(LogitVectors logits, Settings settings, int threads) {
        FlatVectors vectors = new FlatVectors(rows(logits), logits.dimension());
        try {
            RandomVectorScorerSupplier scorers = DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorerSupplier(
                    SIMILARITY, vectors);
            HnswGraphBuilder single = HnswGraphBuilder.create(scorers, settings.maxConnections, settings.beamWidth,
                    HnswGraphBuilder.randSeed, vectors.size);
            if (buildThreads(vectors.size, threads) == 1) {
                return new HnswItemIndex(vectors, settings, single.build(vectors.size));
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "recsys-rl-index-build");
                t.setDaemon(true);
                return t;
            });
            try {
                HnswConcurrentMergeBuilder concurrent = new HnswConcurrentMergeBuilder(new TaskExecutor(pool), threads,
                        scorers, settings.maxConnections, settings.beamWidth, single.getGraph(), null);
                return new HnswItemIndex(vectors, settings, concurrent.build(vectors.size));
            } finally {
                pool.shutdownNow();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the vectors are in memory: not expected
        }
    }

    /** The rows as one array each (what Lucene's scorers read). */
    private static float[][] rows(LogitVectors logits) {
        float[][] out = new float[logits.items()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = Arrays.copyOfRange(logits.rows(), i * logits.dimension(), (i + 1) * logits.dimension());
        }
        return out;
    }

    /** This graph searched with another {@code ef} (for measurements: the graph is shared, not rebuilt). */
    public HnswItemIndex searchingWith(int ef) {
        return new HnswItemIndex(this, new Settings(settings.maxConnections, settings.beamWidth, ef));
    }

    private HnswItemIndex(HnswItemIndex graph, Settings settings) {
        this.vectors = graph.vectors;
        this.settings = settings;
        this.neighbours = graph.neighbours;
        this.levelNodes = graph.levelNodes;
        this.entryNode = graph.entryNode;
    }

    /** The mean number of items whose inner product a search computed, over this object's searches. */
    public double meanVisited() {
        long n = searches.sum();
        return n == 0 ? 0 : visited.sum() / (double) n;
    }

    /** The threads a build over {@code items} rows uses when given {@code threads}: one below 10,000 rows. */
    static int buildThreads(int items, int threads) {
        return items < 10_000 ? 1 : Math.max(1, threads);
    }

    /** The settings the graph was built with. */
    public Settings settings() {
        return settings;
    }

    @Override
    public int search(float[] query, int count, IntPredicate allowed, int[] out) {
        float[] q = query.length == vectors.dim ? query : Arrays.copyOf(query, vectors.dim);
        try {
            RandomVectorScorer scorer = DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorer(SIMILARITY,
                    vectors, q);
            TopKnnCollector collector = new TopKnnCollector(Math.max(count, settings.ef), Integer.MAX_VALUE);
            Bits accept = allowed == null ? null : new Bits() {
                @Override
                public boolean get(int index) {
                    return allowed.test(index);
                }

                @Override
                public int length() {
                    return vectors.size;
                }
            };
            HnswGraphSearcher.search(scorer, collector, new Cursor(), accept);
            TopDocs top = collector.topDocs();
            searches.increment();
            visited.add(collector.visitedCount());
            int m = Math.min(count, top.scoreDocs.length);
            for (int r = 0; r < m; r++) {
                out[r] = top.scoreDocs[r].doc;
            }
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One search's view of the frozen graph: its own position, the shared arrays. */
    private final class Cursor extends HnswGraph {
        private int[] current = new int[0];
        private int upto;

        @Override
        public void seek(int level, int target) {
            int[] n = neighbours[level][target];
            current = n == null ? new int[0] : n;
            upto = -1;
        }

        @Override
        public int size() {
            return vectors.size;
        }

        @Override
        public int nextNeighbor() {
            return ++upto < current.length ? current[upto] : DocIdSetIterator.NO_MORE_DOCS;
        }

        @Override
        public int numLevels() {
            return neighbours.length;
        }

        @Override
        public int entryNode() {
            return entryNode;
        }

        @Override
        public NodesIterator getNodesOnLevel(int level) {
            return level == 0 ? new ArrayNodesIterator(vectors.size)
                    : new ArrayNodesIterator(levelNodes[level], levelNodes[level].length);
        }
    }

    /**
     * The unit rows as Lucene's random-access vectors: each row its own array, handed out as it is
     * (a scorer keeps the array of its target while others are read, so a shared buffer would not do).
     */
    private static final class FlatVectors implements RandomAccessVectorValues.Floats {
        private final float[][] rows;
        private final int dim;
        private final int size;

        FlatVectors(float[][] rows, int dim) {
            this.rows = rows;
            this.dim = dim;
            this.size = rows.length;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public int dimension() {
            return dim;
        }

        @Override
        public float[] vectorValue(int ord) {
            return rows[ord];
        }

        @Override
        public FlatVectors copy() {
            return this; // nothing per copy: the rows are only read
        }
    }
}
