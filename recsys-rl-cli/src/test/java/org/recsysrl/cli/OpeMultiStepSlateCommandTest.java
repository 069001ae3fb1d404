package org.recsysrl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.ope.FeedbackFiles;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.ope.policy.Policies;
import org.recsysrl.ope.sequential.FeedbackSlateTrajectories;
import org.recsysrl.ope.sequential.SequentialEstimate;
import org.recsysrl.ope.sequential.SequentialEstimator;
import org.recsysrl.ope.sequential.SequentialEstimators;
import org.recsysrl.ope.sequential.SlateTargetStep;

/** {@code ope --multi-step} on a slate log: whole-slate ratios, the slate value model and pdiips. */
class OpeMultiStepSlateCommandTest {
    private static final double TOL = 1e-12;

    @TempDir
    Path dir;

    /**
     * Two sessions of two steps, slates of two from {a, b, c}: s1 shows (a, c) with μ 0.25 and
     * per-position propensities (0.5, 0.4), rewards (1, 0); then (b, a), μ 0.5, (0.5, 0.25), rewards
     * (0, 2). s2 shows (c, b), μ 0.2, (0.4, 0.5), no reward; then (a, b), μ 0.5, (0.5, 0.25), rewards
     * (3, 0). The context is [x, then one feature per item a, b, c].
     */
    private Path log() throws Exception {
        Path file = dir.resolve("slates.jsonl");
        Files.writeString(file, """
                {"session": "s1", "step": 0, "context": [1, 1, 2, 3], "items": ["a", "c"], "propensities": [0.5, 0.4], "slate_propensity": 0.25, "rewards": [1, 0]}
                {"session": "s1", "step": 1, "context": [0, 2, 0, 1], "items": ["b", "a"], "propensities": [0.5, 0.25], "slate_propensity": 0.5, "rewards": [0, 2]}
                {"session": "s2", "step": 0, "context": [2, 0, 1, 1], "items": ["c", "b"], "propensities": [0.4, 0.5], "slate_propensity": 0.2, "reward": 0}
                {"session": "s2", "step": 1, "context": [1, 1, 1, 0], "items": ["a", "b"], "propensities": [0.5, 0.25], "slate_propensity": 0.5, "rewards": [3, 0]}
                """);
        return file;
    }

