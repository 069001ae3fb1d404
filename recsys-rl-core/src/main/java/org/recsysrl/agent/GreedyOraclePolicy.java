package org.recsysrl.agent;

import java.util.List;
import org.recsysrl.env.UserStateAware;

/**
 * Cheats on purpose: reads each environment's true current user state u and recommends
 * argmax_i u·item_i, the item with the best immediate reward. The ceiling of the personalisation
 * score; never available to a learning agent.
 */
public final class GreedyOraclePolicy implements Policy {
    private final List<? extends UserStateAware> envs;
    private final float[] state;

    /** @param envs row b of every {@link #act} batch belongs to {@code envs.get(b)} */
    public GreedyOraclePolicy(List<? extends UserStateAware> envs) {
        this.envs = List.copyOf(envs);
        this.state = new float[envs.get(0).userStateSize()];
    }

    @Override
    public void act(float[] obs, int batch, int[] actionsOut) {
        for (int b = 0; b < batch; b++) {
            UserStateAware env = envs.get(b);
            env.userState(state, 0);
            float[] items = env.itemEmbeddings();
            int dim = env.itemDim();
            int count = items.length / dim;
            int best = 0;
            float bestScore = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < count; i++) {
                float s = 0f;
                int off = i * dim;
                for (int k = 0; k < dim; k++) {
                    s += state[k] * items[off + k];
                }
                if (s > bestScore) {
                    bestScore = s;
                    best = i;
                }
            }
            actionsOut[b] = best;
        }
    }

    @Override
    public String name() {
        return "greedy-oracle";
    }
}
