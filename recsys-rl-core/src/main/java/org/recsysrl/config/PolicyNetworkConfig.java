package org.recsysrl.config;

import java.util.List;
import org.recsysrl.nn.Activation;
import org.recsysrl.nn.WeightInit;

/**
 * The actor-critic policy network of PPO, A2C and the off-policy learners: two separate MLPs (no
 * shared trunk), an actor head and an optional history encoder; read by {@code agent.ActorCritic}
 * (and the memory and FLOP estimates of such a network). The keys are those of the {@code model}
 * group.
 *
 * @param actorHiddenDims {@code model.actor_hidden_dims}: hidden layer widths of the actor backbone
 * @param criticHiddenDims {@code model.critic_hidden_dims}: hidden layer widths of the critic backbone
 * @param activation {@code model.activation}: applied after every hidden layer
 * @param init {@code model.init}: {@code pytorch} (uniform ±1/√fan_in, the original's) or
 *     {@code orthogonal} (gain √2 for hidden layers, 0.01 for the policy head, 1 for the value
 *     head; zero biases)
 * @param actorHead {@code model.actor_head}: {@code logits} (one independent logit per item: the
 *     original's, checkpoint-compatible), {@code embedding} (a learned query dotted with each
 *     item's catalog embedding, see {@code ItemEmbeddingHead}), {@code candidates} (a learned
 *     query dotted with each candidate's features in the observation, for environments that draw
 *     candidates each step, see {@code CandidateHead}) or {@code hierarchical} (a group, then an
 *     item of it, for environments whose items come in groups, see {@code HierarchicalHead})
 * @param itemBias {@code model.item_bias}, embedding head: learn a bias per item
 * @param logitScale {@code model.logit_scale}, embedding head: the initial inverse temperature
 *     multiplying q·e
 * @param learnLogitScale {@code model.learn_logit_scale}, embedding head: learn the (log) inverse
 *     temperature
 * @param history the encoder of the episode's item history ({@code model.history_encoder} and the
 *     shape keys it shares with the sequence model)
 */
public record PolicyNetworkConfig(
        List<Integer> actorHiddenDims,
        List<Integer> criticHiddenDims,
        Activation activation,
        WeightInit init,
        ActorHeadKind actorHead,
        boolean itemBias,
        double logitScale,
        boolean learnLogitScale,
        HistoryEncoderConfig history) {

    public PolicyNetworkConfig {
        actorHiddenDims = List.copyOf(actorHiddenDims);
        criticHiddenDims = List.copyOf(criticHiddenDims);
    }

    /** A network with the original's logits head, no history encoder and the given backbone. */
    public static PolicyNetworkConfig of(List<Integer> actorHiddenDims, List<Integer> criticHiddenDims,
            Activation activation, WeightInit init) {
        return new PolicyNetworkConfig(actorHiddenDims, criticHiddenDims, activation, init, ActorHeadKind.LOGITS, false,
                1.0, true, HistoryEncoderConfig.none());
    }

    /** The original project's network: 128-64 tanh MLPs, PyTorch initialisation, one logit per item. */
    public static PolicyNetworkConfig original() {
        return of(List.of(128, 64), List.of(128, 64), Activation.TANH, WeightInit.PYTORCH);
    }

    /**
     * The recommended network (see docs/learning.md): the item-embedding head over a linear query
     * of the observation (no actor hidden layers), orthogonal initialisation.
     */
    public static PolicyNetworkConfig defaults() {
        return new PolicyNetworkConfig(List.of(), List.of(128, 64), Activation.TANH, WeightInit.ORTHOGONAL,
                ActorHeadKind.EMBEDDING, false, 1.0, true, HistoryEncoderConfig.none());
    }

    /** This network with another actor head and its embedding-head settings. */
    public PolicyNetworkConfig withHead(ActorHeadKind head, boolean bias, double scale, boolean learnScale) {
        return new PolicyNetworkConfig(actorHiddenDims, criticHiddenDims, activation, init, head, bias, scale,
                learnScale, history);
    }

    /** This network with another history encoder. */
    public PolicyNetworkConfig withHistory(HistoryEncoderConfig newHistory) {
        return new PolicyNetworkConfig(actorHiddenDims, criticHiddenDims, activation, init, actorHead, itemBias,
                logitScale, learnLogitScale, newHistory);
    }

    /** Length of the item history the network reads: {@code model.max_seq_len} with a history encoder, else 0. */
    public int historyLength() {
        return history.historyLength();
    }

    /** Checks the backbone's sizes; the choices are typed, so only their presence. */
    void validateNetwork() {
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
        Validation.present("model.activation", activation, Activation.ids());
        Validation.present("model.init", init, WeightInit.ids());
        Validation.present("model.actor_head", actorHead, ActorHeadKind.ids());
        Validation.inRange("model.logit_scale", logitScale, 0.0, false, 1e6, true);
    }

    /** Checks the history encoder's choice (its shape is the sequence model's, checked there). */
    void validateHistory() {
        Validation.present("model.history_encoder", history.kind(), HistoryEncoderKind.ids());
    }
}
