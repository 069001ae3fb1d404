package org.recsysrl.eval;

/**
 * Mean top-K ranking metrics of one recommender over the held-out users.
 *
 * @param diversity mean intra-list diversity over users whose list has at least 2 items
 * @param coverage distinct recommended items over all users / catalog size
 */
public record RankingReport(String name, int k, int users, double ndcg, double recall, double hitRate,
        double coverage, double diversity) {
}
