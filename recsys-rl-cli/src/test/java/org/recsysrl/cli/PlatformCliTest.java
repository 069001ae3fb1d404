package org.recsysrl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train and evaluate on the short-video platform environment. */
class PlatformCliTest {
    @TempDir
    Path dir;

    @Test
    void trainsOnShortVideoAndEvaluatesBesideEveryReferencePolicy() throws Exception {
        for (String algo : new String[] {"ppo", "a2c"}) {
            Path ck = Cli.trainOk(algo, dir.resolve(algo), 512, "--env", "short-video");
            Cli.Result e = Cli.run("evaluate", "--checkpoint", ck.toString(), "--episodes", "5");
            assertThat(e.exitCode()).as(e.toString()).isZero();
            assertThat(e.out()).contains("short-video; 5 users").containsPattern("\\n" + algo + " +\\d")
                    .containsPattern("\\nmyopic-oracle +\\d+\\.\\d\\d ±\\d+\\.\\d\\d +\\+0\\.0%")
                    .contains("\nrandom ").contains("\npopular ").contains("\nbudget-aware ").contains("\nlinucb ")
                    .contains("\nepsilon-greedy ");
        }
        Path ck = dir.resolve("ppo").resolve("ck").resolve("ppo.safetensors");
        Cli.Result json = Cli.run("evaluate", "--checkpoint", ck.toString(), "--episodes", "3", "--json");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        com.fasterxml.jackson.databind.JsonNode tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
        assertThat(tree.get("environment").asText()).isEqualTo("short-video");
        assertThat(tree.get("users").asInt()).isEqualTo(3);
        assertThat(tree.get("policies").get("myopic-oracle").get("return").get("mean").isNumber()).isTrue();
        assertThat(tree.get("policies").get("ppo").get("figures").has("clickbait share")).isTrue();
        // the serving API replays a session's items in a private environment and ranks the next one
        org.recsysrl.api.Recommender served = org.recsysrl.api.Recommender.load(ck);
        assertThat(served.info().kind()).isEqualTo("short-video");
        assertThat(served.itemCount()).isEqualTo(200);
        assertThat(served.recommend(org.recsysrl.api.RecommendRequest.forUser("3", 5))).hasSize(5);
        Cli.Result withData = Cli.run("evaluate", "--checkpoint", ck.toString(), "--data", dir.toString());
        assertThat(Cli.userError(withData)).contains("--data").contains("short-video");
        Path edu = Cli.trainOk("ppo", dir.resolve("edu"), 512, "--env", "education");
        Cli.Result e = Cli.run("evaluate", "--checkpoint", edu.toString(), "--episodes", "5");
        assertThat(e.exitCode()).as(e.toString()).isZero();
        assertThat(e.out()).contains("education; 5 users").contains("skills mastered").contains("\nprerequisite-first ")
                .contains("\nlinucb ");
        Path out = dir.resolve("sweep");
        Cli.Result sweep = Cli.run("sweep", "--set", "env.type=short-video", "--grid", "ppo.gamma=0;0.99", "--seeds", "2",
                "--total-timesteps", "512", "--episodes", "5", "--threads", "1", "--out", out.toString());
        assertThat(sweep.exitCode()).as(sweep.toString()).isZero();
        assertThat(sweep.out()).contains("short-video, 5 users").containsPattern("\\nppo.gamma=0\\.99 +2 +\\d+\\.\\d\\d ±")
                .containsPattern("\\nmyopic-oracle +\\d+\\.\\d\\d ± \\d+\\.\\d\\d +\\+0\\.0%");
        assertThat(out.resolve("runs.csv")).content().startsWith("configuration,algo,seed,steps,train_seconds,return,sessions")
                .contains("\"ppo.gamma=0.99\",ppo,2,");
        assertThat(out.resolve("references.csv")).content().contains("\nmyopic-oracle,");
        Cli.Result mixed = Cli.run("sweep", "--set", "env.type=short-video", "--grid", "env.type=short-video;education",
                "--seeds", "1", "--total-timesteps", "512", "--out", dir.resolve("mixed").toString());
        assertThat(Cli.userError(mixed)).contains("--grid").contains("same users");
    }

