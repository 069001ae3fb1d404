package org.recsysrl.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.recsysrl.cli.Cli;
import org.recsysrl.cli.JitWarmup;
import org.recsysrl.config.RunConfig;
import org.recsysrl.io.SafeTensors;

/** Training N steps straight and training N/2, then resuming to N, give the same bytes. */
class ResumeTest {
    @TempDir
    Path straight;

    @TempDir
    Path split;

    private static byte[] bytes(Path p) throws Exception {
        return Files.readAllBytes(p);
    }

    /** Byte equality of two checkpoints, reported as the first differing metadata or tensor. */
    static void assertSameFile(Path actual, Path expected) throws Exception {
        if (java.util.Arrays.equals(bytes(actual), bytes(expected))) {
            return;
        }
        SafeTensors.Contents a = SafeTensors.read(actual);
        SafeTensors.Contents e = SafeTensors.read(expected);
        assertThat(a.metadata()).as("metadata of " + actual).isEqualTo(e.metadata());
        for (String name : e.tensors().keySet()) {
            assertThat(a.tensors().get(name)).as("tensor " + name + " of " + actual).isEqualTo(e.tensors().get(name));
        }
        assertThat(a.tensors().keySet()).containsExactlyElementsOf(e.tensors().keySet());
        throw new AssertionError(actual + " and " + expected + " differ in layout only");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ppo", "a2c"})
    void resumeAtAnUpdateBoundaryIsExact(String algo) throws Exception {
        // ppo: 64 steps per update, a2c: 8 × 2 = 16; 128 is a boundary of both
        Path full = Cli.trainOk(algo, straight, 256);
        Path half = Cli.trainOk(algo, split, 128);
        assertThat(SafeTensors.read(half).metadata()).containsEntry("steps", "128");
        assertThat(bytes(half)).isNotEqualTo(bytes(full));

        Cli.Result resumed = Cli.train(algo, split, 256, "--resume");
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.out()).contains("resumed " + algo + " at step 128");

        assertSameFile(half, full);
        assertThat(bytes(split.resolve("ck").resolve(algo + ".state.safetensors")))
                .isEqualTo(bytes(straight.resolve("ck").resolve(algo + ".state.safetensors")));

        // the resumed log continues the first half's
        List<String> csv = Files.readAllLines(split.resolve("logs").resolve(algo + ".csv"));
        assertThat(csv).hasSize(3);
        assertThat(csv.get(1)).startsWith("128,");
        assertThat(csv.get(2)).startsWith("256,");
    }

    /** The usual case: the first half ran in another process, the resume runs in this one. */
    @Test
    void resumeOfARunFromAnotherJvmIsExact() throws Exception {
        JitWarmup.run();
        Path full = Cli.trainOk("ppo", straight, 256);
        Cli.Result first = Cli.runInFreshJvm(Cli.trainArgs("ppo", split, 128));
        assertThat(first.exitCode()).as(first.toString()).isZero();
        Cli.Result resumed = Cli.train("ppo", split, 256, "--resume");
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertSameFile(split.resolve("ck").resolve("ppo.safetensors"), full);
    }

    @Test
    void resumeFromAMidRunSaveIsExact() throws Exception {
        String[] every64 = {"--set", "train.save_interval=64", "--set", "train.log_interval=64"};
        Path full = Cli.trainOk("ppo", straight, 256, every64);

        // The same run, driven directly so that the periodic save of step 192 can be copied aside
        // when the log line of step 256 is printed (the final save comes after that line).
        RunConfig cfg = TinyRuns.tinyConfig(split, 256, every64);
        Path ck = split.resolve("ck");
        Path snapshot = split.resolve("snapshot");
        PrintStream hook = new PrintStream(new LineHook(line -> {
            if (line.startsWith("step     256")) {
                copyDir(ck, snapshot);
            }
        }), true, StandardCharsets.UTF_8);
        Trainer.Result result = new Trainer(cfg, "ppo", false, hook, false).run();
        assertThat(result.steps()).isEqualTo(256);
        assertSameFile(ck.resolve("ppo.safetensors"), full);
        assertThat(SafeTensors.read(snapshot.resolve("ppo.safetensors")).metadata()).containsEntry("steps", "192");

        // "crash" after the save of step 192, then resume from it
        deleteDir(ck);
        Files.move(snapshot, ck);
        Cli.Result resumed = Cli.train("ppo", split, 256, concat(List.of("--resume"), every64));
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.out()).contains("resumed ppo at step 192");
        assertSameFile(ck.resolve("ppo.safetensors"), full);
    }

    private static String[] concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all.toArray(String[]::new);
    }

    private static void copyDir(Path from, Path to) {
        try {
            Files.createDirectories(to);
            try (Stream<Path> files = Files.list(from)) {
                for (Path f : files.toList()) {
                    Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteDir(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    /** Calls back with every complete line written to it. */
    private static final class LineHook extends OutputStream {
        private final Consumer<String> onLine;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineHook(Consumer<String> onLine) {
            this.onLine = onLine;
        }

        @Override
        public void write(int b) {
            if (b == '\n') {
                onLine.accept(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }
    }

    @Test
    void resumeWritesToTheDirectoriesOfThisCommand() throws Exception {
        Path full = Cli.trainOk("a2c", straight, 256);
        Cli.trainOk("a2c", split, 128);
        // move the run: the checkpoint must be found and written in its new place
        Path moved = split.resolve("moved");
        Files.move(split.resolve("ck"), moved);
        List<String> args = new ArrayList<>(List.of("train", "--algo", "a2c", "--resume", "--total-timesteps", "256",
                "--checkpoint-dir", moved.toString(), "--log-dir", split.resolve("logs2").toString()));
        args.addAll(Cli.TINY);
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertSameFile(moved.resolve("a2c.safetensors"), full);
        assertThat(split.resolve("ck")).doesNotExist();
        assertThat(split.resolve("logs2").resolve("a2c.csv")).exists();
    }

}
