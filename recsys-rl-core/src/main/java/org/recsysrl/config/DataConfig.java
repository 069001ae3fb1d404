package org.recsysrl.config;

/**
 * Real data: where it is and how to read it (the interaction-log settings, used by
 * {@code benchmark} and by training on logs), and the {@code movielens} environment's split,
 * factorisation and leaving rule ({@code env.type = movielens}).
 *
 * @param path a MovieLens folder, a ratings file or an interaction log; empty for the simulator
 * @param format {@code auto}, {@code movielens}, {@code csv}, {@code tsv}, {@code recbole}, {@code sequences} or {@code parquet}
 * @param userCol header name of a CSV/TSV log's user column ("" = a usual name such as user_id)
 * @param itemCol header name of the item column ("" = a usual name such as item_id)
 * @param timeCol header name of the time column ("" = a usual name such as timestamp, or none)
 * @param eventCol header name of the event-type column ("" = none)
 * @param valueCol header name of a numeric value column such as a rating ("" = none)
 * @param eventWeights weight per event type, e.g. {@code view=1,cart=3,purchase=5} ("" = all 1)
 * @param minRating interactions whose value (rating) is below this are dropped
 * @param userCore keep users with at least this many interactions (k-core; 0 = no filter)
 * @param itemCore keep items with at least this many interactions (k-core; 0 = no filter)
 * @param repeats {@code keep} repeated user–item interactions or keep only the {@code first}
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
        String format,
        String userCol,
        String itemCol,
        String timeCol,
        String eventCol,
        String valueCol,
        String eventWeights,
        double minRating,
        int userCore,
        int itemCore,
        String repeats,
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
    public static final java.util.List<String> FORMATS = java.util.List.of("auto", "movielens", "csv", "tsv",
            "recbole", "sequences", "parquet");
    public static final java.util.List<String> REPEATS = java.util.List.of("keep", "first");

    public static DataConfig defaults() {
        return new DataConfig("", "auto", "", "", "", "", "", "", 0.0, 0, 0, "keep", 0, 0.2, 5, 32, 15, 0.1, 42L,
                0.5, 3, "heldout");
    }

    /** This config with {@code data.path} replaced. */
    public DataConfig withPath(String newPath) {
        return new DataConfig(newPath, format, userCol, itemCol, timeCol, eventCol, valueCol, eventWeights, minRating,
                userCore, itemCore, repeats, holdoutLast, holdoutFraction, minUserRatings, mfDim, mfIterations,
                mfLambda, mfSeed, leaveThreshold, leavePatience, sessionUsers);
    }

    void validate() {
        Validation.check(path != null, "data.path must be a string (empty for the simulator)");
        Validation.oneOf("data.format", format, FORMATS);
        Validation.check(userCol != null && itemCol != null && timeCol != null && eventCol != null
                && valueCol != null && eventWeights != null, "data.*_col and data.event_weights must be strings");
        Validation.finite("data.min_rating", minRating);
        Validation.nonNegative("data.user_core", userCore);
        Validation.nonNegative("data.item_core", itemCore);
        Validation.oneOf("data.repeats", repeats, REPEATS);
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
