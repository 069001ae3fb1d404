package org.recsysrl.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.recsysrl.util.Rng;
import org.recsysrl.util.UserInputException;
import org.junit.jupiter.api.Test;

class VectorEnvTest {
    private static final int DIM = 3;
    private static final int D = 2 * DIM;

    private static SimulatorSpec spec(int maxSteps) {
        return new SimulatorSpec(6, 4, DIM, DIM, maxSteps, 0.9, 0.05, 17L);
    }

    @Test
    void autoResetKeepsFinalObservationAndTracksEpisodeReturns() {
        // env 0 truncates every 3 steps, env 1 every 2 steps; same seed, hence the same catalog
        SimulatorWorld w3 = new SimulatorWorld(spec(3));
        SimulatorWorld w2 = new SimulatorWorld(spec(2));
        VectorEnv venv = new VectorEnv(List.of(w3.newEnvironment(10), w2.newEnvironment(20)));
        // twins stepped by hand must follow exactly the same trajectories
        RecommendationEnv[] twins = {w3.newEnvironment(10), w2.newEnvironment(20)};
        int[] limits = {3, 2};
        float[] twinObs = new float[D];
        StepResult r = new StepResult();
        double[] manualReturn = new double[2];
        int[] manualLength = new int[2];

        assertThat(venv.numEnvs()).isEqualTo(2);
        assertThat(venv.observationSize()).isEqualTo(D);
        assertThat(venv.actionCount()).isEqualTo(6);
        venv.reset();
        for (int i = 0; i < 2; i++) {
            twins[i].reset(twinObs, 0);
            assertThat(row(venv.observations(), i)).containsExactly(twinObs);
            assertThat(Arrays.copyOfRange(twinObs, DIM, D)).containsOnly(0f);
        }
        int endings = 0;
        float[] items = w3.catalog().embeddings();
        for (int k = 1; k <= 12; k++) {
            int[] actions = {k % 6, (k * 5 + 1) % 6};
            venv.step(actions);
            for (int i = 0; i < 2; i++) {
                twins[i].step(actions[i], twinObs, 0, r);
                assertThat(venv.rewards()[i]).isEqualTo(r.reward);
                assertThat(venv.terminated()[i]).isFalse();
                assertThat(row(venv.finalObservations(), i)).containsExactly(twinObs);
                manualReturn[i] += r.reward;
                manualLength[i]++;
                boolean ended = k % limits[i] == 0;
                assertThat(venv.truncated()[i]).as("env %d step %d", i, k).isEqualTo(ended);
                if (ended) {
                    endings++;
                    // final observation: drifted user state ⊕ last item shown
                    assertThat(Arrays.copyOfRange(twinObs, DIM, D))
                            .containsExactly(Arrays.copyOfRange(items, actions[i] * DIM, actions[i] * DIM + DIM));
                    assertThat(venv.lastEpisodeReturn(i)).isCloseTo((float) manualReturn[i], within(1e-6f));
                    assertThat(venv.lastEpisodeLength(i)).isEqualTo(limits[i]);
                    manualReturn[i] = 0;
                    manualLength[i] = 0;
                    twins[i].reset(twinObs, 0);
                    float[] now = row(venv.observations(), i);
                    assertThat(now).containsExactly(twinObs);
                    assertThat(now).isNotEqualTo(row(venv.finalObservations(), i));
                    assertThat(Arrays.copyOfRange(now, DIM, D)).containsOnly(0f);
                } else {
                    assertThat(row(venv.observations(), i)).containsExactly(twinObs);
                }
                assertThat(venv.currentEpisodeLength(i)).isEqualTo(manualLength[i]);
            }
        }
        assertThat(endings).isEqualTo(4 + 6);
        assertThat(venv.lastEpisodeReturn(0)).isNotZero();
    }

