package org.recsysrl.agent;

import org.recsysrl.nn.Linear;
import org.recsysrl.nn.ParameterStore;

/**
 * An actor head that scores each candidate of the step by its own features in the observation: a
 * learned query q = W·features + c ({@code actor.query}, one entry per candidate feature), then for
 * every candidate slot s with features x_s ({@link CandidateBlocks})
 *
 * <pre>
 *   logit_s = q · x_s
 * </pre>
 *
 * The same function scores every slot, so what the policy learns about a kind of candidate holds
 * wherever it appears in the list, and its parameter count does not depend on the number of
 * candidates. Gradient: dq = Σ_s dlogit_s x_s.
 */
public final class CandidateHead implements ActorHead {
    private final Linear query;
    private final CandidateBlocks blocks;
    private final int observationSize;

    /** A head over {@code blocks} of observations {@code observationSize} wide. */
    public CandidateHead(ParameterStore store, int featureSize, int observationSize, CandidateBlocks blocks) {
        if (blocks.offset() + blocks.count() * blocks.width() > observationSize) {
            throw new IllegalArgumentException("the candidate blocks end past the observation");
        }
        this.query = new Linear(store, "actor.query", featureSize, blocks.width());
        this.blocks = blocks;
        this.observationSize = observationSize;
    }

    /** The query layer (for initialisation). */
    public Linear query() {
        return query;
    }

    @Override
    public int featureSize() {
        return query.in();
    }

    @Override
    public int actionCount() {
        return blocks.count();
    }

    /** The queries and their gradients of one batch. */
    private static final class State implements Workspace {
        final float[] queries;
        final float[] queryGrads;
        final int width;

        State(int capacity, int width) {
            this.width = width;
            queries = new float[capacity * width];
            queryGrads = new float[capacity * width];
        }

        @Override
        public void copyRows(Workspace source, int sourceRow, int targetRow, int rows) {
            System.arraycopy(((State) source).queries, sourceRow * width, queries, targetRow * width, rows * width);
        }
    }

    @Override
    public Workspace newWorkspace(int capacity) {
        return new State(capacity, blocks.width());
    }

    @Override
    public void forward(Workspace ws, float[] features, float[] logits, int batch) {
        throw new UnsupportedOperationException("the candidate head reads the observation: call the form with obs");
    }

    @Override
    public void backward(Workspace ws, float[] features, float[] dLogits, float[] dFeatures, int batch,
            boolean accumulate) {
        throw new UnsupportedOperationException("the candidate head reads the observation: call the form with obs");
    }

    @Override
    public void forward(Workspace workspace, float[] features, float[] obs, float[] logits, int batch) {
        State ws = (State) workspace;
        int w = blocks.width();
        int n = blocks.count();
        query.forward(features, ws.queries, batch);
        for (int b = 0; b < batch; b++) {
            int q = b * w;
            for (int s = 0; s < n; s++) {
                int x = b * observationSize + blocks.offset() + s * w;
                float sum = 0f;
                for (int c = 0; c < w; c++) {
                    sum += ws.queries[q + c] * obs[x + c];
                }
                logits[b * n + s] = sum;
            }
        }
    }

    @Override
    public void backward(Workspace workspace, float[] features, float[] obs, float[] dLogits, float[] dFeatures,
            int batch, boolean accumulate) {
        State ws = (State) workspace;
        int w = blocks.width();
        int n = blocks.count();
        java.util.Arrays.fill(ws.queryGrads, 0, batch * w, 0f);
        for (int b = 0; b < batch; b++) {
            int q = b * w;
            for (int s = 0; s < n; s++) {
                float g = dLogits[b * n + s];
                int x = b * observationSize + blocks.offset() + s * w;
                for (int c = 0; c < w; c++) {
                    ws.queryGrads[q + c] += g * obs[x + c];
                }
            }
        }
        query.backward(features, ws.queryGrads, dFeatures, batch, accumulate);
    }
}
