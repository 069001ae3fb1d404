package org.recsysrl.seq;

import java.util.Arrays;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Recommender;

/**
 * An item-to-item model as sparse rows: item j contributes {@code values[q]} to item {@code ids[q]}
 * for q in {@code [offsets[j], offsets[j+1])}, and a history's score for item i is the sum of what
 * its distinct items contribute. This is exactly how item-kNN and EASE score (a sum over the
 * distinct history items of a row of an item–item matrix), so either, once fitted, is stored as
 * its rows: item-kNN's neighbour lists whole, EASE's dense rows pruned to their largest entries
 * ({@link #of}). A blend component that a checkpoint carries ({@link Blend}).
 *
 * @param name for reports
 * @param offsets {@code [items + 1]} row offsets
 * @param ids the column of each stored entry
 * @param values the stored entries
 */
public record ItemTable(String name, int[] offsets, int[] ids, float[] values) implements Recommender {

    public ItemTable {
        int n = offsets.length - 1;
        if (n < 0 || offsets[0] != 0 || offsets[n] != ids.length || ids.length != values.length) {
            throw new IllegalArgumentException("item table: " + offsets.length + " offsets for " + ids.length
                    + " ids and " + values.length + " values");
        }
        for (int j = 0; j < n; j++) {
            if (offsets[j + 1] < offsets[j]) {
                throw new IllegalArgumentException("item table: offsets decrease at row " + j);
            }
        }
        for (int id : ids) {
            if (id < 0 || id >= n) {
                throw new IllegalArgumentException("item table: column " + id + " outside 0.." + (n - 1));
            }
        }
    }

    /**
     * The rows of a model that scores a history as a sum of rows over its distinct items (item-kNN,
     * EASE): row j is the model's scores for the one-item history {j}, without entry j itself,
     * keeping at most {@code keep} entries with the largest positive values (larger value first,
     * then lower id). A row with at most {@code keep} positive entries is kept whole, so a kNN
     * model of k ≤ keep neighbours is stored exactly.
     */
    public static ItemTable of(Recommender linear, int keep, int threads) {
        int n = linear.itemCount();
        int[][] rowIds = new int[n][];
        float[][] rowValues = new float[n][];
        org.recsysrl.util.Parallel.forChunks((n + 63) / 64, Math.max(1, threads), (worker, next) -> {
            Scorer scorer = linear.newScorer();
            float[] out = new float[n];
            Integer[] order = new Integer[n];
            int[] one = new int[1];
            for (int c = next.getAsInt(); c >= 0; c = next.getAsInt()) {
                for (int j = c * 64; j < Math.min(n, (c + 1) * 64); j++) {
                    one[0] = j;
                    scorer.score(new History(History.UNKNOWN_USER, one, null, 0, 1), out);
                    int m = 0;
                    for (int i = 0; i < n; i++) {
                        if (i != j && out[i] > 0) {
                            order[m++] = i;
                        }
                    }
                    Arrays.sort(order, 0, m, (a, b) -> out[a] != out[b] ? Float.compare(out[b], out[a])
                            : Integer.compare(a, b));
                    int kept = Math.min(keep, m);
                    rowIds[j] = new int[kept];
                    rowValues[j] = new float[kept];
                    for (int q = 0; q < kept; q++) {
                        rowIds[j][q] = order[q];
                        rowValues[j][q] = out[order[q]];
                    }
                }
            }
        });
        org.recsysrl.util.RaggedRows rows = org.recsysrl.util.RaggedRows.pack(rowIds, rowValues);
        return new ItemTable(linear.name(), rows.offsets(), rows.ids(), rows.values());
    }

    /** Stored entries. */
    public int entries() {
        return ids.length;
    }

    @Override
    public int itemCount() {
        return offsets.length - 1;
    }

    @Override
    public Scorer newScorer() {
        int n = itemCount();
        int[] seen = new int[n];
        int[] stamp = {0};
        return (History h, float[] out) -> {
            Arrays.fill(out, 0, n, 0f);
            int s = ++stamp[0];
            for (int p = h.from(); p < h.to(); p++) {
                int j = h.items()[p];
                if (seen[j] == s) {
                    continue;
                }
                seen[j] = s;
                for (int q = offsets[j]; q < offsets[j + 1]; q++) {
                    out[ids[q]] += values[q];
                }
            }
        };
    }
}
