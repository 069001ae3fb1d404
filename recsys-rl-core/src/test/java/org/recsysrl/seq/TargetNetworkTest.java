package org.recsysrl.seq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.nn.EncoderKind;
import org.recsysrl.util.Rng;

/**
 * The TD term against the target network, computed by hand from the model's own Q values: the loss
 * Σ_t ½(Q(h_t, a_t) − r_t − γ·max_i Q'(h_{t+1}, i))², the advantages' running variance, and the
 * Polyak step of the target network after each update.
 */
class TargetNetworkTest {
    private static final int N = 5;
    private static final int[] SEQ = {1, 3, 0, 4, 2};

    private static SequenceModel model() {
        SequenceSpec spec = new SequenceSpec(EncoderKind.MEAN, N, 6, 4, 1, 1, 0.0, true, true);
        SequenceModel m = new SequenceModel(spec);
        m.initialize(new Rng(7));
        float[] p = m.store().data();
        Rng jitter = new Rng(9);
        for (int i = 0; i < p.length; i++) {
            p[i] += (float) jitter.uniform(-0.5, 0.5); // Q values and biases well apart
        }
        return m;
    }

    private static SequenceTrainer trainer(SequenceModel m, InteractionLog log, double gamma, double tau) {
        return new SequenceTrainer(m, log, SequenceTrainer.Settings.builder().epochs(1).batchSize(1).lr(1e-2)
                .maxGradNorm(0).patience(1).offlineActorCritic(0.5, 0, gamma, tau).seed(3).threads(1).build());
    }

    private static Object field(Object owner, String name) throws ReflectiveOperationException {
        Field f = owner.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(owner);
    }

    /** Row-major [positions × N] Q values of the sequence's look-ahead states. */
    private static float[] qValues(SequenceModel m, float[] states, int rows) {
        float[] transposed = new float[N * m.spec().dim()];
        m.transposedQ(transposed);
        float[] q = new float[rows * N];
        m.qValues(states, rows, transposed, q);
        return q;
    }

    private static float[] states(SequenceModel m, int[] items) {
        SequenceModel.Workspace ws = m.newWorkspace(1);
        System.arraycopy(items, 0, ws.ids(), 0, items.length);
        ws.firstValid()[0] = 0;
        m.encode(ws, 1, items.length, true, null);
        return java.util.Arrays.copyOf(ws.states(), items.length * m.spec().dim());
    }

