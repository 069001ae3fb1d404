package org.recsysrl.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.nio.file.Path;
import org.recsysrl.bench.Benchmark;
import org.recsysrl.bench.MachineCalibration;
import org.recsysrl.io.AtomicFiles;
import org.recsysrl.config.RunConfig;
import org.recsysrl.util.UserInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code recsys-rl bench}: times PPO, A2C and the bare environment at the original's settings,
 * PPO and A2C at the default preset's, and the bare platform environments.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Time training at the original project's hyperparameters (ppo, a2c) and at the default"
                + " preset's (ppo-default, a2c-default), no file I/O in the timed part, and environment-only"
                + " stepping (env, and env-<platform> for each platform environment, e.g. env-short-video). Each kind runs in a fresh JVM of its own (the same java and JVM flags): its"
                + " first repetition is cold, the later ones warm."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--steps", defaultValue = "100000", description = "training steps per run (default: ${DEFAULT-VALUE})")
    long steps;

    @Option(names = "--env-steps", defaultValue = "10000000",
            description = "steps of the environment-only run (default: ${DEFAULT-VALUE})")
    long envSteps;

    @Option(names = "--repeat", defaultValue = "3", description = "repetitions of each run (default: ${DEFAULT-VALUE})")
    int repeat;

    /** The kinds timed by default, in order. */
    static final List<String> KINDS = java.util.stream.Stream.concat(
            java.util.stream.Stream.of("ppo", "a2c", "env", "ppo-default", "a2c-default"),
            org.recsysrl.workload.Platforms.names().stream().map(p -> "env-" + p)).toList();

    @Option(names = "--only", split = ",", description = "subset of ppo,a2c,env,ppo-default,a2c-default,"
            + "env-short-video,env-education,env-e-commerce (default: all); or logs alone"
            + " (reading a generated interaction log, see --log-interactions); or seq alone (epochs of the attention"
            + " sequence model, see --data and --scalar-epochs); or gemm alone (single-thread GFLOP/s of this build's"
            + " matrix product on --shapes)")
    List<String> only = new ArrayList<>(KINDS);

    @Option(names = "--data", paramLabel = "PATH", description = "--only seq: the interaction log whose"
            + " leave-one-out training part is trained on (default: a generated log shaped like ml-latest-small)")
    Path data;

    @Option(names = "--scalar-epochs", defaultValue = "1", description = "--only seq: epochs timed again in a JVM"
            + " with the plain-loop kernels (-Drecsysrl.kernels=scalar), for comparison; 0 = none"
            + " (default: ${DEFAULT-VALUE})")
    int scalarEpochs;

    @Option(names = "--seq-batch", defaultValue = "32", description = "--only seq: windows per step (seq.batch_size;"
            + " default: ${DEFAULT-VALUE}, the default preset's)")
    int seqBatch;

    @Option(names = "--seq-threads", defaultValue = "0", description = "--only seq: training threads"
            + " (seq.threads; 0 = every core, the default)")
    int seqThreads;

    @Option(names = "--ppo-threads", defaultValue = "1", description = "ppo and ppo-default: threads of each"
            + " minibatch's step (ppo.threads; default: ${DEFAULT-VALUE})")
    int ppoThreads;

    @Option(names = "--shapes", split = ",", paramLabel = "MxKxN", description = "--only gemm: the products"
            + " [M x K]·[K x N] to time (default: the large calibration product, the PPO logits product and the"
            + " output layer's tiles)")
    List<String> shapes = new ArrayList<>(MachineCalibration.GEMM_SHAPES);

    @Option(names = "--log-interactions", defaultValue = "20000000",
            description = "--only logs: interactions of the generated CSV log, kept in the temp directory and reused"
                    + " (default: ${DEFAULT-VALUE})")
    long logInteractions;

    @Option(names = "--json", description = "print the results as JSON")
    boolean json;

    @Option(names = "--json-out", hidden = true,
            description = "write the JSON to this file instead of standard output (used for the per-kind JVMs)")
    Path jsonOut;

    @Option(names = "--no-calibration", description = "skip the machine calibration (large and 64 × 1000 products,"
            + " memory bandwidth) that runs before ppo, a2c and env and expresses their GFLOP/s as a fraction of it")
    boolean noCalibration;

    /** The machine's figures, measured before the runs (null when skipped). */
    private MachineCalibration.Result calibration;

    @Option(names = "--same-jvm",
            description = "run every kind in this JVM, one after the other (later kinds then start warm and with"
                    + " the JIT's profile of the earlier ones)")
    boolean sameJvm;

    @Override
    public Integer call() throws Exception {
        if (steps <= 0 || envSteps <= 0 || repeat <= 0) {
            throw new UserInputException("--steps, --env-steps and --repeat must be positive");
        }
        if (only.contains("logs") || only.contains("seq") || only.contains("gemm")) {
            if (only.size() != 1) {
                throw new UserInputException("--only " + String.join(",", only) + ": logs, seq and gemm run alone,"
                        + " e.g. bench --only seq");
            }
            return switch (only.get(0)) {
                case "logs" -> benchLogs();
                case "seq" -> benchSequence();
                default -> benchProducts();
            };
        }
        requireKnownKinds();
        if (ppoThreads < 1 || ppoThreads > org.recsysrl.config.PpoConfig.MAX_THREADS) {
            throw new UserInputException("--ppo-threads must be in [1, " + org.recsysrl.config.PpoConfig.MAX_THREADS
                    + "] (got " + ppoThreads + ")");
        }
        if (!noCalibration && jsonOut == null) {
            calibration = MachineCalibration.measure();
            if (!json) {
                System.out.println(String.format(Locale.ROOT, "machine (one thread, this build's kernels): %.1f GFLOP/s"
                        + " on a [256 x 1024]·[1024 x 1024] product, %.1f GFLOP/s on [64 x 64]·[64 x 1000], memory read"
                        + " %.1f GB/s", calibration.largeGflops(), calibration.logitsGflops(), calibration.memoryGBps()));
            }
        }
        RunConfig cfg = withPpoThreads(RunConfig.original());
        RunConfig defaults = withPpoThreads(RunConfig.defaults());
        List<Benchmark.Run> runs = new ArrayList<>();
        for (String what : only) {
            if (sameJvm || only.size() == 1) {
                for (int r = 1; r <= repeat; r++) {
                    Benchmark.Run run = what.equals("env")
                            ? Benchmark.environment(cfg, cfg.ppo().numEnvs(), envSteps, r)
                            : what.startsWith("env-")
                                    ? Benchmark.platformEnvironment(what.substring(4), cfg.ppo().numEnvs(), envSteps,
                                            cfg.train().seed(), r)
                            : what.endsWith("-default")
                                    ? Benchmark.train(what, what.substring(0, what.indexOf('-')), defaults, steps, r)
                                    : Benchmark.train(what, cfg, steps, r);
                    runs.add(run);
                    printRun(run);
                }
            } else {
                for (Benchmark.Run run : BenchChild.run(what, steps, envSteps, repeat, ppoThreads)) {
                    runs.add(run);
                    printRun(run);
                }
            }
        }
        if (jsonOut != null) {
            AtomicFiles.writeString(jsonOut, toJson(runs));
        } else {
            System.out.println(json ? toJson(runs) : summary(runs));
        }
        return 0;
    }

    /** {@code cfg} with {@code ppo.threads} set to {@code --ppo-threads} (unchanged for the default, 1). */
    private RunConfig withPpoThreads(RunConfig cfg) {
        return ppoThreads == 1 ? cfg : org.recsysrl.config.ConfigJson.withOverride(cfg, "ppo.threads=" + ppoThreads);
    }

    /** Refuses an {@code --only} kind that is not timed here, or one named twice. */
    private void requireKnownKinds() {
        for (String o : only) {
            if (!KINDS.contains(o)) {
                throw new UserInputException("--only " + o + ": use a subset of " + String.join(",", KINDS)
                        + ", or logs or seq alone");
            }
        }
        if (new java.util.HashSet<>(only).size() != only.size()) {
            throw new UserInputException("--only " + String.join(",", only) + " names a kind twice: name each once"
                    + " and use --repeat for more runs");
        }
    }

    /**
     * Times epochs of the attention sequence model with the active kernels and, in a second JVM,
     * with the plain-loop kernels; medians of the epochs after the first.
     */
    private int benchSequence() throws Exception {
        if (scalarEpochs < 0) {
            throw new UserInputException("--scalar-epochs must be >= 0");
        }
        org.recsysrl.data.InteractionLog log = data == null ? org.recsysrl.bench.SequenceEpochBenchmark.syntheticLog()
                : org.recsysrl.data.LogReader.read(data, org.recsysrl.data.LogSpec.DEFAULT);
        if (seqBatch < 1 || seqThreads < 0) {
            throw new UserInputException("--seq-batch must be >= 1 and --seq-threads >= 0 (got " + seqBatch + ", "
                    + seqThreads + ")");
        }
        int threads = seqThreads == 0 ? Runtime.getRuntime().availableProcessors() : seqThreads;
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        root.put("platform", Benchmark.platform());
        root.put("data", log.identity().path());
        root.put("threads", threads);
        root.put("batch", seqBatch);
        ArrayNode arr = root.putArray("epochs");
        List<Double> times = new ArrayList<>();
        List<Double> cpuTimes = new ArrayList<>();
        for (org.recsysrl.bench.SequenceEpochBenchmark.Epoch e
                : org.recsysrl.bench.SequenceEpochBenchmark.run(log, repeat, threads, seqBatch)) {
            times.add(e.seconds());
            cpuTimes.add(e.cpuSeconds());
            ObjectNode o = arr.addObject();
            o.put("epoch", e.epoch());
            o.put("seconds", e.seconds());
            o.put("cpu_seconds", e.cpuSeconds());
            o.put("targets", e.targets());
            o.put("targets_per_second", e.targets() / e.seconds());
            o.put("output_layer_gflop_per_second", e.flop() / e.seconds() / 1e9);
            if (!json && jsonOut == null) {
                System.out.printf(Locale.ROOT, "seq epoch %d: %,d targets in %.2f s = %,.0f targets/s (output layer"
                        + " %.1f GFLOP/s); process CPU time %.2f s%n", e.epoch(), e.targets(), e.seconds(),
                        e.targets() / e.seconds(), e.flop() / e.seconds() / 1e9, e.cpuSeconds());
            }
        }
        double med = Benchmark.median(times.size() > 1 ? times.subList(1, times.size()) : times);
        root.put("median_seconds", med);
        root.put("median_cpu_seconds", Benchmark.median(cpuTimes.size() > 1 ? cpuTimes.subList(1, cpuTimes.size())
                : cpuTimes));
        double scalar = scalarKernelsMedian(threads);
        if (!Double.isNaN(scalar)) {
            root.put("scalar_kernels_median_seconds", scalar);
            root.put("speedup_over_scalar", scalar / med);
        }
        if (jsonOut != null) {
            AtomicFiles.writeString(jsonOut, m.writeValueAsString(root));
        } else if (json) {
            System.out.println(m.writeValueAsString(root));
        } else {
            System.out.printf(Locale.ROOT, "median %.2f s per epoch (epochs 2..%d when there are any)%s; training"
                    + " on %d threads; %s%n", med, repeat, Double.isNaN(scalar) ? "" : String.format(Locale.ROOT,
                            "; plain-loop kernels %.2f s per epoch (%.1fx slower)", scalar, scalar / med), threads,
                    Benchmark.platform());
        }
        return 0;
    }

    /**
     * The median epoch of the same run with the plain-loop kernels, timed in a second JVM; NaN when
     * {@code --scalar-epochs} is 0 or the result goes to {@code --json-out}.
     */
    private double scalarKernelsMedian(int threads) throws Exception {
        if (scalarEpochs == 0 || jsonOut != null) {
            return Double.NaN;
        }
        List<String> args = new ArrayList<>(List.of("--repeat", Integer.toString(scalarEpochs),
                "--scalar-epochs", "0", "--seq-batch", Integer.toString(seqBatch), "--seq-threads",
                Integer.toString(threads)));
        if (data != null) {
            args.addAll(List.of("--data", data.toString()));
        }
        com.fasterxml.jackson.databind.JsonNode child = BenchChild.runJson("seq",
                List.of("-Drecsysrl.kernels=scalar"), args);
        return child.get("median_seconds").asDouble();
    }

    /** Times this build's matrix product on one thread for each of --shapes: GFLOP/s by wall clock and CPU time. */
    private int benchProducts() throws Exception {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        root.put("platform", Benchmark.platform());
        ArrayNode arr = root.putArray("products");
        for (String shape : shapes) {
            int[] mkn = parseShape(shape);
            MachineCalibration.ProductRate rate = MachineCalibration.productRate(mkn[0], mkn[1], mkn[2]);
            ObjectNode o = arr.addObject();
            o.put("shape", shape);
            o.put("m", mkn[0]);
            o.put("k", mkn[1]);
            o.put("n", mkn[2]);
            o.put("gflop_per_second", rate.wallGflops());
            o.put("gflop_per_cpu_second", rate.cpuGflops());
            if (!json) {
                System.out.printf(Locale.ROOT, "gemm %-16s %7.1f GFLOP/s (wall clock), %7.1f GFLOP/s (thread CPU time)%n",
                        shape, rate.wallGflops(), rate.cpuGflops());
            }
        }
        if (json) {
            System.out.println(m.writeValueAsString(root));
        } else {
            System.out.println(Benchmark.platform());
        }
        return 0;
    }

    /** "256x1024x1024" as {256, 1024, 1024}; a user error otherwise. */
    static int[] parseShape(String shape) {
        String[] parts = shape.toLowerCase(Locale.ROOT).split("x");
        try {
            if (parts.length == 3) {
                int[] mkn = {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()),
                    Integer.parseInt(parts[2].trim())};
                if (mkn[0] >= 1 && mkn[1] >= 1 && mkn[2] >= 1 && (long) mkn[0] * mkn[1] <= 1 << 28
                        && (long) mkn[1] * mkn[2] <= 1 << 28 && (long) mkn[0] * mkn[2] <= 1 << 28) {
                    return mkn;
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserInputException("--shapes " + shape + ": give M x K x N as three positive integers, e.g."
                + " 256x1024x1024 (each matrix at most 2^28 floats)");
    }

    /** Generates (once) and reads a large interaction log --repeat times; medians of the repetitions after the first. */
    private int benchLogs() throws Exception {
        if (logInteractions <= 0 || logInteractions > 1_000_000_000L) {
            throw new UserInputException("--log-interactions must be in [1, 1000000000] (got " + logInteractions + ")");
        }
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        long g0 = System.nanoTime();
        Path file = org.recsysrl.bench.LogLoadBenchmark.generate(dir, logInteractions);
        System.err.printf(Locale.ROOT, "log file %s (%,d bytes; ready in %.1f s)%n", file, java.nio.file.Files.size(file),
                (System.nanoTime() - g0) / 1e9);
        List<Double> times = new ArrayList<>();
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        root.put("platform", Benchmark.platform());
        root.put("file", file.toString());
        ArrayNode arr = root.putArray("runs");
        for (int r = 1; r <= repeat; r++) {
            org.recsysrl.bench.LogLoadBenchmark.Result res = org.recsysrl.bench.LogLoadBenchmark.measure(file);
            times.add(res.seconds());
            ObjectNode o = arr.addObject();
            o.put("repetition", r);
            o.put("interactions", res.interactions());
            o.put("seconds", res.seconds());
            o.put("interactions_per_second", res.interactions() / res.seconds());
            o.put("retained_bytes_per_interaction", res.retainedBytesPerInteraction());
            o.put("peak_bytes_per_interaction", res.peakBytesPerInteraction());
            if (!json) {
                System.out.printf(Locale.ROOT, "logs run %d: %,d interactions in %.2f s = %,.0f/s; heap kept %.1f bytes"
                        + " per interaction, peak %.1f%n", r, res.interactions(), res.seconds(),
                        res.interactions() / res.seconds(), res.retainedBytesPerInteraction(),
                        res.peakBytesPerInteraction());
            }
        }
        double med = Benchmark.median(times.size() > 1 ? times.subList(1, times.size()) : times);
        root.put("median_seconds", med);
        System.out.println(json ? m.writeValueAsString(root)
                : String.format(Locale.ROOT, "median %.2f s (repetitions 2..%d when there are any); %s", med, repeat,
                        Benchmark.platform()));
        return 0;
    }

    private void printRun(Benchmark.Run run) {
        if (!json && jsonOut == null) {
            System.out.println(String.format(Locale.ROOT, "%-4s run %d: %9d steps in %7.3f s = %10.0f steps/s%s",
                    run.name(), run.repetition(), run.steps(), run.seconds(), run.stepsPerSecond(),
                    run.flop() > 0 ? String.format(Locale.ROOT, ", %.1f GFLOP/s%s", run.gflopPerSecond(),
                            ofMachine(run.gflopPerSecond())) : ""));
        }
    }

    /** " (37% of the machine)" when calibrated, else "". */
    private String ofMachine(double gflops) {
        return calibration == null ? ""
                : String.format(Locale.ROOT, " (%.0f%% of the machine)", 100 * calibration.fractionOfLarge(gflops));
    }

    /** Whether repetition 1 of {@code what} ran in a fresh JVM. */
    private boolean cold(String what) {
        return what.equals(only.get(0)) || !sameJvm;
    }

    private String summary(List<Benchmark.Run> runs) {
        StringBuilder sb = new StringBuilder();
        int width = Math.max(15, only.stream().mapToInt(String::length).max().orElse(0));
        String name = "%-" + width + "s";
        sb.append(String.format(Locale.ROOT, "%n" + name + " %12s %12s %12s %12s %10s %12s%n", "run", "first (s)",
                "median (s)", "steps/s", "GFLOP", "GFLOP/s", "of machine"));
        for (String what : only) {
            List<Benchmark.Run> rs = runs.stream().filter(r -> r.name().equals(what)).toList();
            double med = median(rs);
            Benchmark.Run first = rs.get(0);
            double gflops = first.flop() / med / 1e9;
            sb.append(String.format(Locale.ROOT, name + " %12.3f %12.3f %12.0f %12.1f %10.1f %12s%n", what, first.seconds(),
                    med, first.steps() / med, first.flop() / 1e9, gflops, calibration == null || first.flop() == 0 ? "-"
                            : String.format(Locale.ROOT, "%.0f%%", 100 * calibration.fractionOfLarge(gflops))));
        }
        sb.append("median over repetitions 2.." + repeat + " when there are any (warm JVM); first = cold JVM"
                + (sameJvm && only.size() > 1 ? " for " + only.get(0) + " only (--same-jvm)" : "") + "; "
                + Benchmark.platform() + (ppoThreads == 1 ? "" : "; PPO minibatches on " + ppoThreads + " threads"));
        return sb.toString();
    }

    private double median(List<Benchmark.Run> rs) {
        List<Double> warm = rs.stream().skip(rs.size() > 1 ? 1 : 0).map(Benchmark.Run::seconds).toList();
        return Benchmark.median(warm);
    }

    private String toJson(List<Benchmark.Run> runs) throws Exception {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        root.put("platform", Benchmark.platform());
        root.put("steps", steps);
        root.put("ppo_threads", ppoThreads);
        if (calibration != null) {
            ObjectNode c = root.putObject("calibration");
            c.put("large_product_gflop_per_second", calibration.largeGflops());
            c.put("logits_product_gflop_per_second", calibration.logitsGflops());
            c.put("memory_read_gb_per_second", calibration.memoryGBps());
        }
        ArrayNode arr = root.putArray("runs");
        for (Benchmark.Run r : runs) {
            ObjectNode o = arr.addObject();
            o.put("run", r.name());
            o.put("repetition", r.repetition());
            o.put("jvm", r.repetition() == 1 && cold(r.name()) ? "cold" : "warm");
            o.put("steps", r.steps());
            o.put("seconds", r.seconds());
            o.put("steps_per_second", r.stepsPerSecond());
            o.put("gflop", r.flop() / 1e9);
            o.put("gflop_per_second", r.gflopPerSecond());
            if (calibration != null && r.flop() > 0) {
                o.put("fraction_of_large_product", calibration.fractionOfLarge(r.gflopPerSecond()));
            }
        }
        ObjectNode med = root.putObject("median_seconds");
        for (String what : only) {
            med.put(what, median(runs.stream().filter(r -> r.name().equals(what)).toList()));
        }
        return m.writeValueAsString(root);
    }
}
