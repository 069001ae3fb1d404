package org.recsysrl.baselines;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.Layout;
import org.recsysrl.data.TinyLog;
import org.recsysrl.recommend.FitContext;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Hyperparameters;
import org.recsysrl.recommend.Recommender;

/** Implicit ALS: confidence weights, monotone sweeps, thread-independent fits. */
class ImplicitAlsTest {

    @Test
    void repeatedInteractionsSumTheirWeights() {
        // u0: item 1 (w 2), item 0 (w 1), item 1 (w 3); u1: item 1 (w 4)
        InteractionLog log = TinyLog.of(2, new int[][] {{1, 0, 1}, {1}}, null, new float[][] {{2, 1, 3}, {4}},
                Layout.LOG_CSV);
        ImplicitAls.WeightedMatrix r = ImplicitAls.WeightedMatrix.of(log);
        // user rows, items ascending: u0 → (0: 1), (1: 2 + 3 = 5); u1 → (1: 4)
        assertThat(r.userOffsets).containsExactly(0, 2, 3);
        assertThat(r.userItems).containsExactly(0, 1, 1);
        assertThat(r.userWeights).containsExactly(1f, 5f, 4f);
        // item columns, users ascending: item 0 → (u0: 1); item 1 → (u0: 5), (u1: 4)
        assertThat(r.itemOffsets).containsExactly(0, 1, 3);
        assertThat(r.itemUsers).containsExactly(0, 0, 1);
        assertThat(r.itemWeights).containsExactly(1f, 5f, 4f);
        // without weights every interaction counts 1: u0's item 1 twice → 2
        ImplicitAls.WeightedMatrix counts = ImplicitAls.WeightedMatrix.of(TinyLog.of(2, new int[][] {{1, 0, 1}, {1}}));
        assertThat(counts.userWeights).containsExactly(1f, 2f, 1f);
    }

    @Test
    void theObjectiveNeverIncreasesOverSweeps() {
        InteractionLog log = TinyLog.random(31, 70, 40, 12, Layout.LOG_CSV);
        ImplicitAls.Factors f = new ImplicitAls.Factors(ImplicitAls.WeightedMatrix.of(log), 8, 10.0, 0.5, 4, 2);
        double[] objective = new double[9];
        objective[0] = f.objective();
        for (int s = 1; s < objective.length; s++) {
            f.sweep();
            objective[s] = f.objective();
        }
        for (int s = 1; s < objective.length; s++) {
            // each half-sweep is an exact minimiser; the factors are stored as floats, which may
            // add a rounding-level increase (relative 1e-6) once converged, never more
            assertThat(objective[s]).as("sweep %d", s).isLessThanOrEqualTo(objective[s - 1] * (1 + 1e-6));
        }
        // and the fit really learns: the objective falls well below its starting value
        assertThat(objective[8]).isLessThan(0.8 * objective[0]);
    }

    @Test
    void foldInScoresDoNotDependOnTheThreadCount() {
        InteractionLog log = TinyLog.random(32, 150, 30, 10, Layout.LOG_CSV); // 150 users: 3 chunks of 64
        Hyperparameters hp = Hyperparameters.of("alpha", 20, "lambda", 1, "dim", 8, "sweeps", 3);
        Recommender one = new ImplicitAls().prepare(log, new FitContext(1, 9, true, false)).fit(hp);
        Recommender three = new ImplicitAls().prepare(log, new FitContext(3, 9, true, false)).fit(hp);
        History h = History.of(3, 7, 3, 12);
        float[] a = new float[30];
        float[] b = new float[30];
        one.newScorer().score(h, a);
        three.newScorer().score(h, b);
        assertThat(b).containsExactly(a);
        // the history's items are scored higher than the average item (a fitted, not a random model)
        double mean = 0;
        for (float v : a) {
            mean += v / 30.0;
        }
        assertThat((double) a[3]).isGreaterThan(mean);
        assertThat((double) a[7]).isGreaterThan(mean);
    }
}
