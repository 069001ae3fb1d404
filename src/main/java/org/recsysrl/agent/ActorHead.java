package org.recsysrl.agent;

/**
 * Maps the actor backbone's features to one logit per item. Implementations are views into the
 * model's flat parameter store and accumulate their gradients there.
 */
public interface ActorHead {
    int featureSize();

    int actionCount();

    /** logits[b*A + a] for every row b < batch; overwrites the rows. */
    void forward(float[] features, float[] logits, int batch);

    /** Accumulates parameter gradients from dLogits; if dFeatures != null writes dL/dfeatures. */
    void backward(float[] features, float[] dLogits, float[] dFeatures, int batch);
}
