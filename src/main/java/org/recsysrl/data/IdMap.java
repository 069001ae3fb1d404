package org.recsysrl.data;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A bijection between the raw ids of a data file (users or items) and dense indices
 * {@code 0..size()-1}, assigned in order of first appearance.
 *
 * <p>Raw ids are text. When every id is a canonical non-negative decimal integer (digits only, no
 * leading zero, at most 18 digits — true of all MovieLens files), they are kept as {@code long}s in
 * a primitive open-addressing table, so a lookup allocates nothing; otherwise they are kept as
 * strings. Either way {@link #raw(int)} gives back exactly the text found in the file, and
 * {@code index(raw(i)) == i}. Immutable and safe to share between threads once built.
 */
public final class IdMap {
    private static final int EMPTY = -1;

    private final int size;
    // numeric mode
    private final long[] rawNumbers; // dense index -> raw id
    private final long[] tableKeys;
    private final int[] tableValues; // EMPTY marks a free slot
    // text mode
    private final String[] rawTexts;
    private final Map<String, Integer> textIndex;

    private IdMap(int size, long[] rawNumbers, long[] tableKeys, int[] tableValues, String[] rawTexts,
            Map<String, Integer> textIndex) {
        this.size = size;
        this.rawNumbers = rawNumbers;
        this.tableKeys = tableKeys;
        this.tableValues = tableValues;
        this.rawTexts = rawTexts;
        this.textIndex = textIndex;
    }

    /** A map over the given raw ids (which must be distinct), index {@code i} ↔ {@code raw[i]}. */
    public static IdMap of(String... raw) {
        Builder b = new Builder();
        for (String r : raw) {
            int before = b.size();
            if (b.intern(r) != before) {
                throw new IllegalArgumentException("duplicate raw id: " + r);
            }
        }
        return b.build();
    }

    /** Number of distinct ids. */
    public int size() {
        return size;
    }

    /** True if every raw id is a canonical decimal integer (see the class documentation). */
    public boolean numeric() {
        return rawTexts == null;
    }

    /** The dense index of {@code raw}, or -1 if the id does not occur. */
    public int index(String raw) {
        Objects.requireNonNull(raw, "raw");
        if (numeric()) {
            long v = parseCanonical(raw);
            return v < 0 ? -1 : lookup(tableKeys, tableValues, v);
        }
        Integer i = textIndex.get(raw);
        return i == null ? -1 : i;
    }

    /** The dense index of the integer id {@code raw}, or -1 if it does not occur. */
    public int index(long raw) {
        if (numeric()) {
            return raw < 0 ? -1 : lookup(tableKeys, tableValues, raw);
        }
        Integer i = textIndex.get(Long.toString(raw));
        return i == null ? -1 : i;
    }

    /** The raw id of dense index {@code index}, exactly as written in the data file. */
    public String raw(int index) {
        Objects.checkIndex(index, size);
        return numeric() ? Long.toString(rawNumbers[index]) : rawTexts[index];
    }

    /**
     * The raw id of {@code index} as a number.
     *
     * @throws IllegalStateException if the ids are not numeric
     */
    public long rawLong(int index) {
        Objects.checkIndex(index, size);
        if (!numeric()) {
            throw new IllegalStateException("raw ids are not numeric");
        }
        return rawNumbers[index];
    }

    @Override
    public String toString() {
        return "IdMap[size=" + size + (numeric() ? ", numeric" : ", text") + "]";
    }

    /**
     * The value of a canonical decimal id (digits only, no sign, no leading zero unless it is "0",
     * at most 18 digits), or -1 if {@code s} is not one.
     */
    static long parseCanonical(CharSequence s) {
        int n = s.length();
        if (n == 0 || n > 18 || (n > 1 && s.charAt(0) == '0')) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    static long parseCanonical(byte[] b, int from, int to) {
        int n = to - from;
        if (n <= 0 || n > 18 || (n > 1 && b[from] == '0')) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int c = b[i] - '0';
            if (c < 0 || c > 9) {
                return -1;
            }
            v = v * 10 + c;
        }
        return v;
    }

    private static int slot(long key, int mask) {
        long z = key * 0x9E3779B97F4A7C15L;
        z ^= z >>> 29;
        return (int) z & mask;
    }

    private static int lookup(long[] keys, int[] values, long key) {
        int mask = keys.length - 1;
        for (int s = slot(key, mask); ; s = (s + 1) & mask) {
            int v = values[s];
            if (v == EMPTY || keys[s] == key) {
                return v;
            }
        }
    }

    /**
     * Assigns dense indices to raw ids as they are met ({@link #intern}); {@link #build()} then
     * freezes the map. Starts in numeric mode and switches to text mode for good the first time a
     * non-canonical id appears. Not thread-safe.
     */
    public static final class Builder {
        private int size;
        private long[] rawNumbers = new long[64];
        private long[] keys = new long[128];
        private int[] values = filled(128);
        private String[] rawTexts; // non-null once in text mode
        private HashMap<String, Integer> textIndex;

        /** Number of ids interned so far. */
        public int size() {
            return size;
        }

        /** The dense index of {@code raw}, assigning the next free one if it is new. */
        public int intern(String raw) {
            Objects.requireNonNull(raw, "raw");
            if (rawTexts == null) {
                long v = parseCanonical(raw);
                if (v >= 0) {
                    return internNumber(v);
                }
                switchToText();
            }
            return internText(raw);
        }

        /**
         * The dense index of the id spelled by the bytes {@code b[from, to)} (ASCII digits or UTF-8
         * text); allocates only when the id is new or the map is in text mode.
         */
        int intern(byte[] b, int from, int to) {
            if (rawTexts == null) {
                long v = parseCanonical(b, from, to);
                if (v >= 0) {
                    return internNumber(v);
                }
                switchToText();
            }
            return internText(new String(b, from, to - from, StandardCharsets.UTF_8));
        }

        private int internNumber(long v) {
            int mask = keys.length - 1;
            int s = slot(v, mask);
            while (true) {
                int idx = values[s];
                if (idx == EMPTY) {
                    break;
                }
                if (keys[s] == v) {
                    return idx;
                }
                s = (s + 1) & mask;
            }
            int idx = size++;
            keys[s] = v;
            values[s] = idx;
            if (idx == rawNumbers.length) {
                rawNumbers = Arrays.copyOf(rawNumbers, idx * 2);
            }
            rawNumbers[idx] = v;
            if (size * 2 > keys.length) {
                rehash(keys.length * 2);
            }
            return idx;
        }

        private void rehash(int capacity) {
            long[] newKeys = new long[capacity];
            int[] newValues = filled(capacity);
            int mask = capacity - 1;
            for (int i = 0; i < size; i++) {
                long k = rawNumbers[i];
                int s = slot(k, mask);
                while (newValues[s] != EMPTY) {
                    s = (s + 1) & mask;
                }
                newKeys[s] = k;
                newValues[s] = i;
            }
            keys = newKeys;
            values = newValues;
        }

        private void switchToText() {
            rawTexts = new String[Math.max(64, size * 2)];
            textIndex = new HashMap<>(Math.max(16, size * 2));
            for (int i = 0; i < size; i++) {
                String s = Long.toString(rawNumbers[i]);
                rawTexts[i] = s;
                textIndex.put(s, i);
            }
            rawNumbers = null;
            keys = null;
            values = null;
        }

        private int internText(String raw) {
            Integer existing = textIndex.get(raw);
            if (existing != null) {
                return existing;
            }
            int idx = size++;
            if (idx == rawTexts.length) {
                rawTexts = Arrays.copyOf(rawTexts, idx * 2);
            }
            rawTexts[idx] = raw;
            textIndex.put(raw, idx);
            return idx;
        }

        /** The finished map; the builder must not be used afterwards. */
        public IdMap build() {
            if (rawTexts == null) {
                return new IdMap(size, Arrays.copyOf(rawNumbers, size), keys, values, null, null);
            }
            return new IdMap(size, null, null, null, Arrays.copyOf(rawTexts, size), textIndex);
        }

        private static int[] filled(int n) {
            int[] a = new int[n];
            Arrays.fill(a, EMPTY);
            return a;
        }
    }
}