    @Test
    void estimatesTheDiscountedReturnOfASlateTargetByHand() throws Exception {
        Path file = log();
        Cli.Result r = Cli.run("ope", "--log", file.toString(), "--multi-step", "--gamma", "0.5", "--target", "uniform",
                "--bootstrap", "50", "--seed", "3", "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("trajectories").asInt()).isEqualTo(2);
        // on-policy: s1 1 + 0.5·2 = 2, s2 0 + 0.5·3 = 1.5
        assertThat(j.get("on_policy").get("value").asDouble()).isCloseTo(1.75, within(TOL));
        JsonNode es = j.get("targets").get(0).get("estimates");
        assertThat(es).hasSize(6);
        // uniform over 3 items at both positions: π(slate) = 1/9; ratios s1 4/9, 2/9; s2 5/9, 2/9
        // PDIS: s1 4/9·1 + 0.5·(8/81)·2 = 44/81; s2 0.5·(10/81)·3 = 15/81
        assertThat(es.get(0).get("estimator").asText()).isEqualTo("pdis");
        assertThat(es.get(0).get("value").asDouble()).isCloseTo(59.0 / 162, within(TOL));
        // PDIIPS: s1 (1/3)/0.5·1 + 0.5·(4/9)·(1/3)/0.25·2 = 34/27; s2 0.5·(5/9)·(1/3)/0.5·3 = 15/27
        assertThat(es.get(5).get("estimator").asText()).isEqualTo("pdiips");
        assertThat(es.get(5).get("value").asDouble()).isCloseTo(49.0 / 54, within(TOL));
        // whole-trajectory weights 8/81 and 10/81
        assertThat(es.get(0).get("ess").asDouble()).isCloseTo(18.0 * 18 / (64 + 100), within(TOL));
        // the model-based estimators are the library's on the same log and settings (one-hot items)
        List<SequentialEstimate> lib = library(file, -1, 0);
        for (int k = 0; k < 6; k++) {
            assertThat(es.get(k).get("estimator").asText()).isEqualTo(lib.get(k).estimator());
            assertThat(es.get(k).get("value").asDouble()).isCloseTo(lib.get(k).value(), within(TOL));
            assertThat(es.get(k).get("low").asDouble()).isCloseTo(lib.get(k).low(), within(TOL));
        }
    }

    private static List<SequentialEstimate> library(Path file, int offset, int width) throws Exception {
        return library(file, offset, width, false);
    }

    private static List<SequentialEstimate> library(Path file, int offset, int width, boolean quadratic)
            throws Exception {
        LoggedFeedback data = FeedbackFiles.read(file, FeedbackFiles.Format.JSONL, Map.of(), null);
        FeedbackSlateTrajectories slates = FeedbackSlateTrajectories.of(data, offset, width, quadratic);
        List<SlateTargetStep[]> steps = slates.targetSteps(Policies.uniform(data, "uniform"));
        List<SequentialEstimator> es = slates.estimators(slates.defaultNames(), steps);
        return SequentialEstimators.estimateAll(es, slates.weigh(steps, es, 0.5, 1.0, 2), 0.5, 50, 4);
    }

    @Test
    void candidateBlocksOfTheContextAreTheItemFeatures() throws Exception {
        Path file = log();
        Cli.Result r = Cli.run("ope", "--log", file.toString(), "--multi-step", "--gamma", "0.5", "--target", "uniform",
                "--set", "ope.model.candidates=1,1", "--bootstrap", "50", "--seed", "3", "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode es = new ObjectMapper().readTree(r.out()).get("targets").get(0).get("estimates");
        List<SequentialEstimate> blocks = library(file, 1, 1);
        List<SequentialEstimate> oneHot = library(file, -1, 0);
        assertThat(es.get(2).get("estimator").asText()).isEqualTo("dr");
        assertThat(es.get(2).get("value").asDouble()).isCloseTo(blocks.get(2).value(), within(TOL));
        assertThat(es.get(4).get("value").asDouble()).isCloseTo(blocks.get(4).value(), within(TOL));
        // another model: another FQE value; the importance-sampling estimate does not depend on it
        assertThat(Math.abs(blocks.get(4).value() - oneHot.get(4).value())).isGreaterThan(1e-6);
        assertThat(es.get(0).get("value").asDouble()).isCloseTo(59.0 / 162, within(TOL));
        // the quadratic state basis: the library's with it, and another model than the linear one
        Cli.Result q = Cli.run("ope", "--log", file.toString(), "--multi-step", "--gamma", "0.5", "--target", "uniform",
                "--set", "ope.model.candidates=1,1", "--set", "ope.model.state=quadratic", "--bootstrap", "50",
                "--seed", "3", "--json");
        assertThat(q.exitCode()).as(q.toString()).isZero();
        JsonNode qe = new ObjectMapper().readTree(q.out()).get("targets").get(0).get("estimates");
        List<SequentialEstimate> quadratic = library(file, 1, 1, true);
        assertThat(qe.get(4).get("value").asDouble()).isCloseTo(quadratic.get(4).value(), within(TOL));
        assertThat(Math.abs(quadratic.get(4).value() - blocks.get(4).value())).isGreaterThan(1e-6);
    }

    @Test
    void comparesTwoTargetsOnPairedResamples() throws Exception {
        Path file = log();
        Cli.Result r = Cli.run("ope", "--log", file.toString(), "--multi-step", "--gamma", "0.5", "--target", "uniform",
                "--target", "uniform", "--estimators", "pdis,pdiips", "--bootstrap", "30", "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode cs = new ObjectMapper().readTree(r.out()).get("comparisons");
        assertThat(cs).hasSize(2);
        for (JsonNode c : cs) {
            // a target against itself: exactly 0 on every resample
            assertThat(c.get("difference").asDouble()).isZero();
            assertThat(c.get("low").asDouble()).isZero();
            assertThat(c.get("high").asDouble()).isZero();
        }
        assertThat(cs.get(1).get("estimator").asText()).isEqualTo("pdiips");
    }

    @Test
    void refusesWhatItCannotEstimateInOneLine() throws Exception {
        Path file = log();
        Path noSlateProp = dir.resolve("noprop.jsonl");
        Files.writeString(noSlateProp, """
                {"session": "s1", "step": 0, "items": ["a", "c"], "propensities": [0.5, 0.4], "rewards": [1, 0]}
                """);
        Path totals = dir.resolve("totals.jsonl");
        Files.writeString(totals, """
                {"session": "s1", "step": 0, "items": ["a", "c"], "propensities": [0.5, 0.4], "slate_propensity": 0.2, "reward": 1}
                """);
        String[][] cases = {
            {"ope", "--log", noSlateProp.toString(), "--multi-step", "--target", "uniform"},
            {"ope", "--log", file.toString(), "--multi-step", "--target", "uniform", "--set", "ope.model.candidates=1"},
            {"ope", "--log", file.toString(), "--multi-step", "--target", "uniform", "--set", "ope.model.candidates=2,1"},
            {"ope", "--log", totals.toString(), "--multi-step", "--target", "uniform", "--estimators", "pdiips"},
            {"ope", "--log", file.toString(), "--multi-step", "--target", "uniform", "--estimators", "sips"},
            {"ope", "--log", file.toString(), "--multi-step", "--target", "uniform", "--set", "ope.model.state=cubic"},
        };
        String[] expect = {"has no slate_propensity", "give OFFSET,WIDTH", "too few for 3 blocks",
            "no per-position rewards", "not a multi-step estimator", "use linear or quadratic"};
        for (int i = 0; i < cases.length; i++) {
            Cli.Result r = Cli.run(cases[i]);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.errLines()).as(r.toString()).hasSize(1);
            assertThat(r.err()).contains(expect[i]);
        }
    }
}
