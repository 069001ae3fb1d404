package org.recsysrl.config;

import java.util.List;

/**
 * The actor-critic network: two separate MLPs (no shared trunk).
 *
 * @param actorHiddenDims hidden layer widths of the actor backbone
 * @param criticHiddenDims hidden layer widths of the critic backbone
 * @param activation {@code tanh}, {@code relu} or {@code elu}, applied after every hidden layer
 * @param init {@code pytorch} (uniform ±1/√fan_in, the original's) or {@code orthogonal}
 *     (gain √2 for hidden layers, 0.01 for the policy head, 1 for the value head; zero biases)
 * @param actorHead {@code logits} (one independent logit per item: the original's,
 *     checkpoint-compatible) or {@code embedding} (a learned query dotted with each item's catalog
 *     embedding, see {@code ItemEmbeddingHead})
 * @param itemBias embedding head: learn a bias per item
 * @param logitScale embedding head: the initial inverse temperature multiplying q·e
 * @param learnLogitScale embedding head: learn the (log) inverse temperature
 */
public record ModelConfig(
        List<Integer> actorHiddenDims,
        List<Integer> criticHiddenDims,
        String activation,
        String init,
        String actorHead,
        boolean itemBias,
        double logitScale,
        boolean learnLogitScale) {

    public static final List<String> ACTIVATIONS = List.of("tanh", "relu", "elu");
    public static final List<String> INITS = List.of("pytorch", "orthogonal");
    public static final List<String> ACTOR_HEADS = List.of("logits", "embedding");

    public ModelConfig {
        actorHiddenDims = List.copyOf(actorHiddenDims);
        criticHiddenDims = List.copyOf(criticHiddenDims);
    }

    /** A model with the original's logits head and the given backbone. */
    public static ModelConfig of(List<Integer> actorHiddenDims, List<Integer> criticHiddenDims, String activation,
            String init) {
        return new ModelConfig(actorHiddenDims, criticHiddenDims, activation, init, "logits", false, 1.0, true);
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
        return new ModelConfig(List.of(), List.of(128, 64), "tanh", "orthogonal", "embedding", false, 1.0, true);
    }

    void validate() {
        for (int d : actorHiddenDims) {
            Validation.positive("model.actor_hidden_dims", d);
        }
        for (int d : criticHiddenDims) {
            Validation.positive("model.critic_hidden_dims", d);
        }
        Validation.oneOf("model.activation", activation, ACTIVATIONS);
        Validation.oneOf("model.init", init, INITS);
        Validation.oneOf("model.actor_head", actorHead, ACTOR_HEADS);
        Validation.positiveFinite("model.logit_scale", logitScale);
    }
}
