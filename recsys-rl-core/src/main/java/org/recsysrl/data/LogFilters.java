package org.recsysrl.data;

/**
 * The filters of {@link LogSpec} applied to a read log: the repeat policy, then k-core filtering.
 *
 * <p>k-core: users with fewer than {@code userCore} interactions and items with fewer than
 * {@code itemCore} are removed, together with their interactions, and this is repeated until
 * nothing more is removed (removing an item can push a user below the threshold and vice versa),
 * so every remaining user and item meets its threshold. Users and items left without
 * interactions disappear; the rest keep their relative order of first appearance, renumbered densely.
 */
public final class LogFilters {
    private LogFilters() {
    }

    /** {@code log} with {@code spec}'s repeat policy and k-core applied (the same object if nothing changes). */
    public static InteractionLog apply(InteractionLog log, LogSpec spec) {
        boolean[] drop = null;
        if (spec.repeats() == LogSpec.Repeats.FIRST) {
            drop = repeats(log);
        }
        if (spec.userCore() > 1 || spec.itemCore() > 1) {
            drop = kCore(log, drop, Math.max(1, spec.userCore()), Math.max(1, spec.itemCore()));
        }
        return drop == null ? log : compact(log, drop);
    }

    /** Marks every interaction whose (user, item) pair occurred earlier for the same user. */
    static boolean[] repeats(InteractionLog log) {
        boolean[] drop = new boolean[log.size()];
        int[] seenBy = new int[log.itemCount()]; // user + 1 that last saw the item
        int[] items = log.items();
        for (int u = 0; u < log.userCount(); u++) {
            for (int p = log.start(u); p < log.end(u); p++) {
                if (seenBy[items[p]] == u + 1) {
                    drop[p] = true;
                } else {
                    seenBy[items[p]] = u + 1;
                }
            }
        }
        return drop;
    }

    /**
     * Marks, on top of {@code dropped} (may be null), the interactions of users and items that fall
     * below the thresholds, iterated to a fixed point.
     */
    static boolean[] kCore(InteractionLog log, boolean[] dropped, int userCore, int itemCore) {
        int n = log.size();
        boolean[] drop = dropped == null ? new boolean[n] : dropped;
        int[] items = log.items();
        int[] userCount = new int[log.userCount()];
        int[] itemCount = new int[log.itemCount()];
        boolean changed = true;
        while (changed) {
            java.util.Arrays.fill(userCount, 0);
            java.util.Arrays.fill(itemCount, 0);
            for (int u = 0; u < log.userCount(); u++) {
                for (int p = log.start(u); p < log.end(u); p++) {
                    if (!drop[p]) {
                        userCount[u]++;
                        itemCount[items[p]]++;
                    }
                }
            }
            changed = false;
            for (int u = 0; u < log.userCount(); u++) {
                boolean userOut = userCount[u] < userCore;
                for (int p = log.start(u); p < log.end(u); p++) {
                    if (!drop[p] && (userOut || itemCount[items[p]] < itemCore)) {
                        drop[p] = true;
                        changed = true;
                    }
                }
            }
        }
        return drop;
    }

    /** The log without the dropped interactions, users and items renumbered. */
    static InteractionLog compact(InteractionLog log, boolean[] drop) {
        int[] items = log.items();
        int users = log.userCount();
        int[] newUser = new int[users];
        int[] newItem = new int[log.itemCount()];
        java.util.Arrays.fill(newItem, -1);
        int keptUsers = 0;
        int kept = 0;
        for (int u = 0; u < users; u++) {
            int c = 0;
            for (int p = log.start(u); p < log.end(u); p++) {
                if (!drop[p]) {
                    c++;
                    newItem[items[p]] = 0;
                }
            }
            newUser[u] = c > 0 ? keptUsers++ : -1;
            kept += c;
        }
        if (kept == log.size()) {
            return log;
        }
        int keptItems = 0;
        for (int i = 0; i < newItem.length; i++) {
            if (newItem[i] == 0) {
                newItem[i] = keptItems++;
            }
        }
        int[] userList = oldIndices(newUser, keptUsers);
        int[] itemList = oldIndices(newItem, keptItems);
        int[] offsets = new int[keptUsers + 1];
        int[] outItems = new int[kept];
        long[] times = log.times();
        float[] weights = log.weights();
        long[] outTimes = times == null ? null : new long[kept];
        float[] outWeights = weights == null ? null : new float[kept];
        int q = 0;
        for (int x = 0; x < keptUsers; x++) {
            int u = userList[x];
            for (int p = log.start(u); p < log.end(u); p++) {
                if (!drop[p]) {
                    outItems[q] = newItem[items[p]];
                    if (outTimes != null) {
                        outTimes[q] = times[p];
                    }
                    if (outWeights != null) {
                        outWeights[q] = weights[p];
                    }
                    q++;
                }
            }
            offsets[x + 1] = q;
        }
        DataIdentity id = log.identity();
        DataIdentity filtered = new DataIdentity(id.layout(), id.path(), id.sha256(), id.bytes(), kept, keptUsers,
                keptItems);
        return new InteractionLog(offsets, outItems, outTimes, outWeights, log.userIds().subset(userList),
                log.itemIds().subset(itemList), log.metadata().subset(itemList), filtered);
    }

    /** The inverse of a renumbering: for each of the {@code kept} new indices, its old one ({@code -1} = dropped). */
    private static int[] oldIndices(int[] newIndex, int kept) {
        int[] old = new int[kept];
        for (int i = 0; i < newIndex.length; i++) {
            if (newIndex[i] >= 0) {
                old[newIndex[i]] = i;
            }
        }
        return old;
    }
}
