package org.recsysrl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.recsysrl.bench.Benchmark;

/**
 * Runs one kind of benchmark in a fresh JVM: the same java executable, JVM flags and class path as
 * this process, with {@code bench --only KIND --json}, and reads its runs back. A kind timed this
 * way starts cold and is not affected by what the JIT learned from the kinds before it.
 */
final class BenchChild {
    private BenchChild() {
    }

    static List<Benchmark.Run> run(String what, long steps, long envSteps, int repeat)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of("bench", "--only", what, "--steps", Long.toString(steps), "--env-steps",
                Long.toString(envSteps), "--repeat", Integer.toString(repeat), "--json"));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        if (code != 0) {
            throw new IllegalStateException("the benchmark JVM for '" + what + "' exited with code " + code
                    + "; run `recsys-rl bench --only " + what + "` to see why");
        }
        JsonNode root = new ObjectMapper().readTree(out);
        List<Benchmark.Run> runs = new ArrayList<>();
        for (JsonNode r : root.get("runs")) {
            runs.add(new Benchmark.Run(r.get("run").asText(), r.get("repetition").asInt(), r.get("steps").asLong(),
                    r.get("seconds").asDouble(), r.get("gflop").asDouble() * 1e9));
        }
        return runs;
    }
}
