package org.recsysrl.data;

import java.util.Objects;

/**
 * A per-user chronological train/test split of a {@link RatingDataset}.
 *
 * <p>Each user's interactions are ordered by timestamp, ties broken by file order (interaction
 * index); the last {@link SplitSpec#holdoutCount(int)} of them are the user's test interactions, the
 * others the user's training interactions. The interaction indices are stored grouped by user
 * (user 0 first) and chronologically within a user, in compressed-sparse-row form: user {@code u}'s
 * training interactions are {@code train()[trainOffsets()[u] .. trainOffsets()[u+1])}, likewise for
 * test. The split depends only on the data and the spec (no randomness). Arrays are shared and must
 * not be modified.
 */
public final class Split {
    private final RatingDataset data;
    private final SplitSpec spec;
    private final int[] train;
    private final int[] trainOffsets;
    private final int[] test;
    private final int[] testOffsets;

    private Split(RatingDataset data, SplitSpec spec, int[] train, int[] trainOffsets, int[] test, int[] testOffsets) {
        this.data = data;
        this.spec = spec;
        this.train = train;
        this.trainOffsets = trainOffsets;
        this.test = test;
        this.testOffsets = testOffsets;
    }

    /** Splits {@code data} according to {@code spec}; O(n log n) time, three int arrays of n entries. */
    public static Split chronological(RatingDataset data, SplitSpec spec) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(spec, "spec");
        int users = data.userCount();
        int n = data.size();
        int[] offsets = chronologicalOrderOffsets(data);
        int[] order = chronologicalOrder(data, offsets);

        int[] trainOffsets = new int[users + 1];
        int[] testOffsets = new int[users + 1];
        for (int u = 0; u < users; u++) {
            int m = offsets[u + 1] - offsets[u];
            int t = spec.holdoutCount(m);
            trainOffsets[u + 1] = trainOffsets[u] + (m - t);
            testOffsets[u + 1] = testOffsets[u] + t;
        }
        int[] train = new int[trainOffsets[users]];
        int[] test = new int[testOffsets[users]];
        for (int u = 0; u < users; u++) {
            int start = offsets[u];
            int keep = trainOffsets[u + 1] - trainOffsets[u];
            System.arraycopy(order, start, train, trainOffsets[u], keep);
            System.arraycopy(order, start + keep, test, testOffsets[u], testOffsets[u + 1] - testOffsets[u]);
        }
        assert train.length + test.length == n;
        return new Split(data, spec, train, trainOffsets, test, testOffsets);
    }

    /** Start of each user's block in {@link #chronologicalOrder}: {@code userCount + 1} offsets. */
    static int[] chronologicalOrderOffsets(RatingDataset data) {
        int[] offsets = new int[data.userCount() + 1];
        int[] users = data.users();
        for (int u : users) {
            offsets[u + 1]++;
        }
        for (int u = 0; u < data.userCount(); u++) {
            offsets[u + 1] += offsets[u];
        }
        return offsets;
    }

    /**
     * All interaction indices grouped by user (counting sort, so file order within a user), then
     * each user's block sorted by (timestamp, index).
     */
    static int[] chronologicalOrder(RatingDataset data, int[] offsets) {
        int n = data.size();
        int users = data.userCount();
        int[] next = java.util.Arrays.copyOf(offsets, users);
        int[] order = new int[n];
        int[] us = data.users();
        for (int k = 0; k < n; k++) {
            order[next[us[k]]++] = k;
        }
        long[] ts = data.timestamps();
        int[] scratch = new int[Math.max(1, maxBlock(offsets))];
        for (int u = 0; u < users; u++) {
            sortByTime(order, offsets[u], offsets[u + 1], ts, scratch);
        }
        return order;
    }

    static int maxBlock(int[] offsets) {
        int max = 0;
        for (int u = 0; u + 1 < offsets.length; u++) {
            max = Math.max(max, offsets[u + 1] - offsets[u]);
        }
        return max;
    }

    static boolean before(int a, int b, long[] ts) {
        return ts[a] < ts[b] || (ts[a] == ts[b] && a < b);
    }

    /**
     * Sorts {@code a[from, to)} by (ts[a[k]], a[k]) with a merge sort (so equal times keep the order
     * of their indices); {@code scratch} holds to − from.
     */
    static void sortByTime(int[] a, int from, int to, long[] ts, int[] scratch) {
        boolean sorted = true;
        for (int k = from + 1; k < to && sorted; k++) {
            sorted = before(a[k - 1], a[k], ts);
        }
        if (sorted) {
            return;
        }
        int n = to - from;
        // bottom-up: insertion-sort runs of 16, then merge runs of doubling width
        final int run = 16;
        for (int lo = from; lo < to; lo += run) {
            int hi = Math.min(lo + run, to);
            for (int i = lo + 1; i < hi; i++) {
                int x = a[i];
                int j = i - 1;
                while (j >= lo && before(x, a[j], ts)) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = x;
            }
        }
        for (int width = run; width < n; width *= 2) {
            for (int lo = from; lo < to - width; lo += 2 * width) {
                int mid = lo + width;
                int hi = Math.min(lo + 2 * width, to);
                if (before(a[mid - 1], a[mid], ts)) {
                    continue;
                }
                int len = mid - lo;
                System.arraycopy(a, lo, scratch, 0, len);
                int i = 0;
                int j = mid;
                int k = lo;
                while (i < len && j < hi) {
                    a[k++] = before(a[j], scratch[i], ts) ? a[j++] : scratch[i++];
                }
                while (i < len) {
                    a[k++] = scratch[i++];
                }
            }
        }
    }

    /** The data that was split. */
    public RatingDataset data() {
        return data;
    }

    /** How it was split. */
    public SplitSpec spec() {
        return spec;
    }

    /** Training interaction indices, grouped by user, chronological within a user (shared). */
    public int[] train() {
        return train;
    }

    /** {@code userCount + 1} offsets into {@link #train()} (shared). */
    public int[] trainOffsets() {
        return trainOffsets;
    }

    /** Test (held-out) interaction indices, grouped by user, chronological within a user (shared). */
    public int[] test() {
        return test;
    }

    /** {@code userCount + 1} offsets into {@link #test()} (shared). */
    public int[] testOffsets() {
        return testOffsets;
    }

    /** Number of training interactions. */
    public int trainSize() {
        return train.length;
    }

    /** Number of test interactions. */
    public int testSize() {
        return test.length;
    }

    /** Number of training interactions of {@code user}. */
    public int trainCount(int user) {
        return trainOffsets[user + 1] - trainOffsets[user];
    }

    /** Number of test interactions of {@code user}. */
    public int testCount(int user) {
        return testOffsets[user + 1] - testOffsets[user];
    }

    /** Number of users with at least one test interaction. */
    public int testUserCount() {
        int n = 0;
        for (int u = 0; u < data.userCount(); u++) {
            if (testCount(u) > 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * The item of {@code user}'s most recent training interaction (e.g. the "last item" of a session
     * starting where the training history ends), or -1 if the user has none.
     */
    public int lastTrainItem(int user) {
        int c = trainCount(user);
        return c == 0 ? -1 : data.item(train[trainOffsets[user + 1] - 1]);
    }

    @Override
    public String toString() {
        return "Split[" + spec.describe() + ": " + trainSize() + " train, " + testSize() + " test, "
                + testUserCount() + " test users]";
    }
}
