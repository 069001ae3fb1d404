package org.recsysrl.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.recsysrl.config.SeqConfig;
import org.recsysrl.seq.SequenceTrainer;

class LogTrainingSettingsTest {

    @Test
    void seenItemsLeaveTheSoftmaxOnlyWhereEvaluationLeavesThemOutOfTheRanking() {
        SeqConfig q = SeqConfig.defaults();
        assertThat(q.excludeSeen()).isTrue();
        assertThat(LogTraining.settings(q, 1000, 1, "supervised", true).excludeSeen()).isTrue();
        // repeat consumption (eval.exclude_known = false): a seen item may be the next one, so nothing is left out
        assertThat(LogTraining.settings(q, 1000, 1, "supervised", false).excludeSeen()).isFalse();
        SeqConfig off = new SeqConfig(q.loss(), q.negatives(), q.sparseAdam(), q.epochs(), q.batchSize(), q.lr(),
                q.maxGradNorm(), q.patience(), q.tdWeight(), q.acWeight(), q.gamma(), q.tau(), q.threads(), false,
                q.minEpochs(), q.markovMix(), q.checkpointHistories());
        assertThat(LogTraining.settings(off, 1000, 1, "sa2c", true).excludeSeen()).isFalse();
    }

    @Test
    void onlyTheActorCriticTakesTheRlWeights() {
        SeqConfig q = SeqConfig.defaults();
        SequenceTrainer.Settings supervised = LogTraining.settings(q, 1000, 1, "supervised", true);
        SequenceTrainer.Settings sa2c = LogTraining.settings(q, 1000, 1, "sa2c", true);
        assertThat(supervised.tdWeight()).isZero();
        assertThat(supervised.acWeight()).isZero();
        assertThat(sa2c.tdWeight()).isEqualTo(q.tdWeight());
        assertThat(sa2c.acWeight()).isEqualTo(q.acWeight());
    }

    @Test
    void everyConfigValueReachesItsTrainerSetting() {
        SeqConfig q = new SeqConfig(org.recsysrl.config.SequenceLoss.SAMPLED, 17, false, 23, 19, 0.03, 2.5, 6, 0.7,
                0.4, 0.8, 0.02, 3, true, 5, SeqConfig.defaults().markovMix(), SeqConfig.defaults().checkpointHistories());
        assertThat(LogTraining.settings(q, 1000, 99, "sa2c", true)).isEqualTo(new SequenceTrainer.Settings(23, 19, 0.03, 2.5,
                6, true, 17, false, 0.7, 0.4, 0.8, 0.02, 99, 3, true, 5));
    }

    @Test
    void theAutomaticLossIsTheSampledSoftmaxAboveItsCatalogueSizeOnly() {
        SeqConfig auto = SeqConfig.defaults();
        int limit = org.recsysrl.config.SequenceLoss.SAMPLED_ABOVE_ITEMS;
        assertThat(auto.loss()).isEqualTo(org.recsysrl.config.SequenceLoss.AUTO);
        assertThat(LogTraining.settings(auto, limit, 1, "supervised", true).sampled()).isFalse();
        assertThat(LogTraining.settings(auto, limit + 1, 1, "supervised", true).sampled()).isTrue();
        assertThat(LogTraining.settings(auto, 12_000, 1, "supervised", true).sampled()).isFalse();
        // an explicit choice holds at any size
        SeqConfig full = new SeqConfig(org.recsysrl.config.SequenceLoss.FULL, auto.negatives(), auto.sparseAdam(),
                auto.epochs(), auto.batchSize(), auto.lr(), auto.maxGradNorm(), auto.patience(), auto.tdWeight(),
                auto.acWeight(), auto.gamma(), auto.tau(), auto.threads(), auto.excludeSeen(), auto.minEpochs(),
                auto.markovMix(), auto.checkpointHistories());
        assertThat(LogTraining.settings(full, 1_000_000, 1, "supervised", true).sampled()).isFalse();
        assertThat(org.recsysrl.config.SequenceLoss.SAMPLED.sampledFor(10)).isTrue();
    }
}
