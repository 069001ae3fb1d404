package org.recsysrl.nn;

/**
 * Multi-head scaled dot-product self-attention with a causal and a padding mask (Vaswani et al.
 * 2017; the SASRec encoder, Kang &amp; McAuley 2018), over batches of left-padded sequences.
 *
 * <p>For each sequence (positions before {@code firstValid} are padding), head h and position t:
 * {@code q, k, v = x·W_qkv + b_qkv} split into H heads of width d/H;
 * {@code A[t][s] = softmax_s(q_t·k_s / sqrt(d/H))} over the valid positions {@code s ≤ t};
 * {@code o_t = Σ_s A[t][s] v_s}; the heads are concatenated and projected,
 * {@code y = o·W_o + b_o}. A position sees no later position, and padding is neither seen nor
 * computed (its output is 0). Parameters: {@code name + ".in_proj"} (d → 3d, q then k then v) and
 * {@code name + ".out_proj"} (d → d).
 *
 * <p>Backward, with dA[t][s] = do_t·v_s: {@code dS = A ⊙ (dA − Σ_s A dA)},
 * {@code dq_t = Σ_s dS[t][s] k_s / sqrt(d/H)}, {@code dk_s = Σ_t dS[t][s] q_t / sqrt(d/H)},
 * {@code dv_s = Σ_t A[t][s] do_t}. The projections go through {@link Linear} (SIMD products over all
 * B·L rows at once); the attention itself is L² work per head and sequence, in plain loops.
 */
public final class CausalSelfAttention {
    private final int dim;
    private final int heads;
    private final int headDim;
    private final Linear inProj;
    private final Linear outProj;

    /** Allocates the projections; {@code dim} must be a multiple of {@code heads}. */
    public CausalSelfAttention(ParameterStore store, String name, int dim, int heads) {
        if (heads <= 0 || dim % heads != 0) {
            throw new IllegalArgumentException("attention width " + dim + " must be a multiple of the " + heads + " heads");
        }
        this.dim = dim;
        this.heads = heads;
        this.headDim = dim / heads;
        this.inProj = new Linear(store, name + ".in_proj", dim, 3 * dim);
        this.outProj = new Linear(store, name + ".out_proj", dim, dim);
    }

    /** The q/k/v projection. */
    public Linear inProjection() {
        return inProj;
    }

    /** The output projection. */
    public Linear outProjection() {
        return outProj;
    }

    /** Width of a position's vector. */
    public int dim() {
        return dim;
    }

    /** Number of heads. */
    public int heads() {
        return heads;
    }

    /** Activations kept between forward and backward, for up to maxBatch × maxLength positions. */
    public final class Workspace {
        final int maxBatch;
        final int maxLength;
        final float[] qkv;
        final float[] probs;
        final float[] concat;
        final float[] dConcat;
        final float[] dQkv;
        final float[] dyMasked;
        final float[] rowScratch;

        Workspace(int maxBatch, int maxLength) {
            this.maxBatch = maxBatch;
            this.maxLength = maxLength;
            int rows = maxBatch * maxLength;
            qkv = new float[rows * 3 * dim];
            probs = new float[maxBatch * heads * maxLength * maxLength];
            concat = new float[rows * dim];
            dConcat = new float[rows * dim];
            dQkv = new float[rows * 3 * dim];
            dyMasked = new float[rows * dim];
            rowScratch = new float[maxLength];
        }

        CausalSelfAttention owner() {
            return CausalSelfAttention.this;
        }
    }

    /** A workspace for batches of up to {@code maxBatch} sequences of up to {@code maxLength} positions. */
    public Workspace newWorkspace(int maxBatch, int maxLength) {
        return new Workspace(maxBatch, maxLength);
    }

    private void check(Workspace ws, int batch, int length) {
        if (ws.owner() != this || batch > ws.maxBatch || length > ws.maxLength) {
            throw new IllegalArgumentException("attention workspace for " + ws.maxBatch + " × " + ws.maxLength
                    + " cannot hold " + batch + " × " + length);
        }
    }

