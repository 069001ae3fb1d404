package org.recsysrl.eval;

/**
 * Top-K ranking metrics of one recommendation list against a user's held-out items, with binary
 * relevance. A list is {@code items[0 .. n)} (best first, n ≤ K); relevance is looked up in a
 * sorted array of held-out items.
 */
public final class RankingMetrics {
    private RankingMetrics() {
    }

    /** Number of list entries among the held-out items. */
    public static int hits(int[] list, int n, int[] sortedRelevant) {
        int h = 0;
        for (int r = 0; r < n; r++) {
            if (java.util.Arrays.binarySearch(sortedRelevant, list[r]) >= 0) {
                h++;
            }
        }
        return h;
    }

    /**
     * NDCG@K = DCG / IDCG with DCG = Σ_{r=1..n} rel_r / log2(r + 1) and IDCG the DCG of an ideal
     * list, Σ_{r=1..min(K, |relevant|)} 1 / log2(r + 1). 0 when nothing is relevant.
     */
    public static double ndcg(int[] list, int n, int k, int[] sortedRelevant) {
        int ideal = Math.min(k, sortedRelevant.length);
        if (ideal == 0) {
            return 0.0;
        }
        double dcg = 0;
        for (int r = 0; r < Math.min(n, k); r++) {
            if (java.util.Arrays.binarySearch(sortedRelevant, list[r]) >= 0) {
                dcg += 1.0 / log2(r + 2);
            }
        }
        double idcg = 0;
        for (int r = 0; r < ideal; r++) {
            idcg += 1.0 / log2(r + 2);
        }
        return dcg / idcg;
    }

    /** Recall@K = hits / |relevant| (0 when nothing is relevant). */
    public static double recall(int[] list, int n, int[] sortedRelevant) {
        return sortedRelevant.length == 0 ? 0.0 : (double) hits(list, n, sortedRelevant) / sortedRelevant.length;
    }

    /** HitRate@K: 1 if at least one list entry is relevant, else 0. */
    public static double hitRate(int[] list, int n, int[] sortedRelevant) {
        return hits(list, n, sortedRelevant) > 0 ? 1.0 : 0.0;
    }

    /**
     * Intra-list diversity: the mean over pairs r &lt; s of the list of the cosine distance
     * {@code 1 − e_r·e_s / (‖e_r‖ ‖e_s‖)} of the item embeddings ([items × dim] row-major); a pair
     * with a zero vector has distance 1. NaN for lists shorter than 2.
     */
    public static double intraListDiversity(int[] list, int n, float[] embeddings, int dim) {
        if (n < 2) {
            return Double.NaN;
        }
        double sum = 0;
        int pairs = 0;
        for (int r = 0; r < n; r++) {
            for (int s = r + 1; s < n; s++) {
                int a = list[r] * dim;
                int b = list[s] * dim;
                double dot = 0;
                double na = 0;
                double nb = 0;
                for (int j = 0; j < dim; j++) {
                    dot += (double) embeddings[a + j] * embeddings[b + j];
                    na += (double) embeddings[a + j] * embeddings[a + j];
                    nb += (double) embeddings[b + j] * embeddings[b + j];
                }
                double cos = na == 0 || nb == 0 ? 0.0 : dot / Math.sqrt(na * nb);
                sum += 1.0 - cos;
                pairs++;
            }
        }
        return sum / pairs;
    }

    /**
     * Writes into {@code out} the indices of the (at most) k largest finite-or-+∞ scores (entries of
     * −∞ or NaN are never chosen), best first, ties broken by the lower index; returns how many.
     */
    public static int topK(float[] scores, int n, int k, int[] out) {
        int m = 0;
        for (int j = 0; j < n; j++) {
            float s = scores[j];
            if (!(s > Float.NEGATIVE_INFINITY)) {
                continue;
            }
            if (m < k) {
                int p = m++;
                while (p > 0 && scores[out[p - 1]] < s) {
                    out[p] = out[p - 1];
                    p--;
                }
                out[p] = j;
            } else if (s > scores[out[k - 1]]) {
                int p = k - 1;
                while (p > 0 && scores[out[p - 1]] < s) {
                    out[p] = out[p - 1];
                    p--;
                }
                out[p] = j;
            }
        }
        return m;
    }

    /** Number of metrics {@link #atCutoffs} writes per cut-off. */
    public static final int PER_CUTOFF = 5;
    /** Their names, in the order written: HR, NDCG, MRR, Recall, Precision. */
    public static final String[] NAMES = {"hr", "ndcg", "mrr", "recall", "precision"};

