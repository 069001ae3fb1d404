package org.recsysrl.recommend;

/**
 * What a fit may know besides the training interactions.
 *
 * @param threads threads the fit may use (at least 1); results must not depend on it
 * @param seed seed for anything random in the fit
 * @param hasTimes whether the interactions carry times (otherwise order within a user is all)
 * @param ratings whether the weights are explicit ratings (a rating-prediction model applies)
 */
public record FitContext(int threads, long seed, boolean hasTimes, boolean ratings) {
    public FitContext {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1");
        }
    }
}
