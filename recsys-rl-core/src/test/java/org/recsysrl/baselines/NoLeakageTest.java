package org.recsysrl.baselines;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.Interactions;
import org.recsysrl.data.Layout;
import org.recsysrl.data.SplitSpec;
import org.recsysrl.data.TinyLog;
import org.recsysrl.eval.EvalTask;
import org.recsysrl.eval.OfflineSplit;
import org.recsysrl.eval.ProtocolSpec;
import org.recsysrl.recommend.FitContext;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Hyperparameters;
import org.recsysrl.recommend.ModelFamily;
import org.recsysrl.recommend.Recommender;
import org.recsysrl.util.Rng;

/**
 * No baseline reads an interaction outside the training part: every family fitted on a log and on
 * a copy of it whose validation, test and post-cutoff interactions were replaced by other items
 * (and other weights) scores the validation histories identically, for every protocol.
 */
class NoLeakageTest {

    /**
     * {@code log} with every interaction outside {@code split}'s training part replaced by another
     * item (and another rating); offsets, times and ids are the same, so the split is too.
     */
    private static InteractionLog scrambleOutsideTraining(InteractionLog log, OfflineSplit split, long seed) {
        Rng rng = new Rng(seed);
        int[] items = log.items().clone();
        float[] weights = log.weights().clone();
        int changed = 0;
        for (int u = 0; u < log.userCount(); u++) {
            for (int p = split.fitEnd(u); p < log.end(u); p++) {
                items[p] = (items[p] + 1 + rng.nextInt(log.itemCount() - 1)) % log.itemCount(); // never the same
                weights[p] = weights[p] == 5f ? 1f : 5f;
                changed++;
            }
        }
        assertThat(changed).as("the protocol must hold something out").isGreaterThan(10);
        return new InteractionLog(log.offsets(), items, log.times(), weights, log.userIds(), log.itemIds(),
                log.metadata(), log.identity());
    }

    private static List<ProtocolSpec> protocols() {
        return List.of(ProtocolSpec.LOO, ProtocolSpec.temporal(0.6, false, true), ProtocolSpec.temporal(0.6, true, false),
                ProtocolSpec.userFraction(SplitSpec.lastFraction(0.3, 3)));
    }

    /** Scores of every grid point's model for every validation history, concatenated. */
    private static List<float[]> scores(ModelFamily family, Interactions train, FitContext ctx, EvalTask validation,
            List<Hyperparameters> grid) {
        ModelFamily.Fitter fitter = family.prepare(train, ctx);
        List<float[]> out = new ArrayList<>();
        for (Hyperparameters hp : grid) {
            Recommender model = fitter.fit(hp);
            Recommender.Scorer scorer = model.newScorer();
            for (int k = 0; k < validation.size(); k++) {
                History h = validation.history(k);
                float[] s = new float[model.itemCount()];
                scorer.score(h, s);
                out.add(s);
            }
        }
        return out;
    }

    private static void checkNoLeak(InteractionLog log, String what) {
        int checkedFamilies = 0;
        for (ProtocolSpec protocol : protocols()) {
            OfflineSplit split = OfflineSplit.of(log, protocol);
            InteractionLog copy = scrambleOutsideTraining(log, split, 99);
            OfflineSplit copySplit = OfflineSplit.of(copy, protocol);
            for (int u = 0; u < log.userCount(); u++) {
                assertThat(copySplit.fitEnd(u)).isEqualTo(split.fitEnd(u));
            }
            EvalTask validation = split.validationTask(false);
            assertThat(validation.size()).as("%s %s validation users", what, protocol.kind()).isGreaterThan(3);
            FitContext ctx = new FitContext(2, 7, log.hasTimes(), log.ratings());
            for (ModelFamily family : Baselines.all()) {
                if (family.unavailableReason(ctx) != null) {
                    continue;
                }
                String as = what + " " + protocol.kind() + (protocol.allTargets() ? " all" : "") + " " + family.name();
                List<Hyperparameters> grid = family.grid(split.trainPart(), ctx);
                assertThat(family.grid(copySplit.trainPart(), ctx)).as(as).isEqualTo(grid);
                // first and last grid points keep the test fast and still cover two fits per family
                List<Hyperparameters> points = grid.size() == 1 ? grid : List.of(grid.get(0), grid.get(grid.size() - 1));
                List<float[]> original = scores(family, split.trainPart(), ctx, validation, points);
                List<float[]> scrambled = scores(family, copySplit.trainPart(), ctx, validation, points);
                assertThat(scrambled).as(as).hasSameSizeAs(original);
                for (int k = 0; k < original.size(); k++) {
                    assertThat(scrambled.get(k)).as("%s, history %d", as, k).containsExactly(original.get(k));
                }
                checkedFamilies++;
            }
        }
        // every family runs on this data: times and ratings are present
        assertThat(checkedFamilies).isEqualTo(protocols().size() * Baselines.all().size());
    }

    @Test
    void noFamilyReadsBeyondTheTrainingPartWithMoreUsersThanItems() {
        // 60 users, 20 items: EASE takes its primal path
        InteractionLog log = TinyLog.random(11, 60, 20, 12, Layout.IN_MEMORY);
        assertThat(Ease.usesDual(OfflineSplit.of(log, ProtocolSpec.LOO).trainPart())).isFalse();
        checkNoLeak(log, "primal");
    }

    @Test
    void noFamilyReadsBeyondTheTrainingPartWithFewerUsersThanItems() {
        // 25 users, 60 items: EASE takes its dual (Woodbury) path
        InteractionLog log = TinyLog.random(12, 25, 60, 14, Layout.IN_MEMORY);
        assertThat(Ease.usesDual(OfflineSplit.of(log, ProtocolSpec.LOO).trainPart())).isTrue();
        checkNoLeak(log, "dual");
    }
}
