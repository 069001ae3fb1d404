package org.recsysrl.agent;

import org.recsysrl.util.Rng;

/** Small helpers for slates stored as runs of an int array (the layout of {@link Policy#act} with slates). */
public final class Slates {
    private Slates() {
    }

    /** Whether {@code item} is among the first {@code filled} entries of the slate at {@code slate[off ..)}. */
    public static boolean contains(int[] slate, int off, int filled, int item) {
        for (int m = 0; m < filled; m++) {
            if (slate[off + m] == item) {
                return true;
            }
        }
        return false;
    }

    /** Writes {@code k} distinct items of {@code [0, n)}, uniformly at random, to {@code out[off ..)}. */
    public static void random(Rng rng, int n, int k, int[] out, int off) {
        for (int pos = 0; pos < k; pos++) {
            int item;
            do {
                item = rng.nextInt(n);
            } while (contains(out, off, pos, item));
            out[off + pos] = item;
        }
    }
}
