package org.recsysrl.nn;

/**
 * The running state of one {@link QuantizedTopK} scan: the k largest lower bounds
 * {@code s̃_i − e_i} met so far among the allowed items (their k-th is the running threshold θ),
 * and every allowed item whose upper bound {@code s̃_i + e_i} reached θ when it was met, with that
 * upper bound. θ only rises, so the items whose upper bound reaches the final θ are among them.
 */
final class QuantizedSelection {
    private float[] lows = new float[16];
    private int k;
    private int size;
    private int[] excluded = new int[16];
    private int excludedCount;
    private java.util.function.IntPredicate allowed;
    int[] candidates;
    float[] highs;
    int count;

    /** A selection whose candidate list starts with room for {@code capacity} items (it grows when needed). */
    QuantizedSelection(int capacity) {
        this.candidates = new int[capacity];
        this.highs = new float[capacity];
    }

    private void grow(int needed) {
        int size = Math.max(needed, 2 * candidates.length);
        candidates = java.util.Arrays.copyOf(candidates, size);
        highs = java.util.Arrays.copyOf(highs, size);
    }

    /**
     * Starts a scan for the top {@code k}, leaving out {@code excluded[0 .. count)} (any order,
     * repeats allowed; none when null) and, when {@code allowed} is not null, the items it refuses.
     */
    void reset(int k, int[] excludedItems, int count, java.util.function.IntPredicate allowed) {
        this.k = k;
        this.allowed = allowed;
        this.size = 0;
        this.count = 0;
        if (lows.length < k) {
            lows = new float[k];
        }
        if (excluded.length < count) {
            excluded = new int[count];
        }
        if (count > 0) {
            System.arraycopy(excludedItems, 0, excluded, 0, count);
        }
        java.util.Arrays.sort(excluded, 0, count);
        this.excludedCount = count;
    }

    /** The k-th largest lower bound met so far, or −∞ while fewer than k allowed items were met. */
    float theta() {
        return size == k ? lows[k - 1] : Float.NEGATIVE_INFINITY;
    }

    /** Meets item i with bounds {@code [low, high]}. */
    void consider(int i, float low, float high) {
        float theta = theta();
        if (!(high >= theta) || (excludedCount > 0 && java.util.Arrays.binarySearch(excluded, 0, excludedCount, i) >= 0)
                || (allowed != null && !allowed.test(i))) {
            return;
        }
        if (count == candidates.length) {
            grow(count + 1);
        }
        candidates[count] = i;
        highs[count++] = high;
        insertLow(low);
    }

    /** Keeps {@code low} if it is among the k largest lower bounds so far; returns whether it was. */
    private boolean insertLow(float low) {
        if (size < k) {
            size++;
        } else if (!(low > lows[k - 1])) {
            return false;
        }
        int p = size - 1;
        while (p > 0 && lows[p - 1] < low) {
            lows[p] = lows[p - 1];
            p--;
        }
        lows[p] = low;
        return true;
    }

    /** Adds {@code other}'s lower bounds and candidates to this one's (the halves of a split scan). */
    void merge(QuantizedSelection other) {
        // other's bounds come largest first: after the first one not kept, none would be
        int r = 0;
        while (r < other.size && insertLow(other.lows[r])) {
            r++;
        }
        if (count + other.count > candidates.length) {
            grow(count + other.count);
        }
        System.arraycopy(other.candidates, 0, candidates, count, other.count);
        System.arraycopy(other.highs, 0, highs, count, other.count);
        count += other.count;
    }
}
