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
import org.recsysrl.config.RunConfig;
import org.recsysrl.ope.estimator.ItemGroups;
import org.recsysrl.ope.sim.SimItemFeatures;
import org.recsysrl.setup.Setup;
import org.recsysrl.workload.Platforms;

/**
 * {@code log --item-features-out FILE} writes the platform's item features for
 * {@code ope --item-features FILE}: the estimates over them are those over the groups the simulator
 * itself gives ({@link SimItemFeatures#of}, the path of {@code ope-validate --item-features}).
 */
class LogItemFeaturesTest {
    @TempDir
    Path dir;

    private static Setup setup(String env) {
        return Platforms.get(env).setup(RunConfig.defaults().env().seed());
    }

    /** Logs {@code env} with a logged target and the item features; returns [log, features]. */
    private Path[] logWithFeatures(String env, String target) {
        Path log = dir.resolve(env + ".jsonl");
        Path features = dir.resolve(env + "-items.csv");
        Cli.Result r = Cli.run("log", "--env", env, "--policy", "myopic", "--explore", "epsilon=0.3", "--episodes",
                "6", "--seed", "3", "--target", target, "--action-probabilities", "always", "--out", log.toString(),
                "--item-features-out", features.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("wrote " + features);
        return new Path[] {log, features};
    }

    /** The CSV item_id,group of {@code spec}'s groups on {@code env}'s items, made from the simulator. */
    private Path simulatorGroups(String env, String spec) throws Exception {
        ItemGroups groups = SimItemFeatures.of(env, setup(env), spec);
        StringBuilder sb = new StringBuilder("item_id,group\n");
        for (int a = 0; a < groups.groups().length; a++) {
            sb.append('i').append(a).append(",g").append(groups.group(a)).append('\n');
        }
        Path file = dir.resolve(env + "-sim-" + spec.replace('+', '_') + ".csv");
        Files.writeString(file, sb.toString());
        return file;
    }

    private static JsonNode estimates(Path log, String target, Path features, String... columns) throws Exception {
        String[] base = {"ope", "--log", log.toString(), "--target", "logged:" + target, "--estimators",
            "ips,dr,mips,mdr", "--item-features", features.toString(), "--bootstrap", "20", "--json"};
        String[] args = columns.length == 0 ? base : concat(base, "--item-feature-columns", columns[0]);
        Cli.Result r = Cli.run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return new ObjectMapper().readTree(r.out()).get("targets").get(0).get("estimates");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static double value(JsonNode estimates, String estimator) {
        for (JsonNode e : estimates) {
            if (e.get("estimator").asText().equals(estimator)) {
                return e.get("value").asDouble();
            }
        }
        throw new AssertionError("no " + estimator + " in " + estimates);
    }

    @Test
    void shortVideoTopicsGiveTheSimulatorsMipsAndMdr() throws Exception {
        String target = "budget-aware@epsilon=0.5";
        Path[] lf = logWithFeatures("short-video", target);
        Setup setup = setup("short-video");
        List<String> lines = Files.readAllLines(lf[1]);
        assertThat(lines.get(0)).isEqualTo("item_id,topic,length");
        assertThat(lines).hasSize(setup.actionCount() + 1);
        // the length column is the published value, item by item
        int dim = setup.itemDim();
        for (int a = 0; a < setup.actionCount(); a++) {
            String[] f = lines.get(a + 1).split(",");
            assertThat(f[0]).isEqualTo("i" + a);
            assertThat(Float.parseFloat(f[2])).isEqualTo(setup.itemEmbeddings()[a * dim + dim - 1]);
        }
        JsonNode written = estimates(lf[0], target, lf[1], "topic");
        JsonNode simulator = estimates(lf[0], target, simulatorGroups("short-video", "topic"));
        assertThat(value(written, "mips")).isCloseTo(value(simulator, "mips"), within(1e-12));
        assertThat(value(written, "mdr")).isCloseTo(value(simulator, "mdr"), within(1e-12));
        // topics pool items: the marginal weights are not IPS's
        assertThat(Math.abs(value(written, "mips") - value(written, "ips"))).isGreaterThan(1e-9);
    }

    @Test
    void educationSkillAndLevelByDefault() throws Exception {
        String target = "random";
        Path[] lf = logWithFeatures("education", target);
        assertThat(Files.readAllLines(lf[1]).get(0)).isEqualTo("item_id,skill,level");
        JsonNode written = estimates(lf[0], target, lf[1]);
        JsonNode simulator = estimates(lf[0], target, simulatorGroups("education", "skill+level"));
        assertThat(value(written, "mips")).isCloseTo(value(simulator, "mips"), within(1e-12));
        assertThat(value(written, "mdr")).isCloseTo(value(simulator, "mdr"), within(1e-12));
    }

    @Test
    void slatesAreRefusedInOneLineBeforeLogging() {
        Path out = dir.resolve("s.jsonl");
        Cli.Result r = Cli.run("log", "--env", "interest-evolution", "--episodes", "1", "--out", out.toString(),
                "--item-features-out", dir.resolve("s.csv").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip().lines().filter(l -> !l.startsWith("WARNING")).toList()).as(r.toString())
                .singleElement().asString().startsWith("error:").contains("--item-features-out")
                .contains("shows slates");
        assertThat(out).doesNotExist();
    }
}
