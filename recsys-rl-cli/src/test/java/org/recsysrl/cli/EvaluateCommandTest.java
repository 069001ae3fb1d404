package org.recsysrl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateCommandTest {
    @TempDir
    static Path dir;

    static Path checkpoint;

    @BeforeAll
    static void trainOnce() {
        checkpoint = Cli.trainOk("ppo", dir, 128);
    }

    private static Cli.Result evaluate(String... extra) {
        List<String> args = new ArrayList<>(List.of("evaluate", "--checkpoint", checkpoint.toString()));
        args.addAll(List.of(extra));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).isEmpty();
        return r;
    }

    @Test
    void textReportHasEveryEpisodeEveryPolicyAndTheScore() {
        String out = evaluate("--episodes", "7").out();
        assertThat(out).startsWith("checkpoint " + checkpoint + ": ppo, 128 steps, env seed 0; 7 episodes, argmax");
        Matcher m = Pattern.compile("(?m)^episode +(\\d+) +user +(\\d+) +total reward +(-?\\d+\\.\\d{3})$").matcher(out);
        List<Integer> numbers = new ArrayList<>();
        while (m.find()) {
            numbers.add(Integer.parseInt(m.group(1)));
            assertThat(Integer.parseInt(m.group(2))).isBetween(0, 9);
        }
        assertThat(numbers).containsExactly(1, 2, 3, 4, 5, 6, 7);
        for (String policy : List.of("ppo", "random", "best-constant", "greedy-oracle")) {
            assertThat(out).containsPattern("(?m)^" + policy + " +-?\\d");
        }
        assertThat(out).contains("personalisation score P");
    }

    @Test
    void jsonReportIsConsistent() throws Exception {
        String out = evaluate("--episodes", "12", "--json", "--seed", "3").out();
        JsonNode root = new ObjectMapper().readTree(out);
        assertThat(root.get("algorithm").asText()).isEqualTo("ppo");
        assertThat(root.get("steps").asLong()).isEqualTo(128);
        assertThat(root.get("deterministic").asBoolean()).isTrue();
        JsonNode episodes = root.get("episodes");
        assertThat(episodes).hasSize(12);

        JsonNode policies = root.get("policies");
        List<String> names = new ArrayList<>();
        policies.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("ppo", "random", "best-constant", "greedy-oracle");
        for (String n : names) {
            assertThat(policies.get(n).get("episodes").asInt()).isEqualTo(12);
        }

        // the agent's summary is the mean over the listed episodes
        double sum = 0;
        for (JsonNode e : episodes) {
            sum += e.get("total").asDouble();
            assertThat(e.get("max").asDouble()).isGreaterThanOrEqualTo(e.get("min").asDouble());
        }
        assertThat(policies.get("ppo").get("total").asDouble()).isCloseTo(sum / 12, org.assertj.core.data.Offset
                .offset(1e-9));

        double r = policies.get("ppo").get("total").asDouble();
        double constant = policies.get("best-constant").get("total").asDouble();
        double oracle = policies.get("greedy-oracle").get("total").asDouble();
        double random = policies.get("random").get("total").asDouble();
        assertThat(root.get("personalisation").asDouble()).isEqualTo((r - constant) / (oracle - constant));
        assertThat(oracle).isGreaterThan(constant);
        assertThat(constant).isGreaterThan(random);
        int item = root.get("best_constant_item").asInt();
        assertThat(item).isBetween(0, 49);
    }

    @Test
    void evaluatingTwiceGivesIdenticalOutput() {
        assertThat(evaluate("--json", "--episodes", "5").out()).isEqualTo(evaluate("--json", "--episodes", "5").out());
        assertThat(evaluate("--sample", "--episodes", "5").out()).isEqualTo(evaluate("--sample", "--episodes", "5")
                .out());
    }

    @Test
    void seedChangesTheUsers() throws Exception {
        ObjectMapper m = new ObjectMapper();
        JsonNode s1 = m.readTree(evaluate("--json", "--episodes", "10", "--seed", "1").out()).get("episodes");
        JsonNode s2 = m.readTree(evaluate("--json", "--episodes", "10", "--seed", "2").out()).get("episodes");
        List<Integer> u1 = new ArrayList<>();
        List<Integer> u2 = new ArrayList<>();
        s1.forEach(e -> u1.add(e.get("user").asInt()));
        s2.forEach(e -> u2.add(e.get("user").asInt()));
        assertThat(u1).isNotEqualTo(u2);
    }

    @Test
    void sampledActionsAreReported() throws Exception {
        JsonNode root = new ObjectMapper().readTree(evaluate("--json", "--sample", "--episodes", "3").out());
        assertThat(root.get("deterministic").asBoolean()).isFalse();
        assertThat(evaluate("--sample", "--episodes", "3").out()).contains("sampled actions");
    }

    @Test
    void matchingAlgoIsAccepted() {
        assertThat(evaluate("--algo", "ppo", "--episodes", "1").out()).contains("episode   1");
    }
}
