package org.recsysrl.seq;

import java.util.Arrays;
import org.recsysrl.data.Interactions;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Recommender;

/**
 * First-order transitions in the compact form a checkpoint stores: for every source item a the
 * distinct items that directly followed it, each with its count n(a→i), plus every item's share of
 * the interactions P_pop(i). A history ending in a scores item i by
 * {@code β·P_pop(i) + n(a→i) / n(a→·)}, exactly as the {@code markov} baseline
 * ({@code baselines.MarkovChain}) does, bit for bit: the baseline adds {@code 1/n(a→·)} once per
 * observed transition, and so does this table, count times per distinct pair, so the float sums
 * are the same. It holds one entry per distinct pair instead of one per transition, and needs
 * nothing else of the log, which is what lets a checkpoint serve without its training data.
 *
 * <p>Immutable; the arrays are not copied, do not modify them.
 */
public final class TransitionTable implements Recommender {
    private final int itemCount;
    private final int[] offsets;
    private final int[] targets;
    private final int[] counts;
    private final int[] totals;
    private final float[] popularity;
    private final float backoff;

    /**
     * @param offsets {@code [itemCount + 1]}: source a's pairs are positions {@code offsets[a] .. offsets[a+1]}
     * @param targets the item that followed, per pair
     * @param counts how often it did (at least 1), per pair
     * @param popularity {@code [itemCount]}: each item's share of the interactions
     * @param backoff β, the weight of popularity
     * @throws IllegalArgumentException if the arrays do not fit together (a damaged file)
     */
    public TransitionTable(int[] offsets, int[] targets, int[] counts, float[] popularity, float backoff) {
        int n = popularity.length;
        if (offsets.length != n + 1 || offsets[0] != 0 || offsets[n] != targets.length
                || counts.length != targets.length) {
            throw new IllegalArgumentException("transition table: " + n + " items, " + offsets.length + " offsets, "
                    + targets.length + " targets, " + counts.length + " counts do not fit together");
        }
        int[] totals = new int[n];
        for (int a = 0; a < n; a++) {
            if (offsets[a + 1] < offsets[a]) {
                throw new IllegalArgumentException("transition table: offsets decrease at item " + a);
            }
            long total = 0;
            for (int q = offsets[a]; q < offsets[a + 1]; q++) {
                if (targets[q] < 0 || targets[q] >= n || counts[q] < 1) {
                    throw new IllegalArgumentException("transition table: pair " + q + " has target " + targets[q]
                            + " and count " + counts[q]);
                }
                total += counts[q];
            }
            totals[a] = Math.toIntExact(total);
        }
        for (float p : popularity) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("transition table: popularity " + p + " outside [0, 1]");
            }
        }
        this.itemCount = n;
        this.offsets = offsets;
        this.targets = targets;
        this.counts = counts;
        this.totals = totals;
        this.popularity = popularity;
        this.backoff = backoff;
    }

    /**
     * The transitions of every user's sequence in {@code data} (item at position p − 1 to item at
     * p, within a user's slice), each source's targets in ascending item order, and popularity as
     * the baseline computes it.
     */
    public static TransitionTable of(Interactions data, float backoff) {
        int n = data.itemCount();
        int[] items = data.items();
        int[] rawOffsets = new int[n + 1];
        for (int u = 0; u < data.userCount(); u++) {
            for (int p = data.start(u) + 1; p < data.end(u); p++) {
                rawOffsets[items[p - 1] + 1]++;
            }
        }
        for (int i = 0; i < n; i++) {
            rawOffsets[i + 1] += rawOffsets[i];
        }
        int[] raw = new int[rawOffsets[n]];
        int[] next = Arrays.copyOf(rawOffsets, n);
        for (int u = 0; u < data.userCount(); u++) {
            for (int p = data.start(u) + 1; p < data.end(u); p++) {
                raw[next[items[p - 1]]++] = items[p];
            }
        }
        // per source: sort its targets, then collapse runs into (target, count)
        int[] offsets = new int[n + 1];
        int[] targets = new int[raw.length];
        int[] counts = new int[raw.length];
        int m = 0;
        for (int a = 0; a < n; a++) {
            Arrays.sort(raw, rawOffsets[a], rawOffsets[a + 1]);
            for (int q = rawOffsets[a]; q < rawOffsets[a + 1]; q++) {
                if (m > offsets[a] && targets[m - 1] == raw[q]) {
                    counts[m - 1]++;
                } else {
                    targets[m] = raw[q];
                    counts[m] = 1;
                    m++;
                }
            }
            offsets[a + 1] = m;
        }
        int[] itemCounts = data.itemCounts();
        long total = data.totalCount();
        float[] pop = new float[n];
        for (int i = 0; i < n; i++) {
            pop[i] = total == 0 ? 0f : (float) ((double) itemCounts[i] / total);
        }
        return new TransitionTable(offsets, Arrays.copyOf(targets, m), Arrays.copyOf(counts, m), pop, backoff);
    }

    /**
     * The table as one entry per observed transition: {@code offsets} {@code [itemCount + 1]} and
     * each source's targets, a target repeated as often as it followed (what a checkpoint stores:
     * on sparse logs most pairs occur once, so this is smaller than pairs with counts).
     *
     * @return {@code {offsets, targets}}
     */
    public int[][] expanded() {
        int[] expandedOffsets = new int[itemCount + 1];
        for (int a = 0; a < itemCount; a++) {
            expandedOffsets[a + 1] = expandedOffsets[a] + totals[a];
        }
        int[] expandedTargets = new int[expandedOffsets[itemCount]];
        int m = 0;
        for (int q = 0; q < targets.length; q++) {
            for (int c = 0; c < counts[q]; c++) {
                expandedTargets[m++] = targets[q];
            }
        }
        return new int[][] {expandedOffsets, expandedTargets};
    }

    /**
     * The table of {@link #expanded()}'s form: equal targets next to each other within a source
     * become one pair with their count.
     *
     * @throws IllegalArgumentException as the constructor
     */
    public static TransitionTable fromExpanded(int[] expandedOffsets, int[] expandedTargets, float[] popularity,
            float backoff) {
        int n = popularity.length;
        if (expandedOffsets.length != n + 1 || expandedOffsets[0] != 0 || expandedOffsets[n] != expandedTargets.length) {
            throw new IllegalArgumentException("transition table: " + n + " items, " + expandedOffsets.length
                    + " offsets, " + expandedTargets.length + " targets do not fit together");
        }
        int[] offsets = new int[n + 1];
        int[] targets = new int[expandedTargets.length];
        int[] counts = new int[expandedTargets.length];
        int m = 0;
        for (int a = 0; a < n; a++) {
            if (expandedOffsets[a + 1] < expandedOffsets[a]) {
                throw new IllegalArgumentException("transition table: offsets decrease at item " + a);
            }
            for (int q = expandedOffsets[a]; q < expandedOffsets[a + 1]; q++) {
                if (m > offsets[a] && targets[m - 1] == expandedTargets[q]) {
                    counts[m - 1]++;
                } else {
                    targets[m] = expandedTargets[q];
                    counts[m] = 1;
                    m++;
                }
            }
            offsets[a + 1] = m;
        }
        return new TransitionTable(offsets, Arrays.copyOf(targets, m), Arrays.copyOf(counts, m), popularity, backoff);
    }

    /** Source a's pairs are positions {@code offsets()[a] .. offsets()[a+1]} of {@link #targets()} and {@link #counts()}. */
    public int[] offsets() {
        return offsets;
    }

    /** The item that followed, per pair. */
    public int[] targets() {
        return targets;
    }

    /** How often it did, per pair. */
    public int[] counts() {
        return counts;
    }

    /** Each item's share of the interactions. */
    public float[] popularity() {
        return popularity;
    }

    /** β, the weight of popularity. */
    public float backoff() {
        return backoff;
    }

    @Override
    public String name() {
        return "markov";
    }

    @Override
    public int itemCount() {
        return itemCount;
    }

    @Override
    public Scorer newScorer() {
        return (History h, float[] out) -> {
            for (int i = 0; i < itemCount; i++) {
                out[i] = backoff * popularity[i];
            }
            int last = h.lastItem();
            if (last < 0 || totals[last] == 0) {
                return;
            }
            float w = 1f / totals[last];
            for (int q = offsets[last]; q < offsets[last + 1]; q++) {
                int t = targets[q];
                for (int c = counts[q]; c > 0; c--) {
                    out[t] += w;
                }
            }
        };
    }
}
