package org.recsysrl.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.recsysrl.config.HistoryEncoderKind;
import org.recsysrl.config.ActorHeadKind;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.recsysrl.config.HistoryEncoderConfig;
import org.recsysrl.config.AdvantageNormalisation;
import org.recsysrl.config.PolicyNetworkConfig;
import org.recsysrl.config.PpoConfig;
import org.recsysrl.nn.Adam;
import org.recsysrl.nn.Activation;
import org.recsysrl.nn.WeightInit;
import org.recsysrl.nn.ParameterStore;
import org.recsysrl.util.Rng;

/**
 * Central finite differences of the full PPO and A2C losses through the whole actor-critic network
 * (backbones, heads, log-softmax, entropy, value), against {@code ActorCriticLoss} +
 * {@link ActorCritic#backward}. The numeric loss is recomputed here, in double, from the network's
 * log-probabilities and values.
 */
class ActorCriticLossGradientTest {
    private static final int OBS = 5;
    private static final int ACTIONS = 7;
    private static final int B = 6;
    private static final double CLIP = 0.2;
    /** Parameter perturbation of the central difference. */
    private static final double EPS = 3e-3;
    private static final double RTOL = 1e-2;

    private static final int[] ACTS = {0, 3, 6, 2, 5, 1};
    /**
     * Target ratios ρ = π/π_old at the current parameters, paired with the advantage signs: with
     * ε = 0.2, samples 0 (ρ=0.5, A>0) and 3 (ρ=1.4, A<0) are outside the clip range but unclipped
     * (the min picks ρA, gradient flows); samples 1 (ρ=0.6, A<0) and 2 (ρ=1.5, A>0) are clipped
     * (gradient 0); samples 4 and 5 are inside the range. All are ≥ 0.1 from a kink.
     */
    private static final double[] RATIOS = {0.5, 0.6, 1.5, 1.4, 0.9, 1.1};
    private static final float[] ADV = {1.2f, -0.8f, 0.9f, -1.1f, 0.5f, -0.4f};
    /**
     * Value clipping: δ = V − V_old and e = R − V per sample. With ε = 0.2: sample 0 (δ=+.5, e=+1)
     * and 2 (δ=−.4, e=−.8) take the clipped (larger) error, constant in V; samples 1 and 4 are
     * outside the clip range but keep the unclipped error; 3 and 5 are inside the range.
     */
    private static final double[] DELTA = {0.5, 0.5, -0.4, 0.1, -0.3, 0.05};
    private static final double[] ERR = {1.0, -1.0, -0.8, 0.6, 0.5, -0.3};

    enum Kind { PPO, PPO_CLIP_VALUE, A2C, ENTROPY_ONLY }

    private static final int ITEM_DIM = 3;
    /** Catalog embeddings for the embedding head: fixed, [ACTIONS × ITEM_DIM]. */
    private static final float[] ITEM_EMBEDDINGS = new float[ACTIONS * ITEM_DIM];

    static {
        Rng rng = new Rng(99);
        for (int k = 0; k < ITEM_EMBEDDINGS.length; k++) {
            ITEM_EMBEDDINGS[k] = (float) rng.uniform(-1, 1);
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String act : List.of("tanh", "relu", "tanh+embedding", "tanh+hierarchical")) {
            for (Kind k : Kind.values()) {
                out.add(Arguments.of(act, k));
            }
        }
        return out.stream();
    }

    /** Everything one check needs. */
    private static final class Fixture {
        final ActorCritic model;
        final float[] obs;
        final float[] oldLogp = new float[B];
        final float[] oldValues = new float[B];
        final float[] returns = new float[B];
        final float[] adv;
        final double ent;
        final double vf;
        final Kind kind;

