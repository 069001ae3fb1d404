package org.recsysrl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AdvantageNormalisationTest {
    @Test
    void everyConfigValueParsesToItsConstant() {
        assertThat(AdvantageNormalisation.ids().stream().map(AdvantageNormalisation::of))
                .containsExactly(AdvantageNormalisation.ROLLOUT, AdvantageNormalisation.MINIBATCH,
                        AdvantageNormalisation.NONE);
        assertThat(AdvantageNormalisation.MINIBATCH.id()).isEqualTo("minibatch");
        assertThatThrownBy(() -> AdvantageNormalisation.of("batch")).isInstanceOf(IllegalArgumentException.class);
    }
}
