package org.recsysrl.agent;

import org.recsysrl.env.Environment;
import org.recsysrl.env.StepResult;

/**
 * Recommends the same item to everyone: the single item whose constant recommendation earns the
 * best mean episode return over the whole user population. This is what a collapsed policy can
 * reach at best, the floor of the personalisation score.
 */
public final class BestConstantPolicy implements Policy {
    private final int item;
    private final double meanReturn;

    public BestConstantPolicy(int item, double meanReturn) {
        this.item = item;
        this.meanReturn = meanReturn;
    }

    /**
     * Finds the best item by running, for every item and every user, one episode that shows only
     * that item; {@code env}'s episodes are reset by user id, so its random stream is not used.
     */
    public static BestConstantPolicy fit(Environment env) {
        float[] obs = new float[env.observationSize()];
        StepResult step = new StepResult();
        int best = 0;
        double bestReturn = Double.NEGATIVE_INFINITY;
        for (int a = 0; a < env.actionCount(); a++) {
            double total = 0;
            for (int u = 0; u < env.userCount(); u++) {
                env.reset(u, obs, 0);
                do {
                    env.step(a, obs, 0, step);
                    total += step.reward;
                } while (!step.terminated && !step.truncated);
            }
            double mean = total / env.userCount();
            if (mean > bestReturn) {
                bestReturn = mean;
                best = a;
            }
        }
        return new BestConstantPolicy(best, bestReturn);
    }

    /** The item recommended to everyone. */
    public int item() {
        return item;
    }

    /** Mean episode return of that item over the population. */
    public double meanReturn() {
        return meanReturn;
    }

    @Override
    public void act(float[] obs, int batch, int[] actionsOut) {
        for (int b = 0; b < batch; b++) {
            actionsOut[b] = item;
        }
    }

    @Override
    public String name() {
        return "best-constant";
    }
}
