package org.recsysrl.seq;

import java.util.Arrays;
import org.recsysrl.data.Interactions;
import org.recsysrl.util.Rng;

/**
 * Every user's training sequence cut into windows of at most {@code maxLength} items for
 * next-item training. A window is a slice {@code [start, end]} (inclusive) of the interaction
 * array; its items are the model's input, and each input position t &lt; end has the next item
 * {@code t+1} as its target. The state at the window's last position has no target in it; it is
 * the next state of the last target, for bootstrapping. Consecutive windows of a user overlap by
 * one item, so every training interaction after a user's first is the target of exactly one
 * window position. Sequences of fewer than two items give no window.
 */
public final class TrainingWindows {
    private final int[] starts;
    private final int[] ends;
    private final int count;
    private final long targets;
    private final int[] items;
    private final float[] weights;

    private TrainingWindows(int[] starts, int[] ends, int count, long targets, int[] items, float[] weights) {
        this.starts = starts;
        this.ends = ends;
        this.count = count;
        this.targets = targets;
        this.items = items;
        this.weights = weights;
    }

    /** The windows of {@code train}, newest first within a user. */
    public static TrainingWindows of(Interactions train, int maxLength) {
        if (maxLength < 2) {
            throw new IllegalArgumentException("windows need a length of at least 2");
        }
        int cap = 16;
        int[] s = new int[cap];
        int[] e = new int[cap];
        int n = 0;
        long targets = 0;
        for (int u = 0; u < train.userCount(); u++) {
            int first = train.start(u);
            int last = train.end(u) - 1;
            if (last - first < 1) {
                continue;
            }
            int b = last;
            while (true) {
                int a = Math.max(first, b - maxLength + 1);
                if (n == cap) {
                    cap *= 2;
                    s = Arrays.copyOf(s, cap);
                    e = Arrays.copyOf(e, cap);
                }
                s[n] = a;
                e[n] = b;
                n++;
                targets += b - a;
                if (a == first) {
                    break;
                }
                b = a;
            }
        }
        return new TrainingWindows(Arrays.copyOf(s, n), Arrays.copyOf(e, n), n, targets, train.items(),
                train.weights());
    }

    /** Number of windows. */
    public int size() {
        return count;
    }

    /** Number of training targets over all windows. */
    public long targetCount() {
        return targets;
    }

    /** Number of items (input positions) of window {@code w}. */
    public int length(int w) {
        return ends[w] - starts[w] + 1;
    }

    /**
     * The epoch's batches: the windows in a random order (from {@code rng}), grouped by length in
     * buckets of 8 so that a batch pads little, cut into batches of at most {@code batchSize}, and
     * the batches shuffled. Returns window indices per batch.
     */
    public int[][] batches(int batchSize, Rng rng) {
        Integer[] order = new Integer[count];
        int[] perm = new int[count];
        for (int i = 0; i < count; i++) {
            perm[i] = i;
        }
        for (int i = count - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        for (int i = 0; i < count; i++) {
            order[i] = perm[i];
        }
        Arrays.sort(order, (x, y) -> Integer.compare((length(x) + 7) / 8, (length(y) + 7) / 8)); // stable
        int batches = (count + batchSize - 1) / batchSize;
        int[][] out = new int[batches][];
        for (int b = 0; b < batches; b++) {
            int from = b * batchSize;
            int to = Math.min(count, from + batchSize);
            out[b] = new int[to - from];
            for (int k = from; k < to; k++) {
                out[b][k - from] = order[k];
            }
        }
        for (int i = batches - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int[] t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return out;
    }

    /**
     * Writes a batch into a model workspace: ids left-padded to the batch's longest window
     * ({@code −1} = padding), first valid positions, and per position the target item (−1 where
     * there is none) and its weight. Returns the batch's length.
     */
    public int fill(int[] batch, SequenceModel.Workspace ws, int[] targetsOut, float[] rewardsOut) {
        int length = 0;
        for (int w : batch) {
            length = Math.max(length, length(w));
        }
        int[] ids = ws.ids();
        int[] firstValid = ws.firstValid();
        for (int r = 0; r < batch.length; r++) {
            int w = batch[r];
            int len = length(w);
            int fv = length - len;
            firstValid[r] = fv;
            int base = r * length;
            for (int t = 0; t < length; t++) {
                int p = starts[w] + (t - fv);
                ids[base + t] = t < fv ? -1 : items[p];
                boolean hasTarget = t >= fv && p < ends[w];
                targetsOut[base + t] = hasTarget ? items[p + 1] : -1;
                rewardsOut[base + t] = hasTarget ? (weights == null ? 1f : weights[p + 1]) : 0f;
            }
        }
        return length;
    }
}
