package org.recsysrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --algo banditnet|offpolicy-dr} on a slate log of interest-evolution: the command
 * learns and writes a checkpoint that {@code evaluate} plays; the multi-step learner and a
 * single-item log are refused in one line.
 */
class SlateTrainCommandTest {
    @TempDir
    Path dir;

    @Test
    void slateLogsTrainTheOneStepLearnersAndRefuseTheRest() {
        Path log = dir.resolve("slates.jsonl");
        Cli.Result logged = Cli.run("log", "--env", "interest-evolution", "--policy", "popular", "--explore",
                "epsilon=0.3", "--episodes", "30", "--out", log.toString());
        assertEquals(0, logged.exitCode(), logged.toString());
        for (String algo : new String[] {"banditnet", "offpolicy-dr"}) {
            Path ck = dir.resolve("ck-" + algo);
            Cli.Result trained = Cli.run("train", "--algo", algo, "--env", "interest-evolution", "--data", log.toString(),
                    "--checkpoint-dir", ck.toString(), "--set", "learn.epochs=1", "--set", "learn.lambdas=0");
            assertEquals(0, trained.exitCode(), trained.toString());
            assertTrue(trained.out().contains("saved") || trained.err().contains("saved"), trained.toString());
            Path file = ck.resolve(algo + ".safetensors");
            assertTrue(Files.isRegularFile(file), trained.toString());
            Cli.Result played = Cli.run("evaluate", "--checkpoint", file.toString(), "--sample", "--episodes", "2");
            assertEquals(0, played.exitCode(), played.toString());
        }
        Cli.Result fqi = Cli.run("train", "--algo", "offpolicy-fqi", "--env", "interest-evolution", "--data",
                log.toString(), "--checkpoint-dir", dir.resolve("fqi").toString());
        assertEquals(2, fqi.exitCode(), fqi.toString());
        assertTrue(fqi.err().contains("shows slates: use --algo banditnet or offpolicy-dr"), fqi.toString());
        assertEquals(1, fqi.err().strip().lines().filter(l -> l.startsWith("error")).count(), fqi.toString());
        Path single = dir.resolve("single.jsonl");
        Cli.Result singleLog = Cli.run("log", "--env", "long-video", "--policy", "popular", "--explore", "epsilon=0.3",
                "--episodes", "5", "--out", single.toString());
        assertEquals(0, singleLog.exitCode(), singleLog.toString());
        Cli.Result mismatch = Cli.run("train", "--algo", "banditnet", "--env", "interest-evolution", "--data",
                single.toString(), "--checkpoint-dir", dir.resolve("m").toString());
        assertEquals(2, mismatch.exitCode(), mismatch.toString());
        assertTrue(mismatch.err().contains(single.toString()), mismatch.toString());
        assertEquals(1, mismatch.err().strip().lines().count(), mismatch.toString());
    }
}
