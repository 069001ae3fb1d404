import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.recsysrl.api.RecommendRequest;
import org.recsysrl.api.Recommender;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.RunConfig;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.model.LogServing;
import org.recsysrl.seq.SequenceModel;
import org.recsysrl.seq.SequenceSpec;
import org.recsysrl.seq.SequenceTrainer;
import org.recsysrl.train.LogTraining;
import org.recsysrl.util.Rng;
import org.recsysrl.workload.LogData;

/**
 * Sequence-model training at scale (docs/scale.md), where a whole epoch under a shared machine's
 * load takes too long to wait for: reads a log as {@code train --env logs} does (same settings,
 * {@code --set} assignments after the first arguments), builds the model and the trainer, trains
 * the first BATCHES batches of epoch 1 and prints their wall and CPU time, the targets per second
 * and the epoch extrapolated from them (labelled as such), and the heap's peak. With CHECKPOINT it
 * then saves the model (served alone: no baselines blended) and times the library's
 * {@code api.Recommender} top-10 for users 0 … 99 of the log, three rounds.
 *
 * <pre>
 * java -Xmx6g --add-modules jdk.incubator.vector -cp target/recsys-rl.jar scripts/SeqScale.java LOG BATCHES [CHECKPOINT|-] [--set k=v ...]
 * </pre>
 */
public class SeqScale {
    /** Thrown by the progress listener to end the timed part of the epoch. */
    static final class Enough extends RuntimeException {
        Enough() {
            super(null, null, false, false);
        }
    }

    static double cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().substring(0, 14);
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    static long heapPeak() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    public static void main(String[] args) throws Exception {
        String path = args[0];
        int batches = Integer.parseInt(args[1]);
        String checkpoint = args.length > 2 && !args[2].startsWith("--") ? args[2] : "-";
        List<String> sets = new ArrayList<>(List.of("env.type=logs", "data.path=" + path, "seq.markov_mix=0"));
        for (int k = 2; k < args.length; k++) {
            if (args[k].equals("--set")) {
                sets.add(args[++k]);
            }
        }
        RunConfig cfg = ConfigJson.withOverrides(RunConfig.defaults(), sets);
        System.out.println("start: load " + load() + "; max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MB");
        long t0 = System.nanoTime();
        LogData data = LogData.load(cfg.data(), cfg.eval());
        SequenceTrainer.Settings settings = LogTraining.settings(cfg.seq(), data.log().itemCount(), cfg.train().seed(), "supervised",
                cfg.eval().excludeKnown());
        SequenceSpec spec = LogTraining.spec(cfg.model().sequence(), data.log().itemCount(), "supervised");
        SequenceModel model = new SequenceModel(spec);
        model.initialize(Rng.stream(cfg.train().seed(), 81));
        SequenceTrainer trainer = new SequenceTrainer(model, data.split().trainPart(), settings);
        long windows = trainer.windows().size();
        long targets = trainer.windows().targetCount();
        System.out.printf(Locale.ROOT, "read and set up in %.1f s: %,d interactions, %,d users, %,d items; %,d parameters;"
                + " %,d windows, %,d targets per epoch; loss %s, %d threads%n", (System.nanoTime() - t0) / 1e9,
                data.log().size(), data.log().userCount(), data.log().itemCount(), model.store().size(), windows, targets,
                settings.sampled() ? "sampled" : "full", settings.threads());
        long limit = (long) batches * settings.batchSize();
        long[] doneAt = new long[1];
        double cpu0 = cpu();
        var threadCpu = ManagementFactory.getThreadMXBean();
        long callingCpu0 = threadCpu.getCurrentThreadCpuTime();
        long w0 = System.nanoTime();
        try {
            trainer.advance(1, false, m -> 0.0, new SequenceTrainer.Listener() {
                @Override
                public void epoch(SequenceTrainer.EpochStats stats) {
                }

                @Override
                public void progress(int epoch, long done, long total) {
                    doneAt[0] = done;
                    if (done >= limit) {
                        throw new Enough();
                    }
                }
            });
        } catch (Enough stop) {
            // the timed batches are done
        }
        double wall = (System.nanoTime() - w0) / 1e9;
        double used = cpu() - cpu0;
        double calling = (threadCpu.getCurrentThreadCpuTime() - callingCpu0) / 1e9;
        double share = (double) doneAt[0] / windows;
        System.out.printf(Locale.ROOT, "trained %,d of %,d windows (%.2f%% of an epoch) in %.1f s wall, %.1f s CPU;"
                + " load %s%n  extrapolated epoch: %.0f s wall, %.0f s CPU (%,.0f targets/s of wall, %,.0f of CPU);"
                + " heap peak %d MB%n", doneAt[0], windows, 100 * share, wall, used, load(), wall / share, used / share,
                targets * share / wall, targets * share / used, heapPeak() >> 20);
        // with seq.threads > 1 the calling thread runs the serial part of each step and worker 0's share
        // of the windows: with balanced shares, about the wall time of an unloaded host
        System.out.printf(Locale.ROOT, "  calling thread: %.1f s CPU, extrapolated epoch %.0f s (the serial part and"
                + " worker 0's share: about a quiet host's wall time)%n", calling, calling / share);
        if (!checkpoint.equals("-")) {
            serve(Path.of(checkpoint), cfg, data, model);
        }
    }

    /** Saves {@code model} as {@code train --env logs} would (the network alone) and times api.Recommender's top-10. */
    static void serve(Path file, RunConfig cfg, LogData data, SequenceModel model) throws Exception {
        Map<String, String> extra = new LinkedHashMap<>(data.log().identity().toMetadata());
        extra.put(LogTraining.BEST_EPOCH, "1");
        extra.put(LogTraining.VALIDATION, "0");
        extra.put(LogTraining.VALIDATION_METRIC, "ndcg@10");
        extra.put(LogTraining.MARKOV_MIX, "0.0");
        LogServing serving = LogServing.of(data.log(), false, true);
        Checkpoint.save(file, model.store(), new Checkpoint.Info("supervised", ConfigJson.toPortableJson(cfg), 0, 1,
                extra), serving.withoutTransitions().tensors());
        long t0 = System.nanoTime();
        Recommender recommender = Recommender.load(file);
        System.out.printf(Locale.ROOT, "saved %s (%d MB) and loaded it in %.1f s: %,d items%n", file,
                Files.size(file) >> 20, (System.nanoTime() - t0) / 1e9, recommender.itemCount());
        var threads = ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int round = 0; round < 3; round++) {
            int calls = 100;
            long wall = System.nanoTime();
            long cpu = threads.getCurrentThreadCpuTime();
            for (int u = 0; u < calls; u++) {
                sink += recommender.recommend(RecommendRequest.forUser(Integer.toString(u), 10)).get(0).id().hashCode();
            }
            cpu = threads.getCurrentThreadCpuTime() - cpu;
            wall = System.nanoTime() - wall;
            System.out.printf(Locale.ROOT, "top-10 round %d: %.2f ms wall, %.2f ms CPU of the calling thread per user; load %s%n",
                    round, wall / 1e6 / calls, cpu / 1e6 / calls, load());
        }
        System.out.println(sink == 42 ? "" : "done");
    }
}
