package org.recsysrl.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.recsysrl.nn.EncoderKind;

/**
 * What the actor-critic reads of the episode's item history ({@code model.history_encoder}),
 * parsed once by the config layer: nothing ({@code none}, the original's), or the history
 * encoded by one of the {@link EncoderKind}s, under the encoder's own name.
 */
public enum HistoryEncoderKind {
    /** No history: the observation alone. */
    NONE(null),
    /** {@link EncoderKind#LAST_ITEM}. */
    LAST_ITEM(EncoderKind.LAST_ITEM),
    /** {@link EncoderKind#MEAN}. */
    MEAN(EncoderKind.MEAN),
    /** {@link EncoderKind#GRU}. */
    GRU(EncoderKind.GRU),
    /** {@link EncoderKind#ATTENTION}. */
    ATTENTION(EncoderKind.ATTENTION);

    private static final List<String> IDS = Arrays.stream(values()).map(HistoryEncoderKind::id).toList();

    private final EncoderKind encoder;

    HistoryEncoderKind(EncoderKind encoder) {
        this.encoder = encoder;
    }

    /** The setting's value: {@code none}, or the encoder's name ({@code last-item}, …). */
    public String id() {
        return encoder == null ? "none" : encoder.id();
    }

    /** The encoder of the history, or empty for {@link #NONE}. */
    public Optional<EncoderKind> encoder() {
        return Optional.ofNullable(encoder);
    }

    /** Every value: {@code none}, then every encoder's name. */
    public static List<String> ids() {
        return IDS;
    }

    /**
     * The value named {@code id}.
     *
     * @throws IllegalArgumentException for any other name (the config layer checks user input
     *     first, with a message naming the key)
     */
    public static HistoryEncoderKind of(String id) {
        for (HistoryEncoderKind h : values()) {
            if (h.id().equals(id)) {
                return h;
            }
        }
        throw new IllegalArgumentException("unknown model.history_encoder " + id + "; one of " + IDS);
    }
}
