package org.recsysrl.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.RunConfig;

/**
 * The search's cost model, worked by hand: two windows of 3 and 2 items (Σ n = 5, Σ n² = 13), 3
 * targets, a catalogue of 10 items, embedding size 4.
 */
class SequenceTuningCostTest {
    private static RunConfig with(String... sets) {
        return ConfigJson.withOverrides(RunConfig.defaults(), List.of(sets));
    }

    private static double cost(RunConfig c) {
        return SequenceTuning.epochMultiplyAdds(c.model().sequence(), c.seq(), 5, 13, 3, 10);
    }

    @Test
    void attentionCountsProjectionsFeedForwardAndAttentionPerRowAndTheSoftmaxPerTarget() {
        // 2 blocks · (6 · 16 · 5 + 2 · 4 · 13) = 2 · (480 + 104) = 1168; 3 targets · 4 · 10 items = 120
        RunConfig c = with("model.encoder=attention", "model.embedding_dim=4", "model.blocks=2", "model.heads=1");
        assertThat(cost(c)).isCloseTo(1288, within(1e-9));
        // one block: 584 + 120
        assertThat(cost(with("model.encoder=attention", "model.embedding_dim=4", "model.blocks=1",
                "model.heads=1"))).isCloseTo(704, within(1e-9));
    }

    @Test
    void aGruCountsThreeGatesOnInputAndStateAndLastItemOnlyTheSoftmax() {
        // 6 · 16 · 5 = 480, plus 120
        assertThat(cost(with("model.encoder=gru", "model.embedding_dim=4"))).isCloseTo(600, within(1e-9));
        assertThat(cost(with("model.encoder=last-item", "model.embedding_dim=4"))).isCloseTo(120, within(1e-9));
    }

    @Test
    void theSampledSoftmaxCountsItsNegativesAndTheTargetInsteadOfTheCatalogue() {
        // 3 targets · 4 · (7 + 1) = 96, plus the GRU's 480
        assertThat(cost(with("model.encoder=gru", "model.embedding_dim=4", "seq.loss=sampled", "seq.negatives=7")))
                .isCloseTo(576, within(1e-9));
    }

    @Test
    void doublingTheEmbeddingSizeCostsMoreThanTwiceWhenTheEncoderDominates() {
        // d = 8: 2 · (6 · 64 · 5 + 2 · 8 · 13) + 3 · 8 · 10 = 2 · (1920 + 208) + 240 = 4496, 3.49 × the d = 4 run
        RunConfig wide = with("model.encoder=attention", "model.embedding_dim=8", "model.blocks=2", "model.heads=1");
        assertThat(cost(wide)).isCloseTo(4496, within(1e-9));
        assertThat(cost(wide) / cost(with("model.encoder=attention", "model.embedding_dim=4", "model.blocks=2",
                "model.heads=1"))).isGreaterThan(2);
    }
}
