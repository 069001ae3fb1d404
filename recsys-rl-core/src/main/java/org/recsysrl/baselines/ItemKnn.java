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
     * The binary matrix, the neighbour lists of the largest k of the grid (held twice while they are
     * packed) and each thread's co-occurrence buffers.
     */
    @Override
    public MemoryNeed memory(Interactions train, FitContext context) {
        long n = train.itemCount();
        long lists = n * Math.min(KS[KS.length - 1], Math.max(0, n - 1)) * 8L * 2;
        return new MemoryNeed(lists, String.format(java.util.Locale.ROOT, "the neighbour lists of %,d items × %d",
                n, KS[KS.length - 1])).plus(BinaryMatrix.bytes(train) + 28L * n * context.threads());
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

    @Override
    public Fitter prepare(Interactions train, FitContext context) {
        BinaryMatrix x = BinaryMatrix.of(train);
        return new Fitter() {
            private double cachedShrink = Double.NaN;
            private int cachedK;
            private Neighbours cached;

            @Override
            public Recommender fit(Hyperparameters hp) {
                int k = hp.getInt("k");
                double shrink = hp.get("shrink");
                if (!(shrink == cachedShrink && k <= cachedK)) {
                    // the largest k of the grid at this shrink, so that smaller k are prefixes
                    int kMax = k;
                    for (int g : KS) {
                        kMax = Math.max(kMax, g);
                    }
                    cached = neighbours(x, kMax, shrink, context.threads());
                    cachedShrink = shrink;
                    cachedK = kMax;
                }
                return new Model(cached, k);
            }
        };
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

    /** The top-{@code k} neighbours of every item under the shrunk cosine. */
    static Neighbours neighbours(BinaryMatrix x, int k, double shrink, int threads) {
        int n = x.items;
        int[][] ids = new int[n][];
        float[][] sims = new float[n][];
        int chunk = 64;
        Parallel.forChunks((n + chunk - 1) / chunk, threads, (worker, next) -> {
            int[] co = new int[n];
            int[] touched = new int[n];
            int[] top = new int[k];
            float[] score = new float[n];
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
                    int m = 0;
                    for (int q = 0; q < t; q++) {
                        int i = touched[q];
                        score[i] = (float) (co[i] / (Math.sqrt(cj * x.itemDegree(i)) + shrink));
                        co[i] = 0;
                        // keep the k best, most similar first; equal similarities: lower index first
                        if (m < k || score[i] > score[top[m - 1]] || (score[i] == score[top[m - 1]] && i < top[m - 1])) {
                            int p = m < k ? m++ : k - 1;
                            while (p > 0 && (score[top[p - 1]] < score[i]
                                    || (score[top[p - 1]] == score[i] && top[p - 1] > i))) {
                                top[p] = top[p - 1];
                                p--;
                            }
                            top[p] = i;
                        }
                    }
                    ids[j] = java.util.Arrays.copyOf(top, m);
                    sims[j] = new float[m];
                    for (int q = 0; q < m; q++) {
                        sims[j][q] = score[top[q]];
                    }
                }
            }
        });
        org.recsysrl.util.RaggedRows rows = org.recsysrl.util.RaggedRows.pack(ids, sims);
        return new Neighbours(n, rows.offsets(), rows.ids(), rows.values());
    }

    /** Scores from the first {@code k} neighbours of each history item. */
    private static final class Model implements Recommender {
        private final Neighbours nb;
        private final int k;

        Model(Neighbours nb, int k) {
            this.nb = nb;
            this.k = k;
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
