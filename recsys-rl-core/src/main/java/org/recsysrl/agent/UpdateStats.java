package org.recsysrl.agent;

/**
 * Diagnostics of one update (means over the minibatches it ran).
 *
 * @param policyLoss PPO: −mean(min(ρA, clip(ρ)A)); A2C: −mean(log π(a|s)·A)
 * @param valueLoss mean((V − R)²) (or its clipped form)
 * @param entropy mean policy entropy
 * @param approxKl mean((ρ − 1) − log ρ), an estimate of KL(π_old‖π) (NaN for A2C)
 * @param clipFraction fraction of samples with |ρ − 1| > ε (NaN for A2C)
 * @param explainedVariance 1 − Var(R − V)/Var(R) over the rollout
 * @param learningRate the learning rate used
 * @param gradNorm mean global gradient norm before clipping
 * @param minibatches minibatch steps taken (fewer than planned after a target-KL stop)
 */
public record UpdateStats(
        double policyLoss,
        double valueLoss,
        double entropy,
        double approxKl,
        double clipFraction,
        double explainedVariance,
        double learningRate,
        double gradNorm,
        int minibatches) {
}
