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
 * primitive tables (a direct-indexed array for ids below 2²¹, an open-addressing hash table above),
 * so a lookup allocates nothing; otherwise they are kept as
 * strings. Either way {@link #raw(int)} gives back exactly the text found in the file, and
 * {@code index(raw(i)) == i}. Immutable and safe to share between threads once built.
 */
public final class IdMap {
    /**
     * Ids below this are found by direct indexing into an int array that grows up to the largest
     * such id seen (at most 8 MB); MovieLens ids are all below it, and lookups then stay in cache.
     */
    private static final int DIRECT_LIMIT = 1 << 21;

    private final int size;
    // numeric mode
    private final long[] rawNumbers; // dense index -> raw id
    private final int[] direct; // ids below DIRECT_LIMIT: direct[id] = dense index + 1 (0 = absent)
    private final long[] table; // larger ids, hashed: slot s holds the id at 2s and dense index + 1 at 2s+1
    // text mode
    private final String[] rawTexts;
    private final Map<String, Integer> textIndex;

    private IdMap(int size, long[] rawNumbers, int[] direct, long[] table, String[] rawTexts,
            Map<String, Integer> textIndex) {
        this.size = size;
        this.rawNumbers = rawNumbers;
        this.direct = direct;
        this.table = table;
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
            return v < 0 ? -1 : lookup(direct, table, v);
        }
        Integer i = textIndex.get(raw);
        return i == null ? -1 : i;
    }

    /** The dense index of the integer id {@code raw}, or -1 if it does not occur. */
    public int index(long raw) {
        if (numeric()) {
            return raw < 0 ? -1 : lookup(direct, table, raw);
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

    /** The map of the ids of indices {@code kept[0..)}, renumbered {@code 0..kept.length-1} in that order. */
    IdMap subset(int[] kept) {
        Builder b = new Builder();
        for (int k : kept) {
            if (numeric()) {
                b.internNumber(rawNumbers[k]);
            } else {
                b.intern(rawTexts[k]);
            }
        }
        return b.build();
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

    /**
     * Fibonacci hashing into a table of {@code mask + 1} (a power of two) slots: the top bits of
     * {@code key · 2⁶⁴/φ}, which spread runs of consecutive ids evenly (the low bits would not).
     */
    private static int slot(long key, int mask) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> Long.numberOfLeadingZeros(mask)) & mask;
    }

    /** The dense index stored for {@code key} (&ge; 0), or -1. */
    private static int lookup(int[] direct, long[] table, long key) {
        if (key < DIRECT_LIMIT) {
            return key < direct.length ? direct[(int) key] - 1 : -1;
        }
        int mask = (table.length >> 1) - 1;
        for (int s = slot(key, mask); ; s = (s + 1) & mask) {
            long v = table[2 * s + 1];
            if (v == 0 || table[2 * s] == key) {
                return (int) v - 1;
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
        private int[] direct = new int[1024];
        private long[] table = new long[2 * 16];
        private int hashed; // ids in the table
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

        /**
         * The dense index of the whole number {@code v}, as {@link #intern(String)} of its decimal
         * text, without making the text while the ids are all canonical numbers.
         */
        int intern(long v) {
            if (rawTexts == null && v >= 0 && v < 1_000_000_000_000_000_000L) { // parseCanonical: at most 18 digits
                return internNumber(v);
            }
            return intern(Long.toString(v));
        }

        private int internNumber(long v) {
            if (v < DIRECT_LIMIT) {
                int key = (int) v;
                if (key >= direct.length) {
                    direct = Arrays.copyOf(direct, (int) Math.min(DIRECT_LIMIT, Math.max(key + 1L, direct.length * 3L / 2)));
                }
                int stored = direct[key];
                if (stored != 0) {
                    return stored - 1;
                }
                int idx = add(v);
                direct[key] = idx + 1;
                return idx;
            }
            long[] t = table;
            int mask = (t.length >> 1) - 1;
            int s = slot(v, mask);
            while (true) {
                long stored = t[2 * s + 1];
                if (stored == 0) {
                    break;
                }
                if (t[2 * s] == v) {
                    return (int) stored - 1;
                }
                s = (s + 1) & mask;
            }
            int idx = add(v);
            t[2 * s] = v;
            t[2 * s + 1] = idx + 1L;
            if (++hashed > mask >> 1) { // keep the load factor at most 1/2
                rehash(2 * (mask + 1));
            }
            return idx;
        }

        private int add(long v) {
            int idx = size++;
            if (idx == rawNumbers.length) {
                rawNumbers = Arrays.copyOf(rawNumbers, idx * 2);
            }
            rawNumbers[idx] = v;
            return idx;
        }

        private void rehash(int capacity) {
            long[] t = new long[2 * capacity];
            int mask = capacity - 1;
            for (int i = 0; i < size; i++) {
                long k = rawNumbers[i];
                if (k < DIRECT_LIMIT) {
                    continue;
                }
                int s = slot(k, mask);
                while (t[2 * s + 1] != 0) {
                    s = (s + 1) & mask;
                }
                t[2 * s] = k;
                t[2 * s + 1] = i + 1L;
            }
            table = t;
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
            direct = null;
            table = null;
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
                return new IdMap(size, Arrays.copyOf(rawNumbers, size), direct, table, null, null);
            }
            return new IdMap(size, null, null, null, Arrays.copyOf(rawTexts, size), textIndex);
        }
    }
}