        Fixture(String activation, Kind kind, long seed) {
            this.kind = kind;
            if (activation.endsWith("+hierarchical")) {
                // the two-level head: groups {0, 1}, {2, 3, 4}, {5, 6}
                PolicyNetworkConfig cfg = new PolicyNetworkConfig(List.of(6, 4), List.of(6, 4), Activation.TANH, WeightInit.PYTORCH, ActorHeadKind.HIERARCHICAL, false, 1.0, false,
                new HistoryEncoderConfig(HistoryEncoderKind.NONE, 50, 64, 2, 1));
                this.model = new ActorCritic(ActorCritic.Spec.of(OBS, ACTIONS)
                        .actionGroups(new int[] {0, 0, 1, 1, 1, 2, 2}), cfg, new Rng(seed));
            } else if (activation.endsWith("+embedding")) {
                // the item-embedding head with a per-item bias and a learned inverse temperature
                PolicyNetworkConfig cfg = new PolicyNetworkConfig(List.of(6, 4), List.of(6, 4), Activation.of(activation.split("\\+")[0]), WeightInit.PYTORCH, ActorHeadKind.EMBEDDING, true, 1.5, true,
                new HistoryEncoderConfig(HistoryEncoderKind.NONE, 50, 64, 2, 1));
                this.model = new ActorCritic(ActorCritic.Spec.of(OBS, ACTIONS).itemEmbeddings(ITEM_EMBEDDINGS, ITEM_DIM),
                        cfg, new Rng(seed));
                float[] p = model.parameters().data();
                int bias = model.parameters().entry("actor.item_bias").offset();
                for (int i = 0; i < ACTIONS; i++) {
                    p[bias + i] = 0.1f * (i - 3); // non-zero so that a wrong bias path shows
                }
            } else {
                PolicyNetworkConfig cfg = PolicyNetworkConfig.of(List.of(6, 4), List.of(6, 4), Activation.of(activation), WeightInit.PYTORCH);
                this.model = new ActorCritic(ActorCritic.Spec.of(OBS, ACTIONS), cfg, new Rng(seed));
            }
            Rng rng = new Rng(seed + 1000);
            this.obs = new float[B * OBS];
            for (int k = 0; k < obs.length; k++) {
                obs[k] = (float) rng.uniform(-1, 1);
            }
            this.adv = kind == Kind.ENTROPY_ONLY ? new float[B] : ADV.clone();
            this.ent = kind == Kind.ENTROPY_ONLY ? 1.0 : 0.05;
            this.vf = kind == Kind.ENTROPY_ONLY ? 0.0 : 0.5;
            ActorCritic.Workspace ws = model.newWorkspace(B);
            model.policy(ws, obs, B);
            model.value(ws, obs, B);
            for (int j = 0; j < B; j++) {
                double lp = ws.logProbs()[j * ACTIONS + ACTS[j]];
                oldLogp[j] = (float) (lp - Math.log(RATIOS[j]));
                double v = ws.values()[j];
                oldValues[j] = (float) (v - DELTA[j]);
                returns[j] = (float) (v + ERR[j]);
            }
        }

        /** Forward pass and loss: the workspace holds dL/dlogits and dL/dV afterwards. */
        private ActorCritic.Workspace forwardAndLoss(ActorCriticLoss.Terms terms) {
            ActorCritic.Workspace ws = model.newWorkspace(B);
            model.policy(ws, obs, B);
            model.value(ws, obs, B);
            if (kind == Kind.A2C) {
                ActorCriticLoss.a2c(ws, B, ACTIONS, 1, ACTS, adv, returns, ent, vf, terms);
            } else {
                ActorCriticLoss.ppo(ws, B, ACTIONS, 1, ACTS, oldLogp, adv, returns, oldValues, CLIP,
                        kind == Kind.PPO_CLIP_VALUE, ent, vf, terms);
            }
            return ws;
        }

        /** Analytic gradient and the loss terms reported by the implementation. */
        ActorCriticLoss.Terms analytic() {
            ActorCriticLoss.Terms terms = new ActorCriticLoss.Terms();
            ActorCritic.Workspace ws = forwardAndLoss(terms);
            ParameterStore params = model.parameters();
            params.zeroGrad();
            model.backward(ws, obs, B);
            return terms;
        }

        /** The same gradient through the overwriting backward pass, starting from garbage. */
        float[] overwritingGradient() {
            ActorCritic.Workspace ws = forwardAndLoss(new ActorCriticLoss.Terms());
            java.util.Arrays.fill(model.parameters().grad(), 123.5f);
            model.backward(ws, obs, B, false);
            return model.parameters().grad().clone();
        }

