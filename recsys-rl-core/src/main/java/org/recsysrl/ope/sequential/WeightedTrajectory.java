package org.recsysrl.ope.sequential;

import java.util.List;

/**
 * One logged trajectory as the multi-step estimators read it, step t = 0 … T−1:
 *
 * @param rewards r_t, the reward of step t
 * @param ratios ρ_t = π(a_t | s_t) / μ(a_t | s_t), the target's over the logging policy's probability
 *     of the logged action (for a slate, of the whole slate)
 * @param qLogged Q̂(s_t, a_t), a value model's estimate of the logged action's return from step t on
 *     (null when no model was fitted; only the importance-sampling estimators then apply)
 * @param vTarget V̂(s_t) = Σ_a π(a | s_t) Q̂(s_t, a), the model's value of the state under the target
 *     (null with {@code qLogged})
 */
public record WeightedTrajectory(double[] rewards, double[] ratios, double[] qLogged, double[] vTarget) {
    public WeightedTrajectory {
        if (rewards.length == 0 || ratios.length != rewards.length) {
            throw new IllegalArgumentException("a trajectory needs at least one step and one ratio per reward");
        }
        if ((qLogged == null) != (vTarget == null)
                || (qLogged != null && (qLogged.length != rewards.length || vTarget.length != rewards.length))) {
            throw new IllegalArgumentException("the value model's Q̂ and V̂ need one entry per step, or neither");
        }
        for (double r : ratios) {
            if (!(r >= 0) || Double.isInfinite(r)) {
                throw new IllegalArgumentException("importance ratio " + r + " is not a finite non-negative number");
            }
        }
    }

    /** An importance-sampling-only trajectory (no value model). */
    public WeightedTrajectory(double[] rewards, double[] ratios) {
        this(rewards, ratios, null, null);
    }

    /** The longest of the trajectories {@code data[index[..]]}: the last step the weighted estimators visit, plus one. */
    static int horizon(List<WeightedTrajectory> data, int[] index) {
        int horizon = 0;
        for (int i : index) {
            horizon = Math.max(horizon, data.get(i).length());
        }
        return horizon;
    }

    /** T, the number of steps. */
    public int length() {
        return rewards.length;
    }

    /** Whether a value model's Q̂ and V̂ are attached. */
    public boolean hasModel() {
        return qLogged != null;
    }
}
