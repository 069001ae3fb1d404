package org.recsysrl.agent;

import java.util.Map;
import org.recsysrl.config.AdvantageNormalisation;
import org.recsysrl.config.PpoConfig;
import org.recsysrl.env.VectorEnv;
import org.recsysrl.nn.GradClip;
import org.recsysrl.nn.ParameterStore;
import org.recsysrl.util.Rng;

/**
 * Proximal Policy Optimisation with a clipped surrogate objective.
 *
 * <p>Each iteration collects {@code n_steps / num_envs} steps of every environment into a
 * {@code [T][N]} buffer, computes GAE per environment (bootstrapping truncated episodes from
 * V(final observation)), optionally normalises the advantages over the rollout, then runs
 * {@code update_epochs} passes of shuffled minibatches of {@code batch_size}, each one Adam step on
 * {@link ActorCriticLoss#ppo} after clipping the gradient's global norm. Optional: per-minibatch
 * advantage normalisation, value clipping, an early stop once the approximate KL passes
 * {@code target_kl}, and linear learning-rate annealing to 0 over {@code totalTimesteps}.
 */
public final class Ppo extends OnPolicyLearner {
    private final PpoConfig cfg;
    private final Rng shuffleRng;
    private final ActorCritic.Workspace ws;
    private final int[] order;
    private final Minibatch mb;
    /** The minibatch's step over several threads, or null for one thread. */
    private final ThreadedMinibatch parallel;
    private final ActorCriticLoss.Terms terms = new ActorCriticLoss.Terms();
    private final AdvantageNormalisation advantageNorm;

    /**
     * @param actionRng stream for action sampling
     * @param shuffleRng stream for minibatch order
     * @param totalTimesteps length of the run, for learning-rate annealing
     */
    public Ppo(PpoConfig cfg, ActorCritic model, VectorEnv env, Rng actionRng, Rng shuffleRng, long totalTimesteps) {
        this(cfg, model, env, actionRng, shuffleRng, totalTimesteps, 1);
    }

    /**
     * As {@link #Ppo(PpoConfig, ActorCritic, VectorEnv, Rng, Rng, long)}, each minibatch's step
     * spread over {@code threads} threads (data parallel over its rows, see
     * {@link ParallelMinibatch}; or, with {@code -Drecsysrl.ppo.split=outputs}, split by the
     * logits layer's outputs for the original network, see {@link OutputSplitMinibatch}): results
     * are bit-identical for a given thread count and split, and differ from one thread's within
     * rounding.
     *
     * @param threads 1 (the calling thread alone) or more
     */
    public Ppo(PpoConfig cfg, ActorCritic model, VectorEnv env, Rng actionRng, Rng shuffleRng, long totalTimesteps,
            int threads) {
        this(cfg, model, env, actionRng, shuffleRng, totalTimesteps, threads, ThreadedMinibatch.outputSplitAsked());
    }

    /**
     * As above; with {@code splitOutputs} the minibatches of the original network are split by the
     * logits layer's outputs ({@link OutputSplitMinibatch}) instead of their rows.
     */
    Ppo(PpoConfig cfg, ActorCritic model, VectorEnv env, Rng actionRng, Rng shuffleRng, long totalTimesteps,
            int threads, boolean splitOutputs) {
        super(model, env, actionRng, cfg.stepsPerEnv(), cfg.numEnvs(), cfg.lr(), cfg.adamBeta1(), cfg.adamBeta2(),
                cfg.adamEps(), totalTimesteps);
        if (threads < 1) {
            throw new IllegalArgumentException("PPO needs at least 1 thread, got " + threads);
        }
        this.cfg = cfg;
        this.advantageNorm = cfg.advantageNorm();
        this.shuffleRng = shuffleRng;
        int b = cfg.batchSize();
        this.order = new int[buffer.size()];
        this.mb = new Minibatch(buffer, b);
        this.parallel = threads > 1 ? ThreadedMinibatch.of(model, adam, cfg, mb, b, threads, splitOutputs)
                : null;
        this.ws = parallel == null ? model.newWorkspace(b) : null;
    }