        /** [policy term, value term (without vf), mean entropy] recomputed in double. */
        double[] parts() {
            ActorCritic.Workspace ws = model.newWorkspace(B);
            model.policy(ws, obs, B);
            model.value(ws, obs, B);
            float[] logp = ws.logProbs();
            float[] values = ws.values();
            double policy = 0;
            double value = 0;
            double entropy = 0;
            for (int j = 0; j < B; j++) {
                int row = j * ACTIONS;
                double lp = logp[row + ACTS[j]];
                double a = adv[j];
                if (kind == Kind.A2C) {
                    policy += -lp * a;
                } else {
                    double r = Math.exp(lp - oldLogp[j]);
                    double clipped = Math.min(Math.max(r, 1 - CLIP), 1 + CLIP);
                    policy += -Math.min(r * a, clipped * a);
                }
                double h = 0;
                for (int c = 0; c < ACTIONS; c++) {
                    double l = logp[row + c];
                    h -= Math.exp(l) * l;
                }
                entropy += h;
                double v = values[j];
                double sq = (v - returns[j]) * (v - returns[j]);
                if (kind == Kind.PPO_CLIP_VALUE) {
                    double vOld = oldValues[j];
                    double vClipped = vOld + Math.min(Math.max(v - vOld, -CLIP), CLIP);
                    sq = Math.max(sq, (vClipped - returns[j]) * (vClipped - returns[j]));
                }
                value += sq;
            }
            return new double[] {policy / B, value / B, entropy / B};
        }