    @Test
    void aPlatformsOwnSettingsComeAfterThePresetAndBeforeSet() throws Exception {
        Cli.Result own = Cli.train("ppo", dir.resolve("own"), 256, "--env", "e-commerce");
        assertThat(own.exitCode()).as(own.toString()).isZero();
        assertThat(own.out()).contains("e-commerce: platform settings model.actor_head=logits,"
                + " model.actor_hidden_dims=128,64 (a --set overrides them)");
        String config = org.recsysrl.io.Checkpoint.read(dir.resolve("own").resolve("ck").resolve("ppo.safetensors"))
                .info().configJson();
        // the platform's head is taken; Cli.train's own --set of small layers wins over the platform's widths
        assertThat(config).contains("\"actor_head\":\"logits\"").contains("\"actor_hidden_dims\":[16]");
        Cli.Result overridden = Cli.train("ppo", dir.resolve("overridden"), 256, "--env", "e-commerce", "--set",
                "model.actor_head=embedding");
        assertThat(overridden.exitCode()).as(overridden.toString()).isZero();
        assertThat(org.recsysrl.io.Checkpoint.read(dir.resolve("overridden").resolve("ck").resolve("ppo.safetensors"))
                .info().configJson()).contains("\"actor_head\":\"embedding\"");
        // short-video has none
        Cli.Result none = Cli.train("ppo", dir.resolve("none"), 256, "--env", "short-video");
        assertThat(none.out()).doesNotContain("platform settings");
    }

    @Test
    void slateAndTwoLevelPlatformsTrainEvaluateAndRefuseWhatTheyCannotDo() throws Exception {
        for (String algo : new String[] {"ppo", "a2c"}) {
            Path ck = Cli.trainOk(algo, dir.resolve("ie-" + algo), 512, "--env", "interest-evolution");
            for (String sample : new String[] {"", "--sample"}) {
                Cli.Result e = sample.isEmpty() ? Cli.run("evaluate", "--checkpoint", ck.toString(), "--episodes", "4")
                        : Cli.run("evaluate", "--checkpoint", ck.toString(), "--episodes", "4", sample);
                assertThat(e.exitCode()).as(e.toString()).isZero();
                assertThat(e.out()).contains("interest-evolution; 4 users").contains("\nbudget-aware ")
                        .contains("\nlinucb ").contains("clickbait share");
            }
            // a slate platform's actions are slots of candidates drawn each step: nothing to serve
            Cli.Result serve = Cli.run("serve", "--checkpoint", ck.toString(), "--port", "0");
            assertThat(Cli.userError(serve)).contains("interest-evolution").contains("cannot be served");
        }
        Path feed = Cli.trainOk("ppo", dir.resolve("feed"), 512, "--env", "social-feed");
        Cli.Result e = Cli.run("evaluate", "--checkpoint", feed.toString(), "--episodes", "4");
        assertThat(e.exitCode()).as(e.toString()).isZero();
        assertThat(e.out()).contains("\nretention-aware ").contains("ad revenue");
        assertThat(org.recsysrl.io.Checkpoint.read(feed).info().configJson()).contains("\"actor_head\":\"hierarchical\"");
        Path video = Cli.trainOk("ppo", dir.resolve("video"), 512, "--env", "long-video");
        Cli.Result v = Cli.run("evaluate", "--checkpoint", video.toString(), "--episodes", "4");
        assertThat(v.exitCode()).as(v.toString()).isZero();
        assertThat(v.out()).contains("\ncompletion-aware ").contains("completion");
        // the candidate and hierarchical heads need what only some environments give
        assertThat(Cli.userError(Cli.train("ppo", dir.resolve("bad1"), 256, "--env", "short-video", "--set",
                "model.actor_head=candidates"))).contains("model.actor_head=candidates");
        assertThat(Cli.userError(Cli.train("ppo", dir.resolve("bad2"), 256, "--set", "model.actor_head=hierarchical")))
                .contains("model.actor_head=hierarchical");
    }
}
