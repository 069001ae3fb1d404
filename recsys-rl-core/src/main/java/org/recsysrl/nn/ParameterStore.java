package org.recsysrl.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Flat parameter storage: all parameters of a model live in one {@code float[]} ({@link #data()})
 * and their gradients in a second array of the same length ({@link #grad()}).
 *
 * <p>Tensors are reserved with {@link #allocate(String, int...)}, which hands out contiguous
 * offsets in allocation order. The two arrays are created (zero-filled) on the first call to
 * {@link #data()} or {@link #grad()}; from then on the layout is frozen and further allocations are
 * rejected. Not thread-safe.
 */
public final class ParameterStore {

    /**
     * One named tensor of the store.
     *
     * @param name unique name, e.g. {@code "actor.backbone.0.weight"}
     * @param shape dimensions, row-major (the record keeps its own copy)
     * @param offset index of the first element in {@link #data()} / {@link #grad()}
     * @param length number of elements (product of {@code shape})
     * @param transposed whether a 2-D tensor is stored column-major: element (r, c) of the
     *     {@code [rows, cols]} tensor at {@code offset + c*rows + r} instead of
     *     {@code offset + r*cols + c} (see {@link #allocateTransposed})
     */
    public record Entry(String name, int[] shape, int offset, int length, boolean transposed) {
        /** Canonical constructor; copies {@code shape} so the entry is immutable. */
        public Entry {
            shape = shape.clone();
            if (transposed && shape.length != 2) {
                throw new IllegalArgumentException("only a 2-D tensor can be stored transposed: " + name);
            }
        }

        /** A row-major entry. */
        public Entry(String name, int[] shape, int offset, int length) {
            this(name, shape, offset, length, false);
        }

        /** Where element {@code (r, c)} of this 2-D tensor lives in {@link #data()}. */
        public int index(int r, int c) {
            return transposed ? offset + c * shape[0] + r : offset + r * shape[1] + c;
        }

        /** A copy of the shape (callers may modify the returned array freely). */
        @Override
        public int[] shape() {
            return shape.clone();
        }

        /** Value equality including the shape contents. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e
                    && e.name.equals(name)
                    && Arrays.equals(e.shape, shape)
                    && e.offset == offset
                    && e.length == length
                    && e.transposed == transposed;
        }

        /** Hash consistent with {@link #equals(Object)}. */
        @Override
        public int hashCode() {
            return (((name.hashCode() * 31 + Arrays.hashCode(shape)) * 31 + offset) * 31 + length) * 2
                    + (transposed ? 1 : 0);
        }

        /** Human-readable form, e.g. {@code Entry[a.weight [4, 3] @0+12]}. */
        @Override
        public String toString() {
            return "Entry[" + name + " " + Arrays.toString(shape) + (transposed ? "ᵀ" : "") + " @" + offset + "+" + length
                    + "]";
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, Entry> byName = new HashMap<>();
    private int size;
    private float[] data;
    private float[] grad;
    /** Per-thread gradient arrays bound by {@link #withGradient}; read only once one was bound. */
    private final ThreadLocal<float[]> threadGradient = new ThreadLocal<>();
    private volatile boolean gradientsBound;

    /** Creates an empty store with no tensors. */
    public ParameterStore() {}

    /**
     * Reserves a tensor of the given shape and returns its offset into {@link #data()} /
     * {@link #grad()}; the offset equals the current {@link #size()} (tensors are contiguous).
     *
     * @param name unique, non-empty name
     * @param shape at least one dimension, each positive
     * @return the offset of the first element
     * @throws IllegalArgumentException if the name is already used, empty, or the shape is invalid
     * @throws IllegalStateException if {@link #data()} or {@link #grad()} was already called
     */
    public int allocate(String name, int... shape) {
        return add(name, shape, false);
    }

    /**
     * Reserves a {@code [rows, cols]} tensor stored column-major, i.e. as its transpose
     * {@code [cols, rows]} in row-major order. Its name, shape and exported values
     * ({@link #toLogical}) are those of the {@code [rows, cols]} tensor; only the layout in
     * {@link #data()} and {@link #grad()} differs. Layers use it to keep a weight in the layout
     * their products read fastest.
     *
     * @return the offset of the first element
     * @throws IllegalArgumentException as {@link #allocate}
     * @throws IllegalStateException as {@link #allocate}
     */
    public int allocateTransposed(String name, int rows, int cols) {
        return add(name, new int[] {rows, cols}, true);
    }

    private int add(String name, int[] shape, boolean transposed) {
        if (data != null) {
            throw new IllegalStateException(
                    "cannot allocate '" + name + "': the parameter layout is frozen (data()/grad() already called)");
        }
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("parameter name must be non-empty");
        }
        if (byName.containsKey(name)) {
            throw new IllegalArgumentException("duplicate parameter name: " + name);
        }
        if (shape == null || shape.length == 0) {
            throw new IllegalArgumentException("parameter '" + name + "' needs at least one dimension");
        }
        long length = 1;
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException(
                        "parameter '" + name + "' has a non-positive dimension: " + Arrays.toString(shape));
            }
            length *= d;
        }
        if (size + length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("parameter store too large when adding '" + name + "'");
        }
        Entry e = new Entry(name, shape, size, (int) length, transposed);
        entries.add(e);
        byName.put(name, e);
        size += (int) length;
        return e.offset();
    }

    /**
     * All parameter values, {@link #size()} floats, zero-initialised. The first call (to this or
     * {@link #grad()}) creates the arrays and freezes the layout. The same array is returned every
     * time; callers may modify it.
     */
    public float[] data() {
        freeze();
        return data;
    }

    /**
     * All gradients, same layout and length as {@link #data()}. The first call (to this or
     * {@link #data()}) creates the arrays and freezes the layout. The same array is returned every
     * time; callers may modify it.
     */
    public float[] grad() {
        freeze();
        if (gradientsBound) {
            float[] bound = threadGradient.get();
            if (bound != null) {
                return bound;
            }
        }
        return grad;
    }

    /**
     * Runs {@code task} with {@link #grad()} on the calling thread (only) returning
     * {@code gradient} instead of the store's own array: the backward passes of layers that
     * accumulate into {@code grad()} then accumulate into {@code gradient}. Data-parallel training
     * gives each worker thread its own gradient this way and adds them in a fixed order. Other
     * threads, and this thread after the call, see the store's own array.
     *
     * @param gradient an array laid out like {@link #grad()} ({@link #size()} floats)
     * @throws IllegalArgumentException if {@code gradient} has another length
     */
    public void withGradient(float[] gradient, Runnable task) {
        checkFlat(gradient);
        freeze();
        gradientsBound = true;
        float[] previous = threadGradient.get();
        threadGradient.set(gradient);
        try {
            task.run();
        } finally {
            if (previous == null) {
                threadGradient.remove();
            } else {
                threadGradient.set(previous);
            }
        }
    }

    private void freeze() {
        if (data == null) {
            data = new float[size];
            grad = new float[size];
        }
    }

    /** Total number of floats over all tensors (sum of entry lengths). */
    public int size() {
        return size;
    }

    /** All entries in allocation order (unmodifiable view). */
    public List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }

    /**
     * The entry with the given name.
     *
     * @throws IllegalArgumentException if no tensor has that name
     */
    public Entry entry(String name) {
        Entry e = byName.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "'");
        }
        return e;
    }

    /**
     * The values of one tensor in its logical row-major order, read from {@code flat} (an array
     * laid out like {@link #data()}: the data, the gradients, or an optimiser's moments).
     */
    public float[] toLogical(Entry e, float[] flat) {
        float[] out = new float[e.length()];
        if (!e.transposed()) {
            System.arraycopy(flat, e.offset(), out, 0, e.length());
            return out;
        }
        int rows = e.shape[0];
        int cols = e.shape[1];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[r * cols + c] = flat[e.offset() + c * rows + r];
            }
        }
        return out;
    }

    /** Writes one tensor's values, given in logical row-major order, into {@code flat} (laid out like {@link #data()}). */
    public void fromLogical(Entry e, float[] logical, float[] flat) {
        if (logical.length != e.length()) {
            throw new IllegalArgumentException(e.name() + " has " + e.length() + " values, got " + logical.length);
        }
        if (!e.transposed()) {
            System.arraycopy(logical, 0, flat, e.offset(), e.length());
            return;
        }
        int rows = e.shape[0];
        int cols = e.shape[1];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                flat[e.offset() + c * rows + r] = logical[r * cols + c];
            }
        }
    }

    /**
     * A whole array laid out like {@link #data()} converted to the logical layout: every tensor in
     * allocation order, each row-major. The format files use, independent of how layers store
     * their weights.
     */
    public float[] toLogical(float[] flat) {
        checkFlat(flat);
        float[] out = new float[size];
        for (Entry e : entries) {
            System.arraycopy(toLogical(e, flat), 0, out, e.offset(), e.length());
        }
        return out;
    }

    /** The inverse of {@link #toLogical(float[])}: writes {@code logical} into {@code flat}. */
    public void fromLogical(float[] logical, float[] flat) {
        checkFlat(logical);
        checkFlat(flat);
        for (Entry e : entries) {
            fromLogical(e, Arrays.copyOfRange(logical, e.offset(), e.offset() + e.length()), flat);
        }
    }

    private void checkFlat(float[] a) {
        if (a.length != size) {
            throw new IllegalArgumentException("expected " + size + " values (the store's size), got " + a.length);
        }
    }

    /** Sets every gradient to 0 (modifies {@link #grad()}; freezes the layout if not yet frozen). */
    public void zeroGrad() {
        Arrays.fill(grad(), 0f);
    }
}
