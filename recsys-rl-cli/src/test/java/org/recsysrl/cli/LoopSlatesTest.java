package org.recsysrl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.learn.LoggedSlates;
import org.recsysrl.learn.OffPolicyLearner;
import org.recsysrl.learn.OffPolicyTraining;
import org.recsysrl.model.Models;
import org.recsysrl.model.PolicyCheckpoint;
import org.recsysrl.ope.FeedbackJsonl;
import org.recsysrl.ope.LoggedFeedback;

/**
 * {@code loop --env interest-evolution} end to end on a small scale: slate logs, the slate learner,
 * the one-step slate estimators and the multi-step ones on whole-slate ratios, the Plackett–Luce
 * truths from rollouts, and the gate.
 */
class LoopSlatesTest {
    @TempDir
    Path dir;

    @Test
    void theLoopRunsOnSlates() throws Exception {
        Path out = dir.resolve("loop");
        Path deploy = dir.resolve("served").resolve("policy.safetensors");
        Cli.Result loop = Cli.run("loop", "--env", "interest-evolution", "--impressions", "1500", "--held-out", "1000",
                "--rollout-episodes", "20", "--truth-states", "50", "--bootstrap", "50", "--algo", "offpolicy-dr",
                "--set", "learn.epochs=2", "--out", out.toString(), "--deploy", deploy.toString());
        assertEquals(0, loop.exitCode(), loop.toString());
        for (String step : new String[] {"1/6", "2/6", "3/6", "4/6", "5/6", "6/6"}) {
            assertTrue(loop.out().contains(step + " "), "step " + step + " missing:\n" + loop.out());
        }
        assertTrue(loop.out().contains("| IIPS [95 %] | SIPS [95 %] | SDR [95 %] |"), loop.out());

        JsonNode r = new ObjectMapper().readTree(out.resolve("loop.json").toFile());
        assertEquals("interest-evolution", r.get("env").asText());
        JsonNode learned = r.get("learned").get(0);
        assertEquals("offpolicy-dr", learned.get("policy").asText());
        for (String e : new String[] {"iips", "sips", "sdr"}) {
            JsonNode v = learned.get(e);
            assertTrue(v.get("low").asDouble() <= v.get("value").asDouble()
                    && v.get("value").asDouble() <= v.get("high").asDouble(), v.toString());
        }
        assertTrue(learned.get("multi_step").has("pdiips"), learned.toString());
        assertTrue(learned.get("on_policy").asDouble() > 0 && learned.get("value_at_logger_states").asDouble() > 0);
        assertTrue(learned.get("multi_step").get("discounted_on_policy").asDouble() > learned.get("on_policy").asDouble());

        // the learner's own estimator (exact marginals of its Plackett-Luce policy) gives the loop's IIPS on the
        // held-out log: the loop scores the slate checkpoint as the learner does
        PolicyCheckpoint ck = (PolicyCheckpoint) Models.load(out.resolve("checkpoints").resolve("offpolicy-dr.safetensors"),
                null);
        LoggedFeedback held = FeedbackJsonl.read(out.resolve("held-out.jsonl"), OffPolicyTraining.actionIds(10));
        OffPolicyLearner.Estimates own = LoggedSlates.of(held, 10, 3, held.contextDim(), "held-out").estimate(
                ck.network(), 1.0);
        assertEquals(own.ips(), learned.get("iips").get("value").asDouble(), 1e-6);

        // the gate (multi-step, nothing deployed): DR of the discounted return minus the logged trajectories' mean
        JsonNode gain = r.get("dr_gain_over_logger");
        assertEquals(learned.get("multi_step").get("dr").get("value").asDouble()
                - r.get("logger").get("held_out_discounted_return").asDouble(), gain.get("value").asDouble(), 1e-9);
        boolean deployed = gain.get("low").asDouble() > 0;
        assertEquals(deployed, r.get("deploy_decision").get("deploy").asBoolean(), r.toString());
        assertEquals(deployed, Files.exists(deploy));
        if (deployed) {
            assertArrayEquals(Files.readAllBytes(out.resolve("checkpoints").resolve("offpolicy-dr.safetensors")),
                    Files.readAllBytes(deploy));
        }

        // with a slate policy deployed, judged one-step: the slate DR of the learned policy against the deployed one's
        Path served = dir.resolve("served2").resolve("policy.safetensors");
        Files.createDirectories(served.getParent());
        Files.copy(out.resolve("checkpoints").resolve("offpolicy-dr.safetensors"), served);
        byte[] before = Files.readAllBytes(served);
        Path again = dir.resolve("again");
        Cli.Result second = Cli.run("loop", "--env", "interest-evolution", "--impressions", "500", "--held-out", "600",
                "--rollout-episodes", "10", "--truth-states", "20", "--bootstrap", "50", "--algo", "banditnet",
                "--set", "learn.epochs=1", "--set", "learn.lambdas=0", "--set", "learn.lr=1e-9", "--judge", "one-step",
                "--seed", "3", "--out", again.toString(), "--deploy", served.toString());
        assertEquals(0, second.exitCode(), second.toString());
        JsonNode r2 = new ObjectMapper().readTree(again.resolve("loop.json").toFile());
        assertEquals("deployed", r2.get("candidates_before").get(1).get("policy").asText());
        JsonNode overDeployed = r2.get("dr_gain_over_deployed");
        assertEquals("sdr", overDeployed.get("estimate").asText());
        assertEquals(r2.get("learned").get(0).get("sdr").get("value").asDouble()
                - r2.get("candidates_before").get(1).get("sdr").get("value").asDouble(),
                overDeployed.get("value").asDouble(), 1e-9);
        boolean replaced = overDeployed.get("low").asDouble() > 0;
        assertEquals(replaced, !java.util.Arrays.equals(before, Files.readAllBytes(served)));
    }

    @Test
    void slateMistakesAreOneLine() {
        Cli.Result fqi = Cli.run("loop", "--env", "interest-evolution", "--algo", "offpolicy-fqi", "--out",
                dir.resolve("x").toString());
        assertEquals(2, fqi.exitCode(), fqi.toString());
        assertTrue(fqi.err().contains("shows slates: use --algo banditnet,offpolicy-dr"), fqi.toString());
        Cli.Result url = Cli.run("loop", "--env", "interest-evolution", "--deploy", dir.resolve("p").toString(),
                "--serve-url", "http://127.0.0.1:1", "--out", dir.resolve("y").toString());
        assertEquals(2, url.exitCode(), url.toString());
        assertTrue(url.err().contains("checkpoints cannot be served"), url.toString());
    }
}
