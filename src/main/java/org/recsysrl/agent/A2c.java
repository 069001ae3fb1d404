package org.recsysrl.agent;

import java.util.LinkedHashMap;
import java.util.Map;
import org.recsysrl.config.A2cConfig;
import org.recsysrl.env.VectorEnv;
import org.recsysrl.nn.Adam;
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
public final class A2c implements Learner {
    private final A2cConfig cfg;
    private final ActorCritic model;
    private final RolloutCollector collector;
    private final RolloutBuffer buffer;
    private final Adam adam;
    private final ActorCritic.Workspace ws;
    private final long totalUpdates;
    private final ActorCriticLoss.Terms terms = new ActorCriticLoss.Terms();
    private long steps;
    private long updates;

    public A2c(A2cConfig cfg, ActorCritic model, VectorEnv env, Rng actionRng, long totalTimesteps) {
        if (env.numEnvs() != cfg.numEnvs()) {
            throw new IllegalArgumentException("expected " + cfg.numEnvs() + " environments, got " + env.numEnvs());
        }
        this.cfg = cfg;
        this.model = model;
        this.collector = new RolloutCollector(env, model, actionRng);
        this.buffer = new RolloutBuffer(cfg.nSteps(), cfg.numEnvs(), env.observationSize());
        this.adam = new Adam(model.parameters().size(), cfg.lr(), cfg.adamBeta1(), cfg.adamBeta2(), cfg.adamEps());
        this.ws = model.newWorkspace(buffer.size());
        int perIteration = buffer.size();
        this.totalUpdates = Math.max(1, (totalTimesteps + perIteration - 1) / perIteration);
    }

    @Override
    public String algorithm() {
        return "a2c";
    }

    @Override
    public int stepsPerIteration() {
        return buffer.size();
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public long updates() {
        return updates;
    }

    @Override
    public void restoreCounters(long steps, long updates) {
        this.steps = steps;
        this.updates = updates;
    }

    @Override
    public ActorCritic model() {
        return model;
    }

    @Override
    public Adam optimizer() {
        return adam;
    }

    @Override
    public RolloutCollector collector() {
        return collector;
    }

    @Override
    public Map<String, Rng> randomStreams() {
        Map<String, Rng> m = new LinkedHashMap<>();
        m.put("actions", collector.actionRng());
        return m;
    }

    @Override
    public UpdateStats iterate() {
        double lr = cfg.annealLr() ? cfg.lr() * Math.max(0.0, 1.0 - (double) updates / totalUpdates) : cfg.lr();
        adam.setLearningRate(lr);
        collector.collect(buffer);
        steps += buffer.size();
        buffer.computeAdvantages(cfg.gamma(), cfg.gaeLambda());
        double explainedVariance = buffer.explainedVariance();
        int n = buffer.size();
        ParameterStore params = model.parameters();
        model.policy(ws, buffer.observations, n);
        model.value(ws, buffer.observations, n);
        terms.clear();
        ActorCriticLoss.a2c(ws, n, model.actionCount(), buffer.actions, buffer.advantages, buffer.returns,
                cfg.entCoef(), cfg.vfCoef(), terms);
        params.zeroGrad();
        model.backward(ws, buffer.observations, n);
        double gradNorm = GradClip.clipGlobalNorm(params.grad(), cfg.maxGradNorm());
        adam.step(params.data(), params.grad());
        updates++;
        return new UpdateStats(terms.policyLoss, terms.valueLoss, terms.entropy, Double.NaN, Double.NaN,
                explainedVariance, lr, gradNorm, 1);
    }
}
