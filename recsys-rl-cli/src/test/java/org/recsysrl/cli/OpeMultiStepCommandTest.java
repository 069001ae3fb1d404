package org.recsysrl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.ope.FeedbackFiles;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.ope.policy.Policies;
import org.recsysrl.ope.sequential.FeedbackTrajectories;
import org.recsysrl.ope.sequential.SequentialEstimate;

/** {@code ope --multi-step}: trajectories from a JSONL log's sessions and steps. */
class OpeMultiStepCommandTest {
    private static final double TOL = 1e-12;

    @TempDir
    Path dir;

    /**
     * Session s1: (step 0, a, μ 0.25, r 1), (step 1, b, μ 0.5, r 2), written out of order; session
     * s2: (step 0, b, μ 0.8, r 3). The uniform target over {a, b} has ratios 2, 1 on s1 and 0.625
     * on s2.
     */
    private Path log() throws Exception {
        Path file = dir.resolve("traj.jsonl");
        Files.writeString(file, """
                {"session": "s1", "step": 1, "items": ["b"], "propensities": [0.5], "reward": 2}
                {"session": "s2", "step": 0, "items": ["b"], "propensities": [0.8], "reward": 3}
                {"session": "s1", "step": 0, "items": ["a"], "propensities": [0.25], "reward": 1}
                """);
        return file;
    }

    @Test
    void estimatesTheDiscountedReturnOfEveryTargetByHand() throws Exception {
        Path file = log();
        Cli.Result r = Cli.run("ope", "--log", file.toString(), "--multi-step", "--gamma", "0.5", "--target", "uniform",
                "--reference", file.toString(), "--bootstrap", "50", "--seed", "3", "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("trajectories").asInt()).isEqualTo(2);
        // on-policy: s1 1 + 0.5·2 = 2, s2 3
        assertThat(j.get("on_policy").get("value").asDouble()).isCloseTo(2.5, within(TOL));
        JsonNode t = j.get("targets").get(0);
        assertThat(t.get("reference").get("value").asDouble()).isCloseTo(2.5, within(TOL));
        JsonNode es = t.get("estimates");
        assertThat(es).hasSize(5);
        // PDIS: s1 2·1 + 0.5·(2·1)·2 = 4, s2 0.625·3 = 1.875; mean 2.9375
        assertThat(es.get(0).get("estimator").asText()).isEqualTo("pdis");
        assertThat(es.get(0).get("value").asDouble()).isCloseTo(2.9375, within(TOL));
        assertThat(es.get(0).get("relative_error").asDouble()).isCloseTo((2.9375 - 2.5) / 2.5, within(TOL));
        // WPDIS: t=0 (2·1 + 0.625·3) / 2.625; t=1 0.5 · 2·2 / (2 + 0.625), s2 ended with weight 0.625
        assertThat(es.get(1).get("estimator").asText()).isEqualTo("wpdis");
        assertThat(es.get(1).get("value").asDouble()).isCloseTo(3.875 / 2.625 + 0.5 * 4 / 2.625, within(TOL));
        // ESS (2 + 0.625)² / (4 + 0.390625), largest cumulative weight 2
        assertThat(es.get(0).get("ess").asDouble()).isCloseTo(2.625 * 2.625 / 4.390625, within(TOL));
        assertThat(es.get(0).get("max_weight").asDouble()).isCloseTo(2.0, within(TOL));
        // the model-based estimators are the library's on the same log and settings
        LoggedFeedback data = FeedbackFiles.read(file, FeedbackFiles.Format.JSONL, java.util.Map.of(), null);
        List<SequentialEstimate> lib = FeedbackTrajectories.of(data).estimate(Policies.uniform(data, "uniform"), 0.5,
                1.0, 2, 50, 4);
        for (int k = 2; k < 5; k++) {
            assertThat(es.get(k).get("estimator").asText()).isEqualTo(lib.get(k).estimator());
            assertThat(es.get(k).get("value").asDouble()).isCloseTo(lib.get(k).value(), within(TOL));
            assertThat(es.get(k).get("low").asDouble()).isCloseTo(lib.get(k).low(), within(TOL));
        }

        // --clip 1.5 adds cpdis and cdr: s1's weights (2, 2·1) are clipped to 1.5, so
        // CPDIS = (1.5·1 + 0.5·1.5·2 + 0.625·3) / 2
        Cli.Result clipped = Cli.run("ope", "--log", file.toString(), "--multi-step", "--gamma", "0.5", "--target",
                "uniform", "--estimators", "pdis", "--clip", "1.5", "--bootstrap", "20", "--json");
        assertThat(clipped.exitCode()).as(clipped.toString()).isZero();
        JsonNode ce = new ObjectMapper().readTree(clipped.out()).get("targets").get(0).get("estimates");
        assertThat(ce).hasSize(3);
        assertThat(ce.get(1).get("estimator").asText()).isEqualTo("cpdis");
        assertThat(ce.get(1).get("value").asDouble()).isCloseTo((1.5 + 0.5 * 1.5 * 2 + 1.875) / 2, within(TOL));
        assertThat(ce.get(2).get("estimator").asText()).isEqualTo("cdr");

        Cli.Result text = Cli.run("ope", "--log", file.toString(), "--multi-step", "--gamma", "0.5", "--target",
                "uniform", "--estimators", "pdis,wpdis", "--bootstrap", "20");
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out()).contains("2 trajectories").contains("on-policy mean discounted return): 2.500000")
                .contains("pdis         2.937500").doesNotContain("fqe");
    }

