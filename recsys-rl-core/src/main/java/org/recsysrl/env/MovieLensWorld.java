package org.recsysrl.env;

import java.util.Objects;

/**
 * What every {@link MovieLensEnv} of a run shares, as plain arrays: the factorisation's user and
 * item embeddings ([users × dim] and [items × dim] row-major, not copied), the rating of every
 * (user, item) pair (real when rated, predicted otherwise), the rating scale, the users a session
 * can start with (dense data-set user indices) and each one's first "last item" (the last item of
 * the user's training history), and the session rules.
 *
 * <p>Built by the data layer (which knows ratings files, splits and factorisations); this package
 * stays free of them, so the dependency arrow is {@code data → env}.
 *
 * @param maxEpisodeSteps time limit of a session (a truncation); at most the number of items
 * @param leaveThreshold a step whose scaled reward is below this counts as a low-reward item
 * @param leavePatience the user leaves (the episode terminates) after this many consecutive
 *     low-reward items; 0 = never leaves
 */
public record MovieLensWorld(int itemCount, int dim, float[] userEmbeddings, float[] itemEmbeddings,
        RatingLookup ratings, float minRating, float maxRating, int[] sessionUsers, int[] firstItems,
        int maxEpisodeSteps, double leaveThreshold, int leavePatience) {

    public MovieLensWorld {
        Objects.requireNonNull(ratings, "ratings");
        if (itemCount <= 0 || dim <= 0) {
            throw new IllegalArgumentException("itemCount and dim must be positive");
        }
        if (itemEmbeddings.length != itemCount * dim || userEmbeddings.length % dim != 0) {
            throw new IllegalArgumentException("embedding shapes do not match itemCount and dim");
        }
        if (sessionUsers.length == 0 || firstItems.length != sessionUsers.length) {
            throw new IllegalArgumentException("need at least one session user and one first item per user");
        }
        if (!(maxRating > minRating)) {
            throw new IllegalArgumentException("rating scale [" + minRating + ", " + maxRating + "] is empty");
        }
        if (maxEpisodeSteps <= 0 || maxEpisodeSteps > itemCount) {
            throw new IllegalArgumentException("maxEpisodeSteps must be in [1, itemCount]: " + maxEpisodeSteps);
        }
        if (leavePatience < 0) {
            throw new IllegalArgumentException("leavePatience must be >= 0");
        }
    }

    /** Observation width: user embedding ⊕ last item embedding = 2 · dim. */
    public int observationSize() {
        return 2 * dim;
    }

    /** Number of users a session can start with. */
    public int userCount() {
        return sessionUsers.length;
    }

    /** The rating of (data-set user, item) scaled to [0, 1]: (r − min) / (max − min), clamped. */
    public float scaledReward(int dataUser, int item) {
        float r = (ratings.rating(dataUser, item) - minRating) / (maxRating - minRating);
        return Math.min(1f, Math.max(0f, r));
    }

    /** A new environment over this world, drawing users from its own stream seeded by {@code seed}. */
    public MovieLensEnv newEnvironment(long seed) {
        return new MovieLensEnv(this, seed);
    }
}
