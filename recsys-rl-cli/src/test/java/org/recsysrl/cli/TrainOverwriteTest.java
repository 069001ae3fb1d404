package org.recsysrl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second {@code train} into a checkpoint directory that holds a run never replaces it silently:
 * it needs {@code --resume} or {@code --overwrite} (issue 27, finding 1).
 */
class TrainOverwriteTest {
    @TempDir
    Path dir;

    @Test
    void aSecondRunIntoTheSameDirectoryIsRefusedAndTheFirstKept() throws Exception {
        Path ck = Cli.trainOk("ppo", dir, 128);
        byte[] first = Files.readAllBytes(ck);
        byte[] manifest = Files.readAllBytes(ck.resolveSibling("ppo.latest"));

        String line = Cli.userError(Cli.train("ppo", dir, 128, "--seed", "7"));
        assertThat(line).contains("--resume").contains("--overwrite").contains(dir.resolve("ck").toString());
        assertThat(Files.readAllBytes(ck)).isEqualTo(first);
        assertThat(Files.readAllBytes(ck.resolveSibling("ppo.latest"))).isEqualTo(manifest);
    }

    @Test
    void aPartialRunOnlyAManifestIsAlsoARun() throws Exception {
        Path ckDir = Files.createDirectories(dir.resolve("ck"));
        Files.writeString(ckDir.resolve("a2c.latest"), "checkpoint=a2c.000000000064.safetensors\n");
        String line = Cli.userError(Cli.train("a2c", dir, 64));
        assertThat(line).contains("a2c.latest").contains("--overwrite");
    }

    @Test
    void overwriteReplacesTheRunAndOtherAlgorithmsAreNotInTheWay() throws Exception {
        Path ck = Cli.trainOk("ppo", dir, 128);
        byte[] first = Files.readAllBytes(ck);
        // another algorithm's run in the same directory is not this one's
        Path a2c = Cli.trainOk("a2c", dir, 64);
        assertThat(a2c).exists();
        Cli.trainOk("ppo", dir, 128, "--seed", "7", "--overwrite");
        assertThat(Files.readAllBytes(ck)).isNotEqualTo(first);
        assertThat(Files.readString(ck.resolveSibling("ppo.latest"))).contains("step=128");
    }

    @Test
    void resumeAndOverwriteTogetherAreRefused() throws Exception {
        Cli.trainOk("ppo", dir, 128);
        String line = Cli.userError(Cli.train("ppo", dir, 256, "--resume", "--overwrite"));
        assertThat(line).contains("--resume").contains("--overwrite");
    }
}
