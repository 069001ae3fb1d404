package org.recsysrl.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.recsysrl.config.ActorHeadKind;
import org.recsysrl.config.AdvantageNormalisation;
import org.recsysrl.config.HistoryEncoderConfig;
import org.recsysrl.config.HistoryEncoderKind;
import org.recsysrl.config.PolicyNetworkConfig;
import org.recsysrl.config.PpoConfig;
import org.recsysrl.env.ActionMasks;
import org.recsysrl.nn.Activation;
import org.recsysrl.nn.Adam;
import org.recsysrl.nn.GradClip;
import org.recsysrl.nn.GradCheck;
import org.recsysrl.nn.ParameterStore;
import org.recsysrl.nn.WeightInit;
import org.recsysrl.util.Rng;

/**
 * The PPO minibatch step split by the logits layer's outputs ({@link OutputSplitMinibatch}):
 * its gradient against central finite differences of the loss (recomputed here in double from the
 * one-thread forward pass) and against the one-thread gradient, its loss terms against one
 * thread's, and its split Adam step against one Adam step over everything, bit for bit; with and
 * without action masks, on 2 and 3 threads, and with fewer rows than threads.
 */
class OutputSplitMinibatchTest {
    private static final int OBS = 5;
    /** 50 actions: on 3 threads the slices are [0, 16), [16, 32), [32, 50), the last one with a tail. */
    private static final int ACTIONS = 50;
    private static final double CLIP = 0.2;
    private static final double ENT = 0.05;
    private static final double VF = 0.5;
    private static final double EPS = 3e-3;
    /** π/π_old per row: rows 0, 3 and 5 outside [0.8, 1.2], every one at least 0.1 from a kink. */
    private static final double[] RATIOS = {0.6, 0.9, 1.05, 1.4, 0.95, 1.5};
    private static final PolicyNetworkConfig MODEL = PolicyNetworkConfig.of(List.of(8, 6), List.of(7),
            Activation.TANH, WeightInit.PYTORCH);

    /** A model, a minibatch of {@code rows} rows (masked or not) and the loss in double. */
    private static final class Fixture {
        final ActorCritic model;
        final Minibatch mb;
        final int rows;
        final boolean clipValue;

        Fixture(int rows, boolean masked, boolean clipValue) {
            this.rows = rows;
            this.clipValue = clipValue;
            this.model = new ActorCritic(ActorCritic.Spec.of(OBS, ACTIONS), MODEL, new Rng(21));
            // logits large enough that the slices' masses differ visibly
            float[] p = model.parameters().data();
            ParameterStore.Entry w = model.parameters().entry("actor.logits.weight");
            Rng init = new Rng(5);
            for (int i = w.offset(); i < w.offset() + w.length(); i++) {
                p[i] = (float) init.uniform(-1, 1);
            }
            this.mb = new Minibatch(rows, OBS, 1, masked ? ActionMasks.words(ACTIONS) : 0, 0);
            Rng rng = new Rng(rows * 31L + (masked ? 7 : 0));
            for (int k = 0; k < mb.observations.length; k++) {
                mb.observations[k] = (float) rng.uniform(-1, 1);
            }
            int words = ActionMasks.words(ACTIONS);
            for (int r = 0; r < rows; r++) {
                mb.actions[r] = (r * 17 + 3) % ACTIONS;
                if (masked) {
                    // every third action forbidden, all of [16, 32) on odd rows (a whole slice masked), never the action
                    for (int a = 0; a < ACTIONS; a++) {
                        boolean forbidden = a % 3 == 1 || (r % 2 == 1 && a >= 16 && a < 32);
                        if (!forbidden || a == mb.actions[r]) {
                            mb.masks[r * words + (a >> 6)] |= 1L << (a & 63);
                        }
                    }
                }
            }
            float[][] forward = forward();
            for (int r = 0; r < rows; r++) {
                double ratio = RATIOS[r]; // some rows clipped, some not
                mb.oldLogProbs[r] = (float) (forward[0][r * ACTIONS + mb.actions[r]] - Math.log(ratio));
                mb.advantages[r] = (float) (r % 2 == 0 ? 1.0 + 0.1 * r : -0.8 - 0.1 * r);
                mb.oldValues[r] = (float) (forward[1][r] + (r % 3 - 1) * 0.3);
                mb.returns[r] = (float) (forward[1][r] + 0.5 - 0.2 * r);
            }
        }

