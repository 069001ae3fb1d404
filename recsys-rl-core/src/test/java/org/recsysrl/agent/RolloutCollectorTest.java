package org.recsysrl.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.config.PolicyNetworkConfig;
import org.recsysrl.nn.Activation;
import org.recsysrl.nn.WeightInit;
import org.recsysrl.env.Environment;
import org.recsysrl.env.RecommendationEnv;
import org.recsysrl.env.SimulatorSpec;
import org.recsysrl.env.SimulatorWorld;
import org.recsysrl.env.StepResult;
import org.recsysrl.env.VectorEnv;
import org.recsysrl.util.Rng;

/**
 * {@link RolloutCollector} over recommendation environments whose episode lengths (3, 4, 5) do
 * not divide the rollout length T = 7, so truncations fall at different steps in each env and
 * episodes cross rollout boundaries.
 */
class RolloutCollectorTest {
    private static final int T = 7;
    private static final int[] MAX_STEPS = {3, 4, 5};

    /** Passes everything through and keeps a copy of every observation a step writes. */
    private static final class RecordingEnv implements Environment {
        final Environment inner;
        final List<float[]> stepObservations = new ArrayList<>();

        RecordingEnv(Environment inner) {
            this.inner = inner;
        }

        @Override
        public int observationSize() {
            return inner.observationSize();
        }

        @Override
        public int actionCount() {
            return inner.actionCount();
        }

        @Override
        public void reset(float[] obs, int off) {
            inner.reset(obs, off);
        }

        @Override
        public void reset(int userId, float[] obs, int off) {
            inner.reset(userId, obs, off);
        }

        @Override
        public void step(int action, float[] obs, int off, StepResult out) {
            inner.step(action, obs, off, out);
            stepObservations.add(Arrays.copyOfRange(obs, off, off + observationSize()));
        }

        @Override
        public int currentUser() {
            return inner.currentUser();
        }

        @Override
        public int userCount() {
            return inner.userCount();
        }

        @Override
        public void saveState(DataOutput out) throws IOException {
            inner.saveState(out);
        }

        @Override
        public void loadState(DataInput in) throws IOException {
            inner.loadState(in);
        }
    }

