package org.recsysrl.eval;

import java.util.Arrays;
import org.recsysrl.env.Environment;

/**
 * Offline top-K evaluation: for each user of a {@link RankingTask}, the session's first observation
 * (from {@code env.reset(user)}), the scorer's item scores with the user's training items set to
 * −∞, the top K, and NDCG@K, Recall@K and HitRate@K against the held-out items; plus catalog
 * coverage and intra-list diversity over all lists.
 */
public final class RankingEvaluation {
    private RankingEvaluation() {
    }

    public static RankingReport evaluate(ItemScorer scorer, Environment env, RankingTask task, int k) {
        if (k <= 0) {
            throw new IllegalArgumentException("k must be positive: " + k);
        }
        int items = task.itemCount();
        float[] obs = new float[env.observationSize()];
        float[] scores = new float[items];
        int[] list = new int[k];
        boolean[] recommended = new boolean[items];
        double ndcg = 0;
        double recall = 0;
        double hr = 0;
        double diversity = 0;
        int diverseLists = 0;
        int users = task.users();
        for (int u = 0; u < users; u++) {
            int user = task.envUsers()[u];
            env.reset(user, obs, 0);
            scorer.score(user, obs, scores);
            for (int t = task.trainOffsets()[u]; t < task.trainOffsets()[u + 1]; t++) {
                scores[task.trainItems()[t]] = Float.NEGATIVE_INFINITY;
            }
            int n = RankingMetrics.topK(scores, items, k, list);
            int[] relevant = Arrays.copyOfRange(task.testItems(), task.testOffsets()[u], task.testOffsets()[u + 1]);
            ndcg += RankingMetrics.ndcg(list, n, k, relevant);
            recall += RankingMetrics.recall(list, n, relevant);
            hr += RankingMetrics.hitRate(list, n, relevant);
            double d = RankingMetrics.intraListDiversity(list, n, task.itemEmbeddings(), task.dim());
            if (!Double.isNaN(d)) {
                diversity += d;
                diverseLists++;
            }
            for (int r = 0; r < n; r++) {
                recommended[list[r]] = true;
            }
        }
        int distinct = 0;
        for (boolean b : recommended) {
            if (b) {
                distinct++;
            }
        }
        double div = users == 0 ? Double.NaN : 1.0 / users;
        return new RankingReport(scorer.name(), k, users, ndcg * div, recall * div, hr * div,
                (double) distinct / items, diverseLists == 0 ? Double.NaN : diversity / diverseLists);
    }
}