    @Test
    void twoTargetsAreComparedOnPairedResamplesOfTheTrajectories() throws Exception {
        Path file = log();
        Path table = dir.resolve("a-only.csv");
        Files.writeString(table, "item_id,position,probability\na,0,1.0\nb,0,0.0\n");
        Cli.Result r = Cli.run("ope", "--log", file.toString(), "--multi-step", "--gamma", "0.5", "--target", "uniform",
                "--target", "table:" + table, "--estimators", "pdis", "--bootstrap", "50", "--seed", "3", "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode c = new ObjectMapper().readTree(r.out()).get("comparisons");
        assertThat(c).hasSize(1);
        // a-only: ratios 4, 0 on s1 and 0 on s2: PDIS (4·1 + 0.5·0·2 + 0) / 2 = 2; uniform 2.9375
        assertThat(c.get(0).get("estimator").asText()).isEqualTo("pdis");
        assertThat(c.get(0).get("difference").asDouble()).isCloseTo(2 - 2.9375, within(TOL));
        assertThat(c.get(0).get("low").asDouble()).isLessThanOrEqualTo(c.get(0).get("high").asDouble());
        Cli.Result text = Cli.run("ope", "--log", file.toString(), "--multi-step", "--gamma", "0.5", "--target",
                "uniform", "--target", "table:" + table, "--estimators", "pdis", "--bootstrap", "20");
        assertThat(text.out()).contains("paired comparison").contains("-0.937500");
    }

    @Test
    void mistakesAreOneLineAndAOneStepRunNamesTheOption() throws Exception {
        Path file = log();
        Path flat = dir.resolve("flat.jsonl");
        Files.writeString(flat, "{\"items\": [\"a\"], \"propensities\": [0.5], \"reward\": 1}\n");
        String[][] cases = {
            {"ope", "--log", file.toString(), "--multi-step", "--target", "uniform", "--estimators", "ips"},
            {"ope", "--log", file.toString(), "--multi-step", "--target", "uniform", "--gamma", "1.5"},
            {"ope", "--log", flat.toString(), "--multi-step", "--target", "uniform"},
            {"ope", "--log", file.toString(), "--target", "uniform", "--clip", "10"},
            {"ope", "--log", file.toString(), "--multi-step", "--target", "uniform", "--clip", "0"},
        };
        String[] expect = {"not a multi-step estimator", "--gamma 1.5", "has no session or no step",
            "--clip applies to --multi-step", "--clip 0.0"};
        for (int i = 0; i < cases.length; i++) {
            Cli.Result r = Cli.run(cases[i]);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.errLines()).as(r.toString()).hasSize(1);
            assertThat(r.err()).contains(expect[i]);
        }
        Cli.Result oneStep = Cli.run("ope", "--log", file.toString(), "--target", "uniform", "--estimators", "ips",
                "--bootstrap", "20");
        assertThat(oneStep.exitCode()).as(oneStep.toString()).isZero();
        assertThat(oneStep.err()).contains("--multi-step");
    }
}
