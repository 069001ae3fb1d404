package org.recsysrl.seq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.nn.Adam;
import org.recsysrl.nn.EncoderKind;
import org.recsysrl.nn.GradClip;
import org.recsysrl.nn.Kernels;
import org.recsysrl.util.Parallel;
import org.recsysrl.util.Rng;

/**
 * Data-parallel training ({@code threads > 1}): each worker encodes its share of the batch's
 * windows, runs the output layer on their positions and back-propagates through the encoder; the
 * step's gradient must be the gradient of the whole batch, i.e. the one-thread gradients of the
 * shares weighted by their share of the batch's target positions and added.
 */
class DataParallelTrainingTest {
    private static final InteractionLog LOG = SequenceTestData.randomLog(12, 9, 11, 6);

    private static SequenceModel model(EncoderKind encoder, boolean sampled, boolean qHead) {
        SequenceModel m = new SequenceModel(new SequenceSpec(encoder, 11, 8, 8, 2, 2, 0.0, !sampled, qHead));
        m.initialize(new Rng(3));
        return m;
    }

    private static SequenceTrainer trainer(SequenceModel m, boolean sampled, double td, int threads) {
        return new SequenceTrainer(m, LOG, SequenceTrainer.Settings.builder().epochs(1).batchSize(8).lr(1e-2)
                .maxGradNorm(0).patience(1).sampled(sampled).negatives(5).sparseAdam(true)
                .offlineActorCritic(td, 0, 0.7, 0.1).excludeSeen(sampled).seed(9).threads(threads).build());
    }

    /**
     * Two threads on windows {a, b, c, d, e} (shares {a, b} and {c, d, e}) against one thread on
     * each share: gradient = (v₁/v)·g₁ + (v₂/v)·g₂ with v_k the shares' target positions, and the
     * summed CE the sum of theirs. The sampled softmax's second share reuses the first's negatives,
     * which the two-thread step draws once.
     */
    @ParameterizedTest
    @CsvSource({"ATTENTION, false, 0", "ATTENTION, true, 0", "GRU, false, 0", "GRU, true, 0", "ATTENTION, false, 0.5",
        "MEAN, true, 0"})
    void aTwoThreadStepIsTheSumOfItsSharesOnOneThread(EncoderKind encoder, boolean sampled, double td) {
        int[] batch = {0, 3, 5, 7, 9};
        SequenceModel parallelModel = model(encoder, sampled, td > 0);
        SequenceTrainer parallel = trainer(parallelModel, sampled, td, 2);
        double[] both = parallel.gradient(batch, true, null);
        float[] g = parallelModel.store().grad().clone();

        SequenceModel serialModel = model(encoder, sampled, td > 0);
        SequenceTrainer serial = trainer(serialModel, sampled, td, 1);
        double[] first = serial.gradient(new int[] {0, 3}, true, null);
        float[] g1 = serialModel.store().grad().clone();
        serial.clearGradient();
        double[] second = serial.gradient(new int[] {5, 7, 9}, false, null);
        float[] g2 = serialModel.store().grad().clone();

        double v = both[2];
        assertThat(first[2] + second[2]).isEqualTo(v);
        assertThat(first[2]).isPositive();
        assertThat(second[2]).isPositive();
        assertThat(both[0]).isCloseTo(first[0] + second[0], org.assertj.core.api.Assertions.within(1e-4 * both[0]));
        if (td > 0) {
            assertThat(both[1]).isCloseTo(first[1] + second[1], org.assertj.core.api.Assertions.within(1e-4 * both[1]));
        }
        int nonZero = 0;
        for (int i = 0; i < g.length; i++) {
            double expected = first[2] / v * g1[i] + second[2] / v * g2[i];
            double tol = 1e-5 + 1e-4 * Math.abs(expected);
            if (!(Math.abs(g[i] - expected) <= tol)) {
                fail("%s sampled=%s td=%s: gradient %d is %.8g, the shares give %.8g", encoder, sampled, td, i, g[i],
                        expected);
            }
            if (Math.abs(expected) > 1e-4) {
                nonZero++;
            }
        }
        assertThat(nonZero).isGreaterThan(g.length / 4);
    }

