package org.recsysrl.api;

/**
 * A model's scores in inner-product form: item i's logit is {@code query · rows[i]}, and its
 * log-probability the log-softmax of the logits over the catalog (see
 * {@link Recommender#logitVectors()}).
 *
 * @param rows [items × dimension] row-major, one row per item in the model's order (shared: do not change)
 * @param dimension the width of a row (an item bias, when the model has one, is the last component)
 * @param items the number of rows
 * @param lastIsBias whether the last component of every row is an item bias, whose query component is always 1
 */
public record LogitVectors(float[] rows, int dimension, int items, boolean lastIsBias) {
    /** Vectors without a bias component (every component a direction). */
    public LogitVectors(float[] rows, int dimension, int items) {
        this(rows, dimension, items, false);
    }

    /**
     * The logit of item {@code i} for {@code query}: the float products summed in double, rounded
     * once to float (the scores every index path answers with).
     */
    public float logit(float[] query, int i) {
        double sum = 0;
        int off = i * dimension;
        for (int d = 0; d < dimension; d++) {
            sum += (double) query[d] * rows[off + d];
        }
        return (float) sum;
    }
}
