package org.recsysrl.agent;

/**
 * Generalised advantage estimation over a time-major {@code [T][N]} rollout, backwards in time and
 * separately for each environment.
 *
 * <pre>
 *   V'_t     = 0                     if the episode terminated at t
 *            = bootstrap_t           if it was truncated at t (V of the final observation)
 *            = V_{t+1}  (lastValue at t = T-1)  otherwise
 *   δ_t      = r_t + γ V'_t − V_t
 *   A_t      = δ_t + γ λ (1 − done_t) A_{t+1},   done_t = terminated_t or truncated_t
 *   R_t      = A_t + V_t
 * </pre>
 */
public final class Gae {
    private Gae() {
    }

    /**
     * Fills {@code advantages} and {@code returns} (both [T*N]).
     *
     * @param bootstrapValues [T*N], read only where {@code truncated} is set
     * @param lastValues [N], V of each environment's observation after the rollout's last step
     */
    public static void compute(int steps, int envs, float[] rewards, float[] values, boolean[] terminated,
            boolean[] truncated, float[] bootstrapValues, float[] lastValues, float gamma, float lambda,
            float[] advantages, float[] returns) {
        for (int i = 0; i < envs; i++) {
            float next = 0f;
            for (int t = steps - 1; t >= 0; t--) {
                int k = t * envs + i;
                float nextValue;
                boolean done = terminated[k] || truncated[k];
                if (terminated[k]) {
                    nextValue = 0f;
                } else if (truncated[k]) {
                    nextValue = bootstrapValues[k];
                } else if (t == steps - 1) {
                    nextValue = lastValues[i];
                } else {
                    nextValue = values[k + envs];
                }
                float delta = rewards[k] + gamma * nextValue - values[k];
                next = delta + (done ? 0f : gamma * lambda * next);
                advantages[k] = next;
                returns[k] = next + values[k];
            }
        }
    }
}
