package org.recsysrl.agent;

import org.recsysrl.config.A2cConfig;
import org.recsysrl.env.VectorEnv;
import org.recsysrl.nn.GradClip;
import org.recsysrl.nn.ParameterStore;
import org.recsysrl.util.Rng;

/**
 * Advantage actor-critic: every {@code n_steps} steps of each of {@code num_envs} environments,
 * GAE(γ, λ) advantages (per environment, bootstrapping truncations), then one Adam step on
 * {@link ActorCriticLoss#a2c} over the whole {@code n_steps × num_envs} batch, after clipping the
 * gradient's global norm. λ = 1 gives the n-step returns the original's documentation promised;
 * its code used λ = 0.95, the default here.
 */
public final class A2c extends OnPolicyLearner {
    private final A2cConfig cfg;
    private final ActorCritic.Workspace ws;
    private final ActorCriticLoss.Terms terms = new ActorCriticLoss.Terms();

    public A2c(A2cConfig cfg, ActorCritic model, VectorEnv env, Rng actionRng, long totalTimesteps) {
        super(model, env, actionRng, cfg.nSteps(), cfg.numEnvs(), cfg.lr(), cfg.adamBeta1(), cfg.adamBeta2(),
                cfg.adamEps(), totalTimesteps);
        this.cfg = cfg;
        this.ws = model.newWorkspace(buffer.size());
    }

    @Override
    public String algorithm() {
        return "a2c";
    }

    @Override
    public UpdateStats iterate() {
        // the update runs with the parameters that collected the rollout, so the rollout's own
        // forward passes are the update's: the collector records them into ws
        boolean history = model.historyLength() > 0;
        double lr = collectRollout(cfg.lr(), cfg.annealLr(), cfg.gamma(), cfg.gaeLambda(), history ? null : ws);
        double explainedVariance = buffer.explainedVariance();
        int n = buffer.size();
        if (history) {
            // an encoder's activations are not copied from the rollout: the update runs its own forward pass
            model.policy(ws, buffer.observations, buffer.histories, n, buffer.masks);
            model.value(ws, buffer.observations, buffer.histories, n);
        }
        ParameterStore params = model.parameters();
        terms.clear();
        ActorCriticLoss.a2c(ws, n, model.actionCount(), buffer.slateSize, buffer.actions, buffer.advantages, buffer.returns,
                cfg.entCoef(), cfg.vfCoef(), terms);
        model.backward(ws, buffer.observations, buffer.histories, n, false); // overwrites the gradient: no zeroGrad
        double gradNorm = GradClip.globalNorm(params.grad());
        checkedStep(terms, gradNorm, cfg.maxGradNorm());
        updateDone();
        return new UpdateStats(terms.policyLoss, terms.valueLoss, terms.entropy, Double.NaN, Double.NaN,
                explainedVariance, lr, gradNorm, 1);
    }
}
