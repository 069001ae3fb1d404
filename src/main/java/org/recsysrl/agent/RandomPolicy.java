package org.recsysrl.agent;

import org.recsysrl.util.Rng;

/** Recommends an item drawn uniformly from the catalog. */
public final class RandomPolicy implements Policy {
    private final int actionCount;
    private final Rng rng;

    public RandomPolicy(int actionCount, Rng rng) {
        this.actionCount = actionCount;
        this.rng = rng;
    }

    @Override
    public void act(float[] obs, int batch, int[] actionsOut) {
        for (int b = 0; b < batch; b++) {
            actionsOut[b] = rng.nextInt(actionCount);
        }
    }

    @Override
    public String name() {
        return "random";
    }
}
