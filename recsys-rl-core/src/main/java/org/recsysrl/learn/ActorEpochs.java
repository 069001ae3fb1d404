package org.recsysrl.learn;

import java.util.Arrays;
import java.util.function.IntUnaryOperator;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.nn.Adam;
import org.recsysrl.util.Rng;

/**
 * Minibatch Adam on the actor of an {@link ActorCritic} over the rows of a log, an epoch at a
 * time: what {@link OffPolicyLearner}'s runs and {@link FittedQPolicyIteration}'s improvement steps
 * share. Each batch's contexts go through the policy (and the value head, whose gradient is zeroed,
 * so the critic stays as it is), a per-row loss writes its gradient with respect to the logits, and
 * Adam steps on the model's parameters.
 */
final class ActorEpochs {
    /** One unit's loss and its gradient. */
    @FunctionalInterface
    interface UnitLoss {
        /**
         * Unit {@code unit}'s loss under π = {@code probs[offset .. offset + n)}, with {@code scale} ×
         * its gradient with respect to the logits written to {@code grad[gradOffset ..)}.
         */
        double loss(int unit, double[] probs, int offset, float[] grad, int gradOffset, double scale);
    }

    private final ActorCritic model;
    private final LoggedContexts data;
    private final int batch;
    private final Adam adam;
    private final ActorCritic.Workspace ws;
    private final float[] obs;
    private final double[] probs;
    private long steps;

    /** Adam (β 0.9 and 0.999, ε 1e-8) at {@code learningRate} on {@code model}'s parameters, batches of {@code batchSize}. */
    ActorEpochs(ActorCritic model, LoggedContexts data, int batchSize, double learningRate) {
        this.model = model;
        this.data = data;
        this.batch = batchSize;
        this.adam = new Adam(model.parameters().data().length, learningRate, 0.9, 0.999, 1e-8);
        this.ws = model.newWorkspace(batchSize);
        this.obs = new float[batchSize * data.contextDim()];
        this.probs = new double[batchSize * data.actionCount()];
    }

    /**
     * One epoch: shuffles {@code order} (units) with {@code shuffle}, then passes over it in
     * batches, unit u reading the context of the log's row {@code rowOf.applyAsInt(u)}, one Adam step
     * a batch on the mean of the units' losses. Returns the losses' sum.
     */
    double epoch(int[] order, Rng shuffle, IntUnaryOperator rowOf, UnitLoss loss) {
        int n = data.actionCount();
        int d = data.contextDim();
        float[] params = model.parameters().data();
        float[] grads = model.parameters().grad();
        shuffle(order, shuffle);
        double lossSum = 0;
        for (int from = 0; from < order.length; from += batch) {
            int b = Math.min(batch, order.length - from);
            for (int j = 0; j < b; j++) {
                data.context(rowOf.applyAsInt(order[from + j]), obs, j * d);
            }
            model.policy(ws, obs, b);
            model.value(ws, obs, b);
            float[] p = ws.probs();
            for (int j = 0; j < b * n; j++) {
                probs[j] = p[j];
            }
            float[] logitGrads = ws.logitGrads();
            for (int j = 0; j < b; j++) {
                lossSum += loss.loss(order[from + j], probs, j * n, logitGrads, j * n, 1.0 / b);
            }
            Arrays.fill(ws.valueGrads(), 0, b, 0f);
            model.backward(ws, obs, b, false);
            adam.step(params, grads);
            steps += b;
        }
        return lossSum;
    }

    /** Units processed over every epoch so far. */
    long steps() {
        return steps;
    }

    /** A Fisher–Yates shuffle of {@code order} with {@code rng}. */
    private static void shuffle(int[] order, Rng rng) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
