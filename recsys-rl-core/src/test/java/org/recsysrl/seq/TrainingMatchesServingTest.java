package org.recsysrl.seq;

import org.recsysrl.nn.EncoderKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.util.Rng;

/**
 * What a prediction is trained on is what it is served from: the state of a training window's
 * last target equals the state of the same history encoded for recommending, and the seen-item
 * mask gives the cross-entropy computed by hand.
 */
class TrainingMatchesServingTest {
    private static SequenceModel model(int items, int maxLength) {
        SequenceSpec spec = new SequenceSpec(EncoderKind.ATTENTION, items, maxLength, 8, 2, 2, 0.0, true,
                false);
        SequenceModel m = new SequenceModel(spec);
        m.initialize(new Rng(3));
        float[] p = m.store().data();
        Rng jitter = new Rng(5);
        for (int i = 0; i < p.length; i++) {
            p[i] += (float) jitter.uniform(-0.2, 0.2); // position embeddings well away from zero
        }
        return m;
    }

    /** The states of one row of {@code items} encoded as a training window (look-ahead) or as a history. */
    private static float[] states(SequenceModel m, int[] items, boolean lookahead) {
        SequenceModel.Workspace ws = m.newWorkspace(1);
        System.arraycopy(items, 0, ws.ids(), 0, items.length);
        ws.firstValid()[0] = 0;
        m.encode(ws, 1, items.length, lookahead, null);
        return java.util.Arrays.copyOf(ws.states(), items.length * m.spec().dim());
    }

    private static float[] row(float[] states, int t, int d) {
        return java.util.Arrays.copyOfRange(states, t * d, (t + 1) * d);
    }

    @Test
    void theLastTargetsStateIsTheServingState() {
        int maxLength = 4;
        SequenceModel m = model(10, maxLength);
        int d = m.spec().dim();
        // a full window: maxLength inputs with targets, then the look-ahead item 7
        float[] window = states(m, new int[] {2, 5, 1, 8, 7}, true);
        float[] served = states(m, new int[] {2, 5, 1, 8}, false);
        float[] trained = row(window, 3, d);
        float[] serving = row(served, 3, d);
        for (int j = 0; j < d; j++) {
            assertThat(trained[j]).as("dimension %d", j).isCloseTo(serving[j], within(1e-5f));
        }
        // a short window: the same holds for its last target
        float[] shortWindow = states(m, new int[] {4, 6, 9}, true);
        float[] shortServed = states(m, new int[] {4, 6}, false);
        for (int j = 0; j < d; j++) {
            assertThat(row(shortWindow, 1, d)[j]).isCloseTo(row(shortServed, 1, d)[j], within(1e-5f));
        }
        // numbered as a history instead, the window's states sit one position off and differ
        float[] misaligned = row(states(m, new int[] {4, 6, 9}, false), 1, d);
        double gap = 0;
        for (int j = 0; j < d; j++) {
            gap = Math.max(gap, Math.abs(misaligned[j] - row(shortServed, 1, d)[j]));
        }
        assertThat(gap).isGreaterThan(1e-3);
    }

    @Test
    void seenItemsLeaveTheSoftmaxButATargetNeverDoes() {
        int n = 6;
        SequenceModel m = model(n, 5);
        int[] seq = {2, 0, 3, 2}; // the last target, 2, is a repeat of the first item: it stays in its softmax
        InteractionLog log = SequenceTestData.logOf(n, seq);
        SequenceTrainer t = new SequenceTrainer(m, log,
                SequenceTrainer.Settings.builder().epochs(1).batchSize(1).lr(1e-3).maxGradNorm(0).patience(1).seed(1)
                        .threads(1).excludeSeen(true).build());
        double[] out = t.gradient(new int[] {0}, true, null);
        t.clearGradient();
        int d = m.spec().dim();
        float[] h = states(m, seq, true);
        float[] transposed = new float[n * d];
        m.transposedOutput(transposed);
        float[] scores = new float[seq.length * n];
        m.score(h, seq.length, transposed, scores);
        double expected = 0;
        for (int pos = 0; pos < seq.length - 1; pos++) {
            int target = seq[pos + 1];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                boolean seen = false;
                for (int k = 0; k <= pos; k++) {
                    seen |= seq[k] == i;
                }
                if (!seen || i == target) {
                    sum += Math.exp(scores[pos * n + i]);
                }
            }
            expected += Math.log(sum) - scores[pos * n + target];
        }
        assertThat(out[2]).isEqualTo(3.0);
        assertThat(out[0]).isCloseTo(expected, within(1e-4));
        // without the mask the same batch costs more: the seen items take their share of the softmax
        SequenceTrainer plain = new SequenceTrainer(m, log,
                SequenceTrainer.Settings.builder().epochs(1).batchSize(1).lr(1e-3).maxGradNorm(0).patience(1).seed(1)
                        .threads(1).excludeSeen(false).build());
        assertThat(plain.gradient(new int[] {0}, true, null)[0]).isGreaterThan(expected + 1e-3);
    }
}
