package org.recsysrl.env;

import org.recsysrl.util.Rng;

/** Random unit vectors, shared by the catalog and the user population. */
final class UnitVectors {

    private UnitVectors() {
    }

    /**
     * Fills {@code count} rows of length {@code dim} of a new row-major array: each row is
     * {@code z / ||z||₂} with {@code z ~ N(0, I)} drawn from {@code rng} (rows in order,
     * components in order; norm computed in double, stored as float). A row with zero norm
     * (probability zero) is redrawn.
     */
    static float[] generate(int count, int dim, Rng rng) {
        float[] out = new float[checkedSize(count, dim)];
        double[] z = new double[dim];
        for (int r = 0; r < count; r++) {
            double sq;
            do {
                sq = 0.0;
                for (int j = 0; j < dim; j++) {
                    z[j] = rng.nextGaussian();
                    sq += z[j] * z[j];
                }
            } while (!(sq > 0.0));
            double inv = 1.0 / Math.sqrt(sq);
            int base = r * dim;
            for (int j = 0; j < dim; j++) {
                out[base + j] = (float) (z[j] * inv);
            }
        }
        return out;
    }

    /** {@code count * dim} as an int, rejecting non-positive sizes and overflow. */
    static int checkedSize(int count, int dim) {
        if (count <= 0 || dim <= 0) {
            throw new IllegalArgumentException("count and dim must be positive: " + count + " x " + dim);
        }
        long n = (long) count * dim;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too large for one array: " + count + " x " + dim);
        }
        return (int) n;
    }
}
