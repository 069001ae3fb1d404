package org.recsysrl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.recsysrl.util.UserInputException;

/** The env.type and data.* settings and their validation messages. */
class DataConfigTest {
    private static RunConfig set(String... kv) {
        return ConfigJson.withOverrides(RunConfig.defaults(), java.util.List.of(kv)).validate();
    }

    @Test
    void defaultsAreTheSimulatorWithValidDataSettings() {
        RunConfig d = RunConfig.defaults().validate();
        assertThat(d.env().type()).isEqualTo("simulator");
        assertThat(d.data()).isEqualTo(DataConfig.defaults());
        RunConfig m = set("env.type=movielens", "data.path=/x", "data.leave_patience=5");
        assertThat(m.env().ratingLog()).isTrue();
        assertThat(m.data().leavePatience()).isEqualTo(5);
    }

    @Test
    void errorsNameTheKey() {
        assertThatThrownBy(() -> set("env.type=imdb")).isInstanceOf(UserInputException.class)
                .hasMessageContaining("env.type");
        assertThatThrownBy(() -> set("env.type=movielens")).isInstanceOf(UserInputException.class)
                .hasMessageContaining("data.path").hasMessageContaining("--data");
        assertThatThrownBy(() -> set("data.leave_threshold=1.5")).hasMessageContaining("data.leave_threshold");
        assertThatThrownBy(() -> set("data.mf_dim=0")).hasMessageContaining("data.mf_dim");
        assertThatThrownBy(() -> set("data.holdout_fraction=0")).hasMessageContaining("data.holdout_fraction");
        assertThatThrownBy(() -> set("data.session_users=some")).hasMessageContaining("data.session_users");
        assertThat(set("data.holdout_fraction=0", "data.holdout_last=2").data().holdoutLast()).isEqualTo(2);
    }

    @Test
    void theDataPathIsLocalAndNotInPortableJson() {
        RunConfig m = set("env.type=movielens", "data.path=/somewhere/ml");
        assertThat(ConfigJson.toPortableJson(m)).doesNotContain("/somewhere/ml").contains("\"type\":\"movielens\"");
    }
}
