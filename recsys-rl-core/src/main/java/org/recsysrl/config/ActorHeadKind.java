package org.recsysrl.config;

import java.util.Arrays;
import java.util.List;

/** The actor heads of the actor-critic ({@code model.actor_head}), and the one list of their names. */
public enum ActorHeadKind {
    /** One independent logit per item: the original's, checkpoint-compatible. */
    LOGITS("logits"),
    /** A learned query dotted with each item's catalog embedding ({@code ItemEmbeddingHead}). */
    EMBEDDING("embedding"),
    /** A learned query dotted with each candidate's features in the observation ({@code CandidateHead}). */
    CANDIDATES("candidates"),
    /** A group, then an item of it ({@code HierarchicalHead}). */
    HIERARCHICAL("hierarchical");

    private static final List<String> IDS = Arrays.stream(values()).map(ActorHeadKind::id).toList();

    private final String id;

    ActorHeadKind(String id) {
        this.id = id;
    }

    /** The name used in {@code model.actor_head}. */
    public String id() {
        return id;
    }

    /** Every name, in declaration order. */
    public static List<String> ids() {
        return IDS;
    }

    /**
     * The head named {@code id}.
     *
     * @throws IllegalArgumentException for a name not in {@link #ids()}
     */
    public static ActorHeadKind of(String id) {
        for (ActorHeadKind h : values()) {
            if (h.id.equals(id)) {
                return h;
            }
        }
        throw new IllegalArgumentException("unknown actor head " + id + "; one of " + IDS);
    }
}
