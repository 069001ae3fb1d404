package org.recsysrl.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.config.AdvantageNormalisation;
import org.recsysrl.config.A2cConfig;
import org.recsysrl.config.PolicyNetworkConfig;
import org.recsysrl.nn.Activation;
import org.recsysrl.nn.WeightInit;
import org.recsysrl.config.PpoConfig;
import org.recsysrl.env.ActionMasks;
import org.recsysrl.nn.ParameterStore;
import org.recsysrl.env.VectorEnv;
import org.recsysrl.eval.EpisodeRunner;
import org.recsysrl.util.Rng;

/** Action masking in the categorical policy, its losses and the rollout. */
class ActionMaskingTest {
    private static final int OBS = 5;
    private static final int A = 70; // more than one 64-bit word
    private static final PolicyNetworkConfig MODEL = PolicyNetworkConfig.of(List.of(8), List.of(8), Activation.TANH, WeightInit.PYTORCH);

    private static float[] randomObs(int batch, long seed) {
        Rng rng = new Rng(seed);
        float[] obs = new float[batch * OBS];
        for (int k = 0; k < obs.length; k++) {
            obs[k] = (float) rng.uniform(-1, 1);
        }
        return obs;
    }

    /** Rows allowing every action except those listed (the same for every row). */
    private static long[] maskForbidding(int batch, int... forbidden) {
        int w = ActionMasks.words(A);
        long[] bits = new long[batch * w];
        for (int b = 0; b < batch; b++) {
            ActionMasks.allowAll(bits, b * w, A);
            for (int j : forbidden) {
                ActionMasks.forbid(bits, b * w, j);
            }
        }
        return bits;
    }

    @Test
    void maskedActionsHaveZeroProbabilityAndAreNeverSampledNorChosen() {
        ActorCritic model = new ActorCritic(ActorCritic.Spec.of(OBS, A), MODEL, new Rng(1));
        float[] obs = randomObs(1, 2);
        ActorCritic.Workspace ws = model.newWorkspace(1);
        model.policy(ws, obs, 1);
        int best = org.recsysrl.nn.Categorical.argmax(ws.logProbs(), 0, A);
        // forbid the unmasked argmax, an item in the second word, and all but 3 items of the first word
        List<Integer> forbidden = new ArrayList<>();
        forbidden.add(best);
        forbidden.add(66);
        for (int j = 0; j < 64; j++) {
            if (j != 5 && j != 17 && j != 40 && j != best) {
                forbidden.add(j);
            }
        }
        long[] mask = maskForbidding(1, forbidden.stream().mapToInt(Integer::intValue).toArray());
        model.policy(ws, obs, 1, mask);
        double sum = 0;
        for (int j = 0; j < A; j++) {
            if (forbidden.contains(j)) {
                assertThat(ws.probs()[j]).as("p[%d]", j).isZero();
                assertThat(ws.logProbs()[j]).isEqualTo(Float.NEGATIVE_INFINITY);
            }
            sum += ws.probs()[j];
        }
        assertThat(sum).isCloseTo(1.0, within(1e-5));
        // entropy over the allowed items only
        double h = 0;
        for (int j = 0; j < A; j++) {
            if (!forbidden.contains(j)) {
                h -= ws.probs()[j] * ws.logProbs()[j];
            }
        }
        assertThat((double) ws.entropies()[0]).isCloseTo(h, within(1e-5));

        ActorCriticPolicy greedy = new ActorCriticPolicy("g", model, true, new Rng(3), 1);
        int[] out = new int[1];
        greedy.act(obs, 1, mask, out);
        assertThat(out[0]).isNotEqualTo(best);
        assertThat(ActionMasks.isAllowed(mask, 0, out[0])).isTrue();
        greedy.act(obs, 1, out);
        assertThat(out[0]).as("without a mask the argmax is unchanged").isEqualTo(best);

        ActorCriticPolicy sampler = new ActorCriticPolicy("s", model, false, new Rng(4), 1);
        for (int n = 0; n < 5000; n++) {
            sampler.act(obs, 1, mask, out);
            assertThat(ActionMasks.isAllowed(mask, 0, out[0])).as("sampled %d", out[0]).isTrue();
        }
        RandomPolicy random = new RandomPolicy(A, new Rng(5));
        for (int n = 0; n < 2000; n++) {
            random.act(obs, 1, mask, out);
            assertThat(ActionMasks.isAllowed(mask, 0, out[0])).isTrue();
        }
    }

