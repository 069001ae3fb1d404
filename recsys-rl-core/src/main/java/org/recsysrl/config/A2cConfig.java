package org.recsysrl.config;

/**
 * Advantage actor-critic settings, named as in the original project. {@link #original()} holds the
 * original's values exactly; the original hard-coded λ = 0.95 and used a single environment, which
 * are the {@code original()} values of
 * {@code gaeLambda} and {@code numEnvs}.
 *
 * @param lr Adam learning rate
 * @param gamma discount factor
 * @param gaeLambda GAE λ (λ = 1 gives n-step returns)
 * @param entCoef weight of the entropy bonus
 * @param vfCoef weight of the value loss
 * @param maxGradNorm global L2 gradient-norm clip
 * @param nSteps steps each environment takes before one gradient step
 * @param numEnvs environments stepped in parallel
 * @param annealLr decay the learning rate linearly to 0 over the run
 * @param adamBeta1 Adam β1
 * @param adamBeta2 Adam β2
 * @param adamEps Adam ε
 */
public record A2cConfig(
        double lr,
        double gamma,
        double gaeLambda,
        double entCoef,
        double vfCoef,
        double maxGradNorm,
        int nSteps,
        int numEnvs,
        boolean annealLr,
        double adamBeta1,
        double adamBeta2,
        double adamEps) {

    /** The original project's A2C hyperparameters. */
    public static A2cConfig original() {
        return new A2cConfig(7e-4, 0.99, 0.95, 0.01, 0.5, 0.5, 5, 1, false, 0.9, 0.999, 1e-8);
    }

    /** The recommended A2C hyperparameters (see docs/learning.md for the measurements). */
    public static A2cConfig defaults() {
        return new A2cConfig(3e-3, 0.0, 0.95, 0.0, 0.5, 0.5, 5, 8, false, 0.9, 0.999, 1e-8);
    }

    void validate() {
        Validation.inRange("a2c.lr", lr, 0.0, false, 1.0, true);
        Validation.inRange("a2c.gamma", gamma, 0.0, true, 1.0, true);
        Validation.inRange("a2c.gae_lambda", gaeLambda, 0.0, true, 1.0, true);
        Validation.inRange("a2c.ent_coef", entCoef, 0.0, true, 100.0, true);
        Validation.inRange("a2c.vf_coef", vfCoef, 0.0, true, 100.0, true);
        Validation.inRange("a2c.max_grad_norm", maxGradNorm, 0.0, false, 1e6, true);
        Validation.atMost("a2c.n_steps", nSteps, 1, 1_000_000);
        Validation.atMost("a2c.num_envs", numEnvs, 1, 4096);
        Validation.inRange("a2c.adam_beta1", adamBeta1, 0.0, true, 1.0, false);
        Validation.inRange("a2c.adam_beta2", adamBeta2, 0.0, true, 1.0, false);
        Validation.inRange("a2c.adam_eps", adamEps, 0.0, false, 1.0, true);
    }
}