    /** Writes the attention output of {@code x [B·L·d]} into {@code y [B·L·d]} (zeros at padding). */
    public void forward(Workspace ws, float[] x, int[] firstValid, int batch, int length, float[] y) {
        check(ws, batch, length);
        int rows = batch * length;
        inProj.forward(x, ws.qkv, rows);
        float scale = (float) (1.0 / Math.sqrt(headDim));
        float[] qkv = ws.qkv;
        int w3 = 3 * dim;
        java.util.Arrays.fill(ws.concat, 0, rows * dim, 0f);
        for (int b = 0; b < batch; b++) {
            int fv = firstValid[b];
            for (int h = 0; h < heads; h++) {
                int pBase = (b * heads + h) * length * length;
                for (int t = fv; t < length; t++) {
                    int qOff = (b * length + t) * w3 + h * headDim;
                    int pRow = pBase + t * length;
                    int kBase = b * length * w3 + dim + h * headDim;
                    scores(qkv, qOff, kBase, w3, fv, t, scale, ws.probs, pRow);
                    float max = Float.NEGATIVE_INFINITY;
                    for (int s = fv; s <= t; s++) {
                        max = Math.max(max, ws.probs[pRow + s]);
                    }
                    double sum = 0;
                    for (int s = fv; s <= t; s++) {
                        float e = (float) Math.exp(ws.probs[pRow + s] - max);
                        ws.probs[pRow + s] = e;
                        sum += e;
                    }
                    float inv = (float) (1.0 / sum);
                    int oOff = (b * length + t) * dim + h * headDim;
                    for (int s = fv; s <= t; s++) {
                        float a = ws.probs[pRow + s] * inv;
                        ws.probs[pRow + s] = a;
                        int vOff = (b * length + s) * w3 + 2 * dim + h * headDim;
                        for (int j = 0; j < headDim; j++) {
                            ws.concat[oOff + j] += a * qkv[vOff + j];
                        }
                    }
                }
            }
        }
        outProj.forward(ws.concat, y, rows);
        for (int b = 0; b < batch; b++) {
            java.util.Arrays.fill(y, b * length * dim, (b * length + firstValid[b]) * dim, 0f);
        }
    }

    /**
     * {@code out[at + s] = (q·k_s)·scale} for s in [from, to], q at {@code qOff} and k_s at
     * {@code kBase + s·w3}: four dot products at a time as independent chains, each summing its
     * terms in order (the bits of one at a time).
     */
    private void scores(float[] qkv, int qOff, int kBase, int w3, int from, int to, float scale, float[] out,
            int at) {
        int s = from;
        for (; s + 3 <= to; s += 4) {
            int k0 = kBase + s * w3;
            int k1 = k0 + w3;
            int k2 = k1 + w3;
            int k3 = k2 + w3;
            float d0 = 0f;
            float d1 = 0f;
            float d2 = 0f;
            float d3 = 0f;
            for (int j = 0; j < headDim; j++) {
                float q = qkv[qOff + j];
                d0 += q * qkv[k0 + j];
                d1 += q * qkv[k1 + j];
                d2 += q * qkv[k2 + j];
                d3 += q * qkv[k3 + j];
            }
            out[at + s] = d0 * scale;
            out[at + s + 1] = d1 * scale;
            out[at + s + 2] = d2 * scale;
            out[at + s + 3] = d3 * scale;
        }
        for (; s <= to; s++) {
            int k0 = kBase + s * w3;
            float dot = 0f;
            for (int j = 0; j < headDim; j++) {
                dot += qkv[qOff + j] * qkv[k0 + j];
            }
            out[at + s] = dot * scale;
        }
    }

