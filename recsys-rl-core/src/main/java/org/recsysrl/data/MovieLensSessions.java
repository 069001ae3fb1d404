package org.recsysrl.data;

import org.recsysrl.env.MovieLensWorld;

/**
 * Builds the shared world of the {@code movielens} environment from a rating log, its split and a
 * factorisation fitted on the training part. This is where {@code data} meets {@code env}: the
 * arrow is {@code data → env}, env never imports data.
 */
public final class MovieLensSessions {
    private MovieLensSessions() {
    }

    /**
     * The world whose rewards are the user's real training rating of an item when there is one,
     * else the factorisation's (clamped) prediction, scaled with the data set's rating range.
     * Session users: those with at least one training rating and, when {@code heldoutOnly}, at
     * least one held-out rating; a session starts from the user's last training item.
     *
     * @throws org.recsysrl.util.UserInputException if the data has fewer than 2 users or items or
     *     no rating scale ({@link RatingsReader#requireRatingScale}), or if no user qualifies
     */
    public static MovieLensWorld world(Split split, FactorizationModel model, int maxEpisodeSteps,
            double leaveThreshold, int leavePatience, boolean heldoutOnly) {
        RatingDataset data = RatingsReader.requireRatingScale(split.data());
        RatingIndex train = RatingIndex.of(data, split.train());
        int[] users = sessionUsers(split, heldoutOnly);
        int[] first = new int[users.length];
        for (int k = 0; k < users.length; k++) {
            first[k] = split.lastTrainItem(users[k]);
        }
        int steps = Math.min(maxEpisodeSteps, data.itemCount());
        return new MovieLensWorld(data.itemCount(), model.dim(), model.userFactors(), model.itemFactors(),
                (u, i) -> train.rated(u, i) ? train.rating(u, i) : (float) model.predict(u, i),
                data.minRating(), data.maxRating(), users, first, steps, leaveThreshold, leavePatience);
    }

    /** Dense user indices that can start a session (ascending). */
    public static int[] sessionUsers(Split split, boolean heldoutOnly) {
        int n = split.data().userCount();
        int count = 0;
        for (int u = 0; u < n; u++) {
            if (qualifies(split, u, heldoutOnly)) {
                count++;
            }
        }
        if (count == 0) {
            throw new org.recsysrl.util.UserInputException("no user of " + split.data().identity().path()
                    + " has both training and held-out ratings: lower data.min_user_ratings or use "
                    + "data.session_users=all");
        }
        int[] users = new int[count];
        int k = 0;
        for (int u = 0; u < n; u++) {
            if (qualifies(split, u, heldoutOnly)) {
                users[k++] = u;
            }
        }
        return users;
    }

    private static boolean qualifies(Split split, int u, boolean heldoutOnly) {
        return split.trainCount(u) > 0 && (!heldoutOnly || split.testCount(u) > 0);
    }
}
