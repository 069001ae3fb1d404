package org.recsysrl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ope --estimators mips,mdr --item-features FILE} on a four-line log worked out by hand, and its refusals. */
class OpeMarginalizedCommandTest {
    @TempDir
    Path dir;

    /**
     * Items A, B (genre g) and C, D (genre h); rows (shown, logger distribution, reward): (A; .4 .1 .3 .2;
     * 1), (B; .25 each; 0), (C; .4 .1 .3 .2; 1), (D; .1 .1 .1 .7; .5). Target table π = (A .1, B .5, C .3,
     * D .1): marginal weights 1.2, 1.2, .8, .5, so MIPS = 2.25 / 4.
     */
    private Path log() throws Exception {
        Path file = dir.resolve("log.jsonl");
        Files.writeString(file, line("A", 0.4, 1, ".4, .1, .3, .2") + line("B", 0.25, 0, ".25, .25, .25, .25")
                + line("C", 0.3, 1, ".4, .1, .3, .2") + line("D", 0.7, 0.5, ".1, .1, .1, .7"));
        return file;
    }

    private static String line(String item, double propensity, double reward, String mu) {
        String[] p = mu.split(",");
        return "{\"items\": [\"" + item + "\"], \"propensities\": [" + propensity + "], \"reward\": " + reward
                + ", \"action_probabilities\": {\"A\": 0" + p[0].trim() + ", \"B\": 0" + p[1].trim() + ", \"C\": 0"
                + p[2].trim() + ", \"D\": 0" + p[3].trim() + "}}\n";
    }

    private Path table() throws Exception {
        Path t = dir.resolve("t.csv");
        Files.writeString(t, "item_id,position,probability\nA,0,0.1\nB,0,0.5\nC,0,0.3\nD,0,0.1\n");
        return t;
    }

    @Test
    void estimatesMipsFromTheItemFeaturesFile() throws Exception {
        Path features = dir.resolve("items.csv");
        Files.writeString(features, "item_id,genre,year\nA,g,1990\nB,g,2000\nC,h,1990\nD,h,1990\n");
        Cli.Result r = Cli.run("ope", "--log", log().toString(), "--target", "table:" + table(), "--estimators",
                "ips,mips,mdr", "--item-features", features.toString(), "--item-feature-columns", "genre",
                "--bootstrap", "50", "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode est = new ObjectMapper().readTree(r.out()).get("targets").get(0).get("estimates");
        assertThat(est.get(1).get("estimator").asText()).isEqualTo("mips");
        assertThat(est.get(1).get("value").asDouble()).isCloseTo(2.25 / 4, within(1e-12));
        assertThat(est.get(1).get("max_weight").asDouble()).isCloseTo(1.2, within(1e-12));
        assertThat(est.get(1).get("notes").toString()).contains("embedding=items.csv:genre (2 groups)");
        assertThat(est.get(2).get("estimator").asText()).isEqualTo("mdr");
        // without --estimators, --item-features adds mips and mdr to the defaults
        Cli.Result all = Cli.run("ope", "--log", log().toString(), "--target", "table:" + table(), "--item-features",
                features.toString(), "--item-feature-columns", "genre", "--bootstrap", "20");
        assertThat(all.exitCode()).as(all.toString()).isZero();
        assertThat(all.out()).contains("mips").contains("mdr").contains("dros");
    }

    @Test
    void refusesInOneLine() throws Exception {
        Path gap = dir.resolve("gap.csv");
        Files.writeString(gap, "item_id,genre\nA,g\nB,g\nC,h\n");
        Path bare = dir.resolve("bare.jsonl");
        Files.writeString(bare, "{\"items\": [\"A\"], \"propensities\": [0.5], \"reward\": 1}\n");
        String log = log().toString();
        String target = "table:" + table();
        String[][] cases = {
            {"ope", "--log", log, "--target", target, "--estimators", "mips"},
            {"ope", "--log", log, "--target", target, "--estimators", "mips", "--item-features", gap.toString()},
            {"ope", "--log", log, "--target", target, "--item-features", dir.resolve("none.csv").toString()},
            {"ope", "--log", bare.toString(), "--target", "uniform", "--estimators", "mips", "--item-features",
                gap.toString()},
            {"ope", "--log", log, "--target", target, "--multi-step", "--item-features", gap.toString()},
        };
        String[] expect = {"need the items' features: add --item-features", "has no row for item D of",
            "no such file", "has no action_probabilities", "drop --multi-step"};
        for (int i = 0; i < cases.length; i++) {
            Cli.Result r = Cli.run(cases[i]);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.err().strip().lines().filter(l -> !l.startsWith("WARNING")).toList())
                    .as(r.toString()).singleElement().asString().startsWith("error:").contains(expect[i]);
        }
    }
}
