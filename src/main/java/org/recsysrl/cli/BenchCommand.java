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
import org.recsysrl.io.AtomicFiles;
import org.recsysrl.config.RunConfig;
import org.recsysrl.util.UserInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code recsys-rl bench}: times PPO, A2C and the bare environment at the original's settings. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Time training at the original project's hyperparameters (no file I/O in the timed part)"
                + " and environment-only stepping. Each kind runs in a fresh JVM of its own (the same java and"
                + " JVM flags): its first repetition is cold, the later ones warm."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--steps", defaultValue = "100000", description = "training steps per run (default: ${DEFAULT-VALUE})")
    long steps;

    @Option(names = "--env-steps", defaultValue = "10000000",
            description = "steps of the environment-only run (default: ${DEFAULT-VALUE})")
    long envSteps;

    @Option(names = "--repeat", defaultValue = "3", description = "repetitions of each run (default: ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--only", split = ",", description = "subset of ppo,a2c,env (default: all)")
    List<String> only = new ArrayList<>(List.of("ppo", "a2c", "env"));

    @Option(names = "--json", description = "print the results as JSON")
    boolean json;

    @Option(names = "--json-out", hidden = true,
            description = "write the JSON to this file instead of standard output (used for the per-kind JVMs)")
    Path jsonOut;

    @Option(names = "--same-jvm",
            description = "run every kind in this JVM, one after the other (later kinds then start warm and with"
                    + " the JIT's profile of the earlier ones)")
    boolean sameJvm;

    @Override
    public Integer call() throws Exception {
        if (steps <= 0 || envSteps <= 0 || repeat <= 0) {
            throw new UserInputException("--steps, --env-steps and --repeat must be positive");
        }
        for (String o : only) {
            if (!List.of("ppo", "a2c", "env").contains(o)) {
                throw new UserInputException("--only " + o + ": use a subset of ppo,a2c,env");
            }
        }
        if (new java.util.HashSet<>(only).size() != only.size()) {
            throw new UserInputException("--only " + String.join(",", only) + " names a kind twice: name each once"
                    + " and use --repeat for more runs");
        }
        RunConfig cfg = RunConfig.original();
        List<Benchmark.Run> runs = new ArrayList<>();
        for (String what : only) {
            if (sameJvm || only.size() == 1) {
                for (int r = 1; r <= repeat; r++) {
                    Benchmark.Run run = what.equals("env")
                            ? Benchmark.environment(cfg, cfg.ppo().numEnvs(), envSteps, r)
                            : Benchmark.train(what, cfg, steps, r);
                    runs.add(run);
                    printRun(run);
                }
            } else {
                for (Benchmark.Run run : BenchChild.run(what, steps, envSteps, repeat)) {
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

    private void printRun(Benchmark.Run run) {
        if (!json && jsonOut == null) {
            System.out.println(String.format(Locale.ROOT, "%-4s run %d: %9d steps in %7.3f s = %10.0f steps/s%s",
                    run.name(), run.repetition(), run.steps(), run.seconds(), run.stepsPerSecond(),
                    run.flop() > 0 ? String.format(Locale.ROOT, ", %.1f GFLOP/s", run.gflopPerSecond()) : ""));
        }
    }

    /** Whether repetition 1 of {@code what} ran in a fresh JVM. */
    private boolean cold(String what) {
        return what.equals(only.get(0)) || !sameJvm;
    }

    private String summary(List<Benchmark.Run> runs) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%n%-4s %12s %12s %12s %12s %10s%n", "run", "first (s)", "median (s)",
                "steps/s", "GFLOP", "GFLOP/s"));
        for (String what : only) {
            List<Benchmark.Run> rs = runs.stream().filter(r -> r.name().equals(what)).toList();
            double med = median(rs);
            Benchmark.Run first = rs.get(0);
            sb.append(String.format(Locale.ROOT, "%-4s %12.3f %12.3f %12.0f %12.1f %10.1f%n", what, first.seconds(), med,
                    first.steps() / med, first.flop() / 1e9, first.flop() / med / 1e9));
        }
        sb.append("median over repetitions 2.." + repeat + " when there are any (warm JVM); first = cold JVM"
                + (sameJvm && only.size() > 1 ? " for " + only.get(0) + " only (--same-jvm)" : "") + "; "
                + Benchmark.platform());
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
        }
        ObjectNode med = root.putObject("median_seconds");
        for (String what : only) {
            med.put(what, median(runs.stream().filter(r -> r.name().equals(what)).toList()));
        }
        return m.writeValueAsString(root);
    }
}
