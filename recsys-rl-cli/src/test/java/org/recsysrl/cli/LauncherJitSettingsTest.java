package org.recsysrl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's JIT settings for a cold run (docs/performance.md, "Cold start"): read from the
 * launcher script itself, they must start a JVM and leave every bit of a seeded run as it is.
 */
class LauncherJitSettingsTest {
    /** Enough A2C updates of the tiny run that C2 compiles the kernels while it trains. */
    private static final long STEPS = 16_000;

    @TempDir
    Path a;

    @TempDir
    Path b;

    /** The repository's root (the tests run in the module's directory). */
    private static Path root() {
        return Path.of("").toAbsolutePath().getParent();
    }

    /**
     * The JVM options of the launcher's {@code jit=(...)} array, with {@code $jit_directives} as the
     * source tree's file.
     */
    static List<String> launcherJitOptions() throws Exception {
        String script = Files.readString(root().resolve("recsys-rl"), StandardCharsets.UTF_8);
        assertThat(script).contains("jit_directives=\"$here/recsys-rl-cli/src/main/jvm/jit-directives.json\"")
                .contains("RECSYS_RL_JIT_TUNING");
        Path directives = root().resolve("recsys-rl-cli/src/main/jvm/jit-directives.json");
        return jitOptions(script, "$jit_directives", directives.toString());
    }

    /** The words of a script's {@code jit=(-XX...)} array, with {@code variable} replaced by {@code value}. */
    private static List<String> jitOptions(String script, String variable, String value) {
        Matcher m = Pattern.compile("\n\\s*jit=\\((-XX[^)]*)\\)", Pattern.DOTALL).matcher(script);
        assertThat(m.find()).as("a jit=(...) array of options").isTrue();
        List<String> options = new ArrayList<>();
        Matcher word = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(m.group(1));
        while (word.find()) {
            String w = word.group(1) != null ? word.group(1) : word.group(2);
            options.add(w.replace(variable, value));
        }
        return options;
    }

    @Test
    void theScriptsPassTheLaunchersSettings() throws Exception {
        String directives = root().resolve("recsys-rl-cli/src/main/jvm/jit-directives.json").toString();
        for (String script : List.of("scripts/peers.sh", "scripts/cold-start.sh")) {
            String text = Files.readString(root().resolve(script), StandardCharsets.UTF_8);
            assertThat(jitOptions(text, "$here", root().toString())).as(script)
                    .containsExactlyElementsOf(launcherJitOptions()).contains("-XX:CompilerDirectivesFile=" + directives);
        }
    }

    @Test
    void theLauncherNamesTheDirectivesAndTheKernelThresholds() throws Exception {
        List<String> options = launcherJitOptions();
        assertThat(options).contains("-XX:+UnlockDiagnosticVMOptions",
                "-XX:CompileCommand=CompileThresholdScaling,org.recsysrl.nn.Vector*::*,0.3",
                "-XX:CompileCommand=CompileThresholdScaling,jdk.incubator.vector.*::*,0.3");
        String directives = options.stream().filter(o -> o.startsWith("-XX:CompilerDirectivesFile=")).findFirst()
                .orElseThrow().substring("-XX:CompilerDirectivesFile=".length());
        assertThat(Files.readString(Path.of(directives))).contains("jdk/incubator/vector/*.*").contains("\"Exclude\": true");
    }

    @Test
    void aSeededRunWritesTheSameBytesWithTheLaunchersJitSettings() throws Exception {
        List<String> jit = launcherJitOptions();
        Cli.Result tuned = Cli.runInFreshJvm(jit, Cli.trainArgs("a2c", a, STEPS, "--seed", "3"));
        assertThat(tuned.exitCode()).as(tuned.toString()).isZero();
        assertThat(tuned.err()).doesNotContain("directives failed").doesNotContain("Could not load");
        Path here = Cli.trainOk("a2c", b, STEPS, "--seed", "3");
        Path there = a.resolve("ck").resolve("a2c.safetensors");
        assertThat(Files.readAllBytes(there)).as("checkpoint with the launcher's JIT settings vs this JVM")
                .isEqualTo(Files.readAllBytes(here));
        assertThat(Files.readAllBytes(a.resolve("ck").resolve("a2c.state.safetensors")))
                .isEqualTo(Files.readAllBytes(b.resolve("ck").resolve("a2c.state.safetensors")));
    }

    /**
     * The JVM announces a directives file with a line of its own ("1 compiler directives added"), on
     * standard output unless told otherwise: there it would corrupt every machine-read output
     * ({@code --json}, a CSV to a pipe). The launcher's settings send it to standard error.
     */
    @Test
    void theJvmsOwnMessagesStayOffStandardOutput() throws Exception {
        Cli.Result r = Cli.runInFreshJvm(launcherJitOptions(), "--version");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out().lines().toList()).as("standard output of --version").hasSize(1)
                .allSatisfy(line -> assertThat(line).startsWith("recsys-rl "));
        assertThat(r.err()).contains("compiler directives added");
    }

    @Test
    void aBrokenDirectivesFileWouldStopTheJvm() throws Exception {
        // the test above can fail: a directives file the JVM cannot parse ends it before main
        Path broken = Files.writeString(a.resolve("broken.json"), "[ { \"match\": ", StandardCharsets.UTF_8);
        List<String> jit = new ArrayList<>(launcherJitOptions());
        jit.replaceAll(o -> o.startsWith("-XX:CompilerDirectivesFile=") ? "-XX:CompilerDirectivesFile=" + broken : o);
        Cli.Result r = Cli.runInFreshJvm(jit, "--version");
        assertThat(r.exitCode()).as(r.toString()).isNotZero();
    }
}
