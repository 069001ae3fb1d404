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
     */
    public record Entry(String name, int[] shape, int offset, int length) {
        /** Canonical constructor; copies {@code shape} so the entry is immutable. */
        public Entry {
            shape = shape.clone();
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
                    && e.length == length;
        }

        /** Hash consistent with {@link #equals(Object)}. */
        @Override
        public int hashCode() {
            return ((name.hashCode() * 31 + Arrays.hashCode(shape)) * 31 + offset) * 31 + length;
        }

        /** Human-readable form, e.g. {@code Entry[a.weight [4, 3] @0+12]}. */
        @Override
        public String toString() {
            return "Entry[" + name + " " + Arrays.toString(shape) + " @" + offset + "+" + length + "]";
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, Entry> byName = new HashMap<>();
    private int size;
    private float[] data;
    private float[] grad;

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
        Entry e = new Entry(name, shape, size, (int) length);
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
        return grad;
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

    /** Sets every gradient to 0 (modifies {@link #grad()}; freezes the layout if not yet frozen). */
    public void zeroGrad() {
        Arrays.fill(grad(), 0f);
    }
}
