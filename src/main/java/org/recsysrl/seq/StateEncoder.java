package org.recsysrl.seq;

import org.recsysrl.util.Rng;

/**
 * Turns the item embeddings of a batch of left-padded histories into one state per position:
 * the state at position t depends only on positions ≤ t (so every prefix is encoded in one pass,
 * and a model trained to predict item t+1 from the state at t never sees it). Inputs and outputs
 * are {@code [B·L·d]} row-major; rows before {@code firstValid[b]} are padding.
 */
interface StateEncoder {
    /** Buffers kept between forward and backward. */
    interface Workspace {
    }

    /** A workspace for up to {@code maxBatch} sequences of {@code maxLength} positions. */
    Workspace newWorkspace(int maxBatch, int maxLength);

    /** Initialises the encoder's own parameters. */
    void initialize(Rng rng);

    /**
     * Writes the state of every position into {@code states}. {@code rng} non-null means training
     * (dropout drawn from it).
     */
    void forward(Workspace ws, float[] embeddings, int[] firstValid, int batch, int length, float[] states,
            double dropout, Rng rng);

    /**
     * Accumulates the encoder's parameter gradients for {@code dStates} and overwrites
     * {@code dEmbeddings} with the gradient of the input embeddings.
     */
    void backward(Workspace ws, float[] embeddings, int[] firstValid, float[] dStates, float[] dEmbeddings, int batch,
            int length);
}
