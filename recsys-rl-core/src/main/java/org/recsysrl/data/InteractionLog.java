package org.recsysrl.data;

import java.util.Objects;

/**
 * An interaction log — who interacted with what, when, and how strongly — held per user in
 * chronological order: user {@code u}'s interactions are positions {@code start(u) .. end(u)} of
 * the parallel arrays {@link #items()}, {@link #times()} and {@link #weights()}, oldest first
 * (ties in time keep their order in the file). Users and items are dense indices;
 * {@link #userIds()} and {@link #itemIds()} give back the raw ids of the file.
 *
 * <p>Memory: 4 bytes per interaction for the item, 8 for the time (absent when the source has no
 * time: then file order is time order) and 4 for the weight (absent when every weight is 1), plus
 * 4 bytes per user. Arrays are shared, never copied, and must not be modified. Immutable and safe to
 * share between threads.
 */
public final class InteractionLog implements Interactions {
    private final int[] offsets;
    private final int[] items;
    private final long[] times;
    private final float[] weights;
    private final IdMap userIds;
    private final IdMap itemIds;
    private final ItemMetadata metadata;
    private final DataIdentity identity;

    /**
     * A log from its parts (see the class documentation for the layout).
     *
     * @param offsets {@code userIds.size() + 1} non-decreasing offsets from 0 to {@code items.length}
     * @param times per-interaction times, non-decreasing within a user, or null
     * @param weights per-interaction weights, or null for all 1
     */
    public InteractionLog(int[] offsets, int[] items, long[] times, float[] weights, IdMap userIds, IdMap itemIds,
            ItemMetadata metadata, DataIdentity identity) {
        this.offsets = Objects.requireNonNull(offsets, "offsets");
        this.items = Objects.requireNonNull(items, "items");
        this.userIds = Objects.requireNonNull(userIds, "userIds");
        this.itemIds = Objects.requireNonNull(itemIds, "itemIds");
        this.metadata = metadata == null ? ItemMetadata.empty(itemIds.size()) : metadata;
        this.identity = Objects.requireNonNull(identity, "identity");
        if (offsets.length != userIds.size() + 1 || offsets[0] != 0 || offsets[offsets.length - 1] != items.length) {
            throw new IllegalArgumentException("offsets must run from 0 to the interaction count, one per user plus one");
        }
        if ((times != null && times.length != items.length) || (weights != null && weights.length != items.length)) {
            throw new IllegalArgumentException("times and weights must have one entry per interaction");
        }
        if (this.metadata.itemCount() != itemIds.size()) {
            throw new IllegalArgumentException("metadata describes " + this.metadata.itemCount() + " items, not "
                    + itemIds.size());
        }
        this.times = times;
        this.weights = weights;
    }

    @Override
    public int userCount() {
        return userIds.size();
    }

    @Override
    public int itemCount() {
        return itemIds.size();
    }

    /** Number of interactions. */
    public int size() {
        return items.length;
    }

    @Override
    public int start(int user) {
        return offsets[user];
    }

    @Override
    public int end(int user) {
        return offsets[user + 1];
    }

    /** Number of interactions of {@code user}. */
    public int count(int user) {
        return offsets[user + 1] - offsets[user];
    }

    /** {@code userCount + 1} offsets: user u's interactions are {@code [offsets[u], offsets[u+1])} (shared). */
    public int[] offsets() {
        return offsets;
    }

    @Override
    public int[] items() {
        return items;
    }

    @Override
    public long[] times() {
        return times;
    }

    @Override
    public float[] weights() {
        return weights;
    }

    /**
     * True if the weights are explicit ratings: the log was read from a ratings file (MovieLens, or
     * a {@code user,item,rating[,timestamp]} file) rather than an interaction log.
     */
    public boolean ratings() {
        Layout l = identity.layout();
        return weights != null && (l == Layout.ML_100K || l == Layout.ML_1M || l == Layout.ML_LATEST
                || l == Layout.GENERIC_CSV || l == Layout.IN_MEMORY);
    }

    /** True if the source had a time column (otherwise file order is time order). */
    public boolean hasTimes() {
        return times != null;
    }

    /** Raw user id ↔ dense user index. */
    public IdMap userIds() {
        return userIds;
    }

    /** Raw item id ↔ dense item index. */
    public IdMap itemIds() {
        return itemIds;
    }

    /** Titles and genres per item (MovieLens); empty for logs without metadata. */
    public ItemMetadata metadata() {
        return metadata;
    }

    /** Which file this came from and how it was read. */
    public DataIdentity identity() {
        return identity;
    }

    /** The same interactions with other item metadata. */
    InteractionLog withMetadata(ItemMetadata m) {
        return new InteractionLog(offsets, items, times, weights, userIds, itemIds, m, identity);
    }

    @Override
    public String toString() {
        return "InteractionLog[" + size() + " interactions, " + userCount() + " users, " + itemCount() + " items"
                + (hasTimes() ? "" : ", no times") + (weights == null ? "" : ", weighted") + "]";
    }
}
