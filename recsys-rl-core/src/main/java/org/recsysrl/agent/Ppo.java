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
    private final float[] mbObs;
    private final int[] mbActions;
    private final float[] mbOldLogp;
    private final float[] mbAdv;
    private final float[] mbReturns;
    private final float[] mbOldValues;
    private final long[] mbMasks;
    private final int[] mbHistories;
    private final ActorCriticLoss.Terms terms = new ActorCriticLoss.Terms();
    private final AdvantageNormalisation advantageNorm;

    /**
     * @param actionRng stream for action sampling
     * @param shuffleRng stream for minibatch order
     * @param totalTimesteps length of the run, for learning-rate annealing
     */
    public Ppo(PpoConfig cfg, ActorCritic model, VectorEnv env, Rng actionRng, Rng shuffleRng, long totalTimesteps) {
        super(model, env, actionRng, cfg.stepsPerEnv(), cfg.numEnvs(), cfg.lr(), cfg.adamBeta1(), cfg.adamBeta2(),
                cfg.adamEps(), totalTimesteps);
        this.cfg = cfg;
        this.advantageNorm = cfg.advantageNorm();
        this.shuffleRng = shuffleRng;
        int b = cfg.batchSize();
        this.ws = model.newWorkspace(b);
        this.order = new int[buffer.size()];
        this.mbObs = new float[b * env.observationSize()];
        this.mbActions = new int[b * model.slateSize()];
        this.mbOldLogp = new float[b];
        this.mbAdv = new float[b];
        this.mbReturns = new float[b];
        this.mbOldValues = new float[b];
        this.mbMasks = buffer.masks != null ? new long[b * buffer.maskWords] : null;
        this.mbHistories = buffer.histories != null ? new int[b * buffer.historyLength] : null;
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
        int d = buffer.observationSize;
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
        for (int epoch = 0; epoch < cfg.updateEpochs() && !stop; epoch++) {
            shuffleRng.shuffle(order, n);
            for (int start = 0; start < n && !stop; start += cfg.batchSize()) {
                int b = Math.min(cfg.batchSize(), n - start);
                gatherMinibatch(start, b, d, slate);
                if (perMinibatch) {
                    Advantages.normalise(mbAdv, 0, b);
                }
                model.policy(ws, mbObs, mbHistories, b, mbMasks);
                model.value(ws, mbObs, mbHistories, b);
                terms.clear();
                ActorCriticLoss.ppo(ws, b, a, slate, mbActions, mbOldLogp, mbAdv, mbReturns, mbOldValues, cfg.clipEps(),
                        cfg.clipValueLoss(), cfg.entCoef(), cfg.vfCoef(), terms);
                model.backward(ws, mbObs, mbHistories, b, false); // overwrites the gradient: no zeroGrad
                double norm = GradClip.globalNorm(params.grad());
                gradNorm += norm;
                checkedStep(terms, norm, cfg.maxGradNorm());
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
        updateDone();
        return new UpdateStats(policyLoss / minibatches, valueLoss / minibatches, entropy / minibatches,
                kl / minibatches, clipFraction / minibatches, explainedVariance, lr, gradNorm / minibatches,
                minibatches);
    }

    /** Copies the rollout rows order[start, start + b) into the minibatch arrays. */
    private void gatherMinibatch(int start, int b, int d, int slate) {
        for (int j = 0; j < b; j++) {
            int k = order[start + j];
            System.arraycopy(buffer.observations, k * d, mbObs, j * d, d);
            System.arraycopy(buffer.actions, k * slate, mbActions, j * slate, slate);
            mbOldLogp[j] = buffer.logProbs[k];
            mbAdv[j] = buffer.advantages[k];
            mbReturns[j] = buffer.returns[k];
            mbOldValues[j] = buffer.values[k];
            if (mbMasks != null) {
                int w = buffer.maskWords;
                System.arraycopy(buffer.masks, k * w, mbMasks, j * w, w);
            }
            if (mbHistories != null) {
                int l = buffer.historyLength;
                System.arraycopy(buffer.histories, k * l, mbHistories, j * l, l);
            }
        }
    }
}
