package org.recsysrl.config;


/**
 * Proximal Policy Optimisation settings, named as in the original project (the options after
 * {@code numEnvs} are additions). {@link #original()} holds the original's values exactly,
 * {@link #defaults()} the tuned ones (see docs/learning.md).
 *
 * @param lr Adam learning rate
 * @param gamma discount factor
 * @param gaeLambda GAE λ
 * @param clipEps policy ratio clip range ε: ratio is clipped to [1-ε, 1+ε]
 * @param entCoef weight of the entropy bonus
 * @param vfCoef weight of the value loss
 * @param maxGradNorm global L2 gradient-norm clip
 * @param updateEpochs passes over each rollout
 * @param batchSize minibatch size
 * @param nSteps transitions per rollout, summed over all environments (must divide by numEnvs)
 * @param numEnvs environments stepped in parallel
 * @param advantageNorm {@code rollout} (normalise over the whole rollout, the original),
 *     {@code minibatch} or {@code none}
 * @param clipValueLoss clip the value prediction to within ε of the rollout's value
 * @param targetKl stop the epochs of an update early once the approximate KL exceeds this (0 = off)
 * @param annealLr decay the learning rate linearly to 0 over the run
 * @param adamBeta1 Adam β1
 * @param adamBeta2 Adam β2
 * @param adamEps Adam ε
 * @param threads threads of each minibatch's step (data parallel over its rows, see
 *     docs/performance.md, "The second core"); 1, the default, keeps every seeded result of one
 *     thread; a run is bit-identical for a given count
 */
public record PpoConfig(
        double lr,
        double gamma,
        double gaeLambda,
        double clipEps,
        double entCoef,
        double vfCoef,
        double maxGradNorm,
        int updateEpochs,
        int batchSize,
        int nSteps,
        int numEnvs,
        AdvantageNormalisation advantageNorm,
        boolean clipValueLoss,
        double targetKl,
        boolean annealLr,
        double adamBeta1,
        double adamBeta2,
        double adamEps,
        int threads) {

    /** The most threads {@code ppo.threads} takes. */
    public static final int MAX_THREADS = 64;

    /** The settings on one thread. */
    public PpoConfig(double lr, double gamma, double gaeLambda, double clipEps, double entCoef, double vfCoef,
            double maxGradNorm, int updateEpochs, int batchSize, int nSteps, int numEnvs,
            AdvantageNormalisation advantageNorm, boolean clipValueLoss, double targetKl, boolean annealLr,
            double adamBeta1, double adamBeta2, double adamEps) {
        this(lr, gamma, gaeLambda, clipEps, entCoef, vfCoef, maxGradNorm, updateEpochs, batchSize, nSteps, numEnvs,
                advantageNorm, clipValueLoss, targetKl, annealLr, adamBeta1, adamBeta2, adamEps, 1);
    }

    /** The original project's PPO hyperparameters. */
    public static PpoConfig original() {
        return new PpoConfig(3e-4, 0.99, 0.95, 0.2, 0.01, 0.5, 0.5, 10, 64, 2048, 8,
                AdvantageNormalisation.ROLLOUT, false, 0.0, false, 0.9, 0.999, 1e-8);
    }

    /** The recommended PPO hyperparameters (see docs/learning.md for the measurements). */
    public static PpoConfig defaults() {
        return new PpoConfig(3e-3, 0.0, 0.95, 0.2, 0.01, 0.5, 0.5, 10, 256, 2048, 8,
                AdvantageNormalisation.MINIBATCH, false, 0.0, true, 0.9, 0.999, 1e-8);
    }

    /** Steps each environment takes per rollout: {@code nSteps / numEnvs}. */
    public int stepsPerEnv() {
        return nSteps / numEnvs;
    }

    void validate() {
        Validation.inRange("ppo.lr", lr, 0.0, false, 1.0, true);
        Validation.inRange("ppo.gamma", gamma, 0.0, true, 1.0, true);
        Validation.inRange("ppo.gae_lambda", gaeLambda, 0.0, true, 1.0, true);
        Validation.inRange("ppo.clip_eps", clipEps, 0.0, false, 10.0, true);
        Validation.inRange("ppo.ent_coef", entCoef, 0.0, true, 100.0, true);
        Validation.inRange("ppo.vf_coef", vfCoef, 0.0, true, 100.0, true);
        Validation.inRange("ppo.max_grad_norm", maxGradNorm, 0.0, false, 1e6, true);
        Validation.atMost("ppo.update_epochs", updateEpochs, 1, 1000);
        Validation.positive("ppo.batch_size", batchSize);
        Validation.atMost("ppo.n_steps", nSteps, 1, 1_000_000);
        Validation.atMost("ppo.num_envs", numEnvs, 1, 4096);
        Validation.check(nSteps % numEnvs == 0, "ppo.n_steps (" + nSteps
                + ") must be a multiple of ppo.num_envs (" + numEnvs + "): it is the rollout size summed over environments");
        Validation.check(batchSize <= nSteps, "ppo.batch_size (" + batchSize
                + ") must not exceed ppo.n_steps (" + nSteps + ")");
        Validation.present("ppo.advantage_norm", advantageNorm, AdvantageNormalisation.ids());
        Validation.inRange("ppo.target_kl", targetKl, 0.0, true, 100.0, true);
        Validation.inRange("ppo.adam_beta1", adamBeta1, 0.0, true, 1.0, false);
        Validation.inRange("ppo.adam_beta2", adamBeta2, 0.0, true, 1.0, false);
        Validation.inRange("ppo.adam_eps", adamEps, 0.0, false, 1.0, true);
        Validation.atMost("ppo.threads", threads, 1, MAX_THREADS);
    }
}
