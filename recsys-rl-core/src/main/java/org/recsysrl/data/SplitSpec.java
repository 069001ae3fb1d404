package org.recsysrl.data;

import java.util.LinkedHashMap;
import java.util.Map;
import org.recsysrl.util.UserInputException;

/**
 * How to split a data set per user, chronologically: the last {@code holdoutLast} interactions of
 * each user, or the last {@code holdoutFraction} of them, are held out for testing; the rest is for
 * training. Users with fewer than {@code minUserRatings} interactions keep everything in training,
 * and every user keeps at least one interaction in training.
 *
 * <p>With a fraction, a user with {@code m} interactions holds out
 * {@code t = max(1, round(holdoutFraction · m))} (round half up), then {@code min(t, m − 1)}.
 *
 * @param holdoutLast interactions held out per user, &gt; 0; or 0 when a fraction is used
 * @param holdoutFraction fraction held out per user, in (0, 1); or 0 when a count is used
 * @param minUserRatings users with fewer interactions than this are not split, &ge; 1
 */
public record SplitSpec(int holdoutLast, double holdoutFraction, int minUserRatings) {

    /** The default: the last 20% of each user with at least 5 ratings. */
    public static final SplitSpec DEFAULT = lastFraction(0.2, 5);

    /** Validates; errors name the settings {@code split.holdout_last}, {@code split.holdout_fraction}, {@code split.min_user_ratings}. */
    public SplitSpec {
        if (holdoutLast < 0) {
            throw new UserInputException("split.holdout_last must be >= 0, got " + holdoutLast);
        }
        if (!(holdoutFraction >= 0.0 && holdoutFraction < 1.0)) {
            throw new UserInputException("split.holdout_fraction must be in [0, 1), got " + holdoutFraction);
        }
        if ((holdoutLast > 0) == (holdoutFraction > 0.0)) {
            throw new UserInputException("set exactly one of split.holdout_last (got " + holdoutLast
                    + ") and split.holdout_fraction (got " + holdoutFraction + ") to a positive value, the other to 0");
        }
        if (minUserRatings < 1) {
            throw new UserInputException("split.min_user_ratings must be >= 1, got " + minUserRatings);
        }
    }

    /** Hold out the last {@code k} interactions of each user with at least {@code minUserRatings}. */
    public static SplitSpec lastK(int k, int minUserRatings) {
        if (k <= 0) {
            throw new UserInputException("split.holdout_last must be >= 1, got " + k);
        }
        return new SplitSpec(k, 0.0, minUserRatings);
    }

    /** Hold out the last {@code fraction} of each user's interactions (users with at least {@code minUserRatings}). */
    public static SplitSpec lastFraction(double fraction, int minUserRatings) {
        if (!(fraction > 0.0 && fraction < 1.0)) {
            throw new UserInputException("split.holdout_fraction must be in (0, 1), got " + fraction);
        }
        return new SplitSpec(0, fraction, minUserRatings);
    }

    /** How many of a user's {@code m} interactions are held out under this spec. */
    public int holdoutCount(int m) {
        if (m < minUserRatings || m < 2) {
            return 0;
        }
        long t = holdoutLast > 0 ? holdoutLast : Math.max(1L, Math.round(holdoutFraction * m));
        return (int) Math.min(t, m - 1L);
    }

    /** One-line description, e.g. {@code last 20% per user (users with >= 5 ratings)}. */
    public String describe() {
        String what = holdoutLast > 0 ? "last " + holdoutLast : "last " + (holdoutFraction * 100) + "%";
        return what + " per user (users with >= " + minUserRatings + " ratings)";
    }

    /** The spec as string key/values ({@code split.holdout_last}, {@code split.holdout_fraction}, {@code split.min_user_ratings}). */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("split.holdout_last", Integer.toString(holdoutLast));
        m.put("split.holdout_fraction", Double.toString(holdoutFraction));
        m.put("split.min_user_ratings", Integer.toString(minUserRatings));
        return m;
    }

    /**
     * Reads what {@link #toMetadata()} wrote.
     *
     * @throws UserInputException naming {@code source} if a key is missing or malformed
     */
    public static SplitSpec fromMetadata(Map<String, String> metadata, String source) {
        String[] keys = {"split.holdout_last", "split.holdout_fraction", "split.min_user_ratings"};
        for (String k : keys) {
            if (metadata.get(k) == null) {
                throw new UserInputException(source + " does not record the data split (" + k + " is missing)");
            }
        }
        try {
            return new SplitSpec(Integer.parseInt(metadata.get(keys[0])), Double.parseDouble(metadata.get(keys[1])),
                    Integer.parseInt(metadata.get(keys[2])));
        } catch (NumberFormatException e) {
            throw new UserInputException(source + ": malformed data split (" + e.getMessage() + ")", e);
        }
    }
}
