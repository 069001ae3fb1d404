package org.recsysrl.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * Looks up the rating a user gave an item, among a chosen set of interactions (e.g. the training
 * part of a {@link Split}, so that an environment's real-rating rewards do not leak the test part).
 * Each user's rated items are stored sorted (compressed-sparse-row: {@code offsets}, {@code items},
 * {@code ratings}), so a lookup is a binary search over that user's items and allocates nothing.
 * When a (user, item) pair occurs more than once, the interaction with the largest index (the
 * latest in the file) wins. Immutable; safe to share between threads.
 */
public final class RatingIndex {
    private final int[] offsets;
    private final int[] items;
    private final float[] ratings;

    private RatingIndex(int[] offsets, int[] items, float[] ratings) {
        this.offsets = offsets;
        this.items = items;
        this.ratings = ratings;
    }

    /** Indexes the interactions {@code interactions} (indices into {@code data}). */
    public static RatingIndex of(RatingDataset data, int[] interactions) {
        Objects.requireNonNull(data, "data");
        int users = data.userCount();
        int[] start = new int[users + 1];
        for (int k : interactions) {
            start[data.user(k) + 1]++;
        }
        for (int u = 0; u < users; u++) {
            start[u + 1] += start[u];
        }
        // per user: (item << 32 | interaction) sorts by item, then by interaction index
        long[] keys = new long[interactions.length];
        int[] next = Arrays.copyOf(start, users);
        for (int k : interactions) {
            keys[next[data.user(k)]++] = ((long) data.item(k) << 32) | k;
        }
        int[] offsets = new int[users + 1];
        int out = 0;
        for (int u = 0; u < users; u++) {
            Arrays.sort(keys, start[u], start[u + 1]);
            for (int e = start[u]; e < start[u + 1]; e++) {
                boolean lastOfItem = e + 1 == start[u + 1] || (keys[e + 1] >>> 32) != (keys[e] >>> 32);
                if (lastOfItem) {
                    keys[out++] = keys[e]; // out <= e: compacting in place is safe
                }
            }
            offsets[u + 1] = out;
        }
        int[] items = new int[out];
        float[] ratings = new float[out];
        for (int e = 0; e < out; e++) {
            items[e] = (int) (keys[e] >>> 32);
            ratings[e] = data.rating((int) keys[e]);
        }
        return new RatingIndex(offsets, items, ratings);
    }

    /** The rating {@code user} gave {@code item}, or NaN if not among the indexed interactions. */
    public float rating(int user, int item) {
        int k = Arrays.binarySearch(items, offsets[user], offsets[user + 1], item);
        return k >= 0 ? ratings[k] : Float.NaN;
    }

    /** True if {@code user} rated {@code item} among the indexed interactions. */
    public boolean rated(int user, int item) {
        return Arrays.binarySearch(items, offsets[user], offsets[user + 1], item) >= 0;
    }

    /** Number of distinct items {@code user} rated. */
    public int count(int user) {
        return offsets[user + 1] - offsets[user];
    }

    /** Number of users (the data set's user count). */
    public int userCount() {
        return offsets.length - 1;
    }

    /** The {@code k}-th smallest item index {@code user} rated, {@code 0 <= k < count(user)}. */
    public int item(int user, int k) {
        Objects.checkIndex(k, count(user));
        return items[offsets[user] + k];
    }
}
