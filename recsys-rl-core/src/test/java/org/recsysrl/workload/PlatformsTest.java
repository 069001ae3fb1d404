package org.recsysrl.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.agent.Policy;
import org.recsysrl.config.EnvConfig;
import org.recsysrl.config.RunConfig;
import org.recsysrl.env.Environment;
import org.recsysrl.setup.Platform;
import org.recsysrl.setup.Setup;
import org.recsysrl.util.UserInputException;

class PlatformsTest {
    @Test
    void theRegistryAndTheConfigNameTheSamePlatforms() {
        assertThat(Platforms.names()).containsExactly("short-video", "education", "e-commerce", "interest-evolution",
                "social-feed", "long-video");
        assertThat(EnvConfig.platforms()).containsExactlyElementsOf(Platforms.names());
        assertThat(EnvConfig.types()).containsExactly("simulator", "movielens", "logs", "short-video", "education",
                "e-commerce", "interest-evolution", "social-feed", "long-video");
        assertThatThrownBy(() -> Platforms.get("podcasts")).isInstanceOf(UserInputException.class)
                .hasMessageContaining("short-video");
    }

    @Test
    void aPlatformsSettingsComeAfterThePresetAndBeforeTheUsersSets() {
        List<String> announced = new ArrayList<>();
        RunConfig education = Platforms.withSettings(RunConfig.defaults(),
                List.of("env.type=education"), announced::add);
        assertThat(education.model().policy().actorHead()).isEqualTo(org.recsysrl.config.ActorHeadKind.LOGITS);
        assertThat(education.a2c().entCoef()).isEqualTo(0.03);
        assertThat(announced).singleElement().asString().contains("a2c.ent_coef=0.03");

        RunConfig overridden = Platforms.withSettings(RunConfig.defaults(),
                List.of("env.type=education", "a2c.ent_coef=0"), announced::add);
        assertThat(overridden.a2c().entCoef()).isEqualTo(0.0);
        assertThat(overridden.model().policy().actorHead()).isEqualTo(org.recsysrl.config.ActorHeadKind.LOGITS);

        RunConfig simulator = Platforms.withSettings(RunConfig.defaults(),
                List.of("ppo.gamma=0.5"), announced::add);
        assertThat(simulator.a2c().entCoef()).isEqualTo(RunConfig.defaults().a2c().entCoef());
        assertThat(announced).hasSize(2);
    }

    @Test
    void everyPlatformsSetupReferencesAndFiguresFitTogether() {
        for (Platform p : Platforms.all()) {
            Setup setup = p.setup(3);
            Environment env = setup.newEnv().apply(1);
            assertThat(env.observationSize()).as(p.name()).isEqualTo(setup.observationSize());
            assertThat(env.actionCount()).isEqualTo(setup.actionCount());
            assertThat(env.userCount()).isEqualTo(setup.userCount());
            assertThat(env.slateSize()).isEqualTo(setup.slateSize());
            if (setup.itemEmbeddings() != null) {
                assertThat(setup.itemEmbeddings()).hasSize(setup.actionCount() * setup.itemDim());
            } else {
                // no item features for the embedding head: the platform must train with another head
                assertThat(p.settings()).as(p.name())
                        .containsAnyOf("model.actor_head=logits", "model.actor_head=candidates");
            }
            List<Policy> refs = p.references(setup, 3, 5);
            assertThat(refs).extracting(Policy::name).contains(p.baseline(), "random");
            assertThat(refs).extracting(Policy::slateSize).as(p.name()).containsOnly(setup.slateSize());
            assertThat(p.figures().names()).isNotEmpty();
            assertThat(p.description()).isNotBlank();
        }
    }
}
