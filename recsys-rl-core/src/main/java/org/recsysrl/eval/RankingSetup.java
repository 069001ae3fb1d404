package org.recsysrl.eval;

import java.util.Objects;
import org.recsysrl.util.Rng;

/**
 * What a full-ranking evaluation needs besides the model and the task: the cut-offs, the fixed
 * order that breaks ties between equal scores, the training popularity (for novelty) and, where
 * items have feature vectors, those vectors (for intra-list diversity).
 *
 * <p>Ties are broken by a random permutation of the items drawn once from the seed and shared by
 * every model: a model that gives many items the same score (popularity counts, zero kNN scores)
 * is then ranked as if ties were resolved at random, instead of favouring low item indices, which
 * in most files correlate with the order users appear in.
 *
 * @param cutoffs ascending cut-offs K
 * @param mainK the cut-off of novelty, diversity and the main table (one of {@code cutoffs})
 * @param tieRank a permutation of the items: among equal scores, the lower rank comes first
 * @param trainItemCounts training interactions per item
 * @param trainUsers number of users with training interactions
 * @param itemFeatures {@code [items × featureDim]} vectors for diversity, or null
 * @param featureDim width of a feature vector (0 without features)
 */
public record RankingSetup(int[] cutoffs, int mainK, int[] tieRank, int[] trainItemCounts, int trainUsers,
        float[] itemFeatures, int featureDim) {

    public RankingSetup {
        Objects.requireNonNull(cutoffs, "cutoffs");
        Objects.requireNonNull(tieRank, "tieRank");
        Objects.requireNonNull(trainItemCounts, "trainItemCounts");
        for (int c = 0; c < cutoffs.length; c++) {
            if (cutoffs[c] < 1 || (c > 0 && cutoffs[c] <= cutoffs[c - 1])) {
                throw new IllegalArgumentException("cut-offs must be positive and ascending");
            }
        }
        if (java.util.Arrays.binarySearch(cutoffs, mainK) < 0) {
            throw new IllegalArgumentException("the main cut-off must be one of the cut-offs");
        }
        if (tieRank.length != trainItemCounts.length) {
            throw new IllegalArgumentException("one tie rank and one count per item");
        }
        if (itemFeatures != null && itemFeatures.length != tieRank.length * featureDim) {
            throw new IllegalArgumentException("item features must be items × featureDim");
        }
    }

    /** A uniformly random permutation of {@code n} items from {@code seed} (Fisher–Yates). */
    public static int[] randomTieRank(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Rng rng = Rng.stream(seed, 31);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] rank = new int[n];
        for (int r = 0; r < n; r++) {
            rank[order[r]] = r;
        }
        return rank;
    }

    /** The largest cut-off (the length of every list). */
    public int maxK() {
        return cutoffs[cutoffs.length - 1];
    }

    /** Index of {@code mainK} in {@code cutoffs}. */
    public int mainIndex() {
        return java.util.Arrays.binarySearch(cutoffs, mainK);
    }
}
