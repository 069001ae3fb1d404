package org.recsysrl.data;

import java.util.Arrays;

/**
 * Collects interactions in file order (parallel growing arrays, raw ids interned as they first
 * appear) and turns them into an {@link InteractionLog}: grouped by user, each user's interactions
 * sorted by time with ties in file order. Not thread-safe; one {@link #build} per builder.
 *
 * <p>Memory while reading: 20 bytes per interaction of capacity (user, item, time, weight); the
 * build adds a 4-byte permutation and re-orders the columns in place, so it peaks near 24 bytes per
 * interaction (plus whatever capacity the reader's size estimate left unused, which the final
 * columns give back), and the finished log keeps 12–16.
 */
final class LogBuilder {
    final IdMap.Builder userIds = new IdMap.Builder();
    final IdMap.Builder itemIds = new IdMap.Builder();
    private final boolean timed;
    private final boolean weighted;
    private int size;
    private int[] users;
    private int[] items;
    private long[] times;
    private float[] weights;

    /**
     * @param timed whether interactions carry a time
     * @param weighted whether interactions carry a weight
     * @param initialCapacity expected number of interactions
     */
    LogBuilder(boolean timed, boolean weighted, int initialCapacity) {
        this.timed = timed;
        this.weighted = weighted;
        int c = Math.max(16, initialCapacity);
        users = new int[c];
        items = new int[c];
        times = timed ? new long[c] : null;
        weights = weighted ? new float[c] : null;
    }

    int size() {
        return size;
    }

    /** Appends one interaction of dense user {@code user} with dense item {@code item}. */
    void append(int user, int item, long time, float weight) {
        if (size == users.length) {
            grow();
        }
        users[size] = user;
        items[size] = item;
        if (timed) {
            times[size] = time;
        }
        if (weighted) {
            weights[size] = weight;
        }
        size++;
    }

    /**
     * Sets the capacity to {@code capacity} (at least the current size): readers call it once they
     * have seen enough lines to estimate the file's total, so that the columns neither grow by
     * copying later nor keep much unused room.
     */
    void resize(int capacity) {
        int c = Math.max(Math.max(16, size), capacity);
        if (c != users.length) {
            setCapacity(c);
        }
    }

    private void grow() {
        long target = (long) users.length + (users.length >> 1);
        int c = (int) Math.min(Integer.MAX_VALUE - 8, target);
        if (c <= users.length) {
            throw new IllegalStateException("too many interactions for one log: " + size);
        }
        setCapacity(c);
    }

    /** Copies every column into arrays of {@code c} entries. */
    private void setCapacity(int c) {
        users = Arrays.copyOf(users, c);
        items = Arrays.copyOf(items, c);
        if (timed) {
            times = Arrays.copyOf(times, c);
        }
        if (weighted) {
            weights = Arrays.copyOf(weights, c);
        }
    }

    /**
     * The log of everything appended: users in order of first appearance, each user's interactions
     * by time, ties (and everything, without times) in file order. Weights that are all 1 are dropped.
     */
    InteractionLog build(ItemMetadata metadata, Layout layout, String path, String sha256, long bytes) {
        IdMap u = userIds.build();
        IdMap i = itemIds.build();
        int n = size;
        int userCount = u.size();
        int[] offsets = new int[userCount + 1];
        for (int k = 0; k < n; k++) {
            offsets[users[k] + 1]++;
        }
        for (int x = 0; x < userCount; x++) {
            offsets[x + 1] += offsets[x];
        }
        int[] perm = new int[n];
        int[] next = Arrays.copyOf(offsets, userCount);
        for (int k = 0; k < n; k++) {
            perm[next[users[k]]++] = k;
        }
        users = null;
        next = null;
        if (timed) {
            int[] scratch = new int[Math.max(1, Split.maxBlock(offsets))];
            for (int x = 0; x < userCount; x++) {
                Split.sortByTime(perm, offsets[x], offsets[x + 1], times, scratch);
            }
        }
        // apply the permutation in place to every column (no second copy of any array)
        boolean weightsUsed = weighted && !allOnes(weights, n);
        permuteInPlace(perm, n, items, timed ? times : null, weightsUsed ? weights : null);
        perm = null;
        int[] sortedItems = items.length == n ? items : Arrays.copyOf(items, n);
        items = null;
        long[] sortedTimes = timed ? (times.length == n ? times : Arrays.copyOf(times, n)) : null;
        times = null;
        float[] sortedWeights = weightsUsed ? (weights.length == n ? weights : Arrays.copyOf(weights, n)) : null;
        weights = null;
        DataIdentity id = new DataIdentity(layout, path, sha256, bytes, n, userCount, i.size());
        return new InteractionLog(offsets, sortedItems, sortedTimes, sortedWeights, u, i,
                metadata == null ? ItemMetadata.empty(i.size()) : metadata, id);
    }

    /**
     * Rearranges the first n entries of the columns so that entry p becomes the old entry
     * {@code perm[p]}, following each cycle of the permutation once (a visited cycle is marked by
     * complementing its entries of {@code perm}, which is left complemented).
     */
    static void permuteInPlace(int[] perm, int n, int[] a, long[] b, float[] c) {
        for (int start = 0; start < n; start++) {
            if (perm[start] < 0) {
                continue;
            }
            int sa = a[start];
            long sb = b == null ? 0 : b[start];
            float sc = c == null ? 0f : c[start];
            int j = start;
            while (true) {
                int k = perm[j];
                perm[j] = ~k;
                if (k == start) {
                    a[j] = sa;
                    if (b != null) {
                        b[j] = sb;
                    }
                    if (c != null) {
                        c[j] = sc;
                    }
                    break;
                }
                a[j] = a[k];
                if (b != null) {
                    b[j] = b[k];
                }
                if (c != null) {
                    c[j] = c[k];
                }
                j = k;
            }
        }
    }

    private static boolean allOnes(float[] w, int n) {
        for (int k = 0; k < n; k++) {
            if (w[k] != 1f) {
                return false;
            }
        }
        return true;
    }
}
