package org.recsysrl.recommend;

import java.util.Locale;

/**
 * What a model's fit and scoring will hold on the heap, estimated from the sizes of the training
 * part before anything large is allocated, so that a model that cannot fit is refused in one line
 * instead of failing with an out-of-memory error after the models before it ran. The estimate is
 * an upper figure meant to catch sizes that are off by a large factor, not a budget to the byte.
 *
 * @param bytes the estimate
 * @param largest the largest part, in words with its size (e.g. "the 59,000 × 59,000 item-item
 *     matrices")
 */
public record MemoryNeed(long bytes, String largest) {
    /** Nothing worth counting. */
    public static final MemoryNeed SMALL = new MemoryNeed(0, "nothing large");

    /** This need plus {@code moreBytes} that are not the largest part. */
    public MemoryNeed plus(long moreBytes) {
        long s = bytes + moreBytes;
        return new MemoryNeed(s < 0 ? Long.MAX_VALUE : s, largest);
    }

    /** E.g. {@code 3.2 GB}, {@code 12.5 MB} or {@code 24.4 kB}. */
    public static String size(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        }
        if (bytes >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%.1f kB", bytes / 1024.0);
    }
}
