package org.recsysrl.nn;

import org.recsysrl.util.Rng;

/** State at t = W·e_t + b, a linear map of the last item's embedding (a factorised first-order Markov model). */
final class LastItemEncoder implements HistoryEncoder {
    private final Linear proj;
    private final int dim;

    LastItemEncoder(ParameterStore store, String name, int dim) {
        this.dim = dim;
        this.proj = new Linear(store, name + ".proj", dim, dim);
    }

    @Override
    public Workspace newWorkspace(int maxBatch, int maxLength) {
        return new Workspace() {
        };
    }

    @Override
    public void initialize(Rng rng) {
        Init.pytorchDefault(proj, rng);
    }

    @Override
    public void forward(Workspace ws, float[] e, int[] firstValid, int batch, int length, float[] states,
            double dropout, Rng rng) {
        proj.forward(e, states, batch * length);
    }

    @Override
    public void backward(Workspace ws, float[] e, int[] firstValid, float[] dStates, float[] dE, int batch,
            int length) {
        proj.backward(e, dStates, dE, batch * length);
    }

    int dim() {
        return dim;
    }
}
