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

    /** Uniform over the allowed actions (rejection sampling; each row must allow one action). */
    @Override
    public void act(float[] obs, int batch, long[] allowed, int[] actionsOut) {
        if (allowed == null) {
            act(obs, batch, actionsOut);
            return;
        }
        int words = org.recsysrl.env.ActionMasks.words(actionCount);
        for (int b = 0; b < batch; b++) {
            int a;
            do {
                a = rng.nextInt(actionCount);
            } while (!org.recsysrl.env.ActionMasks.isAllowed(allowed, b * words, a));
            actionsOut[b] = a;
        }
    }

    @Override
    public String name() {
        return "random";
    }
}