        /** {log-probabilities, values} of the one-thread forward pass at the current parameters. */
        float[][] forward() {
            ActorCritic.Workspace ws = model.newWorkspace(rows);
            model.policy(ws, mb.observations, null, rows, mb.masks);
            model.value(ws, mb.observations, rows);
            return new float[][] {ws.logProbs().clone(), ws.values().clone()};
        }

        /** The PPO loss in double. */
        double loss() {
            float[][] f = forward();
            double total = 0;
            for (int r = 0; r < rows; r++) {
                double lp = f[0][r * ACTIONS + mb.actions[r]];
                double ratio = Math.exp(lp - mb.oldLogProbs[r]);
                double a = mb.advantages[r];
                total -= Math.min(ratio * a, Math.min(Math.max(ratio, 1 - CLIP), 1 + CLIP) * a);
                double h = 0;
                for (int c = 0; c < ACTIONS; c++) {
                    double l = f[0][r * ACTIONS + c];
                    if (l != Double.NEGATIVE_INFINITY) {
                        h -= Math.exp(l) * l;
                    }
                }
                total -= ENT * h;
                double v = f[1][r];
                double sq = (v - mb.returns[r]) * (v - mb.returns[r]);
                if (clipValue) {
                    double vOld = mb.oldValues[r];
                    double vc = vOld + Math.min(Math.max(v - vOld, -CLIP), CLIP);
                    sq = Math.max(sq, (vc - mb.returns[r]) * (vc - mb.returns[r]));
                }
                total += VF * sq;
            }
            return total / rows;
        }

        PpoConfig cfg() {
            return new PpoConfig(1e-3, 0.99, 0.95, CLIP, ENT, VF, 0.05, 1, rows, rows, 1,
                    AdvantageNormalisation.NONE, clipValue, 0.0, false, 0.9, 0.999, 1e-8);
        }

