package org.recsysrl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop's gate when nothing is deployed yet: the learned policy is compared with the logging
 * policy's on-policy value on the held-out log (paired bootstrap), and a policy below the ESS floor
 * is never deployed.
 */
class LoopGateTest {
    @TempDir
    Path dir;

    private static JsonNode report(Path out) throws Exception {
        return new ObjectMapper().readTree(out.resolve("loop.json").toFile());
    }

    @Test
    void aLearnedPolicyWorseThanAGoodLoggerIsNotDeployed() throws Exception {
        // the myopic oracle with ε = 0.3 logs; the learner barely moves its initial, near-uniform network
        Path out = dir.resolve("worse");
        Path deploy = dir.resolve("served").resolve("policy.safetensors");
        Cli.Result loop = Cli.run("loop", "--env", "long-video", "--policy", "myopic", "--explore", "epsilon=0.3",
                "--impressions", "600", "--held-out", "1500", "--rollout-episodes", "20", "--truth-states", "50",
                "--bootstrap", "200", "--algo", "banditnet", "--set", "learn.epochs=1", "--set", "learn.lr=1e-9",
                "--set", "learn.lambdas=0", "--out", out.toString(), "--deploy", deploy.toString());
        assertEquals(0, loop.exitCode(), loop.toString());
        assertTrue(loop.out().contains("deployed nothing: banditnet's multi-step DR estimate minus the logging"
                + " policy's on-policy value on the held-out log is -"), loop.out());
        assertFalse(Files.exists(deploy), "the deploy file was written");
        assertFalse(Files.exists(deploy.getParent()), "the deploy directory was created");

        JsonNode r = report(out);
        JsonNode gain = r.get("dr_gain_over_logger");
        JsonNode learned = r.get("learned").get(0);
        // the gate statistic is the learned policy's multi-step DR minus the held-out trajectories' mean return
        assertEquals(learned.get("multi_step").get("dr").get("value").asDouble()
                - r.get("logger").get("held_out_discounted_return").asDouble(), gain.get("value").asDouble(), 1e-9);
        assertTrue(gain.get("low").asDouble() <= 0, gain.toString());
        assertEquals("multi-step dr", gain.get("estimate").asText());
        assertFalse(r.get("deploy_decision").get("deploy").asBoolean());
        assertEquals("logging policy", r.get("deploy_decision").get("baseline").asText());
        assertFalse(r.get("deploy_decision").get("written").asBoolean());
        assertFalse(r.has("deployed_sha256"));
    }

    @Test
    void aLearnedPolicyBetterThanTheLoggerIsDeployedUnlessItsEssIsBelowTheFloor() throws Exception {
        Path out = dir.resolve("better");
        Path deploy = dir.resolve("served").resolve("policy.safetensors");
        String[] common = {"loop", "--env", "long-video", "--policy", "popular", "--explore", "epsilon=0.3",
            "--impressions", "4000", "--held-out", "3000", "--rollout-episodes", "20", "--truth-states", "50",
            "--bootstrap", "200", "--algo", "offpolicy-dr", "--set", "learn.epochs=10", "--set", "learn.lr=0.01",
            "--judge", "one-step", "--deploy", deploy.toString()};
        Cli.Result loop = Cli.run(concat(common, "--out", out.toString()));
        assertEquals(0, loop.exitCode(), loop.toString());
        JsonNode r = report(out);
        JsonNode gain = r.get("dr_gain_over_logger");
        JsonNode learned = r.get("learned").get(0);
        // one step: the learned policy's DR minus the logger's mean reward on the held-out rows
        assertEquals(learned.get("dr").get("value").asDouble() - r.get("logger").get("held_out_mean").asDouble(),
                gain.get("value").asDouble(), 1e-9);
        assertTrue(gain.get("low").asDouble() > 0, gain.toString());
        assertTrue(r.get("deploy_decision").get("deploy").asBoolean(), r.toString());
        assertTrue(loop.out().contains("deployed offpolicy-dr (DR "), loop.out());
        assertArrayEquals(Files.readAllBytes(out.resolve("checkpoints").resolve("offpolicy-dr.safetensors")),
                Files.readAllBytes(deploy));
        assertEquals(r.get("deployed_sha256").asText().length(), 64);

        // the same run with an ESS floor above the policy's held-out ESS: nothing is deployed, whatever its gain
        Files.delete(deploy);
        Path floored = dir.resolve("floored");
        Cli.Result withFloor = Cli.run(concat(common, "--out", floored.toString(), "--set", "learn.min_ess=1"));
        assertEquals(0, withFloor.exitCode(), withFloor.toString());
        assertTrue(withFloor.out().contains("deployed nothing: no learned policy reaches the ESS floor"
                + " learn.min_ess = 1.0 (offpolicy-dr ESS "), withFloor.out());
        assertFalse(Files.exists(deploy));
        JsonNode f = report(floored);
        assertFalse(f.get("deploy_decision").get("deploy").asBoolean());
        assertTrue(f.get("deploy_decision").get("policy").isNull());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
