package org.recsysrl.eval;

/**
 * One evaluation episode: the user served and statistics of its step rewards.
 *
 * @param total sum of the step rewards
 * @param mean total / length
 * @param max largest step reward
 * @param min smallest step reward
 * @param std population standard deviation of the step rewards
 */
public record EpisodeStats(int user, int length, double total, double mean, double max, double min, double std)
        implements java.io.Serializable {
}