    @Test
    void truncatedStepsBootstrapFromTheFinalObservationAndLastValuesFromTheCurrentOne() {
        SimulatorSpec base = new SimulatorSpec(9, 5, 3, 3, 3, 0.9, 0.05, 21);
        SimulatorWorld world = new SimulatorWorld(base);
        List<RecordingEnv> envs = new ArrayList<>();
        for (int i = 0; i < MAX_STEPS.length; i++) {
            SimulatorSpec spec = new SimulatorSpec(base.numItems(), base.numUsers(), base.userDim(), base.itemDim(),
                    MAX_STEPS[i], base.rewardDecay(), base.interestDrift(), base.seed());
            envs.add(new RecordingEnv(new RecommendationEnv(spec, world.catalog(), world.users(), new Rng(100 + i))));
        }
        VectorEnv env = new VectorEnv(envs);
        env.reset();
        int n = env.numEnvs();
        int d = env.observationSize();
        int a = env.actionCount();
        ActorCritic model = new ActorCritic(ActorCritic.Spec.of(d, a), PolicyNetworkConfig.of(List.of(8), List.of(8), Activation.TANH, WeightInit.PYTORCH),
                new Rng(3));
        RolloutCollector collector = new RolloutCollector(env, model, new Rng(4));
        RolloutBuffer buffer = new RolloutBuffer(T, n, d);

        // Two consecutive rollouts: the second continues the episodes cut by the first.
        // Global step s = rollout * T + t; env i truncates when (s + 1) % MAX_STEPS[i] == 0.
        int truncations = 0;
        boolean bootstrapDiffersFromResetValue = false;
        for (int rollout = 0; rollout < 2; rollout++) {
            Arrays.fill(buffer.bootstrapValues, 42f);
            collector.collect(buffer);
            for (int t = 0; t < T; t++) {
                for (int i = 0; i < n; i++) {
                    int k = t * n + i;
                    int s = rollout * T + t;
                    float[] obs = Arrays.copyOfRange(buffer.observations, k * d, (k + 1) * d);
                    // stored values and log-probs belong to the stored observation
                    assertThat(buffer.values[k]).isCloseTo(value(model, obs), within(1e-5f));
                    assertThat(buffer.logProbs[k]).isCloseTo(logProb(model, obs, buffer.actions[k]), within(1e-5f));

                    boolean expectTruncated = (s + 1) % MAX_STEPS[i] == 0;
                    assertThat(buffer.truncated[k]).as("truncated at rollout %d t %d env %d", rollout, t, i)
                            .isEqualTo(expectTruncated);
                    assertThat(buffer.terminated[k]).isFalse();
                    if (expectTruncated) {
                        truncations++;
                        float[] finalObs = envs.get(i).stepObservations.get(s);
                        float expected = value(model, finalObs);
                        assertThat(buffer.bootstrapValues[k]).as("bootstrap at rollout %d t %d env %d", rollout, t, i)
                                .isCloseTo(expected, within(1e-5f));
                        // The observation the collector sees next is the new episode's first one;
                        // bootstrapping from it would be the classic bug. Make sure it is told apart.
                        float[] next = t + 1 < T
                                ? Arrays.copyOfRange(buffer.observations, (k + n) * d, (k + n + 1) * d)
                                : Arrays.copyOfRange(env.observations(), i * d, (i + 1) * d);
                        if (Math.abs(value(model, next) - expected) > 1e-3) {
                            bootstrapDiffersFromResetValue = true;
                        }
                    } else {
                        assertThat(buffer.bootstrapValues[k]).as("bootstrap at rollout %d t %d env %d", rollout, t, i)
                                .isEqualTo(0f);
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                float[] current = Arrays.copyOfRange(env.observations(), i * d, (i + 1) * d);
                assertThat(buffer.lastValues[i]).as("last value of env %d", i)
                        .isCloseTo(value(model, current), within(1e-5f));
            }
        }
        // rollout 0: env0 t=2,5; env1 t=3; env2 t=4.  rollout 1 (s=7..13): env0 s=8,11; env1 s=7,11; env2 s=9
        assertThat(truncations).isEqualTo(9);
        assertThat(bootstrapDiffersFromResetValue).isTrue();
        assertThat(collector.episodes().total()).isEqualTo(9);
    }

    @Test
    void recordedForwardPassesEqualAForwardPassOverTheWholeRolloutBitForBit() {
        SimulatorSpec base = new SimulatorSpec(40, 5, 3, 3, 3, 0.9, 0.05, 21);
        SimulatorWorld world = new SimulatorWorld(base);
        List<Environment> envs = new ArrayList<>();
        for (int i = 0; i < MAX_STEPS.length; i++) {
            SimulatorSpec spec = new SimulatorSpec(base.numItems(), base.numUsers(), base.userDim(), base.itemDim(),
                    MAX_STEPS[i], base.rewardDecay(), base.interestDrift(), base.seed());
            envs.add(new RecommendationEnv(spec, world.catalog(), world.users(), new Rng(100 + i)));
        }
        VectorEnv env = new VectorEnv(envs);
        env.reset();
        int n = env.numEnvs();
        int d = env.observationSize();
        int a = env.actionCount();
        // widths that take the SIMD paths, including a last vector that overlaps the one before
        ActorCritic model = new ActorCritic(ActorCritic.Spec.of(d, a), PolicyNetworkConfig.of(List.of(32, 20), List.of(33), Activation.TANH, WeightInit.PYTORCH),
                new Rng(3));
        RolloutCollector collector = new RolloutCollector(env, model, new Rng(4));
        RolloutBuffer buffer = new RolloutBuffer(T, n, d);
        ActorCritic.Workspace recorded = model.newWorkspace(buffer.size());
        collector.collect(buffer, recorded); // truncations put bootstrap passes between the steps

        ActorCritic.Workspace fresh = model.newWorkspace(buffer.size());
        model.policy(fresh, buffer.observations, buffer.size());
        model.value(fresh, buffer.observations, buffer.size());
        assertThat(recorded.logProbs()).containsExactly(fresh.logProbs());
        assertThat(recorded.probs()).containsExactly(fresh.probs());
        assertThat(recorded.entropies()).containsExactly(fresh.entropies());
        assertThat(recorded.values()).containsExactly(fresh.values());

        Rng rng = new Rng(8);
        for (int k = 0; k < recorded.logitGrads().length; k++) {
            recorded.logitGrads()[k] = fresh.logitGrads()[k] = (float) rng.uniform(-1, 1);
        }
        for (int k = 0; k < buffer.size(); k++) {
            recorded.valueGrads()[k] = fresh.valueGrads()[k] = (float) rng.uniform(-1, 1);
        }
        model.parameters().zeroGrad();
        model.backward(recorded, buffer.observations, buffer.size());
        float[] fromRecorded = model.parameters().grad().clone();
        model.parameters().zeroGrad();
        model.backward(fresh, buffer.observations, buffer.size());
        assertThat(fromRecorded).containsExactly(model.parameters().grad());
    }

    private static float value(ActorCritic model, float[] obs) {
        ActorCritic.Workspace ws = model.newWorkspace(1);
        model.value(ws, obs, 1);
        return ws.values()[0];
    }

    private static float logProb(ActorCritic model, float[] obs, int action) {
        ActorCritic.Workspace ws = model.newWorkspace(1);
        model.policy(ws, obs, 1);
        return ws.logProbs()[action];
    }
}
