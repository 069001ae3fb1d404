package org.recsysrl.data;

import org.recsysrl.util.Rng;

/**
 * Builds small {@link InteractionLog}s in memory for tests: users {@code u0, u1, ...} and items
 * {@code i0, i1, ...}, user {@code u}'s interactions given oldest first.
 */
public final class TinyLog {
    private TinyLog() {
    }

    /** A log without times or weights: {@code items[u]} are user u's items, oldest first. */
    public static InteractionLog of(int itemCount, int[][] items) {
        return of(itemCount, items, null, null, Layout.LOG_CSV);
    }

    /**
     * A log from per-user arrays.
     *
     * @param times per-user times (non-decreasing), or null
     * @param weights per-user weights, or null
     * @param layout {@link Layout#IN_MEMORY} makes the weights count as ratings
     */
    public static InteractionLog of(int itemCount, int[][] items, long[][] times, float[][] weights, Layout layout) {
        return of(itemCount, items, times, weights, layout, ItemMetadata.empty(itemCount));
    }

    /**
     * A log without times or weights whose items have genres: {@code genres[i]} are item i's genre
     * ids (genre g is named {@code g<g>}), null for an undescribed item.
     */
    public static InteractionLog withGenres(int itemCount, int[][] items, int[][] genres) {
        ItemMetadata.Builder meta = new ItemMetadata.Builder(itemCount);
        int most = 0;
        for (int[] g : genres) {
            for (int id : g == null ? new int[0] : g) {
                most = Math.max(most, id + 1);
            }
        }
        for (int g = 0; g < most; g++) {
            meta.genre("g" + g);
        }
        for (int i = 0; i < itemCount; i++) {
            if (genres[i] != null) {
                meta.set(i, "title " + i, genres[i], genres[i].length);
            }
        }
        return of(itemCount, items, null, null, Layout.LOG_CSV, meta.build());
    }

    private static InteractionLog of(int itemCount, int[][] items, long[][] times, float[][] weights, Layout layout,
            ItemMetadata metadata) {
        int users = items.length;
        int[] offsets = new int[users + 1];
        for (int u = 0; u < users; u++) {
            offsets[u + 1] = offsets[u] + items[u].length;
        }
        int n = offsets[users];
        int[] flat = new int[n];
        long[] flatTimes = times == null ? null : new long[n];
        float[] flatWeights = weights == null ? null : new float[n];
        for (int u = 0; u < users; u++) {
            System.arraycopy(items[u], 0, flat, offsets[u], items[u].length);
            if (times != null) {
                System.arraycopy(times[u], 0, flatTimes, offsets[u], items[u].length);
            }
            if (weights != null) {
                System.arraycopy(weights[u], 0, flatWeights, offsets[u], items[u].length);
            }
        }
        String[] userNames = new String[users];
        for (int u = 0; u < users; u++) {
            userNames[u] = "u" + u;
        }
        String[] itemNames = new String[itemCount];
        for (int i = 0; i < itemCount; i++) {
            itemNames[i] = "i" + i;
        }
        DataIdentity id = new DataIdentity(layout, "<test>", "", 0, n, users, itemCount);
        return new InteractionLog(offsets, flat, flatTimes, flatWeights, IdMap.of(userNames), IdMap.of(itemNames),
                metadata, id);
    }

    /**
     * A seeded random log: each user has 1..maxLength interactions with random items, integer times
     * drawn from a small range (so ties occur), sorted per user, and ratings 1..5 as weights.
     */
    public static InteractionLog random(long seed, int users, int itemCount, int maxLength, Layout layout) {
        Rng rng = new Rng(seed);
        int[][] items = new int[users][];
        long[][] times = new long[users][];
        float[][] weights = new float[users][];
        for (int u = 0; u < users; u++) {
            int len = 1 + rng.nextInt(maxLength);
            items[u] = new int[len];
            times[u] = new long[len];
            weights[u] = new float[len];
            for (int k = 0; k < len; k++) {
                items[u][k] = rng.nextInt(itemCount);
                times[u][k] = 1000 + rng.nextInt(40);
                weights[u][k] = 1 + rng.nextInt(5);
            }
            java.util.Arrays.sort(times[u]);
        }
        return of(itemCount, items, times, weights, layout);
    }
}
