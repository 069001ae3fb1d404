package org.recsysrl.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import org.recsysrl.nn.Activation;
import org.recsysrl.nn.EncoderKind;
import org.recsysrl.nn.WeightInit;

/**
 * The {@code model} group: the architecture of what a run trains, as two parts read by different
 * components. {@link #policy()} is the actor-critic policy network (PPO, A2C and the off-policy
 * learners, in a simulator, on MovieLens or a platform), with its optional encoder of the
 * episode's item history; {@link #sequence()} is the sequence model trained on logs.
 *
 * <p>Users write the group flat, as before the split ({@code model.actor_hidden_dims},
 * {@code model.dropout}, …; see {@link Keys} for every key and its order): {@code ConfigJson}
 * reads the flat object once into the two parts and writes them back flat, so config files,
 * {@code --set} keys and the config stored in checkpoints are unchanged. The four shape keys
 * {@code max_seq_len}, {@code embedding_dim}, {@code blocks} and {@code heads} are read by both
 * the sequence model and the history encoder, so the two parts must agree on them.
 *
 * @param policy the actor-critic network
 * @param sequence the sequence model
 */
public record ModelConfig(PolicyNetworkConfig policy, SequenceModelConfig sequence) {

    public ModelConfig {
        HistoryEncoderConfig h = policy.history();
        if (h.length() != sequence.maxSeqLen() || h.dim() != sequence.embeddingDim() || h.blocks() != sequence.blocks()
                || h.heads() != sequence.heads()) {
            throw new IllegalArgumentException("the history encoder's shape " + h + " differs from the sequence model's "
                    + sequence + ": both are model.max_seq_len, embedding_dim, blocks and heads");
        }
    }

    /**
     * The group as users write it, one key per component in this order ({@code model.actor_hidden_dims}
     * first, {@code model.history_encoder} last); the JSON form of {@link ModelConfig}.
     */
    record Keys(
            List<Integer> actorHiddenDims,
            List<Integer> criticHiddenDims,
            Activation activation,
            WeightInit init,
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
    }

    /** The two parts of the flat group (how {@code ConfigJson} reads it). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static ModelConfig fromKeys(Keys k) {
        return new ModelConfig(
                new PolicyNetworkConfig(k.actorHiddenDims(), k.criticHiddenDims(), k.activation(), k.init(),
                        k.actorHead(), k.itemBias(), k.logitScale(), k.learnLogitScale(),
                        new HistoryEncoderConfig(k.historyEncoder(), k.maxSeqLen(), k.embeddingDim(), k.blocks(),
                                k.heads())),
                new SequenceModelConfig(k.encoder(), k.maxSeqLen(), k.embeddingDim(), k.blocks(), k.heads(),
                        k.dropout(), k.tieEmbeddings()));
    }

    /** The flat group (how {@code ConfigJson} writes it). */
    @JsonValue
    Keys keys() {
        PolicyNetworkConfig p = policy;
        SequenceModelConfig s = sequence;
        return new Keys(p.actorHiddenDims(), p.criticHiddenDims(), p.activation(), p.init(), p.actorHead(),
                p.itemBias(), p.logitScale(), p.learnLogitScale(), s.encoder(), s.maxSeqLen(), s.embeddingDim(),
                s.blocks(), s.heads(), s.dropout(), s.tieEmbeddings(), p.history().kind());
    }

    /** The original project's model: its network ({@link PolicyNetworkConfig#original()}), the default sequence model. */
    public static ModelConfig original() {
        return new ModelConfig(PolicyNetworkConfig.original(), SequenceModelConfig.defaults());
    }

    /** The recommended model: {@link PolicyNetworkConfig#defaults()} and {@link SequenceModelConfig#defaults()}. */
    public static ModelConfig defaults() {
        return new ModelConfig(PolicyNetworkConfig.defaults(), SequenceModelConfig.defaults());
    }

    void validate() {
        policy.validateNetwork();
        sequence.validate();
        policy.validateHistory();
    }
}
