package org.recsysrl.seq;

import org.recsysrl.nn.EncoderKind;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.eval.EvalTask;
import org.recsysrl.eval.FullRankingEvaluator;
import org.recsysrl.eval.OfflineSplit;
import org.recsysrl.eval.ProtocolSpec;
import org.recsysrl.eval.RankingResult;
import org.recsysrl.eval.RankingSetup;
import org.recsysrl.util.Rng;

/**
 * Item i is always followed by item i+1 (mod n): every encoder must learn it from the training
 * part and rank the held-out next item first (HR@1 ≥ 0.95 on the test targets) within a small,
 * seeded budget; the actor-critic variant too.
 */
class SyntheticTaskTest {
    private static final int ITEMS = 30;

    private static double testHitRateAt1(EncoderKind encoder, double td, double ac) {
        InteractionLog log = SequenceTestData.successorLog(80, 10, ITEMS, 1);
        OfflineSplit split = OfflineSplit.of(log, ProtocolSpec.LOO);
        SequenceSpec spec = new SequenceSpec(encoder, ITEMS, 8, 16, 1, 2, 0.0, true, td > 0);
        SequenceModel m = new SequenceModel(spec);
        m.initialize(new Rng(3));
        SequenceTrainer.Settings s = SequenceTrainer.Settings.builder().epochs(40).batchSize(16).lr(1e-2)
                .maxGradNorm(5).patience(40).offlineActorCritic(td, ac, 0.5, 0.05).seed(7).threads(1).build();
        RankingSetup setup = new RankingSetup(new int[] {1, 10}, 1, RankingSetup.randomTieRank(ITEMS, 0),
                split.trainPart().itemCounts(), 80, null, 0);
        EvalTask valid = split.validationTask(true);
        SequenceTrainer.Result r = new SequenceTrainer(m, split.trainPart(), s).run(
                model -> FullRankingEvaluator.evaluate(model, valid, setup, 1, null).mean("hr@1"), e -> { });
        assertThat(r.bestEpoch()).isPositive();
        RankingResult test = FullRankingEvaluator.evaluate(new SequenceRecommender(m), split.testTask(true), setup, 1,
                null);
        System.out.printf(java.util.Locale.ROOT, "synthetic successor task: %s%s, test HR@1 %.3f (best epoch %d of %d)%n",
                encoder, td > 0 ? " actor-critic" : " supervised", test.mean("hr@1"), r.bestEpoch(), r.history().size());
        return test.mean("hr@1");
    }

    @ParameterizedTest
    @EnumSource(EncoderKind.class)
    void everyEncoderLearnsTheSuccessor(EncoderKind encoder) {
        assertThat(testHitRateAt1(encoder, 0, 0)).isGreaterThanOrEqualTo(0.95);
    }

    @ParameterizedTest
    @EnumSource(value = EncoderKind.class, names = {"ATTENTION", "LAST_ITEM"})
    void theActorCriticVariantToo(EncoderKind encoder) {
        assertThat(testHitRateAt1(encoder, 1.0, 0.5)).isGreaterThanOrEqualTo(0.95);
    }
}
