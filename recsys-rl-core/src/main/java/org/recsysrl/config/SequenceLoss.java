package org.recsysrl.config;

import java.util.Arrays;
import java.util.List;

/** The output loss of a sequence model trained on logs ({@code seq.loss}), and the one list of its names. */
public enum SequenceLoss {
    /** Softmax cross-entropy over the whole catalogue. */
    FULL("full"),
    /** Sampled softmax with logQ correction, for catalogues too large for the full softmax. */
    SAMPLED("sampled");

    private static final List<String> IDS = Arrays.stream(values()).map(SequenceLoss::id).toList();

    private final String id;

    SequenceLoss(String id) {
        this.id = id;
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
