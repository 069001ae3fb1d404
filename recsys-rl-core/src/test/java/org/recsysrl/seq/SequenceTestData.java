package org.recsysrl.seq;

import org.recsysrl.data.DataIdentity;
import org.recsysrl.data.IdMap;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.Layout;
import org.recsysrl.util.Rng;

/** Small generated logs for the sequence-model tests. */
final class SequenceTestData {
    private SequenceTestData() {
    }

    /**
     * {@code users} sequences of {@code length} items where item i is always followed by item
     * (i + 1) mod {@code items}, each starting at a random item.
     */
    static InteractionLog successorLog(int users, int length, int items, long seed) {
        Rng rng = new Rng(seed);
        int[] offsets = new int[users + 1];
        int[] seq = new int[users * length];
        for (int u = 0; u < users; u++) {
            int start = rng.nextInt(items);
            for (int t = 0; t < length; t++) {
                seq[u * length + t] = (start + t) % items;
            }
            offsets[u + 1] = offsets[u] + length;
        }
        String[] userIds = new String[users];
        for (int u = 0; u < users; u++) {
            userIds[u] = "u" + u;
        }
        String[] itemIds = new String[items];
        for (int i = 0; i < items; i++) {
            itemIds[i] = "i" + i;
        }
        return new InteractionLog(offsets, seq, null, null, IdMap.of(userIds), IdMap.of(itemIds), null,
                new DataIdentity(Layout.IN_MEMORY, "<successor>", "0", 0, seq.length, users, items));
    }

    /** Random sequences of random lengths in [2, maxLength + 3] over {@code items} items. */
    static InteractionLog randomLog(int users, int maxLength, int items, long seed) {
        Rng rng = new Rng(seed);
        int[] offsets = new int[users + 1];
        int[] seq = new int[users * (maxLength + 3)];
        int k = 0;
        for (int u = 0; u < users; u++) {
            int len = 2 + rng.nextInt(maxLength + 2);
            for (int t = 0; t < len; t++) {
                seq[k++] = rng.nextInt(items);
            }
            offsets[u + 1] = k;
        }
        String[] userIds = new String[users];
        for (int u = 0; u < users; u++) {
            userIds[u] = "u" + u;
        }
        String[] itemIds = new String[items];
        for (int i = 0; i < items; i++) {
            itemIds[i] = "i" + i;
        }
        float[] weights = new float[k];
        for (int i = 0; i < k; i++) {
            weights[i] = 1 + rng.nextInt(3);
        }
        return new InteractionLog(offsets, java.util.Arrays.copyOf(seq, k), null, weights, IdMap.of(userIds),
                IdMap.of(itemIds), null, new DataIdentity(Layout.IN_MEMORY, "<random>", "0", 0, k, users, items));
    }

    /** One user per given sequence, over {@code items} items. */
    static InteractionLog logOf(int items, int[]... sequences) {
        int[] offsets = new int[sequences.length + 1];
        int total = 0;
        for (int[] q : sequences) {
            total += q.length;
        }
        int[] seq = new int[total];
        String[] userIds = new String[sequences.length];
        for (int u = 0; u < sequences.length; u++) {
            System.arraycopy(sequences[u], 0, seq, offsets[u], sequences[u].length);
            offsets[u + 1] = offsets[u] + sequences[u].length;
            userIds[u] = "u" + u;
        }
        String[] itemIds = new String[items];
        for (int i = 0; i < items; i++) {
            itemIds[i] = "i" + i;
        }
        return new InteractionLog(offsets, seq, null, null, IdMap.of(userIds), IdMap.of(itemIds), null,
                new DataIdentity(Layout.IN_MEMORY, "<given>", "0", 0, total, sequences.length, items));
    }
}
