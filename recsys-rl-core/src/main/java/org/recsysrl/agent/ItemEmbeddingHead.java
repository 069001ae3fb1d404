package org.recsysrl.agent;

import org.recsysrl.nn.Kernels;
import org.recsysrl.nn.Linear;
import org.recsysrl.nn.ParameterStore;

/**
 * An actor head that scores items through their embeddings: a learned query q = W·features + c
 * ({@code actor.query}), then for every item i
 *
 * <pre>
 *   logit_i = exp(s) · (q · e_i) + b_i
 * </pre>
 *
 * with e_i the item's (fixed) embedding from the catalog, s a learned log inverse temperature
 * ({@code actor.log_scale}, optional) and b_i a learned per-item bias ({@code actor.item_bias},
 * optional). What it learns about one item carries over to similar items, and its parameter count
 * does not grow with the catalog beyond the optional biases.
 *
 * <p>Gradients: dq = exp(s) · Σ_i dlogit_i e_i; ds = Σ_i dlogit_i · exp(s)(q · e_i);
 * db_i = Σ_rows dlogit_i.
 */
public final class ItemEmbeddingHead implements ActorHead {
    private final ParameterStore store;
    private final Linear query;
    /** The embeddings transposed, [itemDim × itemCount]: the layout the scoring product reads. */
    private final float[] itemsByDimension;
    private final int itemCount;
    private final int itemDim;
    private final int logScaleOffset;
    private final int biasOffset;
    private final float fixedLogScale;
    /** The catalog packed for one-row products ({@link Kernels#packColumns}), made on first inference. */
    private volatile float[] packedItems;
    private volatile boolean packedChecked;

    /**
     * @param items the catalog's embeddings, [itemCount × itemDim] row-major (not learned; the head
     *     keeps a transposed copy, [itemDim × itemCount], so later changes to the array are ignored)
     * @param initialScale exp(s) at the start
     * @param learnScale whether s is a parameter ({@code actor.log_scale}) or fixed
     * @param itemBias whether to learn a bias per item ({@code actor.item_bias})
     */
    public ItemEmbeddingHead(ParameterStore store, int featureSize, float[] items, int itemDim, double initialScale,
            boolean learnScale, boolean itemBias) {
        if (items.length % itemDim != 0) {
            throw new IllegalArgumentException("item embeddings are not a whole number of rows of " + itemDim);
        }
        this.store = store;
        this.itemDim = itemDim;
        this.itemCount = items.length / itemDim;
        this.query = new Linear(store, "actor.query", featureSize, itemDim);
        this.logScaleOffset = learnScale ? store.allocate("actor.log_scale", 1) : -1;
        this.biasOffset = itemBias ? store.allocate("actor.item_bias", itemCount) : -1;
        this.fixedLogScale = (float) Math.log(initialScale);
        this.itemsByDimension = new float[itemDim * itemCount];
        for (int i = 0; i < itemCount; i++) {
            for (int d = 0; d < itemDim; d++) {
                itemsByDimension[d * itemCount + i] = items[i * itemDim + d];
            }
        }
    }

    /** The query layer (for initialisation). */
    public Linear query() {
        return query;
    }

    @Override
    public void initialiseExtras() {
        float[] p = store.data();
        if (logScaleOffset >= 0) {
            p[logScaleOffset] = fixedLogScale;
        }
        if (biasOffset >= 0) {
            java.util.Arrays.fill(p, biasOffset, biasOffset + itemCount, 0f);
        }
    }

    @Override
    public int featureSize() {
        return query.in();
    }

    @Override
    public int actionCount() {
        return itemCount;
    }

    private float scale() {
        return (float) Math.exp(logScaleOffset >= 0 ? store.data()[logScaleOffset] : fixedLogScale);
    }

    /** Queries, raw scores q·e_i and query gradients of one batch. */
    private static final class State implements Workspace {
        final float[] queries;
        final float[] scores;
        final float[] queryGrads;

        final int itemDim;
        final int itemCount;

        State(int capacity, int itemDim, int itemCount) {
            this.itemDim = itemDim;
            this.itemCount = itemCount;
            queries = new float[capacity * itemDim];
            queryGrads = new float[capacity * itemDim];
            scores = new float[capacity * itemCount];
        }

        @Override
        public void copyRows(Workspace source, int sourceRow, int targetRow, int rows) {
            State src = (State) source;
            System.arraycopy(src.queries, sourceRow * itemDim, queries, targetRow * itemDim, rows * itemDim);
            System.arraycopy(src.scores, sourceRow * itemCount, scores, targetRow * itemCount, rows * itemCount);
        }
    }

    @Override
    public Workspace newWorkspace(int capacity) {
        return new State(capacity, itemDim, itemCount);
    }

    @Override
    public void forward(Workspace workspace, float[] features, float[] logits, int batch) {
        State ws = (State) workspace;
        float[] queries = ws.queries;
        float[] scores = ws.scores;
        query.forward(features, queries, batch);
        Kernels.multiply(queries, batch, itemDim, itemsByDimension, 0, itemCount, null, 0, scores);
        float scale = scale();
        float[] p = store.data();
        for (int b = 0; b < batch; b++) {
            int row = b * itemCount;
            for (int i = 0; i < itemCount; i++) {
                float l = scale * scores[row + i];
                logits[row + i] = biasOffset >= 0 ? l + p[biasOffset + i] : l;
            }
        }
    }

