package org.recsysrl.baselines;

import java.util.ArrayList;
import java.util.List;
import org.recsysrl.data.Interactions;
import org.recsysrl.recommend.FitContext;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Hyperparameters;
import org.recsysrl.recommend.MemoryNeed;
import org.recsysrl.recommend.ModelFamily;
import org.recsysrl.recommend.Recommender;
import org.recsysrl.util.Parallel;

/**
 * Item-based k-nearest neighbours on the binary user–item matrix (Sarwar et al. 2001; Deshpande
 * &amp; Karypis 2004): the similarity of items i and j is the shrunk cosine
 * {@code s_ij = c_ij / (sqrt(c_i · c_j) + shrink)}, with c_ij the number of training users who
 * interacted with both and c_i with i; each item keeps its {@code k} most similar items; a user's
 * score for item i is the sum, over the distinct items j of the history, of s_ji if i is among j's
 * neighbours.
 */
public final class ItemKnn implements ModelFamily {
    private static final int[] KS = {5, 10, 20, 50, 100, 200};
    private static final double[] SHRINKS = {0, 10, 50};

    @Override
    public String name() {
        return "item-knn";
    }

    @Override
    public String description() {
        return "item-based kNN, shrunk cosine on the binary user-item matrix";
    }

    /**
     * The binary matrix, the neighbour lists of the largest k of the grid for each of its shrinks (all
     * computed in one pass over the co-occurrence counts, one more list held while they are packed)
     * and each thread's co-occurrence buffers.
     */
    @Override
    public MemoryNeed memory(Interactions train, FitContext context) {
        long n = train.itemCount();
        long lists = n * Math.min(KS[KS.length - 1], Math.max(0, n - 1)) * 8L * (SHRINKS.length + 1);
        return new MemoryNeed(lists, String.format(java.util.Locale.ROOT,
                "the neighbour lists of %,d items × %d for each of %d shrinks", n, KS[KS.length - 1], SHRINKS.length))
                .plus(BinaryMatrix.bytes(train) + 28L * n * context.threads());
    }

    @Override
    public List<Hyperparameters> grid(Interactions train, FitContext context) {
        List<Hyperparameters> g = new ArrayList<>();
        for (double shrink : SHRINKS) {
            for (int k : KS) {
                g.add(Hyperparameters.of("k", k, "shrink", shrink));
            }
        }
        return g;
    }

    /**
     * The co-occurrence counts are walked once for the whole grid: the first fit computes the neighbour
     * lists of the grid's largest k for every shrink of the grid together (smaller k are prefixes), and
     * every later grid point reuses them. A shrink outside the grid is computed on its own.
     */
    @Override
    public Fitter prepare(Interactions train, FitContext context) {
        BinaryMatrix x = BinaryMatrix.of(train);
        int kMax = KS[KS.length - 1];
        return new Fitter() {
            private Neighbours[] grid;
            private double otherShrink = Double.NaN;
            private int otherK;
            private Neighbours other;

            @Override
            public Recommender fit(Hyperparameters hp) {
                int k = hp.getInt("k");
                double shrink = hp.get("shrink");
                int s = gridShrinkIndex(shrink);
                if (s >= 0 && k <= kMax) {
                    if (grid == null) {
                        grid = neighbours(x, kMax, SHRINKS, context.threads());
                    }
                    return new Model(grid[s], k);
                }
                if (!(shrink == otherShrink && k <= otherK)) {
                    other = neighbours(x, Math.max(k, kMax), shrink, context.threads());
                    otherShrink = shrink;
                    otherK = Math.max(k, kMax);
                }
                return new Model(other, k);
            }
        };
    }

    /** The position of {@code shrink} among the grid's shrinks (compared bit for bit), or -1. */
    private static int gridShrinkIndex(double shrink) {
        for (int s = 0; s < SHRINKS.length; s++) {
            if (Double.compare(SHRINKS[s], shrink) == 0) {
                return s;
            }
        }
        return -1;
    }

    /**
     * The model of neighbours computed elsewhere (e.g. by a Spark job from co-occurrence counts):
     * item j's neighbours are {@code ids[offsets[j] .. offsets[j+1])}, most similar first, with
     * similarities {@code sims}; a history is scored from the first {@code k} of each of its distinct
     * items' neighbours, exactly as a fitted model scores. The arrays are shared, not copied.
     */
    public static Recommender fromNeighbours(int[] offsets, int[] ids, float[] sims, int k) {
        if (offsets.length < 1 || offsets[offsets.length - 1] != ids.length || ids.length != sims.length || k < 1) {
            throw new IllegalArgumentException("offsets must end at the number of neighbours, one similarity each, k >= 1");
        }
        return new Model(new Neighbours(offsets.length - 1, offsets, ids, sims), k);
    }

    /** Each item's neighbours, most similar first: item j's are {@code [offsets[j], offsets[j+1])}. */
    record Neighbours(int items, int[] offsets, int[] ids, float[] sims) {
    }

    /** The top-{@code k} neighbours of every item under the shrunk cosine with one {@code shrink}. */
    static Neighbours neighbours(BinaryMatrix x, int k, double shrink, int threads) {
        return neighbours(x, k, new double[] {shrink}, threads)[0];
    }

