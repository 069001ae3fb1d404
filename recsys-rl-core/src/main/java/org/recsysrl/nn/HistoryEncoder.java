package org.recsysrl.nn;

import org.recsysrl.util.Rng;

/**
 * A state encoder over item histories, shared by the sequence models trained on logs and the
 * actor-critic's history features: turns the item embeddings of a batch of left-padded histories
 * into one state per position. The state at position t depends only on positions ≤ t (so every
 * prefix is encoded in one pass, and a model trained to predict item t+1 from the state at t never
 * sees it). Inputs and outputs are {@code [B·L·d]} row-major; rows before {@code firstValid[b]} are
 * padding. The kinds and their names are {@link EncoderKind}, which builds them.
 */
public interface HistoryEncoder {
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
     * As {@link #forward(Workspace, float[], int[], int, int, float[], double, Rng)}; with
     * {@code lookahead} the last position of every row is a training window's look-ahead item (an
     * input whose state only bootstraps the one before it, never a prediction's state), so the
     * positions are laid out as if the history ended one item earlier: the state a prediction is
     * trained on then sees the same positions it sees when recommending. Only encoders with
     * position embeddings differ.
     */
    default void forward(Workspace ws, float[] embeddings, int[] firstValid, int batch, int length, boolean lookahead,
            float[] states, double dropout, Rng rng) {
        forward(ws, embeddings, firstValid, batch, length, states, dropout, rng);
    }

    /**
     * Accumulates the encoder's parameter gradients for {@code dStates} and overwrites
     * {@code dEmbeddings} with the gradient of the input embeddings.
     */
    void backward(Workspace ws, float[] embeddings, int[] firstValid, float[] dStates, float[] dEmbeddings, int batch,
            int length);
}
