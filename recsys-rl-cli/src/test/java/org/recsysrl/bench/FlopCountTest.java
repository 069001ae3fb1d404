package org.recsysrl.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.recsysrl.config.RunConfig;

class FlopCountTest {

    @Test
    void originalModelCountsByHand() {
        RunConfig cfg = RunConfig.original();
        // actor 64·128 + 128·64 + 64·1000 = 80,384; critic 64·128 + 128·64 + 64·1 = 16,448
        assertThat(FlopCount.forwardMacs(cfg)).isEqualTo(96_832);
        // the forward pass without each MLP's first layer (64·128 twice)
        assertThat(FlopCount.backwardInputMacs(cfg)).isEqualTo(96_832 - 2 * 64 * 128);
        double ppoPerStep = 2.0 * (96_832 + 10 * (2 * 96_832 + 80_448));
        assertThat(FlopCount.ppo(cfg, 100_352)).isCloseTo(ppoPerStep * 100_352, within(1.0));
        double a2cPerStep = 2.0 * (2 * 96_832 + 80_448);
        assertThat(FlopCount.a2c(cfg, 100_000)).isCloseTo(a2cPerStep * 100_000, within(1.0));
    }

    @Test
    void defaultPresetCountsTheEmbeddingHeadByHand() {
        RunConfig cfg = RunConfig.defaults();
        // actor: query 64·32, scoring 32·1000 against the fixed catalog = 34,048; critic 16,448
        assertThat(FlopCount.forwardMacs(cfg)).isEqualTo(50_496);
        // the scoring product has no weight gradient (the item table is not learned)
        assertThat(FlopCount.weightGradientMacs(cfg)).isEqualTo(50_496 - 32 * 1000);
        // input gradients skip the query and the critic's first layer
        assertThat(FlopCount.backwardInputMacs(cfg)).isEqualTo(50_496 - 64 * 32 - 64 * 128);
        double perSample = 50_496 + 18_496 + 40_256;
        assertThat(FlopCount.ppo(cfg, 100_352)).isCloseTo(2.0 * (50_496 + 10 * perSample) * 100_352, within(1.0));
        assertThat(FlopCount.a2c(cfg, 100_000)).isCloseTo(2.0 * perSample * 100_000, within(1.0));
    }
}
