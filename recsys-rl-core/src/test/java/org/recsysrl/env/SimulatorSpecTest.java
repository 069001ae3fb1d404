package org.recsysrl.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.recsysrl.util.UserInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SimulatorSpecTest {

    @Test
    void acceptsTheOriginalDefaults() {
        SimulatorSpec s = new SimulatorSpec(1000, 100, 32, 32, 20, 0.99, SimulatorSpec.DEFAULT_INTEREST_DRIFT, 42L);
        assertThat(s.observationSize()).isEqualTo(64);
        assertThat(new SimulatorSpec(1, 1, 1, 1, 1, 1.0, 0.0, -5L).observationSize()).isEqualTo(2);
    }

    static Stream<Arguments> badSpecs() {
        return Stream.of(
                Arguments.of("env.num_items", (Runnable) () -> new SimulatorSpec(0, 100, 32, 32, 20, 0.99, 0.05, 1)),
                Arguments.of("env.num_users", (Runnable) () -> new SimulatorSpec(1000, -1, 32, 32, 20, 0.99, 0.05, 1)),
                Arguments.of("env.user_feature_dim", (Runnable) () -> new SimulatorSpec(1000, 100, 0, 32, 20, 0.99, 0.05, 1)),
                Arguments.of("env.item_feature_dim", (Runnable) () -> new SimulatorSpec(1000, 100, 32, 0, 20, 0.99, 0.05, 1)),
                Arguments.of("env.item_feature_dim", (Runnable) () -> new SimulatorSpec(1000, 100, 32, 16, 20, 0.99, 0.05, 1)),
                Arguments.of("env.user_feature_dim", (Runnable) () -> new SimulatorSpec(1000, 100, 32, 16, 20, 0.99, 0.05, 1)),
                Arguments.of("env.max_episode_steps", (Runnable) () -> new SimulatorSpec(1000, 100, 32, 32, 0, 0.99, 0.05, 1)),
                Arguments.of("env.reward_decay", (Runnable) () -> new SimulatorSpec(1000, 100, 32, 32, 20, 0.0, 0.05, 1)),
                Arguments.of("env.reward_decay", (Runnable) () -> new SimulatorSpec(1000, 100, 32, 32, 20, 1.01, 0.05, 1)),
                Arguments.of("env.reward_decay", (Runnable) () -> new SimulatorSpec(1000, 100, 32, 32, 20, Double.NaN, 0.05, 1)),
                Arguments.of("env.interest_drift", (Runnable) () -> new SimulatorSpec(1000, 100, 32, 32, 20, 0.99, -0.1, 1)),
                Arguments.of("env.interest_drift", (Runnable) () -> new SimulatorSpec(1000, 100, 32, 32, 20, 0.99, Double.POSITIVE_INFINITY, 1)),
                Arguments.of("env.num_items", (Runnable) () -> new SimulatorSpec(100_000_000, 100, 32, 32, 20, 0.99, 0.05, 1)));
    }

    @ParameterizedTest(name = "{0} #{index}")
    @MethodSource("badSpecs")
    void rejectsBadValuesNamingTheKey(String key, Runnable construct) {
        assertThatThrownBy(construct::run)
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining(key);
    }
}
