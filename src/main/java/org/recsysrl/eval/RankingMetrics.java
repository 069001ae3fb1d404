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

    private static double log2(double x) {
        return Math.log(x) / Math.log(2.0);
    }
}
