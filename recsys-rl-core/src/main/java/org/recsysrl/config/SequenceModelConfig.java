package org.recsysrl.config;

import org.recsysrl.nn.EncoderKind;

/**
 * The sequence model trained on logs ({@code env.type = logs}): its encoder and sizes, read by
 * {@code model.SequenceModels.spec}. The keys are those of the {@code model} group.
 *
 * @param encoder {@code model.encoder}: the state encoder, {@code last-item}, {@code mean},
 *     {@code gru} or {@code attention}
 * @param maxSeqLen {@code model.max_seq_len}: the longest history the encoder reads
 * @param embeddingDim {@code model.embedding_dim}: item embedding and state width
 * @param blocks {@code model.blocks}: attention blocks
 * @param heads {@code model.heads}: attention heads (must divide {@code embeddingDim})
 * @param dropout {@code model.dropout}: dropout probability
 * @param tieEmbeddings {@code model.tie_embeddings}: score items with the input item embeddings
 *     (else a separate output table)
 */
public record SequenceModelConfig(EncoderKind encoder, int maxSeqLen, int embeddingDim, int blocks, int heads,
        double dropout, boolean tieEmbeddings) {

    /** The defaults: attention, 50 items, width 64, 2 blocks, 1 head, dropout 0.2, tied embeddings. */
    public static SequenceModelConfig defaults() {
        return new SequenceModelConfig(EncoderKind.ATTENTION, 50, 64, 2, 1, 0.2, true);
    }

    void validate() {
        Validation.present("model.encoder", encoder, EncoderKind.ids());
        Validation.check(maxSeqLen >= 2 && maxSeqLen <= 1000, "model.max_seq_len must be in [2, 1000] (got " + maxSeqLen + ")");
        Validation.check(embeddingDim >= 1 && embeddingDim <= 4096, "model.embedding_dim must be in [1, 4096] (got "
                + embeddingDim + ")");
        Validation.check(blocks >= 1 && blocks <= 64, "model.blocks must be in [1, 64] (got " + blocks + ")");
        Validation.check(heads >= 1 && embeddingDim % heads == 0, "model.heads must divide model.embedding_dim "
                + embeddingDim + " (got " + heads + ")");
        Validation.inRange("model.dropout", dropout, 0.0, true, 1.0, false);
    }
}
