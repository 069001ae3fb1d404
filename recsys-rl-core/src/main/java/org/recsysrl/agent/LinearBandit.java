package org.recsysrl.agent;

import org.recsysrl.util.Rng;

/**
 * A contextual bandit with one ridge regression of the immediate reward on the observation x per
 * action (disjoint linear model, Li et al. 2010): A_a = λI + Σ x xᵀ, b_a = Σ r x, θ_a = A_a⁻¹ b_a,
 * A_a⁻¹ kept up to date by the Sherman–Morrison formula (O(D²) per step, no inversion).
 *
 * <ul>
 *   <li>{@link #linUcb}: chooses argmax_a θ_a·x + α·√(xᵀ A_a⁻¹ x) (ties to the lower index);
 *   <li>{@link #epsilonGreedy}: a uniformly random action with probability ε, else argmax θ_a·x.
 * </ul>
 *
 * It maximises the immediate reward, like the myopic oracle, but must learn the reward from
 * what it sees. Not thread-safe; deterministic for a seed.
 */
public final class LinearBandit implements OnlinePolicy {
    private final String name;
    private final int arms;
    private final int d;
    private final double alpha;
    private final double epsilon;
    private final Rng rng;
    /** Per arm, A⁻¹ row-major [arms][d][d]. */
    private final double[] inverse;
    private final double[] b;
    private final double[] theta;
    private final double[] scratch;

    private LinearBandit(String name, int arms, int d, double lambda, double alpha, double epsilon, Rng rng) {
        if (arms < 1 || d < 1 || !(lambda > 0) || !(alpha >= 0) || !(epsilon >= 0 && epsilon <= 1)) {
            throw new IllegalArgumentException("a linear bandit needs arms, width and λ > 0, α ≥ 0, ε in [0, 1]");
        }
        this.name = name;
        this.arms = arms;
        this.d = d;
        this.alpha = alpha;
        this.epsilon = epsilon;
        this.rng = rng;
        this.inverse = new double[arms * d * d];
        this.b = new double[arms * d];
        this.theta = new double[arms * d];
        this.scratch = new double[d];
        for (int a = 0; a < arms; a++) {
            for (int i = 0; i < d; i++) {
                inverse[(a * d + i) * d + i] = 1 / lambda;
            }
        }
    }

    /** LinUCB with ridge λ and exploration weight α. */
    public static LinearBandit linUcb(int arms, int observationSize, double lambda, double alpha) {
        return new LinearBandit("linucb", arms, observationSize, lambda, alpha, 0, null);
    }

    /** ε-greedy on the same per-action ridge regressions. */
    public static LinearBandit epsilonGreedy(int arms, int observationSize, double lambda, double epsilon, Rng rng) {
        return new LinearBandit("epsilon-greedy", arms, observationSize, lambda, 0, epsilon, rng);
    }

    @Override
    public void act(float[] obs, int batch, int[] actionsOut) {
        for (int row = 0; row < batch; row++) {
            int off = row * d;
            if (epsilon > 0 && rng.nextDouble() < epsilon) {
                actionsOut[row] = rng.nextInt(arms);
                continue;
            }
            int best = 0;
            double bestValue = Double.NEGATIVE_INFINITY;
            for (int a = 0; a < arms; a++) {
                double v = upperBound(a, obs, off);
                if (v > bestValue) {
                    bestValue = v;
                    best = a;
                }
            }
            actionsOut[row] = best;
        }
    }

    /** θ_a·x + α·√(xᵀ A_a⁻¹ x), the value LinUCB maximises (θ_a·x when α = 0), for x = {@code obs[off ..)}. */
    public double upperBound(int a, float[] obs, int off) {
        double v = estimate(a, obs, off);
        if (alpha > 0) {
            v += alpha * Math.sqrt(Math.max(0, quadratic(a, obs, off)));
        }
        return v;
    }

    /** θ_a·x. */
    public double estimate(int a, float[] obs, int off) {
        double s = 0;
        for (int i = 0; i < d; i++) {
            s += theta[a * d + i] * obs[off + i];
        }
        return s;
    }

    /** xᵀ A_a⁻¹ x. */
    double quadratic(int a, float[] obs, int off) {
        double s = 0;
        int base = a * d * d;
        for (int i = 0; i < d; i++) {
            double row = 0;
            for (int j = 0; j < d; j++) {
                row += inverse[base + i * d + j] * obs[off + j];
            }
            s += obs[off + i] * row;
        }
        return s;
    }

    @Override
    public void learn(float[] obs, int off, int action, float reward) {
        int base = action * d * d;
        // u = A⁻¹x (A⁻¹ is symmetric), then A⁻¹ ← A⁻¹ − u uᵀ / (1 + xᵀu)
        double denominator = 1;
        for (int i = 0; i < d; i++) {
            double u = 0;
            for (int j = 0; j < d; j++) {
                u += inverse[base + i * d + j] * obs[off + j];
            }
            scratch[i] = u;
            denominator += obs[off + i] * u;
        }
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                inverse[base + i * d + j] -= scratch[i] * scratch[j] / denominator;
            }
            b[action * d + i] += reward * obs[off + i];
        }
        for (int i = 0; i < d; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += inverse[base + i * d + j] * b[action * d + j];
            }
            theta[action * d + i] = s;
        }
    }

    @Override
    public String name() {
        return name;
    }
}
