package org.recsysrl.nn;

import org.recsysrl.util.Rng;

/**
 * State at t = W·m_t + b with m_t the mean of the item embeddings of the valid positions up to t
 * (the history within the window of {@code maxLength} items).
 */
final class MeanEncoder implements HistoryEncoder {
    private final Linear proj;
    private final int dim;

    MeanEncoder(ParameterStore store, String name, int dim) {
        this.dim = dim;
        this.proj = new Linear(store, name + ".proj", dim, dim);
    }

    private final class Buffers implements Workspace {
        final float[] means;
        final float[] dMeans;

        Buffers(int rows) {
            means = new float[rows * dim];
            dMeans = new float[rows * dim];
        }
    }

    @Override
    public Workspace newWorkspace(int maxBatch, int maxLength) {
        return new Buffers(maxBatch * maxLength);
    }

    @Override
    public void initialize(Rng rng) {
        Init.pytorchDefault(proj, rng);
    }

    @Override
    public void forward(Workspace w, float[] e, int[] firstValid, int batch, int length, float[] states,
            double dropout, Rng rng) {
        Buffers ws = (Buffers) w;
        float[] m = ws.means;
        java.util.Arrays.fill(m, 0, batch * length * dim, 0f);
        for (int b = 0; b < batch; b++) {
            int fv = firstValid[b];
            // running sum over valid positions, divided by the count at each position
            for (int t = fv; t < length; t++) {
                int o = (b * length + t) * dim;
                int prev = o - dim;
                float n = t - fv + 1;
                for (int j = 0; j < dim; j++) {
                    float sum = (t > fv ? m[prev + j] * (n - 1) : 0f) + e[o + j];
                    m[o + j] = sum / n;
                }
            }
        }
        proj.forward(m, states, batch * length);
    }

    @Override
    public void backward(Workspace w, float[] e, int[] firstValid, float[] dStates, float[] dE, int batch,
            int length) {
        Buffers ws = (Buffers) w;
        proj.backward(ws.means, dStates, ws.dMeans, batch * length);
        // m_t = (1/n_t) Σ_{s≤t} e_s, so de_s = Σ_{t≥s} dm_t / n_t: a suffix sum, backwards in t
        for (int b = 0; b < batch; b++) {
            int fv = firstValid[b];
            java.util.Arrays.fill(dE, b * length * dim, (b * length + fv) * dim, 0f);
            for (int j = 0; j < dim; j++) {
                float acc = 0f;
                for (int t = length - 1; t >= fv; t--) {
                    int o = (b * length + t) * dim + j;
                    acc += ws.dMeans[o] / (t - fv + 1);
                    dE[o] = acc;
                }
            }
        }
    }
}