    @Test
    void maskedLogitsGetExactlyZeroGradientInPpoAndA2c() {
        int b = 4;
        ActorCritic model = new ActorCritic(ActorCritic.Spec.of(OBS, A), MODEL, new Rng(1));
        float[] obs = randomObs(b, 2);
        long[] mask = maskForbidding(b, 0, 3, 64, 69);
        int[] acts = {1, 2, 65, 68};
        float[] adv = {1f, -0.5f, 0.3f, 2f};
        float[] ret = {0.5f, 0.1f, -0.2f, 1f};
        ActorCritic.Workspace ws = model.newWorkspace(b);
        for (boolean ppo : new boolean[] {true, false}) {
            model.policy(ws, obs, b, mask);
            model.value(ws, obs, b);
            float[] oldLogp = new float[b];
            for (int j = 0; j < b; j++) {
                oldLogp[j] = ws.logProbs()[j * A + acts[j]] - 0.1f;
            }
            ActorCriticLoss.Terms terms = new ActorCriticLoss.Terms();
            if (ppo) {
                ActorCriticLoss.ppo(ws, b, A, 1, acts, oldLogp, adv, ret, null, 0.2, false, 0.05, 0.5, terms);
            } else {
                ActorCriticLoss.a2c(ws, b, A, 1, acts, adv, ret, 0.05, 0.5, terms);
            }
            assertThat(terms.entropy).isFinite();
            assertThat(terms.policyLoss).isFinite();
            for (int j = 0; j < b; j++) {
                for (int m : new int[] {0, 3, 64, 69}) {
                    assertThat(ws.logitGrads()[j * A + m]).as("dL/dlogit[%d][%d]", j, m).isZero();
                }
            }
            model.parameters().zeroGrad();
            model.backward(ws, obs, b);
            ParameterStore.Entry logitW = model.parameters().entry("actor.logits.weight");
            int logitB = model.parameters().entry("actor.logits.bias").offset();
            int hidden = 8;
            for (int m : new int[] {0, 3, 64, 69}) {
                assertThat(model.parameters().grad()[logitB + m]).isZero();
                for (int i = 0; i < hidden; i++) {
                    assertThat(model.parameters().grad()[logitW.index(m, i)]).isZero();
                }
            }
            for (float g : model.parameters().grad()) {
                assertThat(g).isFinite();
            }
        }
    }

    @Test
    void ppoLossWithAMaskMatchesFiniteDifferences() {
        int b = 4;
        int a = 7;
        double eps = 3e-3;
        ActorCritic model = new ActorCritic(ActorCritic.Spec.of(OBS, a), PolicyNetworkConfig.of(List.of(6), List.of(6), Activation.TANH, WeightInit.PYTORCH),
                new Rng(11));
        float[] obs = randomObs(b, 12);
        int w = ActionMasks.words(a);
        long[] mask = new long[b * w];
        int[][] forbidden = {{0, 6}, {1}, {2, 3, 4}, {}};
        for (int j = 0; j < b; j++) {
            ActionMasks.allowAll(mask, j * w, a);
            for (int f : forbidden[j]) {
                ActionMasks.forbid(mask, j * w, f);
            }
        }
        int[] acts = {3, 0, 5, 6};
        float[] adv = {1.2f, -0.8f, 0.5f, -0.4f};
        double[] ratios = {0.9, 1.1, 0.95, 1.05}; // inside the clip range: gradient flows
        ActorCritic.Workspace ws = model.newWorkspace(b);
        model.policy(ws, obs, b, mask);
        model.value(ws, obs, b);
        float[] oldLogp = new float[b];
        float[] ret = new float[b];
        for (int j = 0; j < b; j++) {
            oldLogp[j] = (float) (ws.logProbs()[j * a + acts[j]] - Math.log(ratios[j]));
            ret[j] = ws.values()[j] + 0.5f;
        }
        double ent = 0.1;
        double vf = 0.5;
        ActorCriticLoss.Terms terms = new ActorCriticLoss.Terms();
        ActorCriticLoss.ppo(ws, b, a, 1, acts, oldLogp, adv, ret, null, 0.2, false, ent, vf, terms);
        model.parameters().zeroGrad();
        model.backward(ws, obs, b);
        float[] analytic = model.parameters().grad().clone();
        float[] p = model.parameters().data();
        double num2 = 0;
        double diff2 = 0;
        for (int i = 0; i < p.length; i++) {
            float orig = p[i];
            p[i] = (float) (orig + eps);
            double lp = maskedPpoLoss(model, obs, b, a, mask, acts, oldLogp, adv, ret, ent, vf);
            p[i] = (float) (orig - eps);
            double lm = maskedPpoLoss(model, obs, b, a, mask, acts, oldLogp, adv, ret, ent, vf);
            p[i] = orig;
            double numeric = (lp - lm) / ((double) (float) (orig + eps) - (double) (float) (orig - eps));
            num2 += numeric * numeric;
            diff2 += (numeric - analytic[i]) * (numeric - analytic[i]);
        }
        assertThat(Math.sqrt(num2)).isGreaterThan(1e-2);
        assertThat(Math.sqrt(diff2 / num2)).as("relative gradient error").isLessThan(1e-2);
        assertThat(terms.policyLoss).isCloseTo(
                maskedPpoLoss(model, obs, b, a, mask, acts, oldLogp, adv, ret, 0, 0), within(1e-5));
    }