        double loss() {
            double[] p = parts();
            return p[0] + vf * p[1] - ent * p[2];
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void overwritingBackwardEqualsZeroingThenAccumulatingBitForBit(String activation, Kind kind) {
        Fixture f = new Fixture(activation, kind, 17);
        f.analytic();
        float[] accumulated = f.model.parameters().grad().clone();
        assertThat(f.overwritingGradient()).containsExactly(accumulated);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void analyticGradientMatchesFiniteDifferencesOfTheFullLoss(String activation, Kind kind) {
        Fixture f = fixture(activation, kind);
        ParameterStore params = f.model.parameters();

        ActorCriticLoss.Terms terms = f.analytic();
        float[] analytic = params.grad().clone();

        // The reported loss terms match the independent double computation.
        double[] parts = f.parts();
        assertThat(terms.policyLoss).as("policy loss").isCloseTo(parts[0], within(1e-5));
        assertThat(terms.valueLoss).as("value loss").isCloseTo(parts[1], within(1e-5));
        assertThat(terms.entropy).as("entropy").isCloseTo(parts[2], within(1e-5));
        if (kind == Kind.PPO || kind == Kind.PPO_CLIP_VALUE) {
            assertThat(terms.clipFraction).as("samples 0-3 are outside [0.8, 1.2]").isCloseTo(4.0 / B, within(1e-6));
        }

        float[] p = params.data();
        double[] numeric = finiteDifferences(f);

        // Check each half of the network separately: the actor gets policy + entropy, the critic
        // the value term (zero, and so checked for exact zero, when vf = 0).
        int criticStart = params.entry("critic.backbone.0.weight").offset();
        compare("actor", analytic, numeric, 0, criticStart);
        if (f.vf == 0) {
            for (int i = criticStart; i < p.length; i++) {
                assertThat(analytic[i]).as("critic grad %d with vf = 0", i).isZero();
            }
        } else {
            compare("critic", analytic, numeric, criticStart, p.length);
        }
    }

    static Stream<Arguments> threadedCases() {
        List<Arguments> out = new ArrayList<>();
        for (String act : List.of("tanh", "relu", "tanh+embedding", "tanh+hierarchical")) {
            for (Kind k : List.of(Kind.PPO, Kind.PPO_CLIP_VALUE)) {
                for (int threads : new int[] {2, 3}) {
                    out.add(Arguments.of(act, k, threads));
                }
            }
        }
        return out.stream();
    }

    /**
     * The gradient of a data-parallel minibatch step ({@link ParallelMinibatch}: each thread's rows
     * into its own gradient, then reduced) against finite differences of the loss and against the
     * one-thread gradient; its Adam step against a one-thread Adam step from that gradient, bit for bit.
     */
    @ParameterizedTest(name = "{0} {1} on {2} threads")
    @MethodSource("threadedCases")
    void threadedGradientMatchesFiniteDifferencesAndOneThread(String activation, Kind kind, int threads) {
        Fixture f = fixture(activation, kind);
        ParameterStore params = f.model.parameters();
        ActorCriticLoss.Terms oneThreadTerms = f.analytic();
        float[] oneThread = params.grad().clone();

        Minibatch mb = minibatchOf(f);
        PpoConfig cfg = new PpoConfig(1e-3, 0.99, 0.95, CLIP, f.ent, f.vf, 0.05, 1, B, B, 1,
                AdvantageNormalisation.NONE, kind == Kind.PPO_CLIP_VALUE, 0.0, false, 0.9, 0.999, 1e-8);
        Adam adam = new Adam(params.size(), cfg.lr(), 0.9, 0.999, 1e-8);
        ParallelMinibatch parallel = new ParallelMinibatch(f.model, adam, cfg, mb, B, threads);
        float[] before = params.data().clone();
        java.util.Arrays.fill(params.grad(), 77f); // every share overwrites its gradient
        ActorCriticLoss.Terms terms = new ActorCriticLoss.Terms();
        parallel.begin();
        double norm;
        try {
            norm = parallel.step(mb, B, terms);
        } finally {
            parallel.end();
        }
        float[] threaded = params.grad().clone();
        float[] stepped = params.data().clone();
        System.arraycopy(before, 0, params.data(), 0, before.length);

        double[] numeric = finiteDifferences(f);
        int criticStart = params.entry("critic.backbone.0.weight").offset();
        compare("actor", threaded, numeric, 0, criticStart);
        compare("critic", threaded, numeric, criticStart, threaded.length);
        double scale = 0;
        double squares = 0;
        for (int i = 0; i < threaded.length; i++) {
            scale = Math.max(scale, Math.abs(oneThread[i]));
            squares += (double) threaded[i] * threaded[i];
        }
        for (int i = 0; i < threaded.length; i++) {
            assertThat((double) threaded[i]).as("gradient %d against one thread", i)
                    .isCloseTo(oneThread[i], within(1e-5 * scale + 1e-8));
        }
        assertThat(terms.policyLoss).isCloseTo(oneThreadTerms.policyLoss, within(1e-6));
        assertThat(terms.valueLoss).isCloseTo(oneThreadTerms.valueLoss, within(1e-6));
        assertThat(terms.entropy).isCloseTo(oneThreadTerms.entropy, within(1e-6));
        assertThat(terms.clipFraction).isCloseTo(oneThreadTerms.clipFraction, within(1e-6));
        assertThat(norm).isCloseTo(Math.sqrt(squares), within(1e-9 * Math.sqrt(squares)));

        // the threads' Adam steps over their ranges are one Adam step over everything, clipped
        assertThat(norm).as("the norm is clipped here").isGreaterThan(cfg.maxGradNorm());
        Adam reference = new Adam(params.size(), cfg.lr(), 0.9, 0.999, 1e-8);
        float[] expected = before.clone();
        reference.step(expected, threaded, org.recsysrl.nn.GradClip.coefficient(norm, cfg.maxGradNorm()));
        assertThat(stepped).containsExactly(expected);
        assertThat(adam.stepCount()).isEqualTo(1);
    }

    /**
     * A helper that has waited longer than its idle limit ends; the next update starts a new one,
     * and the step it takes has the bits of the first helper's.
     */
    @org.junit.jupiter.api.Test
    void anIdleHelperEndsAndTheNextUpdateStartsAnother() throws Exception {
        Fixture f = fixture("tanh", Kind.PPO);
        ParameterStore params = f.model.parameters();
        Minibatch mb = minibatchOf(f);
        PpoConfig cfg = new PpoConfig(1e-3, 0.99, 0.95, CLIP, f.ent, f.vf, 0.05, 1, B, B, 1,
                AdvantageNormalisation.NONE, false, 0.0, false, 0.9, 0.999, 1e-8);
        ParallelMinibatch parallel = new ParallelMinibatch(f.model, new Adam(params.size(), 1e-3, 0.9, 0.999, 1e-8),
                cfg, mb, B, 2, 20);
        assertThat(parallel.helperAlive(1)).as("no thread before the first update").isFalse();
        float[] before = params.data().clone();
        float[][] grads = new float[2][];
        for (int round = 0; round < 2; round++) {
            System.arraycopy(before, 0, params.data(), 0, before.length);
            parallel.begin();
            assertThat(parallel.helperAlive(1)).isTrue();
            try {
                parallel.step(mb, B, new ActorCriticLoss.Terms());
            } finally {
                parallel.end();
            }
            grads[round] = params.grad().clone();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (parallel.helperAlive(1) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(parallel.helperAlive(1)).as("the idle helper ended").isFalse();
        }
        assertThat(grads[1]).containsExactly(grads[0]);
    }

    /** The fixture's rows as a PPO minibatch. */
    private static Minibatch minibatchOf(Fixture f) {
        Minibatch mb = new Minibatch(B, OBS, 1, 0, 0);
        System.arraycopy(f.obs, 0, mb.observations, 0, f.obs.length);
        System.arraycopy(ACTS, 0, mb.actions, 0, B);
        System.arraycopy(f.oldLogp, 0, mb.oldLogProbs, 0, B);
        System.arraycopy(f.adv, 0, mb.advantages, 0, B);
        System.arraycopy(f.returns, 0, mb.returns, 0, B);
        System.arraycopy(f.oldValues, 0, mb.oldValues, 0, B);
        return mb;
    }

    private static double[] finiteDifferences(Fixture f) {
        float[] p = f.model.parameters().data();
        double[] numeric = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            numeric[i] = org.recsysrl.nn.GradCheck.numeric(p, i, EPS, f::loss);
        }
        return numeric;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("activations")
    void clippedSamplesContributeNoPolicyGradient(String activation) {
        // Only samples 1 and 2 (clipped): the policy gradient must vanish; with ent = 0 the actor's
        // gradient is exactly zero. A sign or branch error in the min() would make it nonzero.
        PolicyNetworkConfig cfg = PolicyNetworkConfig.of(List.of(6, 4), List.of(6, 4), Activation.of(activation), WeightInit.PYTORCH);
        ActorCritic model = new ActorCritic(ActorCritic.Spec.of(OBS, ACTIONS), cfg, new Rng(3));
        Rng rng = new Rng(4);
        int b = 2;
        float[] obs = new float[b * OBS];
        for (int k = 0; k < obs.length; k++) {
            obs[k] = (float) rng.uniform(-1, 1);
        }
        int[] acts = {ACTS[1], ACTS[2]};
        float[] adv = {ADV[1], ADV[2]};
        ActorCritic.Workspace ws = model.newWorkspace(b);
        model.policy(ws, obs, b);
        model.value(ws, obs, b);
        float[] oldLogp = new float[b];
        float[] returns = new float[b];
        for (int j = 0; j < b; j++) {
            oldLogp[j] = (float) (ws.logProbs()[j * ACTIONS + acts[j]] - Math.log(RATIOS[j + 1]));
            returns[j] = ws.values()[j];
        }
        ActorCriticLoss.Terms terms = new ActorCriticLoss.Terms();
        ActorCriticLoss.ppo(ws, b, ACTIONS, 1, acts, oldLogp, adv, returns, null, CLIP, false, 0.0, 0.5, terms);
        model.parameters().zeroGrad();
        model.backward(ws, obs, b);
        int criticStart = model.parameters().entry("critic.backbone.0.weight").offset();
        float[] g = model.parameters().grad();
        for (int i = 0; i < criticStart; i++) {
            assertThat(g[i]).as("actor grad %d", i).isZero();
        }
        // -mean(clip(ρ)·A) = -(0.8*(-0.8) + 1.2*0.9)/2 = -(−0.64 + 1.08)/2 = −0.22
        assertThat(terms.policyLoss).isCloseTo(-0.22, within(1e-6));
        // approximate KL = mean((ρ − 1) − ln ρ) over ρ = 0.6, 1.5; both ratios are outside [0.8, 1.2]
        double kl = ((0.6 - 1) - Math.log(0.6) + (1.5 - 1) - Math.log(1.5)) / 2;
        assertThat(terms.approxKl).isCloseTo(kl, within(1e-6));
        assertThat(terms.clipFraction).isCloseTo(1.0, within(1e-7));
    }

    /**
     * The fixture of the first seed (from 7 up) whose data keep a central difference away from
     * every ReLU kink: each hidden pre-activation must be further from 0 than a perturbation of
     * one parameter by ε can move it (≤ ε·max(1, |input|); the ReLU layers' inputs here stay below
     * 2.7, as the obs are in [−1, 1] and the PyTorch init bounds weights and biases by 1/√fan_in).
     */
    private static Fixture fixture(String activation, Kind kind) {
        for (long seed = 7; seed < 1000; seed++) {
            Fixture f = new Fixture(activation, kind, seed);
            if (!activation.equals("relu")
                    || Math.min(minAbsPreActivation(f.model.parameters(), "actor.backbone", f.obs),
                            minAbsPreActivation(f.model.parameters(), "critic.backbone", f.obs)) > 3 * EPS) {
                return f;
            }
        }
        throw new AssertionError("no seed keeps the ReLU pre-activations away from 0");
    }

    static Stream<String> activations() {
        return Stream.of("tanh", "relu");
    }

    private static void compare(String what, float[] analytic, double[] numeric, int from, int to) {
        double diff2 = 0;
        double num2 = 0;
        double maxAbs = 0;
        for (int i = from; i < to; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(numeric[i]));
        }
        for (int i = from; i < to; i++) {
            double d = analytic[i] - numeric[i];
            diff2 += d * d;
            num2 += numeric[i] * numeric[i];
            // Elementwise: relative 1e-2, with an absolute floor of 1e-3 of the block's largest
            // entry for entries too small for float finite differences to resolve.
            double tol = RTOL * Math.max(Math.abs(numeric[i]), Math.abs(analytic[i])) + 1e-3 * maxAbs;
            if (!(Math.abs(d) <= tol)) {
                fail("%s gradient[%d]: analytic %.8g vs numeric %.8g (tol %.3g)", what, i - from, analytic[i],
                        numeric[i], tol);
            }
        }
        assertThat(Math.sqrt(num2)).as("%s gradient norm must not be tiny", what).isGreaterThan(1e-2);
        assertThat(Math.sqrt(diff2 / num2)).as("%s relative gradient error", what).isLessThan(RTOL);
    }

    /** min |z| over every hidden pre-activation of an MLP backbone, forward pass in double. */
    private static double minAbsPreActivation(ParameterStore params, String prefix, float[] obs) {
        float[] p = params.data();
        double min = Double.POSITIVE_INFINITY;
        for (int b = 0; b < B; b++) {
            double[] x = new double[OBS];
            for (int k = 0; k < OBS; k++) {
                x[k] = obs[b * OBS + k];
            }
            for (int layer = 0; ; layer++) {
                String name = prefix + "." + (2 * layer);
                ParameterStore.Entry w;
                try {
                    w = params.entry(name + ".weight");
                } catch (IllegalArgumentException e) {
                    break;
                }
                int out = w.shape()[0];
                int in = w.shape()[1];
                int bOff = params.entry(name + ".bias").offset();
                double[] y = new double[out];
                for (int o = 0; o < out; o++) {
                    double z = p[bOff + o];
                    for (int i = 0; i < in; i++) {
                        z += p[w.index(o, i)] * x[i];
                    }
                    min = Math.min(min, Math.abs(z));
                    y[o] = Math.max(z, 0);
                }
                x = y;
            }
        }
        return min;
    }
}
