package org.recsysrl.data;

import java.util.Objects;

/**
 * A fitted matrix factorisation: {@code r̂(u,i) = μ + b_u + b_i + p_u · q_i} over dense user and
 * item indices. The vectors are row-major {@code float[]} matrices: user {@code u}'s vector is
 * {@code userFactors()[u*dim, (u+1)*dim)}, item {@code i}'s is {@code itemFactors()[i*dim, (i+1)*dim)}.
 * Users or items without training ratings have zero vectors and biases, so their prediction falls
 * back to the mean plus the other side's bias.
 *
 * <p>The arrays are exposed without copying (e.g. for building environment observations
 * {@code p_u ⊕ q_last}) and must not be modified. Immutable by convention, safe to share.
 */
public final class FactorizationModel {
    private final int dim;
    private final int userCount;
    private final int itemCount;
    private final float[] userFactors;
    private final float[] itemFactors;
    private final float[] userBias;
    private final float[] itemBias;
    private final double globalMean;
    private final float minRating;
    private final float maxRating;

    /**
     * Takes ownership of the arrays (not copied).
     *
     * @param userFactors {@code userCount × dim}, row-major
     * @param itemFactors {@code itemCount × dim}, row-major
     * @param userBias {@code userCount} biases (all 0 for a model without biases)
     * @param itemBias {@code itemCount} biases
     * @param globalMean μ
     * @param minRating lower end of the rating scale, for {@link #predict}
     * @param maxRating upper end of the rating scale
     */
    public FactorizationModel(int dim, float[] userFactors, float[] itemFactors, float[] userBias, float[] itemBias,
            double globalMean, float minRating, float maxRating) {
        if (dim <= 0) {
            throw new IllegalArgumentException("dim must be positive: " + dim);
        }
        Objects.requireNonNull(userFactors, "userFactors");
        Objects.requireNonNull(itemFactors, "itemFactors");
        if (userFactors.length % dim != 0 || itemFactors.length % dim != 0
                || userBias.length != userFactors.length / dim || itemBias.length != itemFactors.length / dim) {
            throw new IllegalArgumentException("factor and bias array lengths do not match dim " + dim);
        }
        if (!(minRating <= maxRating)) {
            throw new IllegalArgumentException("rating range [" + minRating + ", " + maxRating + "] is empty");
        }
        this.dim = dim;
        this.userCount = userFactors.length / dim;
        this.itemCount = itemFactors.length / dim;
        this.userFactors = userFactors;
        this.itemFactors = itemFactors;
        this.userBias = userBias;
        this.itemBias = itemBias;
        this.globalMean = globalMean;
        this.minRating = minRating;
        this.maxRating = maxRating;
    }

    /** Length of each user and item vector. */
    public int dim() {
        return dim;
    }

    /** Number of users (rows of {@link #userFactors()}). */
    public int userCount() {
        return userCount;
    }

    /** Number of items (rows of {@link #itemFactors()}). */
    public int itemCount() {
        return itemCount;
    }

    /** User vectors {@code p_u}, {@code userCount × dim} row-major (shared). */
    public float[] userFactors() {
        return userFactors;
    }

    /** Item vectors {@code q_i}, {@code itemCount × dim} row-major (shared). */
    public float[] itemFactors() {
        return itemFactors;
    }

    /** User biases {@code b_u} (shared). */
    public float[] userBias() {
        return userBias;
    }

    /** Item biases {@code b_i} (shared). */
    public float[] itemBias() {
        return itemBias;
    }

    /** The global mean μ of the training ratings. */
    public double globalMean() {
        return globalMean;
    }

    /** Lower end of the rating scale. */
    public float minRating() {
        return minRating;
    }

    /** Upper end of the rating scale. */
    public float maxRating() {
        return maxRating;
    }

    /** Copies user {@code user}'s vector {@code p_u} into {@code out[offset, offset + dim)}. */
    public void copyUserVector(int user, float[] out, int offset) {
        Objects.checkIndex(user, userCount);
        System.arraycopy(userFactors, user * dim, out, offset, dim);
    }

    /** Copies item {@code item}'s vector {@code q_i} into {@code out[offset, offset + dim)}. */
    public void copyItemVector(int item, float[] out, int offset) {
        Objects.checkIndex(item, itemCount);
        System.arraycopy(itemFactors, item * dim, out, offset, dim);
    }

    /** {@code μ + b_u + b_i + p_u · q_i}, unclamped. */
    public double predictRaw(int user, int item) {
        int pu = user * dim;
        int qi = item * dim;
        double s = 0;
        for (int k = 0; k < dim; k++) {
            s += (double) userFactors[pu + k] * itemFactors[qi + k];
        }
        return globalMean + userBias[user] + itemBias[item] + s;
    }

    /** The predicted rating {@link #predictRaw} clamped to {@code [minRating, maxRating]}. */
    public double predict(int user, int item) {
        return Math.max(minRating, Math.min(maxRating, predictRaw(user, item)));
    }

    /**
     * Writes the clamped predicted rating of every item for {@code user} into
     * {@code out[0..itemCount)} (e.g. for a greedy-by-score baseline or to fill rewards).
     */
    public void predictAll(int user, float[] out) {
        if (out.length < itemCount) {
            throw new IllegalArgumentException("out has " + out.length + " entries, need " + itemCount);
        }
        for (int i = 0; i < itemCount; i++) {
            out[i] = (float) predict(user, i);
        }
    }

    /**
     * Root-mean-square error of the clamped predictions over the interactions {@code indices} of
     * {@code data}: {@code sqrt(mean((r − predict(u,i))²))}; NaN if {@code indices} is empty.
     */
    public double rmse(RatingDataset data, int[] indices) {
        if (indices.length == 0) {
            return Double.NaN;
        }
        double se = 0;
        for (int k : indices) {
            double e = data.rating(k) - predict(data.user(k), data.item(k));
            se += e * e;
        }
        return Math.sqrt(se / indices.length);
    }
}