    /** The PPO loss (no clipping active, no value clipping) recomputed in double over allowed items. */
    private static double maskedPpoLoss(ActorCritic model, float[] obs, int b, int a, long[] mask, int[] acts,
            float[] oldLogp, float[] adv, float[] ret, double ent, double vf) {
        ActorCritic.Workspace ws = model.newWorkspace(b);
        model.policy(ws, obs, b, mask);
        model.value(ws, obs, b);
        int w = ActionMasks.words(a);
        double loss = 0;
        for (int j = 0; j < b; j++) {
            double ratio = Math.exp(ws.logProbs()[j * a + acts[j]] - oldLogp[j]);
            double clipped = Math.min(Math.max(ratio, 0.8), 1.2);
            loss -= Math.min(ratio * adv[j], clipped * adv[j]) / b;
            double h = 0;
            for (int c = 0; c < a; c++) {
                if (ActionMasks.isAllowed(mask, j * w, c)) {
                    double l = ws.logProbs()[j * a + c];
                    h -= Math.exp(l) * l;
                }
            }
            loss -= ent * h / b;
            double e = ws.values()[j] - ret[j];
            loss += vf * e * e / b;
        }
        return loss;
    }

    private static VectorEnv maskedEnvs(int n, int k, int length, long seed) {
        List<MaskedEnv> envs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            envs.add(new MaskedEnv(k, length, seed + i));
        }
        VectorEnv v = new VectorEnv(envs);
        v.reset();
        return v;
    }

    @Test
    void ppoAndA2cTrainOnAMaskedEnvironmentAndStoreTheMasks() {
        int k = 10;
        PpoConfig ppoCfg = new PpoConfig(3e-3, 0.5, 0.9, 0.2, 0.01, 0.5, 0.5, 4, 32, 128, 4, AdvantageNormalisation.ROLLOUT, false, 0.0,
                false, 0.9, 0.999, 1e-8);
        ActorCritic model = new ActorCritic(ActorCritic.Spec.of(k, k), MODEL, new Rng(1));
        VectorEnv env = maskedEnvs(ppoCfg.numEnvs(), k, 8, 7);
        assertThat(env.masksActions()).isTrue();
        Ppo ppo = new Ppo(ppoCfg, model, env, new Rng(2), new Rng(3), 20 * 128);
        for (int it = 0; it < 20; it++) {
            UpdateStats s = ppo.iterate();
            assertThat(s.policyLoss()).isFinite();
            assertThat(s.entropy()).isFinite();
            assertStoredActionsAllowed(ppo.buffer);
        }
        // every step of an episode has one fewer choice: item 0 and the already shown items are masked
        assertThat(ActionMasks.count(ppo.buffer.masks, 0, k)).isLessThanOrEqualTo(k - 1);

        A2cConfig a2cCfg = new A2cConfig(3e-3, 0.5, 0.9, 0.01, 0.5, 0.5, 8, 4, false, 0.9, 0.999, 1e-8);
        ActorCritic model2 = new ActorCritic(ActorCritic.Spec.of(k, k), MODEL, new Rng(1));
        A2c a2c = new A2c(a2cCfg, model2, maskedEnvs(a2cCfg.numEnvs(), k, 8, 9), new Rng(2), 50 * 32);
        for (int it = 0; it < 50; it++) {
            UpdateStats s = a2c.iterate();
            assertThat(s.policyLoss()).isFinite();
            assertStoredActionsAllowed(a2c.buffer);
        }
        // evaluation episodes apply the mask too (MaskedEnv throws on a forbidden item)
        EpisodeRunner runner = new EpisodeRunner(new MaskedEnv(k, 9, 5));
        for (boolean det : new boolean[] {true, false}) {
            ActorCriticPolicy policy = new ActorCriticPolicy("p", model, det, new Rng(6), 1);
            for (int u = 1; u < k; u++) {
                assertThat(runner.run(policy, u).length()).isEqualTo(9);
            }
        }
    }

    private static void assertStoredActionsAllowed(RolloutBuffer buffer) {
        assertThat(buffer.masked()).isTrue();
        for (int s = 0; s < buffer.size(); s++) {
            assertThat(ActionMasks.isAllowed(buffer.masks, s * buffer.maskWords, buffer.actions[s])).isTrue();
        }
    }
}
