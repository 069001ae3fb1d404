package org.recsysrl.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicatesTest {
    @Test
    void meanAndStudentTIntervalOfThreeValues() {
        // values 0.04, 0.05, 0.06: mean 0.05, sd 0.01, half-width 4.303 · 0.01 / √3 = 0.024844
        Replicates.Group g = Replicates.summarise("m", List.of("m", "m@b", "m@c"), new double[] {0.04, 0.05, 0.06});
        assertThat(g.mean()).isCloseTo(0.05, within(1e-15));
        assertThat(g.halfWidth()).isCloseTo(4.303 * 0.01 / Math.sqrt(3), within(1e-12));
        assertThat(g.n()).isEqualTo(3);
    }

    @Test
    void tQuantiles() {
        assertThat(Replicates.t975(1)).isEqualTo(12.706);
        assertThat(Replicates.t975(2)).isEqualTo(4.303);
        assertThat(Replicates.t975(30)).isEqualTo(2.042);
        assertThat(Replicates.t975(31)).isEqualTo(1.96);
    }

    @Test
    void baseNamesGroupReplicates() {
        assertThat(Replicates.baseName("supervised-attention@ml-att-s2")).isEqualTo("supervised-attention");
        assertThat(Replicates.baseName("popular")).isEqualTo("popular");
    }
}
