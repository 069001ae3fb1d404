package org.recsysrl.env;

import java.util.Objects;
import org.recsysrl.util.Rng;

/**
 * The items that can be recommended: {@code size()} embeddings of length {@code dim()}, stored
 * row-major in one {@code float[size*dim]} (item {@code a} occupies
 * {@code [a*dim, (a+1)*dim)}). Immutable by convention: the array is exposed without copying and
 * must not be modified.
 */
public final class ItemCatalog {
    private final int size;
    private final int dim;
    private final float[] embeddings;

    /**
     * Takes ownership of {@code embeddings} (not copied).
     *
     * @throws IllegalArgumentException if a count is not positive or the length is not
     *     {@code numItems * dim}
     */
    public ItemCatalog(int numItems, int dim, float[] embeddings) {
        int n = UnitVectors.checkedSize(numItems, dim);
        Objects.requireNonNull(embeddings, "embeddings");
        if (embeddings.length != n) {
            throw new IllegalArgumentException("embeddings length " + embeddings.length
                    + " != numItems * dim = " + numItems + " * " + dim);
        }
        this.size = numItems;
        this.dim = dim;
        this.embeddings = embeddings;
    }

    /**
     * A random catalog: each item is {@code z / ||z||₂} with {@code z ~ N(0, I_dim)} drawn from
     * {@code rng} (items in index order), i.e. uniform on the unit sphere.
     */
    public static ItemCatalog generate(int numItems, int dim, Rng rng) {
        return new ItemCatalog(numItems, dim, UnitVectors.generate(numItems, dim, rng));
    }

    /** Number of items. */
    public int size() {
        return size;
    }

    /** Length of one embedding. */
    public int dim() {
        return dim;
    }

    /** All embeddings, {@code [size*dim]} row-major; shared, do not modify. */
    public float[] embeddings() {
        return embeddings;
    }

    /** Start of item {@code item}'s embedding in {@link #embeddings()}: {@code item * dim}. */
    public int offset(int item) {
        return item * dim;
    }
}