        /** The one-thread gradient and loss terms. */
        ActorCriticLoss.Terms oneThread() {
            ActorCritic.Workspace ws = model.newWorkspace(rows);
            model.policy(ws, mb.observations, null, rows, mb.masks);
            model.value(ws, mb.observations, rows);
            ActorCriticLoss.Terms terms = new ActorCriticLoss.Terms();
            ActorCriticLoss.ppo(ws, rows, ACTIONS, 1, mb.actions, mb.oldLogProbs, mb.advantages, mb.returns,
                    mb.oldValues, CLIP, clipValue, ENT, VF, terms);
            model.backward(ws, mb.observations, rows, false);
            return terms;
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (int threads : new int[] {2, 3}) {
            for (boolean masked : new boolean[] {false, true}) {
                out.add(Arguments.of(threads, masked, 6, masked));
            }
            out.add(Arguments.of(threads, true, 2, false)); // fewer rows than 3 threads
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} threads, masked {1}, {2} rows, value clipping {3}")
    @MethodSource("cases")
    void gradientMatchesFiniteDifferencesAndOneThreadAndAdamIsOneStep(int threads, boolean masked, int rows,
            boolean clipValue) {
        Fixture f = new Fixture(rows, masked, clipValue);
        ParameterStore params = f.model.parameters();
        ActorCriticLoss.Terms oneTerms = f.oneThread();
        float[] oneThread = params.grad().clone();

        PpoConfig cfg = f.cfg();
        Adam adam = new Adam(params.size(), cfg.lr(), 0.9, 0.999, 1e-8);
        OutputSplitMinibatch split = new OutputSplitMinibatch(f.model, adam, cfg, rows, threads);
        float[] before = params.data().clone();
        Arrays.fill(params.grad(), 77f); // every share overwrites its part of the gradient
        ActorCriticLoss.Terms terms = new ActorCriticLoss.Terms();
        split.begin();
        double norm;
        try {
            norm = split.step(f.mb, rows, terms);
        } finally {
            split.end();
        }
        float[] threaded = params.grad().clone();
        float[] stepped = params.data().clone();
        System.arraycopy(before, 0, params.data(), 0, before.length);

        double[] numeric = new double[before.length];
        for (int i = 0; i < numeric.length; i++) {
            numeric[i] = GradCheck.numeric(params.data(), i, EPS, f::loss);
        }
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
        assertThat(terms.policyLoss).isCloseTo(oneTerms.policyLoss, within(1e-6));
        assertThat(terms.valueLoss).isCloseTo(oneTerms.valueLoss, within(1e-6));
        assertThat(terms.entropy).isCloseTo(oneTerms.entropy, within(1e-5));
        assertThat(terms.approxKl).isCloseTo(oneTerms.approxKl, within(1e-6));
        assertThat(terms.clipFraction).isEqualTo(oneTerms.clipFraction);
        assertThat(terms.clipFraction).as("some rows clipped, some not").isStrictlyBetween(0.0, 1.0);
        assertThat(norm).isCloseTo(Math.sqrt(squares), within(1e-9 * Math.sqrt(squares)));

        // the shares' Adam steps over their own parameters are one Adam step over everything, clipped
        assertThat(norm).as("the norm is clipped here").isGreaterThan(cfg.maxGradNorm());
        Adam reference = new Adam(params.size(), cfg.lr(), 0.9, 0.999, 1e-8);
        float[] expected = before.clone();
        reference.step(expected, threaded, GradClip.coefficient(norm, cfg.maxGradNorm()));
        assertThat(stepped).containsExactly(expected);
        assertThat(adam.stepCount()).isEqualTo(1);
    }

    @Test
    void twoStepsOfTheSameMinibatchGiveTheSameBitsTwice() {
        float[][] a = twoSteps();
        float[][] b = twoSteps();
        assertThat(a[0]).containsExactly(b[0]);
        assertThat(a[1]).containsExactly(b[1]);
    }

    private static float[][] twoSteps() {
        Fixture f = new Fixture(6, true, false);
        ParameterStore params = f.model.parameters();
        OutputSplitMinibatch split = new OutputSplitMinibatch(f.model,
                new Adam(params.size(), 1e-2, 0.9, 0.999, 1e-8), f.cfg(), 6, 3);
        split.begin();
        try {
            split.step(f.mb, 6, new ActorCriticLoss.Terms());
            split.step(f.mb, 6, new ActorCriticLoss.Terms());
        } finally {
            split.end();
        }
        return new float[][] {params.data().clone(), params.grad().clone()};
    }

    /**
     * A minibatch refused for a NaN value loss is given up by the helpers ({@link ShareThreads#abort}):
     * no parameter changes, and the next minibatch, the NaN removed, takes the same step as on a
     * fresh learner; for both splits.
     */
    @ParameterizedTest(name = "output split {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    // helpers that did not give the minibatch up would wait for it forever: fail instead of hanging
    @org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aRefusedMinibatchIsGivenUpAndTheNextOneSteps(boolean outputs) {
        float[] fresh = refusedThenStepped(outputs, false);
        float[] afterRefusal = refusedThenStepped(outputs, true);
        assertThat(afterRefusal).containsExactly(fresh);
    }

    /** The parameters after one step, with or without a refused (NaN) minibatch before it. */
    private static float[] refusedThenStepped(boolean outputs, boolean refuseFirst) {
        Fixture f = new Fixture(6, false, false);
        ParameterStore params = f.model.parameters();
        Adam adam = new Adam(params.size(), 1e-2, 0.9, 0.999, 1e-8);
        Minibatch shape = new Minibatch(6, OBS, 1, 0, 0);
        ThreadedMinibatch split = ThreadedMinibatch.of(f.model, adam, f.cfg(), shape, 6, 3, outputs);
        assertThat(split).isInstanceOf(outputs ? OutputSplitMinibatch.class : ParallelMinibatch.class);
        int valueWeight = params.entry("critic.value.weight").offset();
        split.begin();
        try {
            if (refuseFirst) {
                float kept = params.data()[valueWeight];
                params.data()[valueWeight] = Float.NaN;
                float[] before = params.data().clone();
                assertThatThrownBy(() -> split.step(f.mb, 6, new ActorCriticLoss.Terms()))
                        .isInstanceOf(org.recsysrl.util.NonFiniteException.class)
                        .hasMessage("the value loss is NaN");
                assertThat(params.data()).containsExactly(before);
                assertThat(adam.stepCount()).isZero();
                params.data()[valueWeight] = kept;
            }
            split.step(f.mb, 6, new ActorCriticLoss.Terms());
        } finally {
            split.end();
        }
        assertThat(adam.stepCount()).isEqualTo(1);
        return params.data().clone();
    }

    @Test
    void everyParameterBelongsToExactlyOneShare() {
        ActorCritic model = new ActorCritic(ActorCritic.Spec.of(OBS, ACTIONS), MODEL, new Rng(1));
        OutputSplitMinibatch split = new OutputSplitMinibatch(model, null, new Fixture(2, false, false).cfg(), 2, 3);
        assertThat(split.sliceStart(0)).isZero();
        assertThat(split.sliceStart(1)).isEqualTo(16);
        assertThat(split.sliceStart(2)).isEqualTo(32);
        assertThat(split.sliceStart(3)).isEqualTo(ACTIONS);
        long owned = 0;
        for (int w = 0; w < 3; w++) {
            int[] r = split.ownedRanges(w);
            for (int k = 0; k < r.length; k += 2) {
                owned += r[k + 1] - r[k];
            }
        }
        assertThat(owned).isEqualTo(model.parameters().size());
        // the original's 1,000 outputs on two threads: 512 and 488 (the critic's share the smaller)
        ActorCritic original = new ActorCritic(ActorCritic.Spec.of(OBS, 1000), MODEL, new Rng(1));
        assertThat(new OutputSplitMinibatch(original, null, new Fixture(2, false, false).cfg(), 2, 2).sliceStart(1))
                .isEqualTo(512);
    }

    @Test
    void theOutputSplitTakesTheOriginalNetworkWhenAskedAndTheRowSplitTheRest() {
        PpoConfig cfg = new Fixture(2, false, false).cfg();
        Minibatch shape = new Minibatch(4, OBS, 1, 0, 0);
        ActorCritic logits = new ActorCritic(ActorCritic.Spec.of(OBS, ACTIONS), MODEL, new Rng(1));
        assertThat(ThreadedMinibatch.of(logits, null, cfg, shape, 4, 2, true)).isInstanceOf(OutputSplitMinibatch.class);
        assertThat(ThreadedMinibatch.of(logits, null, cfg, shape, 4, 3, true)).isInstanceOf(OutputSplitMinibatch.class);
        // fewer than 16 actions per thread
        assertThat(ThreadedMinibatch.of(logits, null, cfg, shape, 4, 4, true)).isInstanceOf(ParallelMinibatch.class);
        ActorCritic slates = new ActorCritic(ActorCritic.Spec.of(OBS, ACTIONS).slates(3), MODEL, new Rng(1));
        assertThat(ThreadedMinibatch.of(slates, null, cfg, new Minibatch(4, OBS, 3, 0, 0), 4, 2, true))
                .isInstanceOf(ParallelMinibatch.class);
        PolicyNetworkConfig history = new PolicyNetworkConfig(List.of(8), List.of(8), Activation.TANH,
                WeightInit.PYTORCH, ActorHeadKind.LOGITS, false, 1.0, true,
                new HistoryEncoderConfig(HistoryEncoderKind.of("gru"), 4, 4, 1, 2));
        ActorCritic withHistory = new ActorCritic(ActorCritic.Spec.of(OBS, ACTIONS), history, new Rng(1));
        assertThat(ThreadedMinibatch.of(withHistory, null, cfg, new Minibatch(4, OBS, 1, 0, 4), 4, 2, true))
                .isInstanceOf(ParallelMinibatch.class);
        // unless asked, the row split
        assertThat(ThreadedMinibatch.of(logits, null, cfg, shape, 4, 2, false)).isInstanceOf(ParallelMinibatch.class);
        assertThatThrownBy(() -> new OutputSplitMinibatch(logits, null, cfg, 4, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void compare(String what, float[] analytic, double[] numeric, int from, int to) {
        double maxAbs = 0;
        double diff2 = 0;
        double num2 = 0;
        for (int i = from; i < to; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(numeric[i]));
        }
        for (int i = from; i < to; i++) {
            double d = analytic[i] - numeric[i];
            diff2 += d * d;
            num2 += numeric[i] * numeric[i];
            double tol = 1e-2 * Math.max(Math.abs(numeric[i]), Math.abs(analytic[i])) + 1e-3 * maxAbs;
            if (!(Math.abs(d) <= tol)) {
                fail("%s gradient[%d]: analytic %.8g vs numeric %.8g (tol %.3g)", what, i - from, analytic[i],
                        numeric[i], tol);
            }
        }
        assertThat(Math.sqrt(num2)).as("%s gradient norm must not be tiny", what).isGreaterThan(1e-2);
        assertThat(Math.sqrt(diff2 / num2)).as("%s relative gradient error", what).isLessThan(1e-2);
    }
}
