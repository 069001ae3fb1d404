package org.recsysrl.nn;

import org.recsysrl.util.Rng;

/**
 * The SASRec encoder (Kang &amp; McAuley 2018): item embedding plus a learned embedding of the
 * position counted from the end of the window (so the most recent item always has the same
 * position), dropout, {@code blocks} pre-norm causal {@link TransformerBlock}s (feed-forward width
 * = dim), and a final LayerNorm.
 */
final class AttentionEncoder implements HistoryEncoder {
    private final int dim;
    private final int maxLength;
    private final Embedding positions;
    private final TransformerBlock[] blocks;
    private final LayerNorm finalNorm;

    /** {@code maxLength}: the positions embedded; a row may be one longer with a look-ahead item. */
    AttentionEncoder(ParameterStore store, String name, int dim, int maxLength, int blocks, int heads) {
        this.dim = dim;
        this.maxLength = maxLength;
        this.positions = new Embedding(store, name + ".positions", maxLength, dim);
        this.blocks = new TransformerBlock[blocks];
        for (int k = 0; k < blocks; k++) {
            this.blocks[k] = new TransformerBlock(store, name + ".blocks." + k, dim, heads, dim);
        }
        this.finalNorm = new LayerNorm(store, name + ".final_norm", dim);
    }

    private final class Buffers implements Workspace {
        final TransformerBlock.Workspace[] blockWs;
        final LayerNorm.Workspace normWs;
        final float[][] acts; // input of block k at acts[k], output of the last block at acts[blocks]
        final float[] inputMask;
        final float[] grad;
        final float[] grad2;
        final int[] positionIds;

        Buffers(int maxBatch, int maxLength) {
            int rows = maxBatch * maxLength;
            blockWs = new TransformerBlock.Workspace[blocks.length];
            for (int k = 0; k < blocks.length; k++) {
                blockWs[k] = blocks[k].newWorkspace(maxBatch, maxLength);
            }
            normWs = finalNorm.newWorkspace(rows);
            acts = new float[blocks.length + 1][rows * dim];
            inputMask = new float[rows * dim];
            grad = new float[rows * dim];
            grad2 = new float[rows * dim];
            positionIds = new int[rows];
        }
    }

    @Override
    public Workspace newWorkspace(int maxBatch, int maxLength) {
        return new Buffers(maxBatch, maxLength);
    }

    @Override
    public void initialize(Rng rng) {
        positions.initializeNormal(0.02, rng);
        for (TransformerBlock b : blocks) {
            b.initialize(rng);
        }
        finalNorm.initialize();
    }

    @Override
    public void forward(Workspace w, float[] e, int[] firstValid, int batch, int length, float[] states,
            double dropout, Rng rng) {
        forward(w, e, firstValid, batch, length, false, states, dropout, rng);
    }

    @Override
    public void forward(Workspace w, float[] e, int[] firstValid, int batch, int length, boolean lookahead,
            float[] states, double dropout, Rng rng) {
        Buffers ws = (Buffers) w;
        int rows = batch * length;
        int n = rows * dim;
        float[] x = ws.acts[0];
        // position p of a row of `length` is (maxLength - length + p): the last position is always maxLength - 1,
        // the position of the state a recommendation is scored from. With a look-ahead item the numbering
        // moves by one, so that the last state with a target gets maxLength - 1; the look-ahead item shares it.
        int shift = lookahead ? 1 : 0;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < length; t++) {
                ws.positionIds[b * length + t] = t < firstValid[b] ? -1
                        : Math.min(maxLength - 1, maxLength - length + t + shift);
            }
        }
        positions.forward(ws.positionIds, rows, x);
        for (int i = 0; i < n; i++) {
            x[i] += e[i];
        }
        Dropout.forward(x, n, rng == null ? 0 : dropout, rng, ws.inputMask);
        for (int k = 0; k < blocks.length; k++) {
            blocks[k].forward(ws.blockWs[k], ws.acts[k], firstValid, batch, length, ws.acts[k + 1], dropout, rng);
        }
        finalNorm.forward(ws.normWs, ws.acts[blocks.length], states, rows);
    }

    @Override
    public void backward(Workspace w, float[] e, int[] firstValid, float[] dStates, float[] dE, int batch,
            int length) {
        Buffers ws = (Buffers) w;
        int rows = batch * length;
        int n = rows * dim;
        finalNorm.backward(ws.normWs, dStates, ws.grad, rows);
        for (int k = blocks.length - 1; k >= 0; k--) {
            blocks[k].backward(ws.blockWs[k], ws.acts[k], firstValid, ws.grad, ws.grad, batch, length);
        }
        Dropout.backward(ws.grad, n, ws.inputMask);
        for (int b = 0; b < batch; b++) {
            java.util.Arrays.fill(ws.grad, b * length * dim, (b * length + firstValid[b]) * dim, 0f);
        }
        positions.backward(ws.positionIds, rows, ws.grad, null);
        System.arraycopy(ws.grad, 0, dE, 0, n);
    }
}