    /**
     * For s in [from, to]: {@code dA[s] = do·v_s} and {@code dv_s += A[t][s]·do}, with do at
     * {@code doOff} of dConcat, v_s at {@code vBase + s·w3} and A[t][·] at {@code pRow}: four
     * positions at a time, their dot products independent chains that each sum in order.
     */
    private void valueGradients(Workspace ws, int doOff, int vBase, int w3, int from, int to, int pRow, float[] dA) {
        float[] qkv = ws.qkv;
        float[] dqkv = ws.dQkv;
        float[] dO = ws.dConcat;
        int s = from;
        for (; s + 3 <= to; s += 4) {
            int v0 = vBase + s * w3;
            int v1 = v0 + w3;
            int v2 = v1 + w3;
            int v3 = v2 + w3;
            float a0 = ws.probs[pRow + s];
            float a1 = ws.probs[pRow + s + 1];
            float a2 = ws.probs[pRow + s + 2];
            float a3 = ws.probs[pRow + s + 3];
            float d0 = 0f;
            float d1 = 0f;
            float d2 = 0f;
            float d3 = 0f;
            for (int j = 0; j < headDim; j++) {
                float g = dO[doOff + j];
                d0 += g * qkv[v0 + j];
                d1 += g * qkv[v1 + j];
                d2 += g * qkv[v2 + j];
                d3 += g * qkv[v3 + j];
                dqkv[v0 + j] += a0 * g;
                dqkv[v1 + j] += a1 * g;
                dqkv[v2 + j] += a2 * g;
                dqkv[v3 + j] += a3 * g;
            }
            dA[s] = d0;
            dA[s + 1] = d1;
            dA[s + 2] = d2;
            dA[s + 3] = d3;
        }
        for (; s <= to; s++) {
            int v0 = vBase + s * w3;
            float a0 = ws.probs[pRow + s];
            float d0 = 0f;
            for (int j = 0; j < headDim; j++) {
                float g = dO[doOff + j];
                d0 += g * qkv[v0 + j];
                dqkv[v0 + j] += a0 * g;
            }
            dA[s] = d0;
        }
    }

    /**
     * Backward pass for {@code dy [B·L·d]} (rows at padding ignored), using the activations of the
     * last forward with {@code ws}: accumulates the projections' gradients into the store and
     * overwrites {@code dx [B·L·d]} (zeros at padding).
     */
    public void backward(Workspace ws, float[] x, int[] firstValid, float[] dy, float[] dx, int batch, int length) {
        check(ws, batch, length);
        int rows = batch * length;
        // the output at padding is the constant 0: its gradient must not reach the projection
        System.arraycopy(dy, 0, ws.dyMasked, 0, rows * dim);
        for (int b = 0; b < batch; b++) {
            java.util.Arrays.fill(ws.dyMasked, b * length * dim, (b * length + firstValid[b]) * dim, 0f);
        }
        outProj.backward(ws.concat, ws.dyMasked, ws.dConcat, rows);
        float scale = (float) (1.0 / Math.sqrt(headDim));
        float[] qkv = ws.qkv;
        float[] dqkv = ws.dQkv;
        int w3 = 3 * dim;
        java.util.Arrays.fill(dqkv, 0, rows * w3, 0f);
        float[] dA = ws.rowScratch;
        for (int b = 0; b < batch; b++) {
            int fv = firstValid[b];
            for (int h = 0; h < heads; h++) {
                int pBase = (b * heads + h) * length * length;
                for (int t = fv; t < length; t++) {
                    int pRow = pBase + t * length;
                    int doOff = (b * length + t) * dim + h * headDim;
                    valueGradients(ws, doOff, b * length * w3 + 2 * dim + h * headDim, w3, fv, t, pRow, dA);
                    double dot = 0;
                    for (int s = fv; s <= t; s++) {
                        dot += (double) ws.probs[pRow + s] * dA[s];
                    }
                    int qOff = (b * length + t) * w3 + h * headDim;
                    for (int s = fv; s <= t; s++) {
                        float dS = ws.probs[pRow + s] * (float) (dA[s] - dot) * scale;
                        int kOff = (b * length + s) * w3 + dim + h * headDim;
                        for (int j = 0; j < headDim; j++) {
                            dqkv[qOff + j] += dS * qkv[kOff + j];
                            dqkv[kOff + j] += dS * qkv[qOff + j];
                        }
                    }
                }
            }
        }
        inProj.backward(x, dqkv, dx, rows);
        for (int b = 0; b < batch; b++) {
            java.util.Arrays.fill(dx, b * length * dim, (b * length + firstValid[b]) * dim, 0f);
        }
    }
}
