package org.recsysrl.nn;

import java.util.Arrays;
import java.util.List;

/**
 * The state encoders over item histories, and the one list of their names ({@code model.encoder},
 * {@code model.history_encoder}): the config layer parses a name into a constant once, and
 * {@link #create} builds the encoder.
 */
public enum EncoderKind {
    /** A linear map of the last item's embedding. */
    LAST_ITEM("last-item"),
    /** A linear map of the mean of the history's item embeddings. */
    MEAN("mean"),
    /** A GRU over the item embeddings (GRU4Rec). */
    GRU("gru"),
    /** Causal self-attention blocks over item plus position embeddings (SASRec). */
    ATTENTION("attention");

    private static final List<String> IDS = Arrays.stream(values()).map(EncoderKind::id).toList();

    private final String id;

    EncoderKind(String id) {
        this.id = id;
    }

    /** The name used in the config ({@code model.encoder}) and in model names. */
    public String id() {
        return id;
    }

    /** Every name, in declaration order. */
    public static List<String> ids() {
        return IDS;
    }

    /**
     * The encoder named {@code id}.
     *
     * @throws IllegalArgumentException for a name not in {@link #ids()} (the config layer checks
     *     user input first, with a message naming the key)
     */
    public static EncoderKind of(String id) {
        for (EncoderKind e : values()) {
            if (e.id.equals(id)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown encoder " + id + "; one of " + IDS);
    }

    /**
     * A new encoder of this kind whose parameters are allocated in {@code store} under {@code name}
     * ({@code name.proj}, {@code name.gru}, {@code name.positions}, {@code name.blocks.k}, …): a
     * linear map of the last item's embedding, of the mean embedding, a GRU ({@link Gru}), each
     * with dropout on its input embeddings while training, or SASRec's causal self-attention blocks
     * ({@link TransformerBlock}) over item plus position embeddings with a final LayerNorm (dropout
     * inside).
     */
    public HistoryEncoder create(ParameterStore store, String name, int dim, int maxLength, int blocks, int heads) {
        return switch (this) {
            case LAST_ITEM -> new InputDropoutEncoder(new LastItemEncoder(store, name, dim), dim);
            case MEAN -> new InputDropoutEncoder(new MeanEncoder(store, name, dim), dim);
            case GRU -> new InputDropoutEncoder(new GruEncoder(store, name, dim), dim);
            case ATTENTION -> new AttentionEncoder(store, name, dim, maxLength, blocks, heads);
        };
    }
}
