package org.recsysrl.recommend;

/**
 * What a fit may know besides the training interactions.
 *
 * @param threads threads the fit may use (at least 1); results must not depend on it
 * @param seed seed for anything random in the fit
 * @param hasTimes whether the interactions carry times (otherwise order within a user is all)
 * @param ratings whether the weights are explicit ratings (a rating-prediction model applies)
 * @param memoryBudget heap bytes a fit and its scoring may take (a model that can shrink itself,
 *     EASE to the most popular items, does so to stay within it)
 */
public record FitContext(int threads, long seed, boolean hasTimes, boolean ratings, long memoryBudget) {
    public FitContext {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1");
        }
        if (memoryBudget < 0) {
            throw new IllegalArgumentException("memoryBudget must be >= 0");
        }
    }

    /** A context whose memory budget is the heap's maximum ({@code -Xmx}). */
    public FitContext(int threads, long seed, boolean hasTimes, boolean ratings) {
        this(threads, seed, hasTimes, ratings, Runtime.getRuntime().maxMemory());
    }
}
