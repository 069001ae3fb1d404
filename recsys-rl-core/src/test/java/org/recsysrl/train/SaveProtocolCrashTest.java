package org.recsysrl.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.config.RunConfig;
import org.recsysrl.util.UserInputException;

/**
 * Crashes the save protocol between every two of its file operations, and in the middle of every
 * write (a partial temporary file left behind), then resumes: the run must always end on the
 * bytes of an uninterrupted run, with one CSV row per logged step.
 */
class SaveProtocolCrashTest {
    private static final String[] EVERY_64 = {"--set", "train.save_interval=64", "--set", "train.log_interval=64"};
    private static final long TOTAL = 256;

    @TempDir
    Path tmp;

    /** Thrown by the crashing file operations; an Error, so no catch in the trainer stops it. */
    private static final class SimulatedCrash extends Error {
        private static final long serialVersionUID = 1L;

        SimulatedCrash() {
            super("simulated crash");
        }
    }

    /** Real operations that die at operation {@code crashAt} (1-based), before or half-way through it. */
    private static final class CrashingOps implements SavedRun.FileOps {
        final int crashAt;
        final boolean midway;
        final List<String> log = new ArrayList<>();
        int count;

        CrashingOps(int crashAt, boolean midway) {
            this.crashAt = crashAt;
            this.midway = midway;
        }

        private void tick(String what, Path file) throws IOException {
            count++;
            log.add(what + " " + file.getFileName());
            if (count == crashAt) {
                if (midway && !what.equals("delete")) {
                    // what a kill during an atomic write or link leaves: a partial temporary file
                    Path partial = file.resolveSibling("." + file.getFileName() + ".deadbeef.tmp");
                    Files.write(partial, new byte[] {1, 2, 3});
                }
                throw new SimulatedCrash();
            }
        }

        @Override
        public void write(Path file, SavedRun.Writer content) throws IOException {
            tick("write", file);
            SavedRun.REAL.write(file, content);
        }

        @Override
        public void publish(Path source, Path target) throws IOException {
            tick("publish", target);
            SavedRun.REAL.publish(source, target);
        }

        @Override
        public void delete(Path file) throws IOException {
            tick("delete", file);
            SavedRun.REAL.delete(file);
        }
    }

