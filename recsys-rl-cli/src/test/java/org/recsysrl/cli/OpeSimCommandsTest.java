package org.recsysrl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.ope.FeedbackJsonl;
import org.recsysrl.ope.LoggedFeedback;

/** {@code log} and {@code ope-validate}: logging platform episodes and checking estimators against the truth. */
class OpeSimCommandsTest {
    @TempDir
    Path dir;

    @Test
    void logsEpisodesThatReadBackAndRepeatForASeed() throws Exception {
        Path a = dir.resolve("a.jsonl");
        Path b = dir.resolve("b.jsonl");
        Cli.Result r = Cli.run("log", "--env", "long-video", "--policy", "myopic", "--explore", "epsilon=0.2",
                "--episodes", "3", "--seed", "4", "--out", a.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("3 episodes").contains("myopic-oracle@epsilon=0.2");
        assertThat(Cli.run("log", "--env", "long-video", "--policy", "myopic", "--explore", "epsilon=0.2",
                "--episodes", "3", "--seed", "4", "--out", b.toString()).exitCode()).isZero();
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
        LoggedFeedback log = FeedbackJsonl.read(a, null);
        assertThat(log.rows()).isPositive();
        // 60 videos: the greedy one 0.8 + 0.2/60, any other 0.2/60
        for (int row = 0; row < log.rows(); row++) {
            double p = log.propensity(row, 0);
            assertThat(Math.abs(p - (0.8 + 0.2 / 60)) < 1e-12 || Math.abs(p - 0.2 / 60) < 1e-12).as("p=" + p).isTrue();
            assertThat(log.hasLoggerDistribution(row)).isTrue();
        }
        assertThat(log.session(0)).isEqualTo("e0");
        assertThat(log.step(0)).isZero();
    }

    @Test
    void aCheckpointLogsUnderItsOwnSoftmax() throws Exception {
        Path ck = Cli.trainOk("ppo", dir.resolve("run"), 256, "--env", "long-video");
        Path out = dir.resolve("ppo.jsonl");
        Cli.Result r = Cli.run("log", "--env", "long-video", "--policy", "checkpoint:" + ck, "--explore",
                "softmax:temperature=2", "--episodes", "2", "--out", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        LoggedFeedback log = FeedbackJsonl.read(out, null);
        for (int row = 0; row < log.rows(); row++) {
            double sum = 0;
            for (double p : log.loggerDistributionProbabilities(row)) {
                sum += p;
            }
            assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(log.propensity(row, 0)).isEqualTo(log.loggerProbability(row, log.item(row, 0)));
        }
        Cli.Result other = Cli.run("log", "--env", "short-video", "--policy", "checkpoint:" + ck, "--episodes", "1",
                "--out", dir.resolve("x.jsonl").toString());
        assertThat(Cli.userError(other)).contains("long-video");
    }

    @Test
    void userMistakesAreOneLineErrors() {
        Path out = dir.resolve("e.jsonl");
        assertThat(Cli.userError(Cli.run("log", "--env", "short-video", "--explore", "greedy", "--episodes", "1",
                "--out", out.toString()))).contains("epsilon=");
        assertThat(Cli.userError(Cli.run("log", "--env", "long-video", "--policy", "nonesuch", "--episodes", "1",
                "--out", out.toString()))).contains("completion-aware");
        assertThat(Cli.userError(Cli.run("log", "--env", "short-video", "--episodes", "0", "--out", out.toString())))
                .contains("--episodes");
        assertThat(Cli.userError(Cli.run("log", "--env", "nowhere", "--episodes", "1", "--out", out.toString())))
                .contains("short-video");
        assertThat(Cli.userError(Cli.run("log", "--env", "short-video", "--explore", "softmax:temperature=1",
                "--episodes", "1", "--out", out.toString()))).contains("checkpoints");
        assertThat(Cli.userError(Cli.run("ope-validate", "--env", "interest-evolution", "--datasets", "0")))
                .contains("--datasets");
        assertThat(Cli.userError(Cli.run("ope-validate", "--env", "short-video", "--sizes", "0"))).contains("--sizes");
        assertThat(out).doesNotExist();
    }

    @Test
    void validatesAgainstTheTruthWithJsonAndAPlot() throws Exception {
        Path svg = dir.resolve("errors.svg");
        Cli.Result r = Cli.run("ope-validate", "--env", "long-video", "--sizes", "150,300", "--datasets", "2",
                "--target", "random", "--truth-episodes", "40", "--truth-rounds", "100", "--resamples", "10", "--json",
                "--plot", svg.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("logging_policy").asText()).isEqualTo("myopic-oracle@epsilon=0.3");
        // one target × (7 one-step + 5 multi-step estimators) × 2 sizes
        assertThat(root.get("results")).hasSize(24);
        assertThat(root.get("results").get(0).get("relative_errors")).hasSize(2);
        assertThat(Files.readString(svg)).startsWith("<svg").contains("random multi-step dr")
                .doesNotContain("random multi-step pdis");
        // the saved result prints and plots again without a run
        Path saved = dir.resolve("result.json");
        Files.writeString(saved, r.out());
        Path again = dir.resolve("again.svg");
        Cli.Result replay = Cli.run("ope-validate", "--env", "long-video", "--from-json", saved.toString(), "--plot",
                again.toString(), "--plot-estimators", "dr,pdis");
        assertThat(replay.exitCode()).as(replay.toString()).isZero();
        assertThat(replay.out()).contains("random").contains("multi-step").contains("pdis");
        assertThat(Files.readString(again)).contains("random multi-step pdis");
        assertThat(Cli.userError(Cli.run("ope-validate", "--env", "long-video", "--from-json",
                dir.resolve("none.json").toString()))).contains("--from-json");
    }
}
