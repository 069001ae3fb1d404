package org.recsysrl.baselines;

import org.recsysrl.data.Interactions;

/**
 * The binary user–item matrix of a training part in both compressed-sparse-row orientations:
 * which distinct items each user interacted with, and which users each item was interacted with
 * by (repeats collapsed, weights ignored). Item lists are ascending within a user; user lists
 * ascending within an item.
 */
final class BinaryMatrix {
    final int users;
    final int items;
    final int[] userOffsets;
    final int[] userItems;
    final int[] itemOffsets;
    final int[] itemUsers;

    private BinaryMatrix(int users, int items, int[] userOffsets, int[] userItems, int[] itemOffsets, int[] itemUsers) {
        this.users = users;
        this.items = items;
        this.userOffsets = userOffsets;
        this.userItems = userItems;
        this.itemOffsets = itemOffsets;
        this.itemUsers = itemUsers;
    }

    static BinaryMatrix of(Interactions train) {
        int users = train.userCount();
        int items = train.itemCount();
        int[] seenBy = new int[items];
        int[] list = train.items();
        int[] uOff = new int[users + 1];
        int[] iOff = new int[items + 1];
        for (int u = 0; u < users; u++) {
            int c = 0;
            for (int p = train.start(u); p < train.end(u); p++) {
                int i = list[p];
                if (seenBy[i] != u + 1) {
                    seenBy[i] = u + 1;
                    c++;
                    iOff[i + 1]++;
                }
            }
            uOff[u + 1] = uOff[u] + c;
        }
        for (int i = 0; i < items; i++) {
            iOff[i + 1] += iOff[i];
        }
        int[] uItems = new int[uOff[users]];
        int[] iUsers = new int[iOff[items]];
        int[] next = java.util.Arrays.copyOf(iOff, items);
        java.util.Arrays.fill(seenBy, 0);
        for (int u = 0; u < users; u++) {
            int k = uOff[u];
            for (int p = train.start(u); p < train.end(u); p++) {
                int i = list[p];
                if (seenBy[i] != u + 1) {
                    seenBy[i] = u + 1;
                    uItems[k++] = i;
                    iUsers[next[i]++] = u;
                }
            }
            java.util.Arrays.sort(uItems, uOff[u], uOff[u + 1]);
        }
        return new BinaryMatrix(users, items, uOff, uItems, iOff, iUsers);
    }

    /**
     * The same matrix over the items {@code keep} only (ascending old indices; item {@code keep[j]}
     * becomes j), users unchanged.
     */
    BinaryMatrix restrictedTo(int[] keep) {
        int[] newOf = new int[items];
        java.util.Arrays.fill(newOf, -1);
        for (int j = 0; j < keep.length; j++) {
            newOf[keep[j]] = j;
        }
        int[] uOff = new int[users + 1];
        for (int u = 0; u < users; u++) {
            int c = 0;
            for (int q = userOffsets[u]; q < userOffsets[u + 1]; q++) {
                if (newOf[userItems[q]] >= 0) {
                    c++;
                }
            }
            uOff[u + 1] = uOff[u] + c;
        }
        int[] uItems = new int[uOff[users]];
        for (int u = 0; u < users; u++) {
            int k = uOff[u];
            for (int q = userOffsets[u]; q < userOffsets[u + 1]; q++) {
                int j = newOf[userItems[q]];
                if (j >= 0) {
                    uItems[k++] = j;
                }
            }
        }
        int[] iOff = new int[keep.length + 1];
        for (int j = 0; j < keep.length; j++) {
            iOff[j + 1] = iOff[j] + itemDegree(keep[j]);
        }
        int[] iUsers = new int[iOff[keep.length]];
        for (int j = 0; j < keep.length; j++) {
            System.arraycopy(itemUsers, itemOffsets[keep[j]], iUsers, iOff[j], itemDegree(keep[j]));
        }
        return new BinaryMatrix(users, keep.length, uOff, uItems, iOff, iUsers);
    }

    /** An upper estimate of the heap {@link #of} takes for {@code train} (every interaction distinct). */
    static long bytes(Interactions train) {
        return 8L * train.totalCount() + 4L * (train.userCount() + 2L * train.itemCount() + 2);
    }

    int itemDegree(int item) {
        return itemOffsets[item + 1] - itemOffsets[item];
    }

    long nonZeros() {
        return userItems.length;
    }
}
