package org.recsysrl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.recsysrl.io.SafeTensors;
import org.recsysrl.train.Trainer;

/** Same seed ⇒ byte-identical checkpoints and logs, whatever directory the run writes to. */
class DeterminismTest {
    private static final long STEPS = 256;

    @TempDir
    Path a;

    @TempDir
    Path b;

    @TempDir
    Path c;

    /** The CSV rows without the two wall-clock columns (sps, elapsed_s). */
    private static List<String> csvWithoutTiming(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSizeGreaterThanOrEqualTo(2);
        assertThat(lines.get(0)).isEqualTo(String.join(",", Trainer.CSV_COLUMNS));
        assertThat(Trainer.CSV_COLUMNS.subList(Trainer.CSV_COLUMNS.size() - 2, Trainer.CSV_COLUMNS.size()))
                .containsExactly("sps", "elapsed_s");
        int keep = Trainer.CSV_COLUMNS.size() - 2;
        return lines.stream().map(l -> {
            String[] cells = l.split(",", -1);
            assertThat(cells).hasSize(Trainer.CSV_COLUMNS.size());
            return String.join(",", Arrays.copyOf(cells, keep));
        }).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ppo", "a2c"})
    void sameSeedGivesIdenticalCheckpointStateAndLog(String algo) throws Exception {
        // log every update so that the CSV has several rows to compare
        Path ckA = Cli.trainOk(algo, a, STEPS, "--seed", "7", "--set", "train.log_interval=16");
        Path ckB = Cli.trainOk(algo, b, STEPS, "--seed", "7", "--set", "train.log_interval=16");

        byte[] bytesA = Files.readAllBytes(ckA);
        assertThat(bytesA).isEqualTo(Files.readAllBytes(ckB));
        assertThat(Files.readAllBytes(a.resolve("ck").resolve(algo + ".state.safetensors")))
                .isEqualTo(Files.readAllBytes(b.resolve("ck").resolve(algo + ".state.safetensors")));
        // the checkpoint is not a trivial one: it records the run
        assertThat(SafeTensors.read(ckA).metadata()).containsEntry("algorithm", algo).containsEntry("steps", "256");

        List<String> logA = csvWithoutTiming(a.resolve("logs").resolve(algo + ".csv"));
        List<String> logB = csvWithoutTiming(b.resolve("logs").resolve(algo + ".csv"));
        assertThat(logA).hasSizeGreaterThan(3).isEqualTo(logB);
        assertThat(logA.get(logA.size() - 1)).startsWith("256,");
    }

    @Test
    void ppoOnTwoThreadsGivesIdenticalCheckpointsRunAfterRun() throws Exception {
        Path ckA = Cli.trainOk("ppo", a, STEPS, "--seed", "7", "--set", "ppo.threads=2");
        Path ckB = Cli.trainOk("ppo", b, STEPS, "--seed", "7", "--set", "ppo.threads=2");
        Path oneThread = Cli.trainOk("ppo", c, STEPS, "--seed", "7");
        assertThat(Files.readAllBytes(ckA)).isEqualTo(Files.readAllBytes(ckB));
        assertThat(Files.readAllBytes(a.resolve("ck").resolve("ppo.state.safetensors")))
                .isEqualTo(Files.readAllBytes(b.resolve("ck").resolve("ppo.state.safetensors")));
        // another thread count adds the rows' gradients in another order: other bits
        assertThat(Files.readAllBytes(ckA)).isNotEqualTo(Files.readAllBytes(oneThread));
    }

    /**
     * A run in a new JVM (interpreted and C1-compiled code) and one in this JVM (whose hot loops
     * earlier tests have had C2 compile) must agree: numerics may not depend on JIT state.
     */
    @Test
    void aFreshJvmGivesTheSameCheckpointAsThisOne() throws Exception {
        JitWarmup.run();
        Path here = Cli.trainOk("ppo", a, STEPS, "--seed", "7");
        Cli.Result fresh = Cli.runInFreshJvm(Cli.trainArgs("ppo", b, STEPS, "--seed", "7"));
        assertThat(fresh.exitCode()).as(fresh.toString()).isZero();
        assertThat(fresh.out()).contains("done: 256 steps");
        Path there = b.resolve("ck").resolve("ppo.safetensors");
        assertThat(SafeTensors.read(there).metadata()).isEqualTo(SafeTensors.read(here).metadata());
        assertThat(Files.readAllBytes(there)).as("checkpoint of a fresh JVM vs this JVM")
                .isEqualTo(Files.readAllBytes(here));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ppo", "a2c"})
    void differentSeedGivesDifferentCheckpoint(String algo) throws Exception {
        Path ckA = Cli.trainOk(algo, a, STEPS, "--seed", "7");
        Path ckC = Cli.trainOk(algo, c, STEPS, "--seed", "8");
        assertThat(Files.readAllBytes(ckA)).isNotEqualTo(Files.readAllBytes(ckC));
        // only the model differs, not the world: the catalog comes from env.seed
        assertThat(SafeTensors.read(ckA).metadata().get("env_seed")).isEqualTo(
                SafeTensors.read(ckC).metadata().get("env_seed"));
        assertThat(SafeTensors.read(ckA).tensors().get("actor.logits.weight"))
                .isNotEqualTo(SafeTensors.read(ckC).tensors().get("actor.logits.weight"));
    }
}
