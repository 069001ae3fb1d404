package org.recsysrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.serve.RecommendServer;

/**
 * A small version of the closed loop exactly as {@code recsys-rl loop} runs it: a running server
 * serves a barely trained long-video policy from a checkpoint file; the loop logs impressions under
 * an exploring logging policy, estimates, learns, estimates again and deploys the better learned
 * policy onto that file, and the server hot-reloads it.
 */
class LoopCommandTest {
    @TempDir
    Path dir;

    @Test
    void theLoopLearnsEstimatesAndDeploysToARunningServer() throws Exception {
        // the policy deployed before the loop: trained one epoch at a negligible step size (near uniform)
        Path firstLog = dir.resolve("first.jsonl");
        Cli.Result logged = Cli.run("log", "--env", "long-video", "--policy", "popular", "--explore", "epsilon=0.3",
                "--episodes", "60", "--seed", "9", "--out", firstLog.toString());
        assertEquals(0, logged.exitCode(), logged.toString());
        Cli.Result first = Cli.run("train", "--algo", "banditnet", "--env", "long-video", "--data", firstLog.toString(),
                "--checkpoint-dir", dir.resolve("first").toString(), "--set", "learn.epochs=1", "--set", "learn.lr=1e-9",
                "--set", "learn.lambdas=0");
        assertEquals(0, first.exitCode(), first.toString());
        Path served = dir.resolve("served").resolve("policy.safetensors");
        Files.createDirectories(served.getParent());
        Files.copy(dir.resolve("first").resolve("banditnet.safetensors"), served);

        try (RecommendServer server = new RecommendServer(served, null,
                new RecommendServer.Options(0, 1, 16, 1 << 16, 10, 10, 60_000, 100), l -> { })) {
            server.start();
            String before = server.model().info().sha256();
            Path out = dir.resolve("loop");
            Cli.Result loop = Cli.run("loop", "--env", "long-video", "--policy", "popular", "--explore", "epsilon=0.3",
                    "--impressions", "2500", "--held-out", "1500", "--rollout-episodes", "100", "--truth-states", "100",
                    "--bootstrap", "30", "--set", "learn.epochs=5", "--set", "learn.lr=0.005", "--set",
                    "learn.lambdas=0,20", "--judge", "one-step", "--out",
                    out.toString(), "--deploy", served.toString(), "--serve-url", "http://127.0.0.1:" + server.port(),
                    "--deploy-timeout", "30");
            assertEquals(0, loop.exitCode(), loop.toString());
            for (String step : new String[] {"1/6", "2/6", "3/6", "4/6", "5/6", "6/6"}) {
                assertTrue(loop.out().contains(step + " "), "step " + step + " missing:\n" + loop.out());
            }
            assertTrue(loop.out().contains("hot reload after"), loop.out());

            JsonNode report = new ObjectMapper().readTree(out.resolve("loop.json").toFile());
            assertEquals("long-video", report.get("env").asText());
            assertEquals(3, report.get("learned").size());
            assertEquals("one-step", report.get("judge").asText());
            double logger = report.get("logger").get("on_policy").asDouble();
            assertTrue(logger > 0, "logger's on-policy value " + logger);
            assertTrue(report.get("logger").get("discounted_on_policy").asDouble() > logger);
            JsonNode best = null;
            for (JsonNode learned : report.get("learned")) {
                for (String estimate : new String[] {"dr", "multi_step"}) {
                    JsonNode dr = estimate.equals("dr") ? learned.get("dr") : learned.get("multi_step").get("dr");
                    assertTrue(dr.get("low").asDouble() <= dr.get("value").asDouble()
                            && dr.get("value").asDouble() <= dr.get("high").asDouble(), dr.toString());
                }
                assertTrue(learned.get("multi_step").get("discounted_on_policy").asDouble() > 0, learned.toString());
                if (best == null || learned.get("dr").get("value").asDouble() > best.get("dr").get("value").asDouble()) {
                    best = learned;
                }
            }
            // popular with ε = 0.3 is a weak logger: the policy chosen by its DR estimate beats it by far
            assertTrue(best.get("on_policy").asDouble() > 1.1 * logger, best + " against the logger's " + logger);
            // deployed because it beats the served policy with confidence (paired bootstrap of DR)
            assertEquals("dr", report.get("dr_gain_over_deployed").get("estimate").asText());
            assertEquals(best.get("policy").asText(), report.get("dr_gain_over_deployed").get("policy").asText());
            assertTrue(report.get("dr_gain_over_deployed").get("low").asDouble() > 0, report.toString());
            // the server now serves exactly the deployed file, which is one of the learned checkpoints
            String deployed = report.get("deployed_sha256").asText();
            assertEquals(deployed, server.model().info().sha256());
            assertTrue(!deployed.equals(before));
            byte[] servedBytes = Files.readAllBytes(served);
            assertTrue(java.util.Arrays.equals(servedBytes, Files.readAllBytes(out.resolve("checkpoints")
                    .resolve(best.get("policy").asText() + ".safetensors"))), "the served file is not the chosen policy");
            assertEquals(2, server.model().recommend(org.recsysrl.api.RecommendRequest.forUser("3", 2)).size());

            // ope reads a learned checkpoint as a target on the held-out log: the loop's DR estimate, to the digit
            Cli.Result ope = Cli.run("ope", "--log", out.resolve("held-out.jsonl").toString(), "--target",
                    "checkpoint:" + out.resolve("checkpoints").resolve("banditnet.safetensors") + "@1", "--estimators",
                    "ips,snips,dr", "--bootstrap", "20", "--json");
            assertEquals(0, ope.exitCode(), ope.toString());
            assertTrue(ope.err().contains("scored at each row's context"), ope.err());
            JsonNode opeDr = null;
            for (JsonNode e : new ObjectMapper().readTree(ope.out()).get("targets").get(0).get("estimates")) {
                if (e.get("estimator").asText().equals("dr")) {
                    opeDr = e;
                }
            }
            assertEquals(report.get("learned").get(0).get("dr").get("value").asDouble(), opeDr.get("value").asDouble(),
                    1e-9);
            // and ope --multi-step gives the loop's multi-step DR estimate of the multi-step learner's policy
            Path catalog = dir.resolve("catalog.txt");
            StringBuilder ids = new StringBuilder();
            for (int a = 0; a < 60; a++) {
                ids.append('i').append(a).append('\n');
            }
            Files.writeString(catalog, ids);
            Cli.Result multi = Cli.run("ope", "--log", out.resolve("held-out.jsonl").toString(), "--multi-step",
                    "--catalog", catalog.toString(), "--target", "checkpoint:" + out.resolve("checkpoints")
                    .resolve("offpolicy-fqi.safetensors") + "@1", "--bootstrap", "20", "--json");
            assertEquals(0, multi.exitCode(), multi.toString());
            JsonNode multiDr = null;
            for (JsonNode e : new ObjectMapper().readTree(multi.out()).get("targets").get(0).get("estimates")) {
                if (e.get("estimator").asText().equals("dr")) {
                    multiDr = e;
                }
            }
            assertEquals(report.get("learned").get(2).get("multi_step").get("dr").get("value").asDouble(),
                    multiDr.get("value").asDouble(), 1e-9);

            // the same loop again with the learned policy deployed: its estimate is the one to beat
            Cli.Result again = Cli.run("loop", "--env", "long-video", "--impressions", "500", "--held-out", "500",
                    "--rollout-episodes", "50", "--truth-states", "100", "--bootstrap", "20", "--algo", "banditnet",
                    "--set", "learn.epochs=1", "--set", "learn.lr=1e-9", "--set", "learn.lambdas=0", "--seed", "1",
                    "--out", out.toString(), "--deploy", served.toString());
            assertEquals(2, again.exitCode(), again.toString());
            assertTrue(again.err().contains("already holds a loop run"), again.toString());
            Cli.Result kept = Cli.run("loop", "--env", "long-video", "--impressions", "500", "--held-out", "1000",
                    "--rollout-episodes", "50", "--truth-states", "100", "--bootstrap", "20", "--algo", "banditnet",
                    "--set", "learn.epochs=1", "--set", "learn.lr=1e-9", "--set", "learn.lambdas=0", "--seed", "1",
                    "--out", dir.resolve("loop2").toString(), "--deploy", served.toString());
            assertEquals(0, kept.exitCode(), kept.toString());
            // judged multi-step (the default): the near-uniform policy's discounted return does not beat the deployed one's
            assertTrue(kept.out().contains("kept the deployed policy: banditnet's multi-step DR estimate"), kept.out());
            assertEquals(deployed, server.model().info().sha256());
        }
    }

