package org.recsysrl.data;

/**
 * Interactions grouped by user in chronological order: user {@code u}'s are positions
 * {@code start(u) .. end(u)} of the shared arrays {@link #items()}, {@link #times()} and
 * {@link #weights()}. An {@link InteractionLog} is one; a protocol's training part is another, a
 * view that ends each user's slice earlier ({@link #prefix}). This is what a recommender is fitted
 * on: nothing outside the slices may be read.
 */
public interface Interactions {
    /** Number of users; user indices are {@code 0..userCount()-1}. */
    int userCount();

    /** Number of items; item indices are {@code 0..itemCount()-1}. */
    int itemCount();

    /** First position of {@code user}'s interactions. */
    int start(int user);

    /** One past the last position of {@code user}'s interactions. */
    int end(int user);

    /** Item per position (shared; read only the positions of the slices). */
    int[] items();

    /** Time per position, or null when the data has no times (shared). */
    long[] times();

    /** Weight per position, or null when every weight is 1 (shared). */
    float[] weights();

    /** Weight at {@code position} (1 when the data has no weights). */
    default float weight(int position) {
        float[] w = weights();
        return w == null ? 1f : w[position];
    }

    /** Number of interactions in all slices. */
    default long totalCount() {
        long n = 0;
        for (int u = 0; u < userCount(); u++) {
            n += end(u) - start(u);
        }
        return n;
    }

    /** Interactions per item over all slices. */
    default int[] itemCounts() {
        int[] counts = new int[itemCount()];
        int[] items = items();
        for (int u = 0; u < userCount(); u++) {
            for (int p = start(u); p < end(u); p++) {
                counts[items[p]]++;
            }
        }
        return counts;
    }

    /**
     * The view of {@code base} in which user {@code u}'s slice is {@code [base.start(u), ends[u])}.
     *
     * @param ends one end per user, each within the user's slice of {@code base}
     */
    static Interactions prefix(Interactions base, int[] ends) {
        if (ends.length != base.userCount()) {
            throw new IllegalArgumentException("one end per user expected");
        }
        for (int u = 0; u < ends.length; u++) {
            if (ends[u] < base.start(u) || ends[u] > base.end(u)) {
                throw new IllegalArgumentException("end of user " + u + " outside its slice");
            }
        }
        return new Interactions() {
            @Override
            public int userCount() {
                return base.userCount();
            }

            @Override
            public int itemCount() {
                return base.itemCount();
            }

            @Override
            public int start(int user) {
                return base.start(user);
            }

            @Override
            public int end(int user) {
                return ends[user];
            }

            @Override
            public int[] items() {
                return base.items();
            }

            @Override
            public long[] times() {
                return base.times();
            }

            @Override
            public float[] weights() {
                return base.weights();
            }
        };
    }
}