    private static PrintStream quiet() {
        return new PrintStream(OutputStream.nullOutputStream());
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** The CSV without its two wall-clock columns. */
    private static List<String> csvWithoutTimes(Path csv) throws IOException {
        List<String> rows = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            String[] f = line.split(",");
            rows.add(String.join(",", List.of(f).subList(0, f.length - 2)));
        }
        return rows;
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aCrashAtAnyFileOperationResumesToTheUninterruptedBytes() throws Exception {
        Path straight = tmp.resolve("straight");
        RunConfig straightCfg = TinyRuns.tinyConfig(straight, TOTAL, EVERY_64);
        CrashingOps counter = new CrashingOps(0, false);
        new Trainer(straightCfg, "ppo", false, quiet(), false).withFileOps(counter).run();
        String expectedCheckpoint = sha256(straight.resolve("ck/ppo.safetensors"));
        String expectedState = sha256(straight.resolve("ck/ppo.state.safetensors"));
        List<String> expectedCsv = csvWithoutTimes(straight.resolve("logs/ppo.csv"));
        // saves at 64, 128, 192 and 256: 5 operations for the first, 7 for the others
        assertThat(counter.count).as(String.join("\n", counter.log)).isEqualTo(5 + 3 * 7);
        assertThat(expectedCsv).hasSize(1 + 4);
        assertThat(listing(straight.resolve("ck"))).containsExactly("ppo.000000000256.safetensors",
                "ppo.000000000256.state.safetensors", "ppo.latest", "ppo.safetensors", "ppo.state.safetensors");

        List<String> table = new ArrayList<>();
        for (boolean midway : new boolean[] {false, true}) {
            for (int crashAt = 1; crashAt <= counter.count; crashAt++) {
                Path dir = tmp.resolve("crash-" + crashAt + (midway ? "-midway" : ""));
                RunConfig cfg = TinyRuns.tinyConfig(dir, TOTAL, EVERY_64);
                CrashingOps ops = new CrashingOps(crashAt, midway);
                assertThatThrownBy(() -> new Trainer(cfg, "ppo", false, quiet(), false).withFileOps(ops).run())
                        .isInstanceOf(SimulatedCrash.class);
                String point = (midway ? "during " : "before ") + ops.log.get(crashAt - 1);
                boolean firstSaveDone = crashAt > 3; // the manifest write is the first save's third operation
                if (!firstSaveDone) {
                    // nothing complete to resume: --resume says so, and a new run starts cleanly
                    assertThatThrownBy(() -> new Trainer(cfg, "ppo", true, quiet(), false).run())
                            .as(point).isInstanceOf(UserInputException.class).hasMessageContaining("--resume");
                    new Trainer(cfg, "ppo", false, quiet(), false).run();
                } else {
                    new Trainer(cfg, "ppo", true, quiet(), false).run();
                }
                String checkpoint = sha256(dir.resolve("ck/ppo.safetensors"));
                table.add(String.format("%-55s -> %s", point, checkpoint.substring(0, 16)));
                assertThat(checkpoint).as("checkpoint after a crash " + point).isEqualTo(expectedCheckpoint);
                assertThat(sha256(dir.resolve("ck/ppo.state.safetensors"))).as("state after a crash " + point)
                        .isEqualTo(expectedState);
                assertThat(csvWithoutTimes(dir.resolve("logs/ppo.csv"))).as("CSV after a crash " + point)
                        .isEqualTo(expectedCsv);
                // no leftovers: temporary files and old step files are gone
                assertThat(listing(dir.resolve("ck"))).as("files after a crash " + point)
                        .isEqualTo(listing(straight.resolve("ck")));
            }
        }
        System.out.println("crash point -> resumed final checkpoint sha256 (expected " + expectedCheckpoint.substring(0, 16)
                + ")\n" + String.join("\n", table));
    }

    @Test
    void aFullDiskAtASaveIsOneLineAndTheRunResumesFromThePreviousSave() throws Exception {
        Path dir = tmp.resolve("full");
        RunConfig cfg = TinyRuns.tinyConfig(dir, TOTAL, EVERY_64);
        SavedRun.FileOps fullAtSecondSave = new SavedRun.FileOps() {
            int writes;

            @Override
            public void write(Path file, SavedRun.Writer content) throws IOException {
                if (++writes == 4) { // the checkpoint of the save at step 128
                    throw new java.nio.file.FileSystemException(file.toString(), null, "No space left on device");
                }
                SavedRun.REAL.write(file, content);
            }

            @Override
            public void publish(Path source, Path target) throws IOException {
                SavedRun.REAL.publish(source, target);
            }

            @Override
            public void delete(Path file) throws IOException {
                SavedRun.REAL.delete(file);
            }
        };
        assertThatThrownBy(() -> new Trainer(cfg, "ppo", false, quiet(), false).withFileOps(fullAtSecondSave).run())
                .isInstanceOf(UserInputException.class)
                .hasMessage("cannot save the checkpoint of step 128 in " + dir.resolve("ck") + " (No space left on device):"
                        + " free space or choose another --checkpoint-dir (the save of step 64 is kept)");
        new Trainer(cfg, "ppo", true, quiet(), false).run();
        Path straight = tmp.resolve("straight-full");
        new Trainer(TinyRuns.tinyConfig(straight, TOTAL, EVERY_64), "ppo", false, quiet(), false).run();
        assertThat(sha256(dir.resolve("ck/ppo.safetensors"))).isEqualTo(sha256(straight.resolve("ck/ppo.safetensors")));
    }
}