    /** A batch smaller than the thread count leaves a worker without windows; the gradient is the one-thread one. */
    @Test
    void aWorkerWithoutWindowsAddsNothing() {
        SequenceModel a = model(EncoderKind.ATTENTION, false, false);
        SequenceModel b = model(EncoderKind.ATTENTION, false, false);
        double[] three = trainer(a, false, 0, 3).gradient(new int[] {4, 6}, true, null);
        double[] one = trainer(b, false, 0, 1).gradient(new int[] {4, 6}, true, null);
        assertThat(three[2]).isEqualTo(one[2]);
        float[] ga = a.store().grad();
        float[] gb = b.store().grad();
        for (int i = 0; i < ga.length; i++) {
            assertThat((double) ga[i]).isCloseTo(gb[i], org.assertj.core.api.Assertions.within(1e-5 + 1e-4 * Math.abs(gb[i])));
        }
    }

    /**
     * One step with the sampled softmax and sparse Adam: the rows the second worker's windows read
     * must be updated too. The same parameters change on one and on two threads, by nearly the same
     * amounts (Adam's first step is ±lr where the gradient is not tiny).
     */
    @ParameterizedTest
    @CsvSource({"ATTENTION", "GRU"})
    void aSparseAdamStepUpdatesTheRowsOfEveryWorker(EncoderKind encoder) {
        int[] batch = {1, 2, 4, 8, 10, 11};
        SequenceModel a = model(encoder, true, false);
        SequenceModel b = model(encoder, true, false);
        float[] before = a.store().data().clone();
        trainer(a, true, 0, 2).step(batch);
        SequenceTrainer one = trainer(b, true, 0, 1);
        one.gradient(batch, true, null);
        float[] g = b.store().grad().clone();
        one.apply();
        float[] pa = a.store().data();
        float[] pb = b.store().data();
        int changed = 0;
        for (int i = 0; i < pa.length; i++) {
            boolean changedA = pa[i] != before[i];
            assertThat(changedA).as("parameter %d changed on two threads", i).isEqualTo(pb[i] != before[i]);
            if (changedA) {
                changed++;
            }
            if (Math.abs(g[i]) > 1e-4) {
                assertThat((double) pa[i]).isCloseTo(pb[i], org.assertj.core.api.Assertions.within(1e-4));
            }
        }
        assertThat(changed).isGreaterThan(0);
    }

    private static float[] trainTwoEpochs(EncoderKind encoder, boolean sampled, int threads, long seed) {
        SequenceModel m = new SequenceModel(new SequenceSpec(encoder, 11, 8, 8, 2, 2, 0.3, !sampled, false));
        m.initialize(new Rng(seed));
        SequenceTrainer t = new SequenceTrainer(m, LOG, SequenceTrainer.Settings.builder().epochs(2).batchSize(5)
                .lr(1e-2).maxGradNorm(5).patience(2).sampledSoftmax(5, true).sampled(sampled).seed(seed)
                .threads(threads).build());
        t.trainOneEpoch(1);
        t.trainOneEpoch(2);
        return m.store().data();
    }

    /** With dropout, both losses and both encoders: the same seed and thread count give the same bits. */
    @ParameterizedTest
    @CsvSource({"ATTENTION, false, 2", "ATTENTION, true, 2", "GRU, false, 2", "GRU, true, 3"})
    void theSameSeedAndThreadCountGiveTheSameBits(EncoderKind encoder, boolean sampled, int threads) {
        float[] a = trainTwoEpochs(encoder, sampled, threads, 4);
        float[] b = trainTwoEpochs(encoder, sampled, threads, 4);
        assertThat(b).containsExactly(a);
        assertThat(Arrays.equals(a, trainTwoEpochs(encoder, sampled, threads, 5))).isFalse();
    }

