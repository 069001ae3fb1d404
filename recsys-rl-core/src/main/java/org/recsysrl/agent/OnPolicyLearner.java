package org.recsysrl.agent;

import java.util.LinkedHashMap;
import java.util.Map;
import org.recsysrl.env.VectorEnv;
import org.recsysrl.nn.Adam;
import org.recsysrl.nn.GradClip;
import org.recsysrl.nn.Kernels;
import org.recsysrl.util.NonFiniteException;
import org.recsysrl.util.Rng;

/**
 * What PPO and A2C share: the model, a rollout collector over the vector environment, a
 * {@code [T][N]} rollout buffer, Adam, the step and update counters, and the rollout phase of an
 * iteration (learning-rate schedule, collection, GAE).
 */
abstract class OnPolicyLearner implements Learner {
    protected final ActorCritic model;
    protected final RolloutCollector collector;
    protected final RolloutBuffer buffer;
    protected final Adam adam;
    private final long totalUpdates;
    private long steps;
    private long updates;

    /**
     * @param stepsPerEnv T, steps of each environment per rollout
     * @param numEnvs N, which {@code env} must have
     * @param totalTimesteps length of the run, for learning-rate annealing
     */
    OnPolicyLearner(ActorCritic model, VectorEnv env, Rng actionRng, int stepsPerEnv, int numEnvs, double lr,
            double beta1, double beta2, double eps, long totalTimesteps) {
        if (env.numEnvs() != numEnvs) {
            throw new IllegalArgumentException("expected " + numEnvs + " environments, got " + env.numEnvs());
        }
        this.model = model;
        this.collector = new RolloutCollector(env, model, actionRng);
        if (env.historyLength() != model.historyLength()) {
            throw new IllegalArgumentException("the environments keep histories of " + env.historyLength()
                    + " items, the model reads " + model.historyLength());
        }
        if (env.slateSize() != model.slateSize()) {
            throw new IllegalArgumentException("the environments show slates of " + env.slateSize()
                    + ", the model chooses " + model.slateSize());
        }
        this.buffer = new RolloutBuffer(stepsPerEnv, numEnvs, env.observationSize(),
                env.masksActions() ? env.maskWords() : 0, model.historyLength(), model.slateSize());
        this.adam = new Adam(model.parameters().size(), lr, beta1, beta2, eps);
        int perIteration = buffer.size();
        this.totalUpdates = Math.max(1, (totalTimesteps + perIteration - 1) / perIteration);
    }

    /**
     * Sets the learning rate ({@code baseLr}, or with {@code anneal} baseLr · (1 − updates/total)),
     * collects one rollout and computes its GAE advantages and returns.
     *
     * @return the learning rate of this iteration
     */
    protected final double collectRollout(double baseLr, boolean anneal, double gamma, double lambda) {
        return collectRollout(baseLr, anneal, gamma, lambda, null);
    }

    /**
     * As {@link #collectRollout(double, boolean, double, double)}, keeping every step's forward
     * pass in {@code record} (see {@link RolloutCollector#collect(RolloutBuffer, ActorCritic.Workspace)}).
     */
    protected final double collectRollout(double baseLr, boolean anneal, double gamma, double lambda,
            ActorCritic.Workspace record) {
        double lr = anneal ? baseLr * Math.max(0.0, 1.0 - (double) updates / totalUpdates) : baseLr;
        adam.setLearningRate(lr);
        collector.collect(buffer, record);
        steps += buffer.size();
        buffer.computeAdvantages(gamma, lambda);
        return lr;
    }

    /**
     * Refuses a minibatch's step before any parameter changes: a non-finite loss term or gradient
     * norm throws, naming it.
     *
     * @throws NonFiniteException for the first non-finite one of value loss, policy loss, entropy, norm
     */
    static void requireFiniteTerms(ActorCriticLoss.Terms terms, double gradNorm) {
        NonFiniteException.requireFinite("the value loss", terms.valueLoss);
        NonFiniteException.requireFinite("the policy loss", terms.policyLoss);
        NonFiniteException.requireFinite("the entropy", terms.entropy);
        NonFiniteException.requireFinite("the gradient norm", gradNorm);
    }

    /**
     * Checks a minibatch's loss terms and gradient norm, takes the clipped Adam step, and checks
     * the parameters it produced: the first NaN or infinity stops training with a
     * {@link NonFiniteException} naming it, so no non-finite value reaches the weights unnoticed.
     * The checks read what is already computed, plus one pass over the parameters.
     *
     * @param gradNorm the gradient's global norm ({@link GradClip#globalNorm})
     */
    protected final void checkedStep(ActorCriticLoss.Terms terms, double gradNorm, double maxGradNorm) {
        requireFiniteTerms(terms, gradNorm);
        float[] params = model.parameters().data();
        adam.step(params, model.parameters().grad(), GradClip.coefficient(gradNorm, maxGradNorm));
        NonFiniteException.requireFinite("a parameter after the optimiser step", Kernels.sumOfSquares(params));
    }

    /** Counts a finished update. */
    protected final void updateDone() {
        updates++;
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
}