    @Test
    void saveThenLoadContinuesIdenticallyToTheUninterruptedRun() throws IOException {
        SimulatorSpec spec = new SimulatorSpec(10, 5, 4, 4, 4, 0.95, 0.05, 3L);
        VectorEnv a = vector(spec, 100);
        Rng actionRng = new Rng(77);
        int[] actions = new int[3];
        a.reset();
        for (int k = 0; k < 6; k++) {
            fill(actions, actionRng);
            a.step(actions);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        a.saveState(new DataOutputStream(bytes));
        long actionState = actionRng.state();

        List<float[]> trajectory = new ArrayList<>();
        for (int k = 0; k < 15; k++) {
            fill(actions, actionRng);
            a.step(actions);
            trajectory.add(snapshot(a));
        }

        VectorEnv b = vector(spec, 555); // different user-choice streams until restored
        b.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        actionRng.restore(actionState);
        for (int k = 0; k < 15; k++) {
            fill(actions, actionRng);
            b.step(actions);
            assertThat(snapshot(b)).as("step %d", k).containsExactly(trajectory.get(k));
        }
        VectorEnv wrongCount = new VectorEnv(List.of(new SimulatorWorld(spec).newEnvironment(1)));
        assertThatThrownBy(() -> wrongCount.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))))
                .isInstanceOf(UserInputException.class);
    }

    @Test
    void validatesShapesActionsAndOrder() {
        SimulatorWorld w = new SimulatorWorld(spec(3));
        SimulatorWorld other = new SimulatorWorld(new SimulatorSpec(7, 4, DIM, DIM, 3, 0.9, 0.05, 17L));
        assertThatThrownBy(() -> new VectorEnv(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VectorEnv(List.of(w.newEnvironment(0), other.newEnvironment(1))))
                .isInstanceOf(IllegalArgumentException.class);
        VectorEnv v = new VectorEnv(List.of(w.newEnvironment(0), w.newEnvironment(1)));
        assertThatThrownBy(() -> v.step(new int[] {0, 0})).isInstanceOf(IllegalStateException.class);
        v.reset();
        float[] before = v.observations().clone();
        assertThatThrownBy(() -> v.step(new int[] {0})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> v.step(new int[] {0, 6})).isInstanceOf(IllegalArgumentException.class);
        assertThat(v.observations()).containsExactly(before); // env 0 was not stepped
        assertThat(((RecommendationEnv) v.env(0)).step()).isZero();
    }

    @Test
    void steppingAllocatesNothing() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled());
        SimulatorWorld w = new SimulatorWorld(new SimulatorSpec(100, 10, 16, 16, 20, 0.99, 0.05, 1L));
        VectorEnv v = new VectorEnv(List.of(w.newEnvironment(0), w.newEnvironment(1), w.newEnvironment(2)));
        int[] actions = new int[3];
        v.reset();
        for (int k = 0; k < 20_000; k++) { // warm up
            actions[0] = k % 100;
            actions[1] = (k * 7) % 100;
            actions[2] = (k * 13) % 100;
            v.step(actions);
        }
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int k = 0; k < 20_000; k++) {
            actions[0] = k % 100;
            actions[1] = (k * 7) % 100;
            actions[2] = (k * 13) % 100;
            v.step(actions);
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertThat(allocated).isLessThan(4096); // 60,000 env steps: any per-step garbage would show
    }

    @Test
    void historiesHoldTheItemsShownInTheEpisodeLeftPadded() throws IOException {
        // episodes of 3 steps, windows of 2 items
        SimulatorWorld w = new SimulatorWorld(spec(3));
        VectorEnv v = new VectorEnv(List.of(w.newEnvironment(1), w.newEnvironment(2)), 2);
        assertThat(v.historyLength()).isEqualTo(2);
        assertThat(new VectorEnv(List.of(w.newEnvironment(1))).histories()).isNull();
        v.reset();
        assertThat(v.histories()).containsExactly(-1, -1, -1, -1);
        v.step(new int[] {4, 5});
        assertThat(v.histories()).containsExactly(-1, 4, -1, 5);
        v.step(new int[] {1, 0});
        assertThat(v.histories()).containsExactly(4, 1, 5, 0);
        // snapshot mid-episode: restoring it restores the histories too
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        v.saveState(new DataOutputStream(bytes));
        v.step(new int[] {2, 3}); // the third step truncates both episodes
        assertThat(v.truncated()).containsExactly(true, true);
        assertThat(v.finalHistories()).containsExactly(1, 2, 0, 3); // the final observations' histories
        assertThat(v.histories()).containsExactly(-1, -1, -1, -1); // the new episodes' are empty
        VectorEnv restored = new VectorEnv(List.of(w.newEnvironment(7), w.newEnvironment(8)), 2);
        restored.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertThat(restored.histories()).containsExactly(4, 1, 5, 0);
        VectorEnv shorter = new VectorEnv(List.of(w.newEnvironment(7), w.newEnvironment(8)), 3);
        assertThatThrownBy(() -> shorter.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))))
                .isInstanceOf(UserInputException.class).hasMessageContaining("model.max_seq_len");
    }

    private static VectorEnv vector(SimulatorSpec spec, long seedBase) {
        SimulatorWorld w = new SimulatorWorld(spec);
        return new VectorEnv(List.of(w.newEnvironment(seedBase), w.newEnvironment(seedBase + 1),
                w.newEnvironment(seedBase + 2)));
    }

    private static void fill(int[] actions, Rng rng) {
        for (int i = 0; i < actions.length; i++) {
            actions[i] = rng.nextInt(10);
        }
    }

    /** observations, final observations, rewards, flags, episode stats, current users as floats. */
    private static float[] snapshot(VectorEnv v) {
        int n = v.numEnvs();
        float[] s = new float[2 * v.observations().length + 7 * n];
        int p = 0;
        for (float x : v.observations()) {
            s[p++] = x;
        }
        for (float x : v.finalObservations()) {
            s[p++] = x;
        }
        for (int i = 0; i < n; i++) {
            s[p++] = v.rewards()[i];
            s[p++] = v.truncated()[i] ? 1 : 0;
            s[p++] = v.terminated()[i] ? 1 : 0;
            s[p++] = v.lastEpisodeReturn(i);
            s[p++] = v.lastEpisodeLength(i);
            s[p++] = v.env(i).currentUser();
            s[p++] = v.currentEpisodeReturn(i);
        }
        return s;
    }

    private static float[] row(float[] a, int i) {
        return Arrays.copyOfRange(a, i * D, (i + 1) * D);
    }
}