    /**
     * With T threads each worker steps its own range of the parameters and sums its range's
     * squares: two steps must give exactly the parameters of one Adam over the whole vector, fed
     * the same gradients and the clipping coefficient of the ranges' norm (added in range order),
     * and leave the gradient zero. That norm is the whole array's within rounding.
     */
    @ParameterizedTest
    @CsvSource({"2, 0", "2, 0.01", "3, 0.01", "2, 1000"})
    void aRangeSplitStepIsOneAdamStepOverEveryParameter(int threads, double maxGradNorm) {
        SequenceModel m = model(EncoderKind.ATTENTION, false, false);
        SequenceTrainer t = new SequenceTrainer(m, LOG, SequenceTrainer.Settings.builder().epochs(1).batchSize(8)
                .lr(1e-2).maxGradNorm(maxGradNorm).patience(1).seed(9).threads(threads).build());
        float[] p = m.store().data();
        float[] expected = p.clone();
        Adam reference = new Adam(p.length, 1e-2, 0.9, 0.999, 1e-8);
        boolean clipped = false;
        for (int[] batch : new int[][] {{0, 3, 5, 7, 9}, {1, 2, 4, 8, 10, 11}}) {
            t.gradient(batch, true, null);
            float[] g = m.store().grad().clone();
            double[] partials = new double[threads];
            for (int r = 0; r < threads; r++) {
                partials[r] = Kernels.sumOfSquares(g, Parallel.rangeStart(g.length, threads, r, 16),
                        Parallel.rangeStart(g.length, threads, r + 1, 16));
            }
            double norm = GradClip.normOfPartials(partials);
            assertThat(norm).isCloseTo(GradClip.globalNorm(g), org.assertj.core.api.Assertions.within(1e-12 * norm));
            float scale = maxGradNorm > 0 ? GradClip.coefficient(norm, maxGradNorm) : 1f;
            clipped |= scale < 1f;
            t.apply();
            reference.step(expected, g, scale);
            assertThat(p).containsExactly(expected);
            assertThat(m.store().grad()).containsOnly(0f);
        }
        assertThat(clipped).isEqualTo(maxGradNorm == 0.01);
    }

    /** Transposing the output table by ranges of items gives the table transposed, entry for entry. */
    @Test
    void theOutputTableTransposedByRangesIsTheTransposedTable() {
        SequenceModel m = model(EncoderKind.ATTENTION, false, false);
        int n = m.spec().items();
        int d = m.spec().dim();
        float[] p = m.store().data();
        float[] byRanges = new float[n * d];
        java.util.Arrays.fill(byRanges, Float.NaN);
        m.transposedOutput(byRanges, 0, 4);
        m.transposedOutput(byRanges, 4, n);
        float[] whole = new float[n * d];
        m.transposedOutput(whole);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                assertThat(byRanges[j * n + i]).isEqualTo(p[m.outputOffset() + i * d + j]);
            }
        }
        assertThat(whole).containsExactly(byRanges);
    }
    /**
     * Five windows of four positions with 4, 1, 1, 4 and 2 target positions (12 in all; before each
     * window 0, 4, 5, 6, 10, 12). Two shares: the count split would cut at window 2 (5 against 7);
     * the nearest count to 6 is before window 3 (6 and 6). Three shares: the nearest to 4 is before
     * window 1; to 8, 6 (window 3) and 10 (window 4) tie, so the lower, window 3. One share: all.
     */
    @Test
    void sharesCutWhereTheTargetCountsAreNearestEqual() {
        int[] rows = {0, 1, 2, 3, 7, 11, 12, 13, 14, 15, 18, 19};
        int[][] expectedWindows = {{0, 5}, {0, 3, 5}, {0, 1, 3, 5}};
        int[][] expectedValid = {{0, 12}, {0, 6, 12}, {0, 4, 6, 12}};
        for (int threads = 1; threads <= 3; threads++) {
            int[] windowFrom = new int[threads + 1];
            int[] validFrom = new int[threads + 1];
            SequenceTrainer.balancedShares(rows, rows.length, 5, 4, windowFrom, validFrom);
            assertThat(windowFrom).as("windows, %d shares", threads).containsExactly(expectedWindows[threads - 1]);
            assertThat(validFrom).as("targets, %d shares", threads).containsExactly(expectedValid[threads - 1]);
        }
    }
}
