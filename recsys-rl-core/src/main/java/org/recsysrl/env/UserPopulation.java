package org.recsysrl.env;

import java.util.Objects;
import org.recsysrl.util.Rng;

/**
 * The persistent users: {@code size()} interest vectors of length {@code dim()}, stored row-major
 * in one {@code float[size*dim]} (user {@code u} occupies {@code [u*dim, (u+1)*dim)}). An episode
 * starts from a copy of one of them. Immutable by convention: the array is exposed without copying
 * and must not be modified.
 */
public final class UserPopulation {
    private final int size;
    private final int dim;
    private final float[] vectors;

    /**
     * Takes ownership of {@code vectors} (not copied).
     *
     * @throws IllegalArgumentException if a count is not positive or the length is not
     *     {@code numUsers * dim}
     */
    public UserPopulation(int numUsers, int dim, float[] vectors) {
        int n = UnitVectors.checkedSize(numUsers, dim);
        Objects.requireNonNull(vectors, "vectors");
        if (vectors.length != n) {
            throw new IllegalArgumentException("vectors length " + vectors.length
                    + " != numUsers * dim = " + numUsers + " * " + dim);
        }
        this.size = numUsers;
        this.dim = dim;
        this.vectors = vectors;
    }

    /**
     * A random population: each user is {@code z / ||z||₂} with {@code z ~ N(0, I_dim)} drawn from
     * {@code rng} (users in id order), i.e. uniform on the unit sphere.
     */
    public static UserPopulation generate(int numUsers, int dim, Rng rng) {
        return new UserPopulation(numUsers, dim, UnitVectors.generate(numUsers, dim, rng));
    }

    /** Number of users. */
    public int size() {
        return size;
    }

    /** Length of one user vector. */
    public int dim() {
        return dim;
    }

    /** All user vectors, {@code [size*dim]} row-major; shared, do not modify. */
    public float[] vectors() {
        return vectors;
    }

    /** Start of user {@code user}'s vector in {@link #vectors()}: {@code user * dim}. */
    public int offset(int user) {
        return user * dim;
    }
}
