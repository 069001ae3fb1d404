package org.recsysrl.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs the command line in-process, capturing stdout and stderr (test helper). */
public final class Cli {
    /** Settings of a world and run small enough that a train run takes well under a second. */
    /** A tiny world and model; the original preset's structure (one logit per item). */
    public static final List<String> TINY = org.recsysrl.train.TinyRuns.TINY;

    /** What one invocation produced. */
    public record Result(int exitCode, String out, String err) {
        /** Non-empty lines of stderr. */
        public List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Cli() {
    }

    /** {@code Main.execute(args)} with System.out and System.err captured (and restored afterwards). */
    public static synchronized Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            code = Main.execute(args);
            o.flush();
            e.flush();
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * {@code recsys-rl args} in a new JVM (same java, class path and kernel settings as this one),
     * for checks that results do not depend on what this JVM has run and compiled before.
     */
    public static Result runInFreshJvm(String... args) {
        return runInFreshJvm(List.of(), args);
    }

    /** As {@link #runInFreshJvm(String...)}, with {@code jvmOptions} added to the new JVM's options. */
    public static Result runInFreshJvm(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            cmd.add("--add-modules");
            cmd.add("jdk.incubator.vector");
        }
        String kernels = System.getProperty("recsysrl.kernels");
        if (kernels != null) {
            cmd.add("-Drecsysrl.kernels=" + kernels);
        }
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(Arrays.asList(args));
        try {
            Path errFile = java.nio.file.Files.createTempFile("recsys-rl-cli", ".err");
            try {
                Process p = new ProcessBuilder(cmd).redirectError(errFile.toFile()).start();
                p.getOutputStream().close();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                int code = p.waitFor();
                String err = java.nio.file.Files.readString(errFile).lines()
                        .filter(l -> !l.startsWith("WARNING: Using incubator modules"))
                        .map(l -> l + "\n").reduce("", String::concat);
                return new Result(code, out, err);
            } finally {
                java.nio.file.Files.deleteIfExists(errFile);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The arguments of {@link #train}. */
    public static String[] trainArgs(String algo, Path dir, long totalTimesteps, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--algo", algo, "--total-timesteps",
                Long.toString(totalTimesteps), "--log-dir", dir.resolve("logs").toString(),
                "--checkpoint-dir", dir.resolve("ck").toString()));
        args.addAll(TINY);
        args.addAll(Arrays.asList(extra));
        return args.toArray(String[]::new);
    }

    /**
     * A tiny {@code train} run of {@code algo} writing to {@code dir/logs} and {@code dir/ck}, with
     * {@code extra} arguments appended.
     */
    public static Result train(String algo, Path dir, long totalTimesteps, String... extra) {
        return run(trainArgs(algo, dir, totalTimesteps, extra));
    }

    /** Like {@link #train} but fails unless the exit code is 0; returns the checkpoint path. */
    public static Path trainOk(String algo, Path dir, long totalTimesteps, String... extra) {
        Result r = train(algo, dir, totalTimesteps, extra);
        if (r.exitCode() != 0) {
            throw new AssertionError("train failed: " + r);
        }
        return dir.resolve("ck").resolve(algo + ".safetensors");
    }

    /**
     * Asserts the user-error contract — exit code 2, one stderr line starting with "error: ", no
     * stack trace — and returns that line.
     */
    public static String userError(Result r) {
        org.assertj.core.api.Assertions.assertThat(r.exitCode()).as(r.toString()).isEqualTo(Main.USER_ERROR);
        org.assertj.core.api.Assertions.assertThat(r.errLines()).as(r.toString()).hasSize(1);
        String line = r.errLines().get(0);
        org.assertj.core.api.Assertions.assertThat(line).startsWith("error: ");
        org.assertj.core.api.Assertions.assertThat(r.err()).doesNotContain("at org.").doesNotContain("Exception")
                .doesNotContain("\tat ");
        org.assertj.core.api.Assertions.assertThat(r.out()).doesNotContain("at org.");
        return line;
    }
}