    @Test
    void userMistakesAreOneLine() {
        Cli.Result algo = Cli.run("loop", "--env", "long-video", "--algo", "ppo", "--out", dir.resolve("y").toString());
        assertEquals(2, algo.exitCode(), algo.toString());
        assertTrue(algo.err().contains("use banditnet, offpolicy-dr, offpolicy-fqi"), algo.toString());
        Cli.Result noLog = Cli.run("train", "--algo", "banditnet", "--env", "long-video");
        assertEquals(2, noLog.exitCode(), noLog.toString());
        assertTrue(noLog.err().contains("--data"), noLog.toString());
        Cli.Result onLogs = Cli.run("train", "--algo", "offpolicy-dr", "--env", "logs", "--data", "x.txt");
        assertEquals(2, onLogs.exitCode(), onLogs.toString());
        assertTrue(onLogs.err().contains("not --env logs"), onLogs.toString());
        Cli.Result badKey = Cli.run("train", "--algo", "banditnet", "--env", "long-video", "--data", "x.jsonl",
                "--checkpoint-dir", dir.resolve("z").toString(), "--set", "learn.lamdas=1");
        assertEquals(2, badKey.exitCode(), badKey.toString());
        assertTrue(badKey.err().contains("unknown key"), badKey.toString());
        for (String[] refusal : new String[][] {{"offpolicy-fqi", "learn.select=best", "learn.select=dr-lower"},
                {"offpolicy-fqi", "learn.logger_mix=0,1", "learn.logger_mix shares must be in [0, 1) (got 1.0)"},
                {"banditnet", "learn.logger_mix=0.5", "offpolicy-fqi only"}}) {
            Cli.Result r = Cli.run("train", "--algo", refusal[0], "--env", "long-video", "--data", "x.jsonl",
                    "--checkpoint-dir", dir.resolve("z").toString(), "--set", refusal[1]);
            assertEquals(2, r.exitCode(), r.toString());
            assertTrue(r.err().contains(refusal[2]), r.toString());
        }
    }
}