    /**
     * One row for inference through a packed copy of the catalog (made on the first call; as large
     * as the catalog's embeddings) that one product streams through once: the same bits as
     * {@link #forward} with a batch of 1.
     */
    @Override
    public void forwardInference(Workspace workspace, float[] features, float[] obs, float[] logits) {
        float[] packed = packed();
        if (packed == null) {
            forward(workspace, features, logits, 1);
            return;
        }
        State ws = (State) workspace;
        query.forward(features, ws.queries, 1);
        Kernels.multiplyPacked(ws.queries, itemDim, packed, itemCount, scale(), biasOffset >= 0 ? store.data() : null,
                Math.max(biasOffset, 0), logits);
    }

    /** The embedding's width when the catalog is packed (at least one vector of items), else 0. */
    @Override
    public int inferenceQueryWidth() {
        return packed() == null ? 0 : itemDim;
    }

    /** The row's learned query q (unscaled: the scale is applied after the product, as in {@link #forwardInference}). */
    @Override
    public void inferenceQuery(Workspace workspace, float[] features, float[] queries, int row) {
        State ws = (State) workspace;
        query.forward(features, ws.queries, 1);
        System.arraycopy(ws.queries, 0, queries, row * itemDim, itemDim);
    }

    /** The packed product of {@link #forwardInference} for all rows, each panel of the catalog read once. */
    @Override
    public void inferenceLogits(float[] queries, int rows, float[][] logits) {
        float[] packed = packed();
        if (packed == null) {
            throw new UnsupportedOperationException("a catalog of fewer items than one vector is not packed");
        }
        Kernels.multiplyPackedRows(queries, rows, itemDim, packed, itemCount, scale(),
                biasOffset >= 0 ? store.data() : null, Math.max(biasOffset, 0), logits);
    }

    /** The catalog's embeddings, [itemCount × itemDim]. */
    @Override
    public float[] itemVectors() {
        float[] out = new float[itemCount * itemDim];
        for (int d = 0; d < itemDim; d++) {
            for (int i = 0; i < itemCount; i++) {
                out[i * itemDim + d] = itemsByDimension[d * itemCount + i];
            }
        }
        return out;
    }

    /** The embedding's width, plus one for the item bias if the head learns one. */
    @Override
    public int logitDimension() {
        return itemDim + (biasOffset >= 0 ? 1 : 0);
    }

    /** Whether the head learns an item bias (the rows' last component). */
    @Override
    public boolean logitBias() {
        return biasOffset >= 0;
    }

    /** Rows {@code [e_i, b_i]} (the bias only if learned): logit_i = [exp(s)·q, 1] · row_i. */
    @Override
    public float[] logitVectors() {
        int width = logitDimension();
        float[] p = store.data();
        float[] out = new float[itemCount * width];
        for (int i = 0; i < itemCount; i++) {
            for (int d = 0; d < itemDim; d++) {
                out[i * width + d] = itemsByDimension[d * itemCount + i];
            }
            if (biasOffset >= 0) {
                out[i * width + itemDim] = p[biasOffset + i];
            }
        }
        return out;
    }

    /** {@code [exp(s)·q, 1]} (the 1 only with an item bias), q the row's learned query. */
    @Override
    public void logitQuery(Workspace workspace, float[] features, float[] out) {
        State ws = (State) workspace;
        query.forward(features, ws.queries, 1);
        float scale = scale();
        for (int d = 0; d < itemDim; d++) {
            out[d] = scale * ws.queries[d];
        }
        if (biasOffset >= 0) {
            out[itemDim] = 1f;
        }
    }

    private float[] packed() {
        if (!packedChecked) {
            synchronized (this) {
                if (!packedChecked) {
                    packedItems = Kernels.packColumns(itemsByDimension, itemDim, itemCount);
                    packedChecked = true;
                }
            }
        }
        return packedItems;
    }

    @Override
    public void backward(Workspace workspace, float[] features, float[] dLogits, float[] dFeatures, int batch,
            boolean accumulate) {
        State ws = (State) workspace;
        float[] scores = ws.scores;
        float[] queryGrads = ws.queryGrads;
        float scale = scale();
        float[] g = store.grad();
        int n = batch * itemCount;
        if (biasOffset >= 0) {
            if (accumulate) {
                Kernels.addColumnSums(dLogits, batch, itemCount, g, biasOffset);
            } else {
                Kernels.columnSums(dLogits, batch, itemCount, g, biasOffset);
            }
        }
        if (logScaleOffset >= 0) {
            float ds = (float) (Kernels.dot(dLogits, scores, n) * scale);
            g[logScaleOffset] = accumulate ? g[logScaleOffset] + ds : ds;
        }
        // dq = dz·E, as dot products of length itemCount against the transposed catalog
        Kernels.multiplyTransposed(dLogits, batch, itemCount, itemsByDimension, 0, itemDim, queryGrads, null);
        for (int k = 0; k < batch * itemDim; k++) {
            queryGrads[k] *= scale;
        }
        query.backward(features, queryGrads, dFeatures, batch, accumulate);
    }
}
