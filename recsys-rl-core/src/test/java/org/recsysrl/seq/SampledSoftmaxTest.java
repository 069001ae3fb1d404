package org.recsysrl.seq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.nn.EncoderKind;
import org.recsysrl.util.Rng;

/**
 * The sampled softmax's internals: the log-Q correction, the negatives' proposal q ∝ (count + 1)^0.75
 * and the sparse Adam step (which must equal the dense one when every item row is touched).
 */
class SampledSoftmaxTest {
    // item counts 3, 2, 1, 0
    private static final InteractionLog LOG = SequenceTestData.logOf(4, new int[] {0, 0, 1, 2}, new int[] {1, 0});

    private static SequenceTrainer trainer(SequenceModel m, InteractionLog log, int negatives, boolean sparse) {
        SequenceTrainer.Settings s = SequenceTrainer.Settings.builder().epochs(1).batchSize(2).lr(1e-2).maxGradNorm(0)
                .patience(1).sampledSoftmax(negatives, sparse).seed(11).threads(1).build();
        return new SequenceTrainer(m, log, s);
    }

    private static SequenceModel model(int items, boolean tied, long seed) {
        SequenceModel m = new SequenceModel(new SequenceSpec(EncoderKind.MEAN, items, 4, 3, 1, 1, 0.0, tied, false));
        m.initialize(new Rng(seed));
        return m;
    }

