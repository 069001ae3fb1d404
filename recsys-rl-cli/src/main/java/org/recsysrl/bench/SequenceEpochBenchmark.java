package org.recsysrl.bench;

import org.recsysrl.nn.EncoderKind;
import java.util.ArrayList;
import java.util.List;
import org.recsysrl.config.SeqConfig;
import org.recsysrl.data.DataIdentity;
import org.recsysrl.data.IdMap;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.Layout;
import org.recsysrl.eval.OfflineSplit;
import org.recsysrl.eval.ProtocolSpec;
import org.recsysrl.seq.SequenceModel;
import org.recsysrl.seq.SequenceSpec;
import org.recsysrl.seq.SequenceTrainer;
import org.recsysrl.util.Rng;

/**
 * Times training epochs of a sequence model on a log's leave-one-out training part, exactly as
 * {@code train --env logs} runs them (no validation, no file I/O in the timed part): by default the
 * attention encoder with 2 blocks, width 64, windows of 50, full softmax, batches of 32.
 */
public final class SequenceEpochBenchmark {
    private SequenceEpochBenchmark() {
    }

    /**
     * One epoch.
     *
     * @param seconds wall time
     * @param targets next-item targets trained on
     * @param flop floating-point operations of the output layer alone (2·targets·items·dim for the
     *     scores, the state gradient and the table gradient each)
     * @param cpuSeconds CPU time of the whole process during the epoch (all threads, the JIT's and
     *     the collector's included; NaN where the JVM does not report it): on a host shared with
     *     other jobs, far steadier than the wall time
     */
    public record Epoch(int epoch, double seconds, long targets, double flop, double cpuSeconds) {
    }

    /** CPU time of this process in seconds, or NaN. */
    static double processCpuSeconds() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            long ns = os.getProcessCpuTime();
            return ns < 0 ? Double.NaN : ns / 1e9;
        }
        return Double.NaN;
    }

    /** The architecture timed: attention, 2 blocks, width 64, windows of 50, dropout 0.2, tied. */
    public static SequenceSpec spec(int items) {
        return new SequenceSpec(EncoderKind.ATTENTION, items, 50, 64, 2, 1, 0.2, true, false);
    }

    /** Trains {@code epochs} epochs from a fixed initialisation with batches of 32 windows and times each. */
    public static List<Epoch> run(InteractionLog log, int epochs, int threads) {
        return run(log, epochs, threads, 32);
    }

    /** Trains {@code epochs} epochs from a fixed initialisation with batches of {@code batch} windows and times each. */
    public static List<Epoch> run(InteractionLog log, int epochs, int threads, int batch) {
        OfflineSplit split = OfflineSplit.of(log, ProtocolSpec.LOO);
        SequenceModel model = new SequenceModel(spec(log.itemCount()));
        model.initialize(Rng.stream(42, 81));
        SequenceTrainer.Settings s = SequenceTrainer.Settings.builder().epochs(epochs).batchSize(batch).lr(1e-3)
                .maxGradNorm(5.0).patience(epochs).negatives(1).seed(42).threads(threads)
                .excludeSeen(SeqConfig.defaults().excludeSeen()).build();
        SequenceTrainer trainer = new SequenceTrainer(model, split.trainPart(), s);
        List<Epoch> out = new ArrayList<>();
        long targets = trainer.windows().targetCount();
        double flop = 3.0 * 2.0 * targets * log.itemCount() * model.spec().dim();
        for (int e = 1; e <= epochs; e++) {
            double c0 = processCpuSeconds();
            long t0 = System.nanoTime();
            trainer.trainOneEpoch(e);
            double seconds = (System.nanoTime() - t0) / 1e9;
            out.add(new Epoch(e, seconds, targets, flop, processCpuSeconds() - c0));
        }
        return out;
    }

    /**
     * A log shaped like ml-latest-small (610 users of ~165 items each, 9,724 items, popularity
     * skewed), from a fixed seed, for when no data is given.
     */
    public static InteractionLog syntheticLog() {
        int users = 610;
        int items = 9724;
        Rng rng = new Rng(7);
        int[] offsets = new int[users + 1];
        int[] seq = new int[users * 330];
        int k = 0;
        for (int u = 0; u < users; u++) {
            int len = 20 + rng.nextInt(290);
            for (int t = 0; t < len; t++) {
                double x = rng.nextDouble();
                seq[k++] = (int) (x * x * x * items);
            }
            offsets[u + 1] = k;
        }
        String[] uid = new String[users];
        for (int u = 0; u < users; u++) {
            uid[u] = Integer.toString(u);
        }
        String[] iid = new String[items];
        for (int i = 0; i < items; i++) {
            iid[i] = Integer.toString(i);
        }
        return new InteractionLog(offsets, java.util.Arrays.copyOf(seq, k), null, null, IdMap.of(uid), IdMap.of(iid),
                null, new DataIdentity(Layout.IN_MEMORY, "<synthetic ml-latest-small shape>", "0", 0, k, users, items));
    }
}
