package org.recsysrl.env.platform.tiny;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.config.EnvConfig;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.agent.ActorCriticPolicy;
import org.recsysrl.agent.Learner;
import org.recsysrl.agent.Policy;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.RunConfig;
import org.recsysrl.eval.PlatformComparison;
import org.recsysrl.model.Models;
import org.recsysrl.setup.Setup;
import org.recsysrl.train.Experiment;
import org.recsysrl.workload.Algorithm;
import org.recsysrl.workload.EnvironmentWorkload;
import org.recsysrl.workload.PlatformWorkload;

/**
 * A seventh platform written as nothing but its package (this one: environment, reference
 * policies, engagement figure, registration) goes through what every platform goes through —
 * the workload's setup, model and learner, training, the comparison with its references on the
 * same users, and the ids serving needs — with no change outside the package. Registering it for
 * {@code env.type} is then one line in {@code META-INF/services/org.recsysrl.setup.Platform}: the
 * second test adds that line, alone, for a class loader of its own, and the config layer, the
 * registry and the workload resolution all know the platform.
 */
class SeventhPlatformTest {

    @Test
    void aPlatformThatIsOnlyItsPackageTrainsCompetesAndServes() {
        RunConfig cfg = ConfigJson.withOverrides(RunConfig.original(), List.of("ppo.n_steps=16", "ppo.num_envs=2",
                "ppo.batch_size=16", "ppo.update_epochs=1", "model.actor_hidden_dims=8",
                "model.critic_hidden_dims=8", "train.total_timesteps=64"));
        PlatformWorkload workload = new PlatformWorkload(cfg, new TinyPlatform());
        assertThat(workload.name()).isEqualTo("tiny");
        assertThat(workload.settings()).isEmpty();

        Setup setup = workload.setup(null);
        assertThat(setup.observationSize()).isEqualTo(4);
        assertThat(setup.actionCount()).isEqualTo(4);
        ActorCritic model = Models.actorCritic(cfg, setup);
        Learner learner = Experiment.newLearner(Algorithm.PPO, cfg, model, setup);
        while (learner.steps() < cfg.train().totalTimesteps()) {
            learner.iterate();
        }
        assertThat(learner.steps()).isEqualTo(64); // 16 steps × 2 environments per update
        assertThat(learner.updates()).isEqualTo(4); // 2 rollouts × 32 rows / minibatches of 16 × 1 epoch

        List<Policy> policies = new ArrayList<>();
        policies.add(new ActorCriticPolicy("ppo", model, true, null, 1));
        policies.addAll(workload.platform().references(setup, 0, 5));
        int[] users = PlatformComparison.users(30, setup.userCount(), 5);
        List<PlatformComparison.Row> rows = PlatformComparison.run(setup.newEnv(), policies, users, 5,
                workload.platform().figures());
        assertThat(rows).extracting(PlatformComparison.Row::policy).startsWith("ppo", "random", "myopic-oracle")
                .hasSize(5);
        // the oracle shows every user their item: 3 steps of reward 1, then the session ends and nobody returns
        PlatformComparison.Row oracle = rows.get(2);
        assertThat(oracle.episodeReturn().mean()).isEqualTo(3.0);
        assertThat(oracle.figures().get(0).mean()).isEqualTo(3.0);
        // a random item is liked with probability 1/4, so random play falls short of the oracle
        assertThat(rows.get(1).episodeReturn().mean()).isLessThan(3.0);

        EnvironmentWorkload.Serving serving = workload.serving(setup, null);
        assertThat(serving.items().size()).isEqualTo(4);
        assertThat(serving.users().size()).isEqualTo(3);
        assertThat(serving.items().raw(3)).isEqualTo("3");
    }

    @Test
    @SuppressWarnings("unchecked")
    void registeringItIsOneLineAndTheConfigAndTheWorkloadKnowIt(@TempDir Path extra) throws Exception {
        Path services = extra.resolve("META-INF/services/org.recsysrl.setup.Platform");
        Files.createDirectories(services.getParent());
        Files.writeString(services, TinyPlatform.class.getName() + "\n"); // the one registry line
        URL[] classPath = {codeOf(EnvConfig.class), extra.toUri().toURL(), codeOf(TinyPlatform.class),
                codeOf(com.fasterxml.jackson.databind.ObjectMapper.class),
                codeOf(com.fasterxml.jackson.core.JsonFactory.class),
                codeOf(com.fasterxml.jackson.annotation.JsonProperty.class)};
        try (URLClassLoader loader = new URLClassLoader(classPath, ClassLoader.getPlatformClassLoader())) {
            Class<?> envConfig = loader.loadClass(EnvConfig.class.getName());
            assertThat(envConfig).isNotSameAs(EnvConfig.class);
            assertThat((List<Object>) envConfig.getMethod("platforms").invoke(null)).containsExactly("short-video",
                    "education", "e-commerce", "interest-evolution", "social-feed", "long-video", "tiny");
            Class<?> runConfig = loader.loadClass(RunConfig.class.getName());
            Object cfg = loader.loadClass(ConfigJson.class.getName()).getMethod("withOverrides", runConfig, List.class)
                    .invoke(null, runConfig.getMethod("original").invoke(null), List.of("env.type=tiny"));
            Object workload = loader.loadClass("org.recsysrl.workload.Workload").getMethod("of", runConfig)
                    .invoke(null, cfg);
            assertThat(workload.getClass().getName()).isEqualTo(PlatformWorkload.class.getName());
            assertThat(workload.getClass().getMethod("name").invoke(workload)).isEqualTo("tiny");
        }
        // the ordinary class path has no such line: there env.type=tiny is refused, naming the six
        assertThat(EnvConfig.platforms()).doesNotContain("tiny").hasSize(6);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigJson.withOverrides(RunConfig.original(),
                List.of("env.type=tiny"))).hasMessageContaining("env.type").hasMessageContaining("long-video");
    }

    private static URL codeOf(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }
}
