package org.recsysrl.agent;

import org.recsysrl.nn.Categorical;
import org.recsysrl.nn.PlackettLuce;
import org.recsysrl.util.Rng;

/**
 * A trained actor as a {@link Policy}: the most probable item ({@code deterministic}) or an item
 * sampled from π(·|s); for a model of slates of K, the K most probable items in order, or a slate
 * drawn without replacement (Plackett–Luce).
 */
public final class ActorCriticPolicy implements Policy {
    private final ActorCritic model;
    private final boolean deterministic;
    private final Rng rng;
    private final ActorCritic.Workspace ws;
    private final String name;

    /**
     * @param capacity largest batch {@link #act} will be given
     * @param rng used only when sampling
     */
    public ActorCriticPolicy(String name, ActorCritic model, boolean deterministic, Rng rng, int capacity) {
        this.name = name;
        this.model = model;
        this.deterministic = deterministic;
        this.rng = rng;
        this.ws = model.newWorkspace(capacity);
    }

    @Override
    public void act(float[] obs, int batch, int[] actionsOut) {
        act(obs, batch, null, actionsOut);
    }

    /** As {@link #act(float[], int, int[])}, never choosing (by argmax or sampling) a forbidden action. */
    @Override
    public void act(float[] obs, int batch, long[] allowed, int[] actionsOut) {
        act(obs, null, batch, allowed, actionsOut);
    }

    @Override
    public void act(float[] obs, int[] histories, int batch, long[] allowed, int[] actionsOut) {
        model.policy(ws, obs, histories, batch, allowed);
        int a = model.actionCount();
        float[] logp = ws.logProbs();
        int k = model.slateSize();
        for (int b = 0; b < batch; b++) {
            if (k > 1) {
                if (deterministic) {
                    PlackettLuce.top(logp, b * a, a, k, actionsOut, b * k);
                } else {
                    PlackettLuce.sample(logp, ws.probs(), b * a, a, k, rng, actionsOut, b * k);
                }
            } else {
                actionsOut[b] = deterministic ? Categorical.argmax(logp, b * a, a)
                        : Categorical.sampleFromProbs(ws.probs(), b * a, a, rng);
            }
        }
    }

    @Override
    public int slateSize() {
        return model.slateSize();
    }

    /** log π(·|obs) of the last {@link #act} call, [batch × actionCount]. */
    public float[] lastLogProbs() {
        return ws.logProbs();
    }

    @Override
    public int historyLength() {
        return model.historyLength();
    }

    @Override
    public String name() {
        return name;
    }
}
