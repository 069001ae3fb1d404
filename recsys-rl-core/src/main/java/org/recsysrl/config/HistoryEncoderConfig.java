package org.recsysrl.config;

import java.util.Optional;
import org.recsysrl.nn.EncoderKind;

/**
 * The policy network's optional encoder of the episode's item history, in a simulator or a
 * platform: the vector environments keep the last {@link #historyLength()} item ids of each
 * episode (they ask the network how many), and the network encodes them over learned item
 * embeddings and appends the state to the observation both MLPs read.
 *
 * @param kind {@code model.history_encoder}: {@code none} (the observation alone, the original's)
 *     or an encoder's name
 * @param length {@code model.max_seq_len}: the last this many items
 * @param dim {@code model.embedding_dim}: item embedding and state width
 * @param blocks {@code model.blocks}: attention blocks
 * @param heads {@code model.heads}: attention heads
 */
public record HistoryEncoderConfig(HistoryEncoderKind kind, int length, int dim, int blocks, int heads) {

    /** No history encoder (the shape is the defaults', unused). */
    public static HistoryEncoderConfig none() {
        SequenceModelConfig d = SequenceModelConfig.defaults();
        return new HistoryEncoderConfig(HistoryEncoderKind.NONE, d.maxSeqLen(), d.embeddingDim(), d.blocks(), d.heads());
    }

    /** Length of the item history the network reads: {@code length} with an encoder, else 0. */
    public int historyLength() {
        return kind == HistoryEncoderKind.NONE ? 0 : length;
    }

    /** The encoder of the history, or empty for {@code none}. */
    public Optional<EncoderKind> encoder() {
        return kind.encoder();
    }
}
