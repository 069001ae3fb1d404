package org.recsysrl.setup;

import java.util.List;
import org.recsysrl.agent.Policy;
import org.recsysrl.eval.EngagementFigures;

/**
 * One platform environment, as {@code train}, {@code evaluate} and the serving API need it: its
 * setup for a seed, its reference policies and its engagement figures. Registered in
 * {@code workload.Platforms}; everything else treats every platform alike.
 */
public interface Platform {
    /** The {@code env.type} that selects it, e.g. {@code short-video}. */
    String name();

    /** One line on what an episode is and what the long-term measure is. */
    String description();

    /** The catalogue, users and environments of {@code env.seed}. */
    Setup setup(long envSeed);

    /**
     * The reference policies the agent is compared with, ready to play (bandits already warmed up
     * on users of their own), for the setup of {@code envSeed}; {@code seed} drives their randomness.
     */
    List<Policy> references(Setup setup, long envSeed, long seed);

    /** The engagement figures reported beside the return. */
    EngagementFigures figures();

    /** Settings that train with the logits head over a 128-64 MLP ({@link #settings}). */
    java.util.List<String> LOGITS_HEAD = java.util.List.of("model.actor_head=logits", "model.actor_hidden_dims=128,64");

    /** The reference the agent's return is given relative to: the myopic oracle. */
    default String baseline() {
        return "myopic-oracle";
    }

    /**
     * Settings ({@code group.field=value}) this platform trains with unless the user sets them:
     * applied after the preset and before {@code --set} by {@code train} and {@code sweep}.
     */
    default java.util.List<String> settings() {
        return java.util.List.of();
    }
}