    /**
     * The top-{@code k} neighbours of every item under the shrunk cosine, for each of {@code shrinks}
     * (element s of the result for {@code shrinks[s]}): each item's co-occurrence counts are gathered
     * once and ranked under every shrink, giving the same lists as one call per shrink.
     */
    static Neighbours[] neighbours(BinaryMatrix x, int k, double[] shrinks, int threads) {
        int n = x.items;
        int ns = shrinks.length;
        int[][][] ids = new int[ns][n][];
        float[][][] sims = new float[ns][n][];
        int chunk = 64;
        Parallel.forChunks((n + chunk - 1) / chunk, threads, (worker, next) -> {
            int[] co = new int[n];
            int[] touched = new int[n];
            int[][] top = new int[ns][k];
            float[][] topSim = new float[ns][k];
            int[] kept = new int[ns];
            for (int c = next.getAsInt(); c >= 0; c = next.getAsInt()) {
                for (int j = c * chunk; j < Math.min(n, (c + 1) * chunk); j++) {
                    int t = 0;
                    for (int a = x.itemOffsets[j]; a < x.itemOffsets[j + 1]; a++) {
                        int u = x.itemUsers[a];
                        for (int b = x.userOffsets[u]; b < x.userOffsets[u + 1]; b++) {
                            int i = x.userItems[b];
                            if (i != j && co[i]++ == 0) {
                                touched[t++] = i;
                            }
                        }
                    }
                    double cj = x.itemDegree(j);
                    java.util.Arrays.fill(kept, 0);
                    for (int q = 0; q < t; q++) {
                        int i = touched[q];
                        double root = Math.sqrt(cj * x.itemDegree(i));
                        for (int s = 0; s < ns; s++) {
                            kept[s] = keepBest(top[s], topSim[s], kept[s], i, (float) (co[i] / (root + shrinks[s])));
                        }
                        co[i] = 0;
                    }
                    for (int s = 0; s < ns; s++) {
                        int m = kept[s];
                        ids[s][j] = java.util.Arrays.copyOf(top[s], m);
                        sims[s][j] = java.util.Arrays.copyOf(topSim[s], m);
                    }
                }
            }
        });
        Neighbours[] out = new Neighbours[ns];
        for (int s = 0; s < ns; s++) {
            org.recsysrl.util.RaggedRows rows = org.recsysrl.util.RaggedRows.pack(ids[s], sims[s]);
            ids[s] = null;
            sims[s] = null;
            out[s] = new Neighbours(n, rows.offsets(), rows.ids(), rows.values());
        }
        return out;
    }

    /**
     * Offers item {@code i} with similarity {@code sim} to the best list {@code top[0..m)} and their
     * similarities {@code topSim} (at most {@code top.length}, most similar first; equal
     * similarities: lower index first) and returns the list's new length.
     */
    private static int keepBest(int[] top, float[] topSim, int m, int i, float sim) {
        int k = top.length;
        if (m < k || sim > topSim[m - 1] || (sim == topSim[m - 1] && i < top[m - 1])) {
            int p = m < k ? m++ : k - 1;
            while (p > 0 && (topSim[p - 1] < sim || (topSim[p - 1] == sim && top[p - 1] > i))) {
                top[p] = top[p - 1];
                topSim[p] = topSim[p - 1];
                p--;
            }
            top[p] = i;
            topSim[p] = sim;
        }
        return m;
    }

    /** Scores from the first {@code k} neighbours of each history item. */
    static final class Model implements Recommender {
        private final Neighbours nb;
        private final int k;

        Model(Neighbours nb, int k) {
            this.nb = nb;
            this.k = k;
        }

        /** The neighbour lists this model reads the first {@code k} of each from. */
        Neighbours neighbours() {
            return nb;
        }

        @Override
        public String name() {
            return "item-knn";
        }

        @Override
        public int itemCount() {
            return nb.items();
        }

        @Override
        public Scorer newScorer() {
            return new NeighbourScorer();
        }

        /** Scores are 0 except on the history items' neighbours. */
        private final class NeighbourScorer implements SparseScorer {
            private final int[] seen = new int[nb.items()];
            private final int[] touchedStamp = new int[nb.items()];
            private final float[] base = new float[nb.items()];
            private int[] touchedBuffer;
            private int stamp;

            @Override
            public void score(History h, float[] out) {
                java.util.Arrays.fill(out, 0, nb.items(), 0f);
                if (touchedBuffer == null) {
                    touchedBuffer = new int[nb.items()];
                }
                scoreTouched(h, out, touchedBuffer);
            }

            @Override
            public float[] base() {
                return base;
            }

            @Override
            public int scoreTouched(History h, float[] out, int[] touched) {
                int s = ++stamp;
                int t = 0;
                for (int p = h.from(); p < h.to(); p++) {
                    int j = h.items()[p];
                    if (seen[j] == s) {
                        continue;
                    }
                    seen[j] = s;
                    int end = Math.min(nb.offsets()[j + 1], nb.offsets()[j] + k);
                    for (int q = nb.offsets()[j]; q < end; q++) {
                        int i = nb.ids()[q];
                        if (touchedStamp[i] != s) {
                            touchedStamp[i] = s;
                            touched[t++] = i;
                            out[i] = 0f;
                        }
                        out[i] += nb.sims()[q];
                    }
                }
                return t;
            }
        }
    }
}
