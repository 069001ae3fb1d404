package org.recsysrl.seq;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceTrainerSettingsTest {

    @Test
    void everySetterLandsInItsOwnComponent() {
        // sixteen distinct values: a setter writing the wrong field shows as a mismatch
        SequenceTrainer.Settings s = SequenceTrainer.Settings.builder().epochs(3).batchSize(5).lr(0.07)
                .maxGradNorm(1.5).patience(4).minEpochs(2).sampled(true).negatives(9).sparseAdam(true)
                .tdWeight(0.3).acWeight(0.6).gamma(0.9).tau(0.02).seed(11).threads(6).excludeSeen(true).build();
        assertThat(s).isEqualTo(new SequenceTrainer.Settings(3, 5, 0.07, 1.5, 4, true, 9, true, 0.3, 0.6, 0.9, 0.02,
                11, 6, true, 2));
    }

    @Test
    void groupedSettersEqualTheirParts() {
        SequenceTrainer.Settings grouped = SequenceTrainer.Settings.builder().sampledSoftmax(7, true)
                .offlineActorCritic(0.4, 0.8, 0.95, 0.01).build();
        SequenceTrainer.Settings apart = SequenceTrainer.Settings.builder().sampled(true).negatives(7).sparseAdam(true)
                .tdWeight(0.4).acWeight(0.8).gamma(0.95).tau(0.01).build();
        assertThat(grouped).isEqualTo(apart);
        assertThat(grouped.sampled()).isTrue();
        assertThat(grouped.negatives()).isEqualTo(7);
        assertThat(grouped.tdWeight()).isEqualTo(0.4);
        assertThat(grouped.tau()).isEqualTo(0.01);
    }

    @Test
    void defaultsAreThePlainSupervisedModel() {
        SequenceTrainer.Settings s = SequenceTrainer.Settings.builder().build();
        assertThat(s).isEqualTo(new SequenceTrainer.Settings(200, 32, 1e-3, 5.0, 10, false, 512, false, 0, 0, 0.5,
                0.005, 0, 1, false, 0));
    }
}
