package org.recsysrl.config;

/**
 * The real-data environment ({@code env.type = movielens}): where the ratings are, how they are
 * split, the matrix factorisation that gives the embeddings and the predicted ratings, and when a
 * user leaves a session.
 *
 * @param path a MovieLens folder (100k, 1M, latest) or a ratings file; empty for the simulator
 * @param holdoutLast hold out each user's last k ratings (0 = use {@code holdoutFraction})
 * @param holdoutFraction hold out this fraction of each user's ratings (used when holdoutLast = 0)
 * @param minUserRatings users with fewer ratings keep them all in training
 * @param mfDim embedding dimension of the factorisation
 * @param mfIterations ALS sweeps
 * @param mfLambda ALS L2 regularisation
 * @param mfSeed seed of the factorisation's initialisation
 * @param leaveThreshold a scaled reward (in [0, 1]) below this is a low-reward item
 * @param leavePatience the user leaves after this many consecutive low-reward items (0 = never)
 * @param sessionUsers {@code heldout} (users with held-out ratings) or {@code all}
 */
public record DataConfig(
        String path,
        int holdoutLast,
        double holdoutFraction,
        int minUserRatings,
        int mfDim,
        int mfIterations,
        double mfLambda,
        long mfSeed,
        double leaveThreshold,
        int leavePatience,
        String sessionUsers) {

    public static final java.util.List<String> SESSION_USERS = java.util.List.of("heldout", "all");

    public static DataConfig defaults() {
        return new DataConfig("", 0, 0.2, 5, 32, 15, 0.1, 42L, 0.5, 3, "heldout");
    }

    /** This config with {@code data.path} replaced. */
    public DataConfig withPath(String newPath) {
        return new DataConfig(newPath, holdoutLast, holdoutFraction, minUserRatings, mfDim, mfIterations, mfLambda,
                mfSeed, leaveThreshold, leavePatience, sessionUsers);
    }

    void validate() {
        Validation.check(path != null, "data.path must be a string (empty for the simulator)");
        Validation.nonNegative("data.holdout_last", holdoutLast);
        Validation.inRange("data.holdout_fraction", holdoutFraction, 0.0, true, 1.0, false);
        Validation.check(holdoutLast > 0 || holdoutFraction > 0,
                "data.holdout_fraction must be > 0 when data.holdout_last is 0: set one of them");
        Validation.positive("data.min_user_ratings", minUserRatings);
        Validation.positive("data.mf_dim", mfDim);
        Validation.positive("data.mf_iterations", mfIterations);
        Validation.positiveFinite("data.mf_lambda", mfLambda);
        Validation.inRange("data.leave_threshold", leaveThreshold, 0.0, true, 1.0, true);
        Validation.nonNegative("data.leave_patience", leavePatience);
        Validation.oneOf("data.session_users", sessionUsers, SESSION_USERS);
    }
}
