package org.recsysrl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.recsysrl.bench.Benchmark;
import org.recsysrl.util.UserInputException;

/**
 * Runs one kind of benchmark in a fresh JVM: the same java executable, JVM flags and class path as
 * this process, with {@code bench --only KIND --json-out FILE}, and reads its runs back from the
 * file (so that JVM options that print to standard output, such as {@code -Xlog:gc}, do not get
 * in the way). A kind timed this way starts cold and is not affected by what the JIT learned from
 * the kinds before it. Options that cannot be shared by two JVMs (a debugger's port, a flight
 * recording's file) are not passed on.
 */
final class BenchChild {
    private BenchChild() {
    }

    static List<Benchmark.Run> run(String what, long steps, long envSteps, int repeat, int ppoThreads)
            throws IOException, InterruptedException {
        JsonNode runs = runJson(what, List.of(), List.of("--steps", Long.toString(steps), "--env-steps",
                Long.toString(envSteps), "--repeat", Integer.toString(repeat), "--ppo-threads",
                Integer.toString(ppoThreads))).get("runs");
        if (runs == null || !runs.isArray()) {
            throw new IllegalStateException("the benchmark JVM for '" + what + "' wrote no runs");
        }
        {
            List<Benchmark.Run> out = new ArrayList<>();
            for (JsonNode r : runs) {
                out.add(new Benchmark.Run(r.get("run").asText(), r.get("repetition").asInt(), r.get("steps").asLong(),
                        r.get("seconds").asDouble(), r.get("gflop").asDouble() * 1e9));
            }
            return out;
        }
    }

    /**
     * Runs {@code bench --only what ARGS --json-out FILE} in a fresh JVM with this JVM's options plus
     * {@code extraJvmOptions}, and returns the JSON it wrote.
     */
    static JsonNode runJson(String what, List<String> extraJvmOptions, List<String> args)
            throws IOException, InterruptedException {
        Path results = Files.createTempFile("recsys-rl-bench-" + what + "-", ".json");
        Path errors = Files.createTempFile("recsys-rl-bench-" + what + "-", ".err");
        try {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (shareable(option)) {
                    cmd.add(option);
                }
            }
            cmd.addAll(extraJvmOptions);
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(Main.class.getName());
            cmd.addAll(List.of("bench", "--only", what));
            cmd.addAll(args);
            cmd.addAll(List.of("--json-out", results.toString()));
            Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(errors.toFile()).start();
            int code = p.waitFor();
            if (code != 0) {
                throw new UserInputException("the benchmark JVM for '" + what + "' exited with code " + code + ": "
                        + lastLine(errors) + " (check the JVM options; `recsys-rl bench --only " + what
                        + "` runs it in this JVM)");
            }
            return new ObjectMapper().readTree(results.toFile());
        } finally {
            Files.deleteIfExists(results);
            Files.deleteIfExists(errors);
        }
    }

    /** Whether a JVM option of this process can be given to a second JVM at the same time. */
    static boolean shareable(String option) {
        return !(option.startsWith("-agentlib:jdwp") || option.startsWith("-Xrunjdwp")
                || option.startsWith("-XX:StartFlightRecording") || option.startsWith("-XX:FlightRecorderOptions"));
    }

    /** The last non-blank line the child wrote to its standard error, past the incubator warning. */
    private static String lastLine(Path errors) throws IOException {
        List<String> lines = Files.readAllLines(errors, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank() && !l.contains("Using incubator modules")).toList();
        return lines.isEmpty() ? "it printed nothing" : lines.get(lines.size() - 1).strip();
    }
}
