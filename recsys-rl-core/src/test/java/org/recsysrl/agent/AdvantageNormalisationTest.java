package org.recsysrl.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.recsysrl.config.PpoConfig;

class AdvantageNormalisationTest {
    @Test
    void everyConfigValueParsesToItsConstant() {
        assertThat(PpoConfig.ADVANTAGE_NORMS.stream().map(AdvantageNormalisation::of))
                .containsExactly(AdvantageNormalisation.ROLLOUT, AdvantageNormalisation.MINIBATCH,
                        AdvantageNormalisation.NONE);
        assertThat(AdvantageNormalisation.MINIBATCH.id()).isEqualTo("minibatch");
        assertThatThrownBy(() -> AdvantageNormalisation.of("batch")).isInstanceOf(IllegalArgumentException.class);
    }
}
