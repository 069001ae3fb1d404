package org.recsysrl.eval;

import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Recommender;

/**
 * The top K of a {@link Recommender.SparseScorer} without a score per catalog item: the items the
 * history touches are ranked among themselves, the untouched ones come in the base scores' order
 * (sorted once per evaluation), and the two short lists are merged. The order is exactly that of
 * {@link RankingMetrics#topK(float[], int, int, int[], int[])} on the dense scores: higher score
 * first, equal scores by the tie rank, items scored {@code -∞} (and excluded ones) never listed.
 * Per user it costs the touched items plus about K, instead of two passes over the catalog.
 */
public final class SparseTopK {
    private final int[] baseOrder;
    private final float[] base;
    private final int[] tieRank;

    private SparseTopK(float[] base, int[] baseOrder, int[] tieRank) {
        this.base = base;
        this.baseOrder = baseOrder;
        this.tieRank = tieRank;
    }

    /** The base order of {@code base}: items by descending score, ties by {@code tieRank}, {@code -∞} left out. */
    public static SparseTopK of(float[] base, int items, int[] tieRank) {
        long[] keys = new long[items];
        int[] itemOfRank = new int[items];
        int n = 0;
        for (int i = 0; i < items; i++) {
            itemOfRank[tieRank[i]] = i;
            float s = base[i];
            if (!(s > Float.NEGATIVE_INFINITY)) {
                continue;
            }
            int bits = Float.floatToIntBits(s == 0f ? 0f : s); // -0 and +0 tie, as they do in the dense order
            bits ^= (bits >> 31) & 0x7fffffff; // now int order is float order
            keys[n++] = ((long) ~bits << 32) | tieRank[i]; // descending score, then ascending tie rank
        }
        java.util.Arrays.sort(keys, 0, n);
        int[] order = new int[n];
        for (int r = 0; r < n; r++) {
            order[r] = itemOfRank[(int) keys[r]];
        }
        return new SparseTopK(base, order, tieRank);
    }

    /** Buffers for one thread ranking with {@code scorer} (a scorer of the model whose base this is), lists up to {@code maxK}. */
    public Workspace workspace(Recommender.SparseScorer scorer, int items, int maxK) {
        return new Workspace(scorer, items, maxK);
    }

    /** One thread's buffers ({@link #workspace}). */
    public final class Workspace {
        private final Recommender.SparseScorer scorer;
        private final float[] scores;
        private final int[] touched;
        private final int[] mark;
        private final int[] fromTouched;
        private final int[] fromBase;
        private int stamp;

        Workspace(Recommender.SparseScorer scorer, int items, int maxK) {
            this.scorer = scorer;
            this.scores = new float[items];
            this.touched = new int[items];
            this.mark = new int[items];
            this.fromTouched = new int[maxK];
            this.fromBase = new int[maxK];
        }

        /**
         * Writes the top {@code maxK} of {@code h} into {@code out}, known items left out if
         * {@code excludeKnown}, and returns how many.
         */
        public int topK(History h, boolean excludeKnown, int maxK, int[] out) {
            int t = scorer.scoreTouched(h, scores, touched);
            int s = stamp += 2; // mark == s: excluded; mark == s - 1: touched (and not excluded)
            if (excludeKnown) {
                for (int p = h.from(); p < h.to(); p++) {
                    mark[h.items()[p]] = s;
                }
            }
            int a = 0;
            for (int q = 0; q < t; q++) {
                int i = touched[q];
                if (mark[i] == s) {
                    continue;
                }
                mark[i] = s - 1;
                float v = scores[i];
                if (!(v > Float.NEGATIVE_INFINITY)) {
                    continue;
                }
                if (a == maxK) {
                    int last = fromTouched[maxK - 1];
                    if (!before(v, i, scores[last], last)) {
                        continue;
                    }
                } else {
                    a++;
                }
                int p = a - 1;
                while (p > 0 && before(v, i, scores[fromTouched[p - 1]], fromTouched[p - 1])) {
                    fromTouched[p] = fromTouched[p - 1];
                    p--;
                }
                fromTouched[p] = i;
            }
            int b = 0;
            for (int r = 0; r < baseOrder.length && b < maxK; r++) {
                int i = baseOrder[r];
                int m = mark[i];
                if (m != s && m != s - 1) {
                    fromBase[b++] = i;
                }
            }
            int x = 0;
            int y = 0;
            int n = 0;
            while (n < maxK && (x < a || y < b)) {
                if (y == b || (x < a && before(scores[fromTouched[x]], fromTouched[x], base[fromBase[y]], fromBase[y]))) {
                    out[n++] = fromTouched[x++];
                } else {
                    out[n++] = fromBase[y++];
                }
            }
            return n;
        }

        /** Whether item i with score v ranks before item j with score w. */
        private boolean before(float v, int i, float w, int j) {
            return v > w || (v == w && tieRank[i] < tieRank[j]);
        }
    }
}
