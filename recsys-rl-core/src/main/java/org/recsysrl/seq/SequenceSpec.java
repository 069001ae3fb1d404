package org.recsysrl.seq;

import java.util.Objects;
import org.recsysrl.nn.EncoderKind;
import org.recsysrl.util.UserInputException;

/**
 * The architecture of a sequence model: which state encoder reads the item history, its sizes, and
 * the heads on top.
 *
 * @param encoder the state encoder
 * @param items catalog size
 * @param maxLength longest history read (the last {@code maxLength} items)
 * @param dim embedding and state width
 * @param blocks attention blocks (attention encoder only)
 * @param heads attention heads (attention encoder only; divides {@code dim})
 * @param dropout dropout probability in training (embeddings and block outputs)
 * @param tied whether the output scores use the input item embeddings (else a table of their own)
 * @param qHead whether the model has a Q head (offline actor-critic)
 */
public record SequenceSpec(EncoderKind encoder, int items, int maxLength, int dim, int blocks, int heads, double dropout,
        boolean tied, boolean qHead) {

    public SequenceSpec {
        Objects.requireNonNull(encoder, "encoder");
        if (items <= 0 || maxLength <= 0 || dim <= 0 || blocks <= 0 || heads <= 0) {
            throw new IllegalArgumentException("sizes must be positive");
        }
        if (encoder == EncoderKind.ATTENTION && dim % heads != 0) {
            throw new UserInputException("model.embedding_dim " + dim + " must be a multiple of model.heads " + heads);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new UserInputException("model.dropout must be in [0, 1) (got " + dropout + ")");
        }
    }
}
