package org.recsysrl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.ope.FeedbackJsonl;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.ope.estimator.InversePropensity;
import org.recsysrl.ope.estimator.OpeInput;
import org.recsysrl.ope.policy.Policies;
import org.recsysrl.ope.synthetic.SyntheticBandit;

class OpeCommandTest {
    @TempDir
    Path dir;

    @Test
    void estimatesTargetsSideBySideAndComparesThem() throws Exception {
        SyntheticBandit bandit = new SyntheticBandit(10, 3, 5, 1.0, 0.1, 2);
        LoggedFeedback log = bandit.log(2000, 3, false);
        Path file = dir.resolve("log.jsonl");
        FeedbackJsonl.write(log, file);
        Path table = dir.resolve("t.csv");
        Files.writeString(table, "item_id,position,probability\ni0,0,0.5\ni1,0,0.5\n");
        Cli.Result r = Cli.run("ope", "--log", file.toString(), "--target", "uniform", "--target",
                "table:" + table, "--estimators", "ips,snips,dr", "--bootstrap", "100", "--json", "--seed", "5");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("rows").asInt()).isEqualTo(2000);
        assertThat(j.get("on_policy").get("value").asDouble()).isCloseTo(log.meanReward(), within(1e-12));
        JsonNode uniformIps = j.get("targets").get(0).get("estimates").get(0);
        double expected = new InversePropensity().terms(OpeInput.prepare(log, Policies.uniform(log, "u"), null))
                .estimate();
        assertThat(uniformIps.get("estimator").asText()).isEqualTo("ips");
        assertThat(uniformIps.get("value").asDouble()).isCloseTo(expected, within(1e-12));
        assertThat(uniformIps.get("low").asDouble()).isLessThan(expected);
        assertThat(uniformIps.get("high").asDouble()).isGreaterThan(expected);
        assertThat(uniformIps.get("ess").asDouble()).isPositive();
        assertThat(j.get("comparisons")).hasSize(3);
        JsonNode c = j.get("comparisons").get(0);
        assertThat(c.get("difference").asDouble()).isCloseTo(j.get("targets").get(1).get("estimates").get(0)
                .get("value").asDouble() - expected, within(1e-12));
        // the two-item table has no support problem; its true value is within reach of DR
        double truth = bandit.trueValue(Policies.table(table, "t"));
        JsonNode dr = j.get("targets").get(1).get("estimates").get(2);
        assertThat(dr.get("value").asDouble()).isCloseTo(truth, within(0.1));

        Cli.Result text = Cli.run("ope", "--log", file.toString(), "--target", "uniform", "--bootstrap", "50");
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out()).contains("logging policy (on-policy mean reward)").contains("target uniform")
                .contains("switch-dr").contains("dros");
    }

    @Test
    void userMistakesAreOneLineAndExitTwo() throws Exception {
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"items\": [\"a\"], \"propensities\": [0.5], \"reward\": 1}\n"
                + "{\"items\": [\"a\"], \"propensities\": [0], \"reward\": 1}\n");
        Path slates = dir.resolve("slates.jsonl");
        Files.writeString(slates, "{\"items\": [\"a\", \"b\"], \"propensities\": [0.5, 0.5], \"rewards\": [1, 0]}\n");
        String[][] cases = {
            {"ope", "--log", bad.toString(), "--target", "uniform"},
            {"ope", "--log", slates.toString(), "--target", "uniform", "--estimators", "ips"},
            {"ope", "--log", slates.toString(), "--target", "best"},
            {"ope", "--log", slates.toString(), "--target", "table:" + dir.resolve("none.csv")},
            {"ope", "--log", slates.toString(), "--target", "uniform", "--set", "ope.xyz=1"},
            {"ope", "--log", dir.resolve("missing.jsonl").toString(), "--target", "uniform"},
            {"ope", "--target", "uniform"},
            {"ope", "--log", slates.toString()},
        };
        String[] expect = {"line 2: propensity 0.0", "use iips, rips, pi, sips, sdr or cascade-dr", "--target best", "does not exist",
            "unknown setting", "does not exist", "--log is missing", "no --target"};
        for (int i = 0; i < cases.length; i++) {
            Cli.Result r = Cli.run(cases[i]);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.errLines()).as(r.toString()).hasSize(1);
            assertThat(r.err()).contains(expect[i]);
        }
        // slates with the default estimators work
        Cli.Result ok = Cli.run("ope", "--log", slates.toString(), "--target", "uniform", "--bootstrap", "20");
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains("iips").contains("rips").contains("pi");
    }

    @Test
    void benchAndCoverageRunOnTinySizes() {
        Cli.Result bench = Cli.run("ope", "--bench", "--bench-rows", "2000", "--bench-items", "20", "--bootstrap", "20");
        assertThat(bench.exitCode()).as(bench.toString()).isZero();
        assertThat(bench.out()).contains("ips bootstrap x20").contains("dros point estimate")
                .contains("all 7 estimators' bootstrap").contains("true value of the uniform target");
        Cli.Result cov = Cli.run("ope", "--coverage", "10", "--coverage-rows", "100", "--bootstrap", "20",
                "--estimators", "ips,dr");
        assertThat(cov.exitCode()).as(cov.toString()).isZero();
        assertThat(cov.out()).contains("synthetic coverage: 10 logs of 100 rows").containsPattern("ips +\\d+\\.\\d%");
        Cli.Result bad = Cli.run("ope", "--coverage", "10", "--coverage-epsilon", "2");
        assertThat(bad.exitCode()).isEqualTo(2);
    }
}
