package org.recsysrl.data;

import java.util.Arrays;

/**
 * Collects interactions in file order (parallel growing arrays, raw ids interned as they first
 * appear) and turns them into an {@link InteractionLog}: grouped by user, each user's interactions
 * sorted by time with ties in file order. Not thread-safe; one {@link #build} per builder.
 *
 * <p>Memory while reading: 20 bytes per interaction of capacity (user, item, time, weight); the
 * build adds a 4-byte permutation and one re-ordered array at a time, so it peaks near 28 bytes
 * per interaction, and the finished log keeps 12–16.
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

    private void grow() {
        long target = (long) users.length + (users.length >> 1);
        int c = (int) Math.min(Integer.MAX_VALUE - 8, target);
        if (c <= users.length) {
            throw new IllegalStateException("too many interactions for one log: " + size);
        }
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
        int[] sortedItems = new int[n];
        for (int p = 0; p < n; p++) {
            sortedItems[p] = items[perm[p]];
        }
        items = null;
        long[] sortedTimes = null;
        if (timed) {
            sortedTimes = new long[n];
            for (int p = 0; p < n; p++) {
                sortedTimes[p] = times[perm[p]];
            }
            times = null;
        }
        float[] sortedWeights = null;
        if (weighted && !allOnes(weights, n)) {
            sortedWeights = new float[n];
            for (int p = 0; p < n; p++) {
                sortedWeights[p] = weights[perm[p]];
            }
        }
        weights = null;
        DataIdentity id = new DataIdentity(layout, path, sha256, bytes, n, userCount, i.size());
        return new InteractionLog(offsets, sortedItems, sortedTimes, sortedWeights, u, i,
                metadata == null ? ItemMetadata.empty(i.size()) : metadata, id);
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
