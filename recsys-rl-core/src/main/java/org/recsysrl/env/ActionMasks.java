package org.recsysrl.env;

/** Helpers for the allowed-action bitsets of {@link ActionMasking}. */
public final class ActionMasks {
    private ActionMasks() {
    }

    /** Longs needed for one row of {@code actionCount} bits: ⌈actionCount / 64⌉. */
    public static int words(int actionCount) {
        return (actionCount + 63) >>> 6;
    }

    /** Whether bit {@code j} of the row starting at word {@code off} is set. */
    public static boolean isAllowed(long[] bits, int off, int j) {
        return (bits[off + (j >>> 6)] & (1L << (j & 63))) != 0;
    }

    /** Sets bit {@code j} of the row at {@code off}. */
    public static void allow(long[] bits, int off, int j) {
        bits[off + (j >>> 6)] |= 1L << (j & 63);
    }

    /** Clears bit {@code j} of the row at {@code off}. */
    public static void forbid(long[] bits, int off, int j) {
        bits[off + (j >>> 6)] &= ~(1L << (j & 63));
    }

    /** Sets bits {@code 0 .. actionCount-1} of the row at {@code off} and clears the rest of its words. */
    public static void allowAll(long[] bits, int off, int actionCount) {
        int w = words(actionCount);
        for (int k = 0; k < w; k++) {
            bits[off + k] = -1L;
        }
        int rem = actionCount & 63;
        if (rem != 0) {
            bits[off + w - 1] = (1L << rem) - 1;
        }
    }

    /** Number of allowed actions in the row at {@code off}. */
    public static int count(long[] bits, int off, int actionCount) {
        int c = 0;
        for (int k = 0, w = words(actionCount); k < w; k++) {
            c += Long.bitCount(bits[off + k]);
        }
        return c;
    }
}
