package org.recsysrl.agent;

import org.recsysrl.nn.Linear;
import org.recsysrl.nn.ParameterStore;

/**
 * The original project's head: an independent logit per item, {@code logits = features · Wᵀ + b}
 * with W of shape [numItems, featureSize] named {@code actor.logits}.
 */
public final class LinearLogitsHead implements ActorHead {
    private final Linear linear;

    public LinearLogitsHead(ParameterStore store, String name, int featureSize, int actionCount) {
        this.linear = new Linear(store, name, featureSize, actionCount);
    }

    /** The underlying dense layer (for initialisation). */
    public Linear linear() {
        return linear;
    }

    @Override
    public int featureSize() {
        return linear.in();
    }

    @Override
    public int actionCount() {
        return linear.out();
    }

    /** Each item's row of the weight, [numItems × featureSize]: its logit's direction in feature space. */
    @Override
    public float[] itemVectors() {
        return linear.weightRows();
    }

    /** The features' width plus one for the bias. */
    @Override
    public int logitDimension() {
        return linear.in() + 1;
    }

    /** Always: the rows end with the layer's bias. */
    @Override
    public boolean logitBias() {
        return true;
    }

    /** Rows {@code [W_i, b_i]}: logit_i = [features, 1] · row_i. */
    @Override
    public float[] logitVectors() {
        int in = linear.in();
        int width = in + 1;
        float[] weights = linear.weightRows();
        float[] p = linear.store().data();
        float[] out = new float[linear.out() * width];
        for (int o = 0; o < linear.out(); o++) {
            System.arraycopy(weights, o * in, out, o * width, in);
            out[o * width + in] = p[linear.biasOffset() + o];
        }
        return out;
    }

    /** {@code [features, 1]}. */
    @Override
    public void logitQuery(Workspace ws, float[] features, float[] query) {
        int in = linear.in();
        System.arraycopy(features, 0, query, 0, in);
        query[in] = 1f;
    }

    private static final Workspace NO_STATE = new Workspace() {
    };

    @Override
    public Workspace newWorkspace(int capacity) {
        return NO_STATE;
    }

    @Override
    public void forward(Workspace ws, float[] features, float[] logits, int batch) {
        linear.forward(features, logits, batch);
    }

    @Override
    public void backward(Workspace ws, float[] features, float[] dLogits, float[] dFeatures, int batch,
            boolean accumulate) {
        linear.backward(features, dLogits, dFeatures, batch, accumulate);
    }
}
