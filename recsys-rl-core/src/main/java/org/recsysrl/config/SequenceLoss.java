package org.recsysrl.config;

import java.util.Arrays;
import java.util.List;

/** The output loss of a sequence model trained on logs ({@code seq.loss}), and the one list of its names. */
public enum SequenceLoss {
    /** Softmax cross-entropy over the whole catalogue. */
    FULL("full"),
    /** Sampled softmax with logQ correction, for catalogues too large for the full softmax. */
    SAMPLED("sampled"),
    /** The sampled softmax above {@link #SAMPLED_ABOVE_ITEMS} items, the full softmax up to it (the default). */
    AUTO("auto");

    /**
     * The catalogue size above which {@link #AUTO} trains with the sampled softmax. On a 1M-interaction
     * log of 48,759 items the full softmax's epoch cost 9× the sampled one's CPU and the sampled
     * softmax needed about three times the epochs to reach the same test NDCG@10 (docs/scale.md); from
     * 100,000 items the full softmax's output layer alone is 19 million multiply-adds per target.
     */
    public static final int SAMPLED_ABOVE_ITEMS = 100_000;

    private static final List<String> IDS = Arrays.stream(values()).map(SequenceLoss::id).toList();

    private final String id;

    SequenceLoss(String id) {
        this.id = id;
    }

    /** Whether a catalogue of {@code items} items is trained with the sampled softmax under this setting. */
    public boolean sampledFor(int items) {
        return this == SAMPLED || (this == AUTO && items > SAMPLED_ABOVE_ITEMS);
    }

    /** The name used in {@code seq.loss}. */
    public String id() {
        return id;
    }

    /** Every name, in declaration order. */
    public static List<String> ids() {
        return IDS;
    }

    /**
     * The loss named {@code id}.
     *
     * @throws IllegalArgumentException for a name not in {@link #ids()}
     */
    public static SequenceLoss of(String id) {
        for (SequenceLoss l : values()) {
            if (l.id.equals(id)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown loss " + id + "; one of " + IDS);
    }
}
