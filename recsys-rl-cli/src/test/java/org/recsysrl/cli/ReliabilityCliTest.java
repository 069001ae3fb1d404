package org.recsysrl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The probes of the reliability issue: settings that cannot be valid, sizes that cannot fit and
 * requests that would run for hours are refused up front in one line; undefined metrics print n/a.
 */
class ReliabilityCliTest {
    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    static Path checkpoint;

    @BeforeAll
    static void trainOnce() {
        checkpoint = Cli.trainOk("ppo", shared, 128);
    }

    private static String userError(Cli.Result r) {
        return Cli.userError(r);
    }

    private String trainError(String... args) {
        List<String> all = new ArrayList<>(List.of("train", "--total-timesteps", "128", "--checkpoint-dir",
                dir.resolve("ck").toString(), "--log-dir", dir.resolve("logs").toString()));
        all.addAll(Cli.TINY);
        all.addAll(Arrays.asList(args));
        return userError(Cli.run(all.toArray(String[]::new)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ppo.vf_coef=1e300                  | ppo.vf_coef must be in [0, 100] (got 1.0E300)",
        "ppo.lr=1e30                        | ppo.lr must be in (0, 1] (got 1.0E30)",
        "a2c.lr=1e20                        | a2c.lr must be in (0, 1] (got 1.0E20)",
        "ppo.ent_coef=1e300                 | ppo.ent_coef must be in [0, 100] (got 1.0E300)",
        "env.interest_drift=1e20            | env.interest_drift must be in [0, 10] (got 1.0E20)",
        "model.critic_hidden_dims=1073741824 | model.critic_hidden_dims must be in [1, 65536] (got 1073741824)",
        "env.num_items=2000000              | env.num_items must be in [1, 1000000] (got 2000000)",
        "env.max_episode_steps=2000000000   | env.max_episode_steps must be in [1, 100000] (got 2000000000)",
        "ppo.num_envs=100000                | ppo.num_envs must be in [1, 4096] (got 100000)",
        "train.eval_episodes=2000000000     | train.eval_episodes must be in [1, 1000000] (got 2000000000)",
    })
    void settingsThatCannotBeValidAreRefusedWithTheirRange(String setting, String message) {
        assertThat(trainError("--set", setting.strip())).isEqualTo("error: " + message.strip());
    }

    @Test
    void sizesThatCannotFitAreRefusedBeforeAllocating() {
        long start = System.nanoTime();
        String line = trainError("--set", "env.num_items=1000000", "--set", "env.num_users=1000000",
                "--set", "env.item_feature_dim=4096", "--set", "env.user_feature_dim=4096", "--set", "env.state_dim=8192");
        assertThat(line).startsWith("error: these settings need about ").contains("the largest part is the item and"
                + " user vectors").contains("RECSYS_RL_JAVA_OPTS=-Xmx");
        assertThat((System.nanoTime() - start) / 1e9).as("refused before allocating").isLessThan(10);
    }

    @Test
    void evaluateRefusesEpisodeCountsThatCannotFinish() {
        assertThat(userError(Cli.run("evaluate", "--checkpoint", checkpoint.toString(), "--episodes", "2000000000")))
                .isEqualTo("error: --episodes must be in [1, 1000000] (got 2000000000)");
        assertThat(userError(Cli.run("evaluate", "--checkpoint", checkpoint.toString(), "--k", "0")))
                .isEqualTo("error: --k must be at least 1 (got 0)");
    }

    @Test
    void anUndefinedPersonalisationScoreIsNotANumberButNa() {
        Path ck = Cli.trainOk("ppo", dir, 128, "--set", "env.num_items=1");
        Cli.Result r = Cli.run("evaluate", "--checkpoint", ck.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("= n/a (the greedy oracle does no better than the best constant item")
                .doesNotContain("NaN");
        Cli.Result json = Cli.run("evaluate", "--checkpoint", ck.toString(), "--json");
        assertThat(json.out()).contains("\"personalisation\" : null").contains("\"personalisation_note\"");
    }
}