    @Test
    void theTdLossAndTheAdvantageVarianceMatchAHandComputation() throws Exception {
        SequenceModel m = model();
        InteractionLog log = SequenceTestData.logOf(N, SEQ);
        double gamma = 0.8;
        SequenceTrainer t = trainer(m, log, gamma, 0.1);
        double[] out = t.gradient(new int[] {0}, true, null);
        t.clearGradient();
        float[] h = states(m, SEQ);
        float[] q = qValues(m, h, SEQ.length);
        float[] transposed = new float[N * m.spec().dim()];
        m.transposedOutput(transposed);
        float[] scores = new float[SEQ.length * N];
        m.score(h, SEQ.length, transposed, scores);
        double td = 0;
        double aSum = 0;
        double aSq = 0;
        int positions = SEQ.length - 1;
        for (int pos = 0; pos < positions; pos++) {
            int a = SEQ[pos + 1];
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < N; i++) {
                max = Math.max(max, q[(pos + 1) * N + i]);
            }
            double delta = q[pos * N + a] - (1.0 + gamma * max); // reward 1: an unweighted log
            td += 0.5 * delta * delta;
            double z = 0;
            double expected = 0;
            for (int i = 0; i < N; i++) {
                z += Math.exp(scores[pos * N + i]);
            }
            for (int i = 0; i < N; i++) {
                expected += Math.exp(scores[pos * N + i]) / z * q[pos * N + i];
            }
            double advantage = q[pos * N + a] - expected;
            aSum += advantage;
            aSq += advantage * advantage;
        }
        assertThat(out[2]).isEqualTo(positions);
        assertThat(out[1]).isCloseTo(td, within(1e-4 * Math.max(1, td)));
        double mean = aSum / positions;
        double var = aSq / positions - mean * mean;
        Object net = field(t, "td");
        assertThat((double) field(net, "advantageVar")).isCloseTo(var, within(1e-4 * var));
        // the same batch again: the running variance 0.99·v + 0.01·v stays v, TD loss unchanged
        double[] again = t.gradient(new int[] {0}, true, null);
        t.clearGradient();
        assertThat(again[1]).isCloseTo(out[1], within(1e-9));
        assertThat((double) field(net, "advantageVar")).isCloseTo(var, within(1e-4 * var));
        // a larger γ raises every TD target above 1 + γ·max: the loss changes
        SequenceTrainer other = trainer(m, log, 0.2, 0.1);
        assertThat(Math.abs(other.gradient(new int[] {0}, true, null)[1] - td)).isGreaterThan(1e-3);
    }

    @Test
    void theTargetNetworkStartsAsACopyAndFollowsWithRateTau() throws Exception {
        SequenceModel m = model();
        double tau = 0.25;
        SequenceTrainer t = trainer(m, SequenceTestData.logOf(N, SEQ), 0.8, tau);
        SequenceModel target = (SequenceModel) field(field(t, "td"), "target");
        float[] before = target.store().data().clone();
        assertThat(before).containsExactly(m.store().data());
        t.step(new int[] {0});
        float[] p = m.store().data();
        float[] tp = target.store().data();
        int changed = 0;
        for (int i = 0; i < p.length; i++) {
            float expected = before[i] + (float) tau * (p[i] - before[i]);
            assertThat(tp[i]).as("parameter %d", i).isCloseTo(expected, within(1e-6f));
            if (p[i] != before[i]) {
                changed++;
            }
        }
        assertThat(changed).isGreaterThan(p.length / 2);
    }

    /**
     * With the TD term the softmax is the dense one; with excludeSeen each row leaves out its own
     * window's earlier items (but not its target), also in a batch of windows of different lengths.
     */
    @Test
    void withTheTdTermSeenItemsLeaveEachWindowsSoftmax() {
        int[][] sequences = {{1, 3, 1, 4, 2}, {0, 2, 0}};
        SequenceModel m = model();
        SequenceTrainer t = new SequenceTrainer(m, SequenceTestData.logOf(N, sequences),
                SequenceTrainer.Settings.builder().epochs(1).batchSize(2).lr(1e-2).maxGradNorm(0).patience(1)
                        .offlineActorCritic(0.5, 0, 0.8, 0.1).excludeSeen(true).seed(3).threads(1).build());
        double[] out = t.gradient(new int[] {0, 1}, true, null);
        t.clearGradient();
        float[] transposed = new float[N * m.spec().dim()];
        m.transposedOutput(transposed);
        double expected = 0;
        int positions = 0;
        for (int[] seq : sequences) {
            float[] scores = new float[seq.length * N];
            m.score(states(m, seq), seq.length, transposed, scores);
            for (int pos = 0; pos < seq.length - 1; pos++) {
                int target = seq[pos + 1];
                double sum = 0;
                for (int i = 0; i < N; i++) {
                    boolean seen = false;
                    for (int k = 0; k <= pos; k++) {
                        seen |= seq[k] == i;
                    }
                    if (!seen || i == target) {
                        sum += Math.exp(scores[pos * N + i]);
                    }
                }
                expected += Math.log(sum) - scores[pos * N + target];
                positions++;
            }
        }
        assertThat(out[2]).isEqualTo(positions);
        assertThat(out[0]).isCloseTo(expected, within(1e-4 * expected));
    }

    /**
     * With the sampled softmax there is no distribution over all items: an advantage is Q(h, a)
     * minus the plain mean of Q(h, ·).
     */
    @Test
    void withTheSampledSoftmaxTheAdvantageIsAgainstThePlainMeanOfQ() throws Exception {
        SequenceModel m = model();
        SequenceTrainer t = new SequenceTrainer(m, SequenceTestData.logOf(N, SEQ), SequenceTrainer.Settings.builder()
                .epochs(1).batchSize(1).lr(1e-2).maxGradNorm(0).patience(1).sampledSoftmax(3, false)
                .offlineActorCritic(0.5, 0, 0.8, 0.1).seed(3).threads(1).build());
        t.gradient(new int[] {0}, true, null);
        t.clearGradient();
        float[] q = qValues(m, states(m, SEQ), SEQ.length);
        double aSum = 0;
        double aSq = 0;
        int positions = SEQ.length - 1;
        for (int pos = 0; pos < positions; pos++) {
            double mean = 0;
            for (int i = 0; i < N; i++) {
                mean += q[pos * N + i];
            }
            double advantage = q[pos * N + SEQ[pos + 1]] - mean / N;
            aSum += advantage;
            aSq += advantage * advantage;
        }
        double mean = aSum / positions;
        double var = aSq / positions - mean * mean;
        assertThat((double) field(field(t, "td"), "advantageVar")).isCloseTo(var, within(1e-4 * var));
    }
}