    private static Object field(Object owner, String name) throws ReflectiveOperationException {
        Class<?> c = owner.getClass();
        while (c != null) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(owner);
            } catch (NoSuchFieldException e) {
                c = c.getSuperclass();
            }
        }
        throw new NoSuchFieldException(name);
    }

    private static Object objective(SequenceTrainer t) throws ReflectiveOperationException {
        return field(t, "output");
    }

    @Test
    void theLogQCorrectionIsTheLogOfNegativesTimesTheSmoothedPopularity() throws Exception {
        assertThat(LOG.itemCounts()).containsExactly(3, 2, 1, 0);
        Object o = objective(trainer(model(4, false, 1), LOG, 5, false));
        float[] logProposal = (float[]) field(o, "logProposal");
        float[] proposal = (float[]) field(o, "proposal");
        double[] weight = {Math.pow(4, 0.75), Math.pow(3, 0.75), Math.pow(2, 0.75), 1};
        double total = weight[0] + weight[1] + weight[2] + weight[3];
        double acc = 0;
        for (int i = 0; i < 4; i++) {
            acc += weight[i] / total;
            assertThat((double) proposal[i]).isCloseTo(acc, within(1e-6));
            assertThat((double) logProposal[i]).isCloseTo(Math.log(5 * weight[i] / total), within(1e-5));
        }
        assertThat(proposal[3]).isCloseTo(1f, within(1e-6f));
    }

    @Test
    void negativesAreDrawnFromTheProposalWithTheirOutputRows() throws Exception {
        SequenceModel m = model(4, false, 2);
        SequenceTrainer t = trainer(m, LOG, 7, false);
        Object o = objective(t);
        java.lang.reflect.Method prepare = o.getClass().getDeclaredMethod("prepare", boolean.class);
        prepare.setAccessible(true);
        int[] ids = (int[]) field(o, "ids");
        float[] transposed = (float[]) field(o, "transposedNegatives");
        float[] p = m.store().data();
        int outOff = m.outputOffset();
        int d = 3;
        long[] seen = new long[4];
        int rounds = 6000;
        for (int r = 0; r < rounds; r++) {
            prepare.invoke(o, true);
            for (int k = 0; k < 7; k++) {
                seen[ids[k]]++;
                for (int j = 0; j < d; j++) {
                    assertThat(transposed[j * 7 + k]).isEqualTo(p[outOff + ids[k] * d + j]);
                }
            }
        }
        double[] weight = {Math.pow(4, 0.75), Math.pow(3, 0.75), Math.pow(2, 0.75), 1};
        double total = weight[0] + weight[1] + weight[2] + weight[3];
        for (int i = 0; i < 4; i++) {
            assertThat(seen[i] / (7.0 * rounds)).isCloseTo(weight[i] / total, within(0.01));
        }
        // without new negatives the same items are kept and their (changed) rows re-read
        int[] before = ids.clone();
        for (int i = 0; i < 4 * d; i++) {
            p[outOff + i] += 1 + i;
        }
        prepare.invoke(o, false);
        assertThat(ids).containsExactly(before);
        for (int k = 0; k < 7; k++) {
            for (int j = 0; j < d; j++) {
                assertThat(transposed[j * 7 + k]).isEqualTo(p[outOff + ids[k] * d + j]);
            }
        }
    }

    /**
     * With many more negatives than items every row of the item tables is touched each step, and
     * Adam from zero moments leaves an untouched coordinate alone: sparse and dense Adam then take
     * the same steps, so the parameters agree after several of them.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void sparseAdamEqualsDenseAdamWhenEveryRowIsTouched(boolean tied) {
        InteractionLog log = SequenceTestData.randomLog(12, 5, 6, 3);
        SequenceModel sparse = model(6, tied, 5);
        SequenceModel dense = model(6, tied, 5);
        float[] start = sparse.store().data().clone();
        SequenceTrainer ts = trainer(sparse, log, 80, true);
        SequenceTrainer td = trainer(dense, log, 80, false);
        for (int epoch = 1; epoch <= 3; epoch++) {
            ts.trainOneEpoch(epoch);
            td.trainOneEpoch(epoch);
        }
        float[] a = sparse.store().data();
        float[] b = dense.store().data();
        int moved = 0;
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).as("parameter %d", i).isCloseTo(b[i], within(1e-5f + 1e-4f * Math.abs(b[i])));
            if (Math.abs(b[i] - start[i]) > 1e-3) {
                moved++;
            }
        }
        assertThat(moved).isGreaterThan(a.length / 2);
        assertThat(sparse.store().grad()).containsOnly(0f);
    }

    /**
     * The cross-entropy of one sequence by hand from the drawn negatives: the target's logit is its
     * score minus log(S·q_a), each negative's its score minus log(S·q_i), and a negative equal to the
     * target or (with excludeSeen) seen earlier in the window is left out.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theSampledCrossEntropyMatchesAHandComputation(boolean excludeSeen) throws Exception {
        int n = 6;
        int[] seq = {2, 0, 3, 2, 1}; // maxLength 4 inputs and the look-ahead
        InteractionLog log = SequenceTestData.logOf(n, seq);
        SequenceModel m = model(n, false, 3);
        float[] p = m.store().data();
        Rng jitter = new Rng(6);
        for (int i = 0; i < p.length; i++) {
            p[i] += (float) jitter.uniform(-0.5, 0.5);
        }
        int negatives = 9;
        SequenceTrainer t = new SequenceTrainer(m, log, SequenceTrainer.Settings.builder().epochs(1).batchSize(1)
                .lr(1e-3).maxGradNorm(0).patience(1).sampledSoftmax(negatives, false).excludeSeen(excludeSeen).seed(4)
                .threads(1).build());
        double[] out = t.gradient(new int[] {0}, true, null);
        t.clearGradient();
        Object o = objective(t);
        int[] ids = (int[]) field(o, "ids");
        float[] logProposal = (float[]) field(o, "logProposal");
        SequenceModel.Workspace ws = m.newWorkspace(1);
        System.arraycopy(seq, 0, ws.ids(), 0, seq.length);
        ws.firstValid()[0] = 0;
        m.encode(ws, 1, seq.length, true, null);
        float[] transposed = new float[n * 3];
        m.transposedOutput(transposed);
        float[] scores = new float[seq.length * n];
        m.score(ws.states(), seq.length, transposed, scores);
        double expected = 0;
        int masked = 0;
        for (int pos = 0; pos < seq.length - 1; pos++) {
            int a = seq[pos + 1];
            double target = scores[pos * n + a] - logProposal[a];
            double sum = Math.exp(target);
            for (int k = 0; k < negatives; k++) {
                int i = ids[k];
                boolean seen = false;
                for (int q = 0; q <= pos; q++) {
                    seen |= seq[q] == i;
                }
                if (i == a || excludeSeen && seen) {
                    masked++;
                    continue;
                }
                sum += Math.exp(scores[pos * n + i] - logProposal[i]);
            }
            expected += Math.log(sum) - target;
        }
        assertThat(masked).isPositive();
        assertThat(out[2]).isEqualTo(seq.length - 1);
        assertThat(out[0]).isCloseTo(expected, within(1e-4 * Math.max(1, expected)));
    }

    /**
     * With few negatives sparse Adam moves only the rows a step touches (the batch's items and its
     * negatives) in the input table, the output table and the biases, while dense Adam's momentum
     * still moves the rows an earlier step touched.
     */
    @Test
    void sparseAdamLeavesUntouchedRowsWhereDenseAdamMovesThem() throws Exception {
        int n = 30;
        InteractionLog log = SequenceTestData.logOf(n, new int[] {0, 1, 2}, new int[] {10, 11, 12});
        int[] second = {10, 11, 12};
        for (boolean sparse : new boolean[] {true, false}) {
            SequenceModel m = model(n, false, 8);
            SequenceTrainer t = trainer(m, log, 2, sparse);
            t.step(new int[] {0});
            float[] before = m.store().data().clone();
            t.step(new int[] {1});
            int[] ids = (int[]) field(objective(t), "ids");
            boolean[] touched = new boolean[n];
            for (int i : second) {
                touched[i] = true;
            }
            for (int i : ids) {
                touched[i] = true;
            }
            float[] p = m.store().data();
            int d = 3;
            int untouchedMoved = 0;
            int touchedMoved = 0;
            for (int row = 0; row < n; row++) {
                int[] starts = {m.itemEmbedding().offset() + row * d, m.outputOffset() + row * d,
                    m.outputBiasOffset() + row};
                int[] widths = {d, d, 1};
                for (int r = 0; r < 3; r++) {
                    for (int j = 0; j < widths[r]; j++) {
                        boolean moved = p[starts[r] + j] != before[starts[r] + j];
                        if (touched[row] && moved) {
                            touchedMoved++;
                        } else if (!touched[row] && moved) {
                            untouchedMoved++;
                        }
                    }
                }
            }
            assertThat(touchedMoved).isGreaterThan(10);
            if (sparse) {
                assertThat(untouchedMoved).isZero();
                assertThat(m.store().grad()).containsOnly(0f);
            } else {
                assertThat(untouchedMoved).isPositive(); // rows 0, 1, 2 keep moving on their momentum
            }
        }
    }
}
