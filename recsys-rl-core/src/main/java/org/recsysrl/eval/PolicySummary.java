package org.recsysrl.eval;

import java.util.List;

/**
 * Averages over a policy's evaluation episodes.
 *
 * @param total mean episode return
 * @param totalStd standard deviation of the episode returns across episodes
 * @param mean mean of the per-episode mean step reward
 * @param max mean of the per-episode largest step reward
 * @param min mean of the per-episode smallest step reward
 * @param std mean of the per-episode standard deviation of step rewards
 */
public record PolicySummary(String policy, int episodes, double total, double totalStd, double mean, double max,
        double min, double std) implements java.io.Serializable {

    /** Summarises {@code episodes} (at least one). */
    public static PolicySummary of(String policy, List<EpisodeStats> episodes) {
        int n = episodes.size();
        double total = 0;
        double mean = 0;
        double max = 0;
        double min = 0;
        double std = 0;
        for (EpisodeStats e : episodes) {
            total += e.total();
            mean += e.mean();
            max += e.max();
            min += e.min();
            std += e.std();
        }
        total /= n;
        double var = 0;
        for (EpisodeStats e : episodes) {
            var += (e.total() - total) * (e.total() - total);
        }
        return new PolicySummary(policy, n, total, Math.sqrt(var / n), mean / n, max / n, min / n, std / n);
    }
}
