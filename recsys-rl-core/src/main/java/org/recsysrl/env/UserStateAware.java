package org.recsysrl.env;

/**
 * An environment that can report the true current user state (for the greedy-oracle reference
 * policy, which shows {@code argmax_a dot(userState, item[a])}).
 */
public interface UserStateAware {

    /** Length of the user interest vector. */
    int userStateSize();

    /** Copies the true current user interest vector to {@code out[off .. off+userStateSize())}. */
    void userState(float[] out, int off);

    /**
     * Item embeddings, {@code [numItems * itemDim]} row-major (item {@code a} starts at
     * {@code a * itemDim}). The array is shared, not copied: callers must not modify it.
     */
    float[] itemEmbeddings();

    /** Length of one item embedding. */
    int itemDim();
}
