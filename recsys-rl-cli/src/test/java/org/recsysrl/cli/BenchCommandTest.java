package org.recsysrl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class BenchCommandTest {

    @Test
    void eachKindRunsInAFreshJvmAndEveryFirstRepetitionIsCold() throws Exception {
        Cli.Result r = Cli.run("bench", "--only", "a2c,env", "--steps", "50", "--env-steps", "800", "--repeat", "2",
                "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        JsonNode runs = root.get("runs");
        assertThat(runs).hasSize(4);
        assertThat(runs.get(0).get("run").asText()).isEqualTo("a2c");
        assertThat(runs.get(0).get("jvm").asText()).isEqualTo("cold");
        assertThat(runs.get(1).get("jvm").asText()).isEqualTo("warm");
        assertThat(runs.get(2).get("run").asText()).isEqualTo("env");
        assertThat(runs.get(2).get("jvm").asText()).isEqualTo("cold");
        assertThat(runs.get(2).get("steps").asLong()).isEqualTo(800); // 100 steps of 8 environments
        assertThat(runs.get(1).get("steps").asLong()).isEqualTo(50); // 10 updates of 5 steps
        assertThat(runs.get(1).get("gflop").asDouble()).isPositive();
        assertThat(root.get("median_seconds").get("a2c").asDouble()).isEqualTo(runs.get(1).get("seconds").asDouble());
        // the machine calibration, measured once in this JVM, and each run's GFLOP/s as a fraction of it
        JsonNode calibration = root.get("calibration");
        double large = calibration.get("large_product_gflop_per_second").asDouble();
        assertThat(large).isPositive();
        assertThat(calibration.get("logits_product_gflop_per_second").asDouble()).isPositive();
        assertThat(calibration.get("memory_read_gb_per_second").asDouble()).isPositive();
        assertThat(runs.get(1).get("fraction_of_large_product").asDouble())
                .isCloseTo(runs.get(1).get("gflop_per_second").asDouble() / large, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(runs.get(2).has("fraction_of_large_product")).as("env runs count no FLOPs").isFalse();
    }

    @Test
    void ppoThreadsReachTheTimedRunAndABadCountIsRefusedInOneLine() throws Exception {
        Cli.Result r = Cli.run("bench", "--only", "ppo", "--steps", "2048", "--repeat", "1", "--json",
                "--no-calibration", "--ppo-threads", "2");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("ppo_threads").asInt()).isEqualTo(2);
        assertThat(root.get("runs").get(0).get("steps").asLong()).isEqualTo(2048);
        Cli.Result bad = Cli.run("bench", "--only", "ppo", "--ppo-threads", "0");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err().strip()).doesNotContain("\n").contains("--ppo-threads must be in [1, 64] (got 0)");
    }

    @Test
    void sameJvmKeepsOnlyTheFirstKindCold() throws Exception {
        Cli.Result r = Cli.run("bench", "--only", "env,a2c", "--steps", "50", "--env-steps", "800", "--repeat", "1",
                "--json", "--same-jvm", "--no-calibration");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.has("calibration")).isFalse();
        JsonNode runs = root.get("runs");
        assertThat(runs.get(0).get("jvm").asText()).isEqualTo("cold");
        assertThat(runs.get(1).get("jvm").asText()).isEqualTo("warm");
    }

    @Test
    void theDefaultPresetIsTimedUnderItsOwnNames() throws Exception {
        Cli.Result r = Cli.run("bench", "--only", "a2c-default,a2c", "--steps", "40", "--repeat", "1", "--json",
                "--same-jvm", "--no-calibration");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode runs = new ObjectMapper().readTree(r.out()).get("runs");
        assertThat(runs.get(0).get("run").asText()).isEqualTo("a2c-default");
        assertThat(runs.get(1).get("run").asText()).isEqualTo("a2c");
        // the default preset's model (embedding head, no actor MLP) costs less per step than the original's
        double perStepDefault = runs.get(0).get("gflop").asDouble() / runs.get(0).get("steps").asDouble();
        double perStepOriginal = runs.get(1).get("gflop").asDouble() / runs.get(1).get("steps").asDouble();
        assertThat(perStepDefault).isPositive().isLessThan(perStepOriginal);
    }

    @Test
    void anUnknownKindIsAUserErrorListingTheKinds() {
        Cli.Result r = Cli.run("bench", "--only", "ppo-fast", "--steps", "50");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString()
                .isEqualTo("error: --only ppo-fast: use a subset of ppo,a2c,env,ppo-default,a2c-default,env-short-video,env-education,env-e-commerce,env-interest-evolution,env-social-feed,env-long-video, or logs or seq alone");
    }

    @Test
    void platformEnvironmentsAreTimedByName() {
        Cli.Result r = Cli.run("bench", "--only", "env-short-video", "--env-steps", "20000", "--repeat", "1");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).containsPattern("env-short-video run 1: +20\\d{3} steps in");
    }

    @Test
    void aKindNamedTwiceIsAUserError() {
        Cli.Result r = Cli.run("bench", "--only", "a2c,a2c", "--steps", "50");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("error: --only a2c,a2c names a kind twice");
    }

    @Test
    void optionsTwoJvmsCannotShareAreNotPassedOn() {
        assertThat(BenchChild.shareable("--add-modules=jdk.incubator.vector")).isTrue();
        assertThat(BenchChild.shareable("-XX:+UseSerialGC")).isTrue();
        assertThat(BenchChild.shareable("-Xlog:gc")).isTrue();
        assertThat(BenchChild.shareable("-agentlib:jdwp=transport=dt_socket,server=y,address=5599")).isFalse();
        assertThat(BenchChild.shareable("-Xrunjdwp:transport=dt_socket")).isFalse();
        assertThat(BenchChild.shareable("-XX:StartFlightRecording=filename=a.jfr")).isFalse();
    }
}