    /**
     * All list metrics at every cut-off in one pass, binary relevance. For each cut-off K (ascending)
     * writes {@value #PER_CUTOFF} values at {@code out[off + 5c ..]}:
     * <ul>
     *   <li>HR@K = 1 if any of the first K entries is relevant, else 0;</li>
     *   <li>NDCG@K = Σ_{r ≤ K, relevant} 1/log2(r+1) divided by the ideal Σ_{r ≤ min(K, R)} 1/log2(r+1);</li>
     *   <li>MRR@K = 1/r of the first relevant entry if r ≤ K, else 0;</li>
     *   <li>Recall@K = hits / R;</li>
     *   <li>Precision@K = hits / K (a list shorter than K counts its missing entries as misses);</li>
     * </ul>
     * where R = {@code sortedRelevant.length} (&gt; 0) and r is the 1-based rank.
     *
     * @param list recommended items, best first; {@code n} of them (at most the largest cut-off)
     * @param cutoffs ascending cut-offs
     */
    public static void atCutoffs(int[] list, int n, int[] sortedRelevant, int from, int to, int[] cutoffs,
            double[] out, int off) {
        int relevant = to - from;
        if (relevant <= 0) {
            throw new IllegalArgumentException("a user without relevant items cannot be evaluated");
        }
        double dcg = 0;
        int hits = 0;
        int firstHit = 0; // 1-based rank of the first hit, 0 = none yet
        int r = 0;
        for (int c = 0; c < cutoffs.length; c++) {
            int k = cutoffs[c];
            for (; r < Math.min(n, k); r++) {
                if (java.util.Arrays.binarySearch(sortedRelevant, from, to, list[r]) >= 0) {
                    hits++;
                    dcg += 1.0 / log2(r + 2);
                    if (firstHit == 0) {
                        firstHit = r + 1;
                    }
                }
            }
            int o = off + PER_CUTOFF * c;
            out[o] = hits > 0 ? 1.0 : 0.0;
            out[o + 1] = dcg / idealDcg(Math.min(k, relevant));
            out[o + 2] = firstHit > 0 ? 1.0 / firstHit : 0.0;
            out[o + 3] = (double) hits / relevant;
            out[o + 4] = (double) hits / k;
        }
    }

    /** Σ_{r=1..m} 1/log2(r+1): the DCG of m relevant items at the top. */
    static double idealDcg(int m) {
        double s = 0;
        for (int r = 0; r < m; r++) {
            s += 1.0 / log2(r + 2);
        }
        return s;
    }

    /**
     * The top k items by score, ties broken by {@code tieRank} (lower first), written best first into
     * {@code out}; returns how many (fewer than k when fewer items have a score above −∞). Items
     * with score −∞ or NaN are never chosen. O(n + hits · k).
     */
    public static int topK(float[] scores, int n, int k, int[] tieRank, int[] out) {
        int m = 0;
        for (int j = 0; j < n; j++) {
            float s = scores[j];
            if (!(s > Float.NEGATIVE_INFINITY)) {
                continue;
            }
            if (m == k) {
                int last = out[k - 1];
                float ls = scores[last];
                if (s < ls || (s == ls && tieRank[j] > tieRank[last])) {
                    continue;
                }
            } else {
                m++;
            }
            int p = m - 1;
            while (p > 0) {
                int prev = out[p - 1];
                float ps = scores[prev];
                if (ps > s || (ps == s && tieRank[prev] < tieRank[j])) {
                    break;
                }
                out[p] = prev;
                p--;
            }
            out[p] = j;
        }
        return m;
    }

    /**
     * Mean self-information of the list's items, (1/n) Σ −log2 p_i with
     * p_i = (c_i + 1) / (U + 1), c_i the number of training interactions with item i and U the number
     * of training users (Laplace-smoothed, so an item nobody saw is finite). NaN for an empty list.
     */
    public static double novelty(int[] list, int n, int[] itemCounts, int users) {
        if (n == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (int r = 0; r < n; r++) {
            s -= log2((itemCounts[list[r]] + 1.0) / (users + 1.0));
        }
        return s / n;
    }

    /**
     * Gini coefficient of exposure over the whole catalog: with e_(1) ≤ … ≤ e_(n) the number of
     * lists each item appears in, sorted, G = Σ_i (2i − n − 1) e_(i) / (n Σ_i e_(i)). 0 when every
     * item is shown equally often, (n − 1)/n when one item takes all exposure; NaN if nothing was shown.
     */
    public static double gini(long[] exposure) {
        long[] e = exposure.clone();
        java.util.Arrays.sort(e);
        int n = e.length;
        double total = 0;
        double weighted = 0;
        for (int i = 0; i < n; i++) {
            total += e[i];
            weighted += (2.0 * (i + 1) - n - 1) * e[i];
        }
        return total == 0 ? Double.NaN : weighted / (n * total);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2.0);
    }
}
