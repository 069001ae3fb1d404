package org.recsysrl.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.recsysrl.config.HistoryEncoderKind;
import org.recsysrl.config.ActorHeadKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.recsysrl.config.HistoryEncoderConfig;
import org.recsysrl.config.PolicyNetworkConfig;
import org.recsysrl.nn.Activation;
import org.recsysrl.nn.WeightInit;
import org.recsysrl.nn.ParameterStore;
import org.recsysrl.util.Rng;

/**
 * PPO and A2C on slates, with the logits head and with the candidate head: central finite
 * differences of the whole loss through the actor-critic network, against {@code ActorCriticLoss} + {@link ActorCritic#backward}. The numeric loss is
 * recomputed here in double with the slate's log-probability written independently of
 * {@code PlackettLuce}: {@code log P = Σ_k [s_{a_k} − log Σ_{j not yet chosen} e^{s_j}]} over the
 * logits s.
 */
class SlateLossGradientTest {
    /** One user feature, then a block of 2 features per action (the candidate head reads the blocks). */
    private static final int OBS = 15;
    private static final int ACTIONS = 7;
    private static final int K = 3;
    private static final int B = 4;
    private static final double CLIP = 0.2;
    private static final double EPS = 3e-3;
    private static final double ENT = 0.05;
    private static final double VF = 0.5;
    /** Slates of three distinct actions, best first. */
    private static final int[] SLATES = {0, 3, 6, 2, 5, 1, 6, 0, 4, 1, 2, 3};
    /** Ratios π/π_old: sample 0 unclipped outside the range (A > 0), 1 clipped (A < 0), 2 and 3 inside. */
    private static final double[] RATIOS = {0.5, 0.6, 0.9, 1.1};
    private static final float[] ADV = {1.2f, -0.8f, 0.5f, -0.4f};

    private ActorCritic model;
    private final float[] obs = new float[B * OBS];
    private final float[] oldLogp = new float[B];
    private final float[] returns = new float[B];

    private void init(String head) {
        PolicyNetworkConfig cfg = new PolicyNetworkConfig(List.of(6, 4), List.of(6, 4), Activation.TANH, WeightInit.PYTORCH, ActorHeadKind.of(head), false, 1.0, false,
                new HistoryEncoderConfig(HistoryEncoderKind.NONE, 50, 64, 2, 1));
        model = new ActorCritic(ActorCritic.Spec.of(OBS, ACTIONS).slates(K)
                .candidates(new CandidateBlocks(1, 2, ACTIONS)), cfg, new Rng(5));
        Rng rng = new Rng(6);
        for (int k = 0; k < obs.length; k++) {
            obs[k] = (float) rng.uniform(-1, 1);
        }
        double[] logP = slateLogProbs();
        ActorCritic.Workspace ws = model.newWorkspace(B);
        model.value(ws, obs, B);
        for (int j = 0; j < B; j++) {
            oldLogp[j] = (float) (logP[j] - Math.log(RATIOS[j]));
            returns[j] = ws.values()[j] + 0.3f * (j - 1);
        }
    }

    /** The slates' log-probabilities from the network's log-probabilities (softmax is shift-invariant). */
    private double[] slateLogProbs() {
        ActorCritic.Workspace ws = model.newWorkspace(B);
        model.policy(ws, obs, B);
        double[] out = new double[B];
        for (int j = 0; j < B; j++) {
            boolean[] taken = new boolean[ACTIONS];
            double total = 0;
            for (int pos = 0; pos < K; pos++) {
                int a = SLATES[j * K + pos];
                double norm = 0;
                for (int c = 0; c < ACTIONS; c++) {
                    if (!taken[c]) {
                        norm += Math.exp(ws.logProbs()[j * ACTIONS + c]);
                    }
                }
                total += ws.logProbs()[j * ACTIONS + a] - Math.log(norm);
                taken[a] = true;
            }
            out[j] = total;
        }
        return out;
    }

    private double loss(boolean ppo) {
        double[] logP = slateLogProbs();
        ActorCritic.Workspace ws = model.newWorkspace(B);
        model.policy(ws, obs, B);
        model.value(ws, obs, B);
        double policy = 0;
        double entropy = 0;
        double value = 0;
        for (int j = 0; j < B; j++) {
            double a = ADV[j];
            if (ppo) {
                double r = Math.exp(logP[j] - oldLogp[j]);
                double clipped = Math.min(Math.max(r, 1 - CLIP), 1 + CLIP);
                policy -= Math.min(r * a, clipped * a);
            } else {
                policy -= logP[j] * a;
            }
            for (int c = 0; c < ACTIONS; c++) {
                double l = ws.logProbs()[j * ACTIONS + c];
                entropy -= Math.exp(l) * l;
            }
            double e = ws.values()[j] - returns[j];
            value += e * e;
        }
        return policy / B - ENT * entropy / B + VF * value / B;
    }

    @ParameterizedTest(name = "ppo={0} head={1}")
    @CsvSource({"true,logits", "false,logits", "true,candidates", "false,candidates"})
    void slateLossGradientMatchesFiniteDifferences(boolean ppo, String head) {
        init(head);
        ActorCritic.Workspace ws = model.newWorkspace(B);
        model.policy(ws, obs, B);
        model.value(ws, obs, B);
        ActorCriticLoss.Terms terms = new ActorCriticLoss.Terms();
        if (ppo) {
            ActorCriticLoss.ppo(ws, B, ACTIONS, K, SLATES, oldLogp, ADV, returns, null, CLIP, false, ENT, VF, terms);
            assertThat(terms.clipFraction).as("samples 0 and 1 are outside [0.8, 1.2]").isCloseTo(0.5, within(1e-6));
        } else {
            ActorCriticLoss.a2c(ws, B, ACTIONS, K, SLATES, ADV, returns, ENT, VF, terms);
        }
        ParameterStore params = model.parameters();
        params.zeroGrad();
        model.backward(ws, obs, B);
        float[] analytic = params.grad().clone();
        double reported = terms.policyLoss - ENT * terms.entropy + VF * terms.valueLoss;
        assertThat(reported).as("the reported terms add up to the loss").isCloseTo(loss(ppo), within(1e-5));

        float[] p = params.data();
        double maxAbs = 0;
        double maxErr = 0;
        for (int i = 0; i < p.length; i++) {
            double numeric = org.recsysrl.nn.GradCheck.numeric(p, i, EPS, () -> loss(ppo));
            maxAbs = Math.max(maxAbs, Math.abs(numeric));
            maxErr = Math.max(maxErr, Math.abs(numeric - analytic[i]));
            assertThat((double) analytic[i]).as("parameter %d", i)
                    .isCloseTo(numeric, within(2e-3 + 2e-2 * Math.abs(numeric)));
        }
        assertThat(maxAbs).as("the check is not vacuous").isGreaterThan(1e-2);
    }
}