    /** See {@link ThreadedMinibatch#phaseCpuNanos}; null on one thread. */
    long[][] phaseCpuNanos() {
        return parallel == null ? null : parallel.phaseCpuNanos();
    }

    /** The threaded minibatch step, or null on one thread. */
    ThreadedMinibatch threadedStep() {
        return parallel;
    }

    /** Threads of each minibatch's step (1: the calling thread alone). */
    public int threads() {
        return parallel == null ? 1 : parallel.threads();
    }

    @Override
    public String algorithm() {
        return "ppo";
    }

    @Override
    public Map<String, Rng> randomStreams() {
        Map<String, Rng> m = super.randomStreams();
        m.put("minibatches", shuffleRng);
        return m;
    }

    @Override
    public UpdateStats iterate() {
        double lr = collectRollout(cfg.lr(), cfg.annealLr(), cfg.gamma(), cfg.gaeLambda());
        double explainedVariance = buffer.explainedVariance();
        if (advantageNorm == AdvantageNormalisation.ROLLOUT) {
            Advantages.normalise(buffer.advantages, 0, buffer.size());
        }
        boolean perMinibatch = advantageNorm == AdvantageNormalisation.MINIBATCH;
        int n = buffer.size();
        int a = model.actionCount();
        int slate = buffer.slateSize;
        ParameterStore params = model.parameters();
        for (int k = 0; k < n; k++) {
            order[k] = k;
        }
        double policyLoss = 0;
        double valueLoss = 0;
        double entropy = 0;
        double kl = 0;
        double clipFraction = 0;
        double gradNorm = 0;
        int minibatches = 0;
        boolean stop = false;
        if (parallel != null) {
            parallel.begin();
        }
        try {
            for (int epoch = 0; epoch < cfg.updateEpochs() && !stop; epoch++) {
                shuffleRng.shuffle(order, n);
                for (int start = 0; start < n && !stop; start += cfg.batchSize()) {
                    int b = Math.min(cfg.batchSize(), n - start);
                    mb.gather(buffer, order, start, b);
                    if (perMinibatch) {
                        Advantages.normalise(mb.advantages, 0, b);
                    }
                    double norm = parallel != null ? parallel.step(mb, b, terms) : step(b, a, slate, params);
                    gradNorm += norm;
                    policyLoss += terms.policyLoss;
                    valueLoss += terms.valueLoss;
                    entropy += terms.entropy;
                    kl += terms.approxKl;
                    clipFraction += terms.clipFraction;
                    minibatches++;
                    if (cfg.targetKl() > 0 && terms.approxKl > cfg.targetKl()) {
                        stop = true;
                    }
                }
            }
        } finally {
            if (parallel != null) {
                parallel.end();
            }
        }
        updateDone();
        return new UpdateStats(policyLoss / minibatches, valueLoss / minibatches, entropy / minibatches,
                kl / minibatches, clipFraction / minibatches, explainedVariance, lr, gradNorm / minibatches,
                minibatches);
    }

    /** One thread's step of the first {@code b} rows of the minibatch; returns the gradient norm. */
    private double step(int b, int a, int slate, ParameterStore params) {
        model.policy(ws, mb.observations, mb.histories, b, mb.masks);
        model.value(ws, mb.observations, mb.histories, b);
        terms.clear();
        ActorCriticLoss.ppo(ws, b, a, slate, mb.actions, mb.oldLogProbs, mb.advantages, mb.returns, mb.oldValues,
                cfg.clipEps(), cfg.clipValueLoss(), cfg.entCoef(), cfg.vfCoef(), terms);
        model.backward(ws, mb.observations, mb.histories, b, false); // overwrites the gradient: no zeroGrad
        double norm = GradClip.globalNorm(params.grad());
        checkedStep(terms, norm, cfg.maxGradNorm());
        return norm;
    }
}
