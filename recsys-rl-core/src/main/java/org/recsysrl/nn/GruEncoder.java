package org.recsysrl.nn;

import org.recsysrl.util.Rng;

/** GRU4Rec's encoder (Hidasi et al. 2016): a GRU over the item embeddings; the state at t is h_t. */
final class GruEncoder implements HistoryEncoder {
    private final Gru gru;

    GruEncoder(ParameterStore store, String name, int dim) {
        this.gru = new Gru(store, name + ".gru", dim, dim);
    }

    private static final class Buffers implements Workspace {
        final Gru.Workspace gruWs;

        Buffers(Gru.Workspace gruWs) {
            this.gruWs = gruWs;
        }
    }

    @Override
    public Workspace newWorkspace(int maxBatch, int maxLength) {
        return new Buffers(gru.newWorkspace(maxBatch, maxLength));
    }

    @Override
    public void initialize(Rng rng) {
        gru.initialize(rng);
    }

    @Override
    public void forward(Workspace w, float[] e, int[] firstValid, int batch, int length, float[] states,
            double dropout, Rng rng) {
        gru.forward(((Buffers) w).gruWs, e, firstValid, batch, length, states);
    }

    @Override
    public void backward(Workspace w, float[] e, int[] firstValid, float[] dStates, float[] dE, int batch,
            int length) {
        gru.backward(((Buffers) w).gruWs, e, firstValid, dStates, dE, batch, length);
    }
}
