package org.recsysrl.env;

/**
 * The rating a data set gives a (user, item) pair, in the data set's own scale: the real rating
 * when the user rated the item, otherwise a model's prediction. Implemented by the data layer
 * (which may use env; env never imports data).
 */
@FunctionalInterface
public interface RatingLookup {
    /** Rating of {@code item} by {@code user} (dense data-set indices). */
    float rating(int user, int item);
}
