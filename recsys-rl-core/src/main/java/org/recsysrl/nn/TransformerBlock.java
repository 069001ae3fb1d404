package org.recsysrl.nn;

import org.recsysrl.util.Rng;

/**
 * One pre-norm causal Transformer encoder block over left-padded sequences (the SASRec block):
 * <pre>
 *   x₁ = x + Dropout(Attention(LayerNorm₁(x)))
 *   y  = x₁ + Dropout(W₂ · ReLU(W₁ · LayerNorm₂(x₁) + b₁) + b₂)
 * </pre>
 * with {@link CausalSelfAttention} and a position-wise feed-forward network of inner width
 * {@code ffnDim}. Parameters: {@code name.attn_norm}, {@code name.attn}, {@code name.ffn_norm},
 * {@code name.ffn.0}, {@code name.ffn.2}. Rows at padding are computed but never read by valid
 * rows, and receive no gradient from them.
 */
public final class TransformerBlock {
    private final int dim;
    private final int ffnDim;
    private final LayerNorm attnNorm;
    private final CausalSelfAttention attention;
    private final LayerNorm ffnNorm;
    private final Linear ffnIn;
    private final Linear ffnOut;

    /** Allocates the block's parameters. */
    public TransformerBlock(ParameterStore store, String name, int dim, int heads, int ffnDim) {
        this.dim = dim;
        this.ffnDim = ffnDim;
        this.attnNorm = new LayerNorm(store, name + ".attn_norm", dim);
        this.attention = new CausalSelfAttention(store, name + ".attn", dim, heads);
        this.ffnNorm = new LayerNorm(store, name + ".ffn_norm", dim);
        this.ffnIn = new Linear(store, name + ".ffn.0", dim, ffnDim);
        this.ffnOut = new Linear(store, name + ".ffn.2", ffnDim, dim);
    }

    /** Layer norms to 1/0, projections to PyTorch's default uniform ±1/sqrt(fan_in). */
    public void initialize(Rng rng) {
        attnNorm.initialize();
        ffnNorm.initialize();
        Init.pytorchDefault(attention.inProjection(), rng);
        Init.pytorchDefault(attention.outProjection(), rng);
        Init.pytorchDefault(ffnIn, rng);
        Init.pytorchDefault(ffnOut, rng);
    }

    /** Everything the backward pass needs, for up to maxBatch × maxLength positions. */
    public final class Workspace {
        final int rows;
        final LayerNorm.Workspace attnNormWs;
        final CausalSelfAttention.Workspace attnWs;
        final LayerNorm.Workspace ffnNormWs;
        final float[] attnIn;
        final float[] attnOut;
        final float[] attnMask;
        final float[] x1;
        final float[] ffnInput;
        final float[] hidden;
        final float[] ffnOutput;
        final float[] ffnMask;
        final float[] d1;
        final float[] d2;
        final float[] dHidden;

        Workspace(int maxBatch, int maxLength) {
            rows = maxBatch * maxLength;
            attnNormWs = attnNorm.newWorkspace(rows);
            attnWs = attention.newWorkspace(maxBatch, maxLength);
            ffnNormWs = ffnNorm.newWorkspace(rows);
            attnIn = new float[rows * dim];
            attnOut = new float[rows * dim];
            attnMask = new float[rows * dim];
            x1 = new float[rows * dim];
            ffnInput = new float[rows * dim];
            hidden = new float[rows * ffnDim];
            ffnOutput = new float[rows * dim];
            ffnMask = new float[rows * dim];
            d1 = new float[rows * dim];
            d2 = new float[rows * dim];
            dHidden = new float[rows * ffnDim];
        }
    }

    /** A workspace for batches of up to {@code maxBatch} sequences of up to {@code maxLength}. */
    public Workspace newWorkspace(int maxBatch, int maxLength) {
        return new Workspace(maxBatch, maxLength);
    }

    /**
     * Computes the block on {@code x [B·L·d]} into {@code y} (which must not be x). With
     * {@code dropout > 0} and a non-null {@code rng}, dropout masks are drawn (training);
     * otherwise dropout is the identity.
     */
    public void forward(Workspace ws, float[] x, int[] firstValid, int batch, int length, float[] y, double dropout,
            Rng rng) {
        int rows = batch * length;
        int n = rows * dim;
        if (rows > ws.rows) {
            throw new IllegalArgumentException("block workspace holds " + ws.rows + " positions, not " + rows);
        }
        double p = rng == null ? 0 : dropout;
        attnNorm.forward(ws.attnNormWs, x, ws.attnIn, rows);
        attention.forward(ws.attnWs, ws.attnIn, firstValid, batch, length, ws.attnOut);
        Dropout.forward(ws.attnOut, n, p, rng, ws.attnMask);
        for (int i = 0; i < n; i++) {
            ws.x1[i] = x[i] + ws.attnOut[i];
        }
        ffnNorm.forward(ws.ffnNormWs, ws.x1, ws.ffnInput, rows);
        ffnIn.forward(ws.ffnInput, ws.hidden, rows);
        Activation.RELU.forwardInPlace(ws.hidden, rows * ffnDim);
        ffnOut.forward(ws.hidden, ws.ffnOutput, rows);
        Dropout.forward(ws.ffnOutput, n, p, rng, ws.ffnMask);
        for (int i = 0; i < n; i++) {
            y[i] = ws.x1[i] + ws.ffnOutput[i];
        }
    }

    /**
     * Backward pass for {@code dy [B·L·d]}: accumulates the parameter gradients and overwrites
     * {@code dx} (which may be dy itself).
     */
    public void backward(Workspace ws, float[] x, int[] firstValid, float[] dy, float[] dx, int batch, int length) {
        int rows = batch * length;
        int n = rows * dim;
        // through the feed-forward branch: d2 = dy ⊙ mask₂, back through W₂, ReLU, W₁, LayerNorm₂
        for (int i = 0; i < n; i++) {
            ws.d2[i] = dy[i] * ws.ffnMask[i];
        }
        ffnOut.backward(ws.hidden, ws.d2, ws.dHidden, rows);
        Activation.RELU.backwardInPlace(ws.hidden, ws.dHidden, rows * ffnDim);
        ffnIn.backward(ws.ffnInput, ws.dHidden, ws.d1, rows);
        ffnNorm.backward(ws.ffnNormWs, ws.d1, ws.d1, rows);
        // dx₁ = dy + (the branch's input gradient)
        for (int i = 0; i < n; i++) {
            ws.d1[i] += dy[i];
        }
        // through the attention branch
        for (int i = 0; i < n; i++) {
            ws.d2[i] = ws.d1[i] * ws.attnMask[i];
        }
        attention.backward(ws.attnWs, ws.attnIn, firstValid, ws.d2, ws.d2, batch, length);
        attnNorm.backward(ws.attnNormWs, ws.d2, ws.d2, rows);
        for (int i = 0; i < n; i++) {
            dx[i] = ws.d1[i] + ws.d2[i];
        }
    }
}
