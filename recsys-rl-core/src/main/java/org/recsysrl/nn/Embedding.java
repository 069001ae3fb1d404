package org.recsysrl.nn;

/**
 * A lookup table of {@code rows × dim} vectors ({@code name + ".weight"}, PyTorch's
 * {@code nn.Embedding} layout), read by index. Index −1 stands for padding: it reads a zero vector
 * and receives no gradient.
 *
 * <p>The gradient of a lookup touches only the rows that were read. {@link #backward} adds into
 * {@code store.grad()} and records those rows in a {@link RowSet}, so that an optimiser can update
 * just them ({@link Adam#updateRows}) and the gradient can be cleared row by row
 * ({@link #clearGrad}) instead of sweeping the whole table.
 */
public final class Embedding {
    private final ParameterStore store;
    private final String name;
    private final int rows;
    private final int dim;
    private final int offset;

    /** Allocates the {@code [rows, dim]} table. */
    public Embedding(ParameterStore store, String name, int rows, int dim) {
        if (rows <= 0 || dim <= 0) {
            throw new IllegalArgumentException("Embedding '" + name + "' needs positive sizes");
        }
        this.store = store;
        this.name = name;
        this.rows = rows;
        this.dim = dim;
        this.offset = store.allocate(name + ".weight", rows, dim);
    }

    /** Number of rows. */
    public int rows() {
        return rows;
    }

    /** Width of a row. */
    public int dim() {
        return dim;
    }

    /** Offset of row 0 in the store's data()/grad(); row r starts at {@code offset() + r·dim}. */
    public int offset() {
        return offset;
    }

    /** The table's parameter name. */
    public String name() {
        return name + ".weight";
    }

    /** Fills the table with N(0, std²) values from {@code rng}. */
    public void initializeNormal(double std, org.recsysrl.util.Rng rng) {
        float[] p = store.data();
        for (int k = 0; k < rows * dim; k++) {
            p[offset + k] = (float) (std * rng.nextGaussian());
        }
    }

    /** Writes row {@code ids[k]} (zeros for −1) into {@code out[k·dim ..]} for {@code k < count}. */
    public void forward(int[] ids, int count, float[] out) {
        float[] p = store.data();
        for (int k = 0; k < count; k++) {
            int id = ids[k];
            if (id < 0) {
                java.util.Arrays.fill(out, k * dim, (k + 1) * dim, 0f);
            } else {
                System.arraycopy(p, offset + checkRow(id) * dim, out, k * dim, dim);
            }
        }
    }

    /**
     * Adds {@code dOut[k·dim ..]} into the gradient of row {@code ids[k]} for {@code k < count}
     * (padding skipped) and records the rows in {@code touched} (may be null).
     */
    public void backward(int[] ids, int count, float[] dOut, RowSet touched) {
        float[] g = store.grad();
        for (int k = 0; k < count; k++) {
            int id = ids[k];
            if (id < 0) {
                continue;
            }
            int o = offset + checkRow(id) * dim;
            int d = k * dim;
            for (int j = 0; j < dim; j++) {
                g[o + j] += dOut[d + j];
            }
            if (touched != null) {
                touched.add(id);
            }
        }
    }

    /** Zeroes the gradient of the rows in {@code touched}. */
    public void clearGrad(RowSet touched) {
        float[] g = store.grad();
        for (int i = 0; i < touched.size(); i++) {
            int o = offset + touched.get(i) * dim;
            java.util.Arrays.fill(g, o, o + dim, 0f);
        }
    }

    private int checkRow(int id) {
        if (id >= rows) {
            throw new IndexOutOfBoundsException(name + ": row " + id + " of " + rows);
        }
        return id;
    }

    /** A set of row indices, with insertion order, O(1) add and clear. */
    public static final class RowSet {
        private final int[] stamp;
        private final int[] list;
        private int size;
        private int epoch = 1;

        /** A set over rows {@code 0..rows-1}. */
        public RowSet(int rows) {
            stamp = new int[rows];
            list = new int[rows];
        }

        /** Adds {@code row} if absent. */
        public void add(int row) {
            if (stamp[row] != epoch) {
                stamp[row] = epoch;
                list[size++] = row;
            }
        }

        /** Number of rows. */
        public int size() {
            return size;
        }

        /** The k-th row added. */
        public int get(int k) {
            return list[k];
        }

        /** True if {@code row} is in the set. */
        public boolean contains(int row) {
            return stamp[row] == epoch;
        }

        /** Empties the set. */
        public void clear() {
            size = 0;
            if (++epoch == Integer.MAX_VALUE) {
                java.util.Arrays.fill(stamp, 0);
                epoch = 1;
            }
        }
    }
}
