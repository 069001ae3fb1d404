package org.recsysrl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code log --target} writes reference policies' distributions; {@code ope --target logged:NAME} evaluates them. */
class OpeLoggedTargetTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aReferencePolicyWrittenIntoTheLogIsATarget() throws Exception {
        Path with = dir.resolve("with.jsonl");
        Path without = dir.resolve("without.jsonl");
        String[] base = {"log", "--env", "long-video", "--policy", "myopic", "--explore", "epsilon=0.3", "--episodes",
            "4", "--seed", "2"};
        Cli.Result r = Cli.run(concat(base, "--target", "myopic@epsilon=0.1", "--target", "random", "--out",
                with.toString()));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Cli.run(concat(base, "--out", without.toString())).exitCode()).isZero();
        List<String> a = Files.readAllLines(with);
        List<String> b = Files.readAllLines(without);
        // the targets do not change what was logged: the lines are the same without the new field
        assertThat(a).hasSameSizeAs(b);
        double ips = 0;
        for (int i = 0; i < a.size(); i++) {
            ObjectNode line = (ObjectNode) JSON.readTree(a.get(i));
            JsonNode targets = line.remove("target_probabilities");
            assertThat(line).isEqualTo(JSON.readTree(b.get(i)));
            JsonNode greedy = targets.get("myopic-oracle@epsilon=0.1");
            assertThat(greedy.get("uniform").asDouble()).isEqualTo(0.1);
            assertThat(greedy.get("items").size()).isEqualTo(1);
            assertThat(greedy.get("items").elements().next().asDouble()).isCloseTo(0.9, within(1e-12));
            assertThat(targets.get("random").get("uniform").asDouble()).isEqualTo(1.0);
            // IPS by hand: π(a)/μ(a)·r, π(a) = 0.1/60 + 0.9·1[a greedy] over the 60 videos
            String item = line.get("items").get(0).asText();
            double pi = 0.1 / 60 + (greedy.get("items").has(item) ? greedy.get("items").get(item).asDouble() : 0);
            ips += pi / line.get("propensities").get(0).asDouble() * line.get("reward").asDouble();
        }
        ips /= a.size();

        Cli.Result ope = Cli.run("ope", "--log", with.toString(), "--target", "logged:myopic-oracle@epsilon=0.1",
                "--target", "logged:random", "--target", "uniform", "--estimators", "ips,dr", "--bootstrap", "20",
                "--json");
        assertThat(ope.exitCode()).as(ope.toString()).isZero();
        JsonNode t = JSON.readTree(ope.out()).get("targets");
        assertThat(t.get(0).get("estimates").get(0).get("value").asDouble()).isCloseTo(ips, within(1e-12));
        // the logged uniform policy is the built-in uniform target, estimator for estimator
        for (int k = 0; k < 2; k++) {
            assertThat(t.get(1).get("estimates").get(k).get("value").asDouble())
                    .isCloseTo(t.get(2).get("estimates").get(k).get("value").asDouble(), within(1e-12));
        }
        Cli.Result multi = Cli.run("ope", "--log", with.toString(), "--multi-step", "--target", "logged:random",
                "--target", "uniform", "--bootstrap", "20", "--json");
        assertThat(multi.exitCode()).as(multi.toString()).isZero();
        JsonNode m = JSON.readTree(multi.out()).get("targets");
        for (int k = 0; k < 5; k++) {
            assertThat(m.get(0).get("estimates").get(k).get("value").asDouble())
                    .isCloseTo(m.get(1).get("estimates").get(k).get("value").asDouble(), within(1e-12));
        }

        Cli.Result missing = Cli.run("ope", "--log", with.toString(), "--target", "logged:budget-aware");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.errLines()).as(missing.toString()).hasSize(1);
        assertThat(missing.err()).contains("line 1").contains("myopic-oracle@epsilon=0.1, random");
        Cli.Result none = Cli.run("ope", "--log", without.toString(), "--target", "logged:random");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("recsys-rl log --target random");
        Cli.Result slates = Cli.run("log", "--env", "interest-evolution", "--episodes", "1", "--target", "random",
                "--out", dir.resolve("s.jsonl").toString());
        assertThat(slates.exitCode()).isEqualTo(2);
        assertThat(slates.err()).contains("single-item environments only");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
