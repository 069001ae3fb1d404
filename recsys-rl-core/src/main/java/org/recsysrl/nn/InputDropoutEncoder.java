package org.recsysrl.nn;

import org.recsysrl.util.Rng;

/**
 * An encoder with {@link Dropout} on its input embeddings while training (GRU4Rec's and SASRec's
 * regulariser, for the encoders that have none inside): the inner encoder reads
 * x = mask ⊙ e, and the gradient of e is mask ⊙ dx. Without dropout (p = 0, or no random stream:
 * evaluation) the embeddings pass through untouched and nothing is copied.
 */
final class InputDropoutEncoder implements HistoryEncoder {
    private final HistoryEncoder inner;
    private final int dim;

    InputDropoutEncoder(HistoryEncoder inner, int dim) {
        this.inner = inner;
        this.dim = dim;
    }

    private static final class Buffers implements Workspace {
        final Workspace inner;
        final float[] dropped;
        final float[] mask;
        boolean applied;

        Buffers(Workspace inner, int values) {
            this.inner = inner;
            this.dropped = new float[values];
            this.mask = new float[values];
        }
    }

    @Override
    public Workspace newWorkspace(int maxBatch, int maxLength) {
        return new Buffers(inner.newWorkspace(maxBatch, maxLength), maxBatch * maxLength * dim);
    }

    @Override
    public void initialize(Rng rng) {
        inner.initialize(rng);
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
        ws.applied = rng != null && dropout > 0;
        float[] x = e;
        if (ws.applied) {
            int n = batch * length * dim;
            System.arraycopy(e, 0, ws.dropped, 0, n);
            Dropout.forward(ws.dropped, n, dropout, rng, ws.mask);
            x = ws.dropped;
        }
        inner.forward(ws.inner, x, firstValid, batch, length, lookahead, states, dropout, rng);
    }

    @Override
    public void backward(Workspace w, float[] e, int[] firstValid, float[] dStates, float[] dE, int batch,
            int length) {
        Buffers ws = (Buffers) w;
        inner.backward(ws.inner, ws.applied ? ws.dropped : e, firstValid, dStates, dE, batch, length);
        if (ws.applied) {
            Dropout.backward(dE, batch * length * dim, ws.mask);
        }
    }
}
