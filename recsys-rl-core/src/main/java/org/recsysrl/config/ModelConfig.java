package org.recsysrl.config;

import java.util.List;
import org.recsysrl.nn.EncoderKind;

/**
 * The actor-critic network: two separate MLPs (no shared trunk).
 *
 * @param actorHiddenDims hidden layer widths of the actor backbone
 * @param criticHiddenDims hidden layer widths of the critic backbone
 * @param activation {@code tanh}, {@code relu} or {@code elu}, applied after every hidden layer
 * @param init {@code pytorch} (uniform ±1/√fan_in, the original's) or {@code orthogonal}
 *     (gain √2 for hidden layers, 0.01 for the policy head, 1 for the value head; zero biases)
 * @param actorHead {@code logits} (one independent logit per item: the original's,
 *     checkpoint-compatible), {@code embedding} (a learned query dotted with each item's catalog
 *     embedding, see {@code ItemEmbeddingHead}) or {@code candidates} (a learned query dotted with
 *     each candidate's features in the observation, for environments that draw candidates each
 *     step, see {@code CandidateHead}) or {@code hierarchical} (a group, then an item of it, for
 *     environments whose items come in groups, see {@code HierarchicalHead})
 * @param itemBias embedding head: learn a bias per item
 * @param logitScale embedding head: the initial inverse temperature multiplying q·e
 * @param learnLogitScale embedding head: learn the (log) inverse temperature
 * @param encoder training on logs ({@code env.type = logs}): the state encoder of the sequence
 *     model, {@code last-item}, {@code mean}, {@code gru} or {@code attention}
 * @param maxSeqLen training on logs: the longest history the encoder reads
 * @param embeddingDim training on logs: item embedding and state width
 * @param blocks training on logs: attention blocks
 * @param heads training on logs: attention heads (must divide embedding_dim)
 * @param dropout training on logs: dropout probability
 * @param tieEmbeddings training on logs: score items with the input item embeddings (else a
 *     separate output table)
 * @param historyEncoder PPO/A2C: {@code none} (the observation alone, the original's) or an encoder
 *     of the episode's item-id history ({@code last-item}, {@code mean}, {@code gru},
 *     {@code attention}) over learned item embeddings of width {@code embeddingDim}, the last
 *     {@code maxSeqLen} items; its state is appended to the observation that both MLPs read
 */
public record ModelConfig(
        List<Integer> actorHiddenDims,
        List<Integer> criticHiddenDims,
        String activation,
        String init,
        ActorHeadKind actorHead,
        boolean itemBias,
        double logitScale,
        boolean learnLogitScale,
        EncoderKind encoder,
        int maxSeqLen,
        int embeddingDim,
        int blocks,
        int heads,
        double dropout,
        boolean tieEmbeddings,
        HistoryEncoderKind historyEncoder) {

    public static final List<String> ACTIVATIONS = List.of("tanh", "relu", "elu");
    public static final List<String> INITS = List.of("pytorch", "orthogonal");

    public ModelConfig {
        actorHiddenDims = List.copyOf(actorHiddenDims);
        criticHiddenDims = List.copyOf(criticHiddenDims);
    }

    /** A model with the original's logits head and the given backbone. */
    public static ModelConfig of(List<Integer> actorHiddenDims, List<Integer> criticHiddenDims, String activation,
            String init) {
        return new ModelConfig(actorHiddenDims, criticHiddenDims, activation, init, ActorHeadKind.LOGITS, false, 1.0, true,
                EncoderKind.ATTENTION, 50, 64, 2, 1, 0.2, true, HistoryEncoderKind.NONE);
    }

    /** The original project's model. */
    public static ModelConfig original() {
        return of(List.of(128, 64), List.of(128, 64), "tanh", "pytorch");
    }

    /**
     * The recommended model (see docs/learning.md): the item-embedding head over a linear query
     * of the observation (no actor hidden layers), orthogonal initialisation.
     */
    public static ModelConfig defaults() {
        return new ModelConfig(List.of(), List.of(128, 64), "tanh", "orthogonal", ActorHeadKind.EMBEDDING, false, 1.0,
                true, EncoderKind.ATTENTION, 50, 64, 2, 1, 0.2, true, HistoryEncoderKind.NONE);
    }

    void validate() {
        Validation.check(actorHiddenDims.size() <= 16, "model.actor_hidden_dims may have at most 16 layers (got "
                + actorHiddenDims.size() + ")");
        Validation.check(criticHiddenDims.size() <= 16, "model.critic_hidden_dims may have at most 16 layers (got "
                + criticHiddenDims.size() + ")");
        for (int d : actorHiddenDims) {
            Validation.atMost("model.actor_hidden_dims", d, 1, 65_536);
        }
        for (int d : criticHiddenDims) {
            Validation.atMost("model.critic_hidden_dims", d, 1, 65_536);
        }
        Validation.oneOf("model.activation", activation, ACTIVATIONS);
        Validation.oneOf("model.init", init, INITS);
        Validation.present("model.actor_head", actorHead, ActorHeadKind.ids());
        Validation.inRange("model.logit_scale", logitScale, 0.0, false, 1e6, true);
        Validation.present("model.encoder", encoder, EncoderKind.ids());
        Validation.check(maxSeqLen >= 2 && maxSeqLen <= 1000, "model.max_seq_len must be in [2, 1000] (got " + maxSeqLen + ")");
        Validation.check(embeddingDim >= 1 && embeddingDim <= 4096, "model.embedding_dim must be in [1, 4096] (got "
                + embeddingDim + ")");
        Validation.check(blocks >= 1 && blocks <= 64, "model.blocks must be in [1, 64] (got " + blocks + ")");
        Validation.check(heads >= 1 && embeddingDim % heads == 0, "model.heads must divide model.embedding_dim "
                + embeddingDim + " (got " + heads + ")");
        Validation.inRange("model.dropout", dropout, 0.0, true, 1.0, false);
        Validation.present("model.history_encoder", historyEncoder, HistoryEncoderKind.ids());
    }

    /** Length of the item history the actor-critic reads: {@code maxSeqLen} with a history encoder, else 0. */
    public int historyLength() {
        return historyEncoder == HistoryEncoderKind.NONE ? 0 : maxSeqLen;
    }

    /** The encoder of {@code model.history_encoder}, or empty for {@code none}. */
    public java.util.Optional<EncoderKind> historyEncoderKind() {
        return historyEncoder.encoder();
    }
}
