package org.recsysrl.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A set of explicit-feedback interactions (user, item, rating, timestamp), held as parallel
 * primitive arrays in file order: interaction {@code k} is
 * {@code (users()[k], items()[k], ratings()[k], timestamps()[k])}, with users and items as dense
 * indices ({@link #userIds()} and {@link #itemIds()} map them back to the raw ids of the file).
 * Memory is about 20 bytes per interaction, with no object per interaction.
 *
 * <p>The arrays are exposed without copying and must not be modified. Duplicate (user, item) pairs
 * are kept as they appear. When the source has no timestamps every timestamp is 0, so a
 * chronological order is the file order. Immutable by convention; safe to share between threads.
 */
public final class RatingDataset {
    private final int[] users;
    private final int[] items;
    private final float[] ratings;
    private final long[] timestamps;
    private final boolean hasTimestamps;
    private final IdMap userIds;
    private final IdMap itemIds;
    private final ItemMetadata itemMetadata;
    private final DataIdentity identity;
    private final float minRating;
    private final float maxRating;
    private final double meanRating;

    RatingDataset(int[] users, int[] items, float[] ratings, long[] timestamps, boolean hasTimestamps,
            IdMap userIds, IdMap itemIds, ItemMetadata itemMetadata, DataIdentity identity) {
        int n = users.length;
        if (items.length != n || ratings.length != n || timestamps.length != n) {
            throw new IllegalArgumentException("array lengths differ");
        }
        if (itemMetadata.itemCount() != itemIds.size()) {
            throw new IllegalArgumentException("metadata describes " + itemMetadata.itemCount() + " items, not "
                    + itemIds.size());
        }
        this.users = users;
        this.items = items;
        this.ratings = ratings;
        this.timestamps = timestamps;
        this.hasTimestamps = hasTimestamps;
        this.userIds = userIds;
        this.itemIds = itemIds;
        this.itemMetadata = itemMetadata;
        this.identity = identity;
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        double sum = 0;
        for (float r : ratings) {
            lo = Math.min(lo, r);
            hi = Math.max(hi, r);
            sum += r;
        }
        this.minRating = n == 0 ? Float.NaN : lo;
        this.maxRating = n == 0 ? Float.NaN : hi;
        this.meanRating = n == 0 ? Double.NaN : sum / n;
    }

    /** Number of interactions. */
    public int size() {
        return users.length;
    }

    /** Number of distinct users; user indices are {@code 0..userCount()-1}. */
    public int userCount() {
        return userIds.size();
    }

    /** Number of distinct items; item indices are {@code 0..itemCount()-1}. */
    public int itemCount() {
        return itemIds.size();
    }

    /** Dense user index of interaction {@code k}. */
    public int user(int k) {
        return users[k];
    }

    /** Dense item index of interaction {@code k}. */
    public int item(int k) {
        return items[k];
    }

    /** Rating of interaction {@code k}. */
    public float rating(int k) {
        return ratings[k];
    }

    /** Timestamp of interaction {@code k} (as in the file, usually seconds since 1970; 0 if absent). */
    public long timestamp(int k) {
        return timestamps[k];
    }

    /** Dense user index per interaction (shared, do not modify). */
    public int[] users() {
        return users;
    }

    /** Dense item index per interaction (shared, do not modify). */
    public int[] items() {
        return items;
    }

    /** Rating per interaction (shared, do not modify). */
    public float[] ratings() {
        return ratings;
    }

    /** Timestamp per interaction (shared, do not modify). */
    public long[] timestamps() {
        return timestamps;
    }

    /** False if the source had no timestamp column (then all timestamps are 0). */
    public boolean hasTimestamps() {
        return hasTimestamps;
    }

    /** Raw user id ↔ dense user index. */
    public IdMap userIds() {
        return userIds;
    }

    /** Raw item id ↔ dense item index. */
    public IdMap itemIds() {
        return itemIds;
    }

    /** Titles and genres per dense item index. */
    public ItemMetadata itemMetadata() {
        return itemMetadata;
    }

    /** Which data this is (layout, file, content hash, counts). */
    public DataIdentity identity() {
        return identity;
    }

    /** Smallest rating in the data (NaN if empty): the lower end of the rating scale. */
    public float minRating() {
        return minRating;
    }

    /** Largest rating in the data (NaN if empty): the upper end of the rating scale. */
    public float maxRating() {
        return maxRating;
    }

    /** Mean of all ratings (NaN if empty). */
    public double meanRating() {
        return meanRating;
    }

    /** The same interactions with {@code metadata} as item metadata (arrays shared). */
    RatingDataset withItemMetadata(ItemMetadata metadata) {
        return new RatingDataset(users, items, ratings, timestamps, hasTimestamps, userIds, itemIds, metadata,
                identity);
    }

    @Override
    public String toString() {
        return "RatingDataset[" + identity.describe() + "]";
    }

    /**
     * Builds a data set from interactions given one at a time, with raw ids interned in order of
     * first appearance. Used by the readers; also the way to make data in memory (tests,
     * programmatic use), in which case the identity's layout is {@link Layout#IN_MEMORY} and its hash
     * covers the canonical text {@code user,item,rating,timestamp\n} of every interaction.
     * Storage grows by half when full; not thread-safe; one {@link #build} per builder.
     */
    public static final class Builder {
        private final IdMap.Builder userIds = new IdMap.Builder();
        private final IdMap.Builder itemIds = new IdMap.Builder();
        private int size;
        private int[] users;
        private int[] items;
        private float[] ratings;
        private long[] timestamps;
        private MessageDigest canonical; // only for add(String, ...)
        private long canonicalBytes;

        /** An empty builder. */
        public Builder() {
            this(1024);
        }

        Builder(int initialCapacity) {
            int c = Math.max(16, initialCapacity);
            users = new int[c];
            items = new int[c];
            ratings = new float[c];
            timestamps = new long[c];
        }

        /**
         * Adds an interaction given by raw ids.
         *
         * @throws IllegalArgumentException if the rating is not finite
         */
        public Builder add(String user, String item, float rating, long timestamp) {
            if (!Float.isFinite(rating)) {
                throw new IllegalArgumentException("rating must be finite: " + rating);
            }
            if (canonical == null) {
                canonical = sha256();
            }
            byte[] line = (user + "," + item + "," + rating + "," + timestamp + "\n").getBytes(StandardCharsets.UTF_8);
            canonical.update(line);
            canonicalBytes += line.length;
            append(userIds.intern(user), itemIds.intern(item), rating, timestamp);
            return this;
        }

        IdMap.Builder userIds() {
            return userIds;
        }

        IdMap.Builder itemIds() {
            return itemIds;
        }

        int size() {
            return size;
        }

        /** Appends an interaction with already-interned dense indices. */
        void append(int user, int item, float rating, long timestamp) {
            if (size == users.length) {
                grow();
            }
            users[size] = user;
            items[size] = item;
            ratings[size] = rating;
            timestamps[size] = timestamp;
            size++;
        }

        /**
         * Sets the capacity to {@code capacity} (at least the current size): the reader calls it
         * once it has seen enough lines to estimate the file's total.
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
                throw new IllegalStateException("too many interactions for one data set: " + size);
            }
            setCapacity(c);
        }

        /** Copies every column into arrays of {@code c} entries. */
        private void setCapacity(int c) {
            users = Arrays.copyOf(users, c);
            items = Arrays.copyOf(items, c);
            ratings = Arrays.copyOf(ratings, c);
            timestamps = Arrays.copyOf(timestamps, c);
        }

        /** The in-memory data set of everything added, timestamps taken as given. */
        public RatingDataset build() {
            MessageDigest d = canonical == null ? sha256() : canonical;
            String hex = HexFormat.of().formatHex(d.digest());
            return build(Layout.IN_MEMORY, "<memory>", hex, canonicalBytes, true);
        }

        RatingDataset build(Layout layout, String path, String sha256, long bytes, boolean hasTimestamps) {
            // Trim one array at a time, so the peak is the data plus one copy of the largest array.
            users = Arrays.copyOf(users, size);
            items = Arrays.copyOf(items, size);
            ratings = Arrays.copyOf(ratings, size);
            timestamps = Arrays.copyOf(timestamps, size);
            IdMap u = userIds.build();
            IdMap i = itemIds.build();
            ItemMetadata meta = ItemMetadata.empty(i.size());
            DataIdentity id = new DataIdentity(layout, path, sha256, bytes, size, u.size(), i.size());
            return new RatingDataset(users, items, ratings, timestamps, hasTimestamps, u, i, meta,
                    Objects.requireNonNull(id));
        }

        static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required of every Java platform", e);
            }
        }
    }
}
