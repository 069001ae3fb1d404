package org.recsysrl.agent;

/**
 * Maps the actor backbone's features to one logit per item. Implementations are views into the
 * model's flat parameter store and accumulate their gradients there; what a forward pass must keep
 * for its backward pass lives in a {@link Workspace} sized once for a batch capacity.
 */
public interface ActorHead {
    /** Per-batch buffers of a head (opaque to callers). */
    interface Workspace {
        /**
         * Copies what a forward pass left for {@code rows} rows of {@code source} (a workspace of
         * the same head), starting at {@code sourceRow}, into this workspace from {@code targetRow}.
         */
        default void copyRows(Workspace source, int sourceRow, int targetRow, int rows) {
        }
    }

    int featureSize();

    int actionCount();

    /** Buffers for batches of up to {@code capacity} rows. */
    Workspace newWorkspace(int capacity);

    /** Sets parameters that are not ordinary dense layers to their starting values. */
    default void initialiseExtras() {
    }

    /** logits[b*A + a] for every row b &lt; batch; overwrites the rows. */
    void forward(Workspace ws, float[] features, float[] logits, int batch);

    /**
     * Parameter gradients from dLogits after a {@link #forward} on the same workspace, added to the
     * store's gradients if {@code accumulate}, else written over them; if dFeatures != null writes
     * dL/dfeatures.
     */
    void backward(Workspace ws, float[] features, float[] dLogits, float[] dFeatures, int batch, boolean accumulate);

    /**
     * As {@link #forward(Workspace, float[], float[], int)} for a head that also reads the raw
     * observations ({@code obs}, rows of the model's observation size); the default ignores them.
     */
    default void forward(Workspace ws, float[] features, float[] obs, float[] logits, int batch) {
        forward(ws, features, logits, batch);
    }

    /**
     * One row's logits for inference (no backward pass follows; the workspace's saved state may be
     * left stale): the same values as {@link #forward(Workspace, float[], float[], float[], int)}
     * with a batch of 1, bit for bit. A head may use a layout that is faster for a single row.
     */
    default void forwardInference(Workspace ws, float[] features, float[] obs, float[] logits) {
        forward(ws, features, obs, logits, 1);
    }

    /**
     * The width of the query through which {@link #inferenceLogits} scores several rows in one pass
     * over the items, or 0 when this head has no such pass (then each row takes
     * {@link #forwardInference}).
     */
    default int inferenceQueryWidth() {
        return 0;
    }

    /**
     * Writes one row's query (from its features, one row) into {@code queries} from
     * {@code row · inferenceQueryWidth()}: the first half of {@link #forwardInference}.
     *
     * @throws UnsupportedOperationException if {@link #inferenceQueryWidth} is 0
     */
    default void inferenceQuery(Workspace ws, float[] features, float[] queries, int row) {
        throw new UnsupportedOperationException("this head has no shared pass over the items");
    }

    /**
     * The logits of {@code rows} queries written by {@link #inferenceQuery}, row r into
     * {@code logits[r]}: each row the same bits as
     * {@link #forwardInference} gives it alone, with one pass over the items for all of them.
     *
     * @throws UnsupportedOperationException if {@link #inferenceQueryWidth} is 0
     */
    default void inferenceLogits(float[] queries, int rows, float[][] logits) {
        throw new UnsupportedOperationException("this head has no shared pass over the items");
    }

    /**
     * A vector per item, [actionCount × d] row-major (a copy), through which this head scores the
     * items; null for a head without one (items are then not comparable by the model).
     */
    default float[] itemVectors() {
        return null;
    }

    /**
     * The width of {@link #logitVectors}'s rows when this head's logits are inner products
     * ({@code logit_i = query · v_i}, the query from {@link #logitQuery}), else 0: what an
     * approximate maximum-inner-product index over the items needs.
     */
    default int logitDimension() {
        return 0;
    }

    /**
     * Whether the last component of {@link #logitVectors}'s rows is an item bias (the query's last
     * component then always 1): what lets an index treat it apart from the item's direction.
     */
    default boolean logitBias() {
        return false;
    }

    /**
     * One vector per item, [actionCount × {@link #logitDimension}] row-major (a copy), such that
     * item i's logit is {@code query · v_i} for the query {@link #logitQuery} writes (an item bias
     * is the last component, the query's being 1); null when {@link #logitDimension} is 0.
     */
    default float[] logitVectors() {
        return null;
    }

    /**
     * Writes the query of one row ({@code features} of the backbone) into {@code query} (at least
     * {@link #logitDimension} long), the vector whose inner products with {@link #logitVectors}
     * are the row's logits.
     *
     * @throws UnsupportedOperationException if {@link #logitDimension} is 0
     */
    default void logitQuery(Workspace ws, float[] features, float[] query) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no inner-product form");
    }

    /** As {@link #backward(Workspace, float[], float[], float[], int, boolean)} with the observations of the forward pass. */
    default void backward(Workspace ws, float[] features, float[] obs, float[] dLogits, float[] dFeatures, int batch,
            boolean accumulate) {
        backward(ws, features, dLogits, dFeatures, batch, accumulate);
    }
}
