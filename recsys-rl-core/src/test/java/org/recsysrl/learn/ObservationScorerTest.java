package org.recsysrl.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.config.PolicyNetworkConfig;
import org.recsysrl.nn.Activation;
import org.recsysrl.nn.WeightInit;
import org.recsysrl.ope.Impression;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.ope.policy.ScorerPolicy;
import org.recsysrl.util.Rng;
import org.recsysrl.util.UserInputException;

/** A platform policy network as an OPE target, scored at each logged row's observation. */
class ObservationScorerTest {
    private static LoggedFeedback log() {
        return log(false);
    }

    /** Two rows showing i2 and i0; with the catalog, the log's vocabulary is every action i0 .. i3. */
    private static LoggedFeedback log(boolean catalog) {
        LoggedFeedback.Builder b = LoggedFeedback.builder("t");
        if (catalog) {
            b.catalog(List.of("i0", "i1", "i2", "i3"));
        }
        b.add(new Impression(0, "r0", "u0", "e0", 0, new double[] {0.5, -1, 2}, 0, List.of("i2"), new double[] {0.3},
                Double.NaN, null, 1, null));
        b.add(new Impression(1, "r1", "u0", "e0", 1, new double[] {-0.2, 0.1, 0}, 0, List.of("i0"), new double[] {0.6},
                Double.NaN, null, 0, null));
        return b.build();
    }

    @Test
    void theSoftmaxAtTemperatureOneIsTheNetworksPolicyAtTheRowsContext() {
        ActorCritic model = new ActorCritic(ActorCritic.Spec.of(3, 4), PolicyNetworkConfig.of(List.of(5), List.of(3), Activation.TANH,
                WeightInit.PYTORCH), Rng.stream(2, 1));
        LoggedFeedback log = log(true);
        LoggedFeedback shown = log(false);
        ScorerPolicy pi = new ScorerPolicy("t", ObservationScorer.of(model, log, "t"), 1);
        ScorerPolicy onShown = new ScorerPolicy("t", ObservationScorer.of(model, shown, "t"), 1);
        ActorCritic.Workspace ws = model.newWorkspace(1);
        for (int r = 0; r < 2; r++) {
            float[] obs = new float[3];
            for (int j = 0; j < 3; j++) {
                obs[j] = (float) log.context(r, j);
            }
            model.policy(ws, obs, 1);
            for (int i = 0; i < log.numItems(); i++) {
                int a = Integer.parseInt(log.itemIds().get(i).substring(1));
                assertEquals(ws.probs()[a], pi.probability(log, r, 0, i), 1e-6, "row " + r + " item " + i);
            }
            // without the catalog the log knows i2 and i0 only: the policy is renormalised over them
            double known = ws.probs()[2] + ws.probs()[0];
            assertEquals(ws.probs()[2] / known, onShown.probability(shown, r, 0, shown.itemIndex("i2")), 1e-6);
            assertEquals(ws.probs()[0] / known, onShown.probability(shown, r, 0, shown.itemIndex("i0")), 1e-6);
        }
        // greedy: the most probable action among the log's items
        ScorerPolicy greedy = new ScorerPolicy("g", ObservationScorer.of(model, log, "t"), 0);
        double sum = 0;
        for (int i = 0; i < log.numItems(); i++) {
            sum += greedy.probability(log, 0, 0, i);
        }
        assertEquals(1.0, sum, 0);
    }

    @Test
    void aLogOfOtherContextsDoesNotApply() {
        ActorCritic model = new ActorCritic(ActorCritic.Spec.of(5, 4), PolicyNetworkConfig.of(List.of(5), List.of(3), Activation.TANH,
                WeightInit.PYTORCH), Rng.stream(2, 1));
        assertFalse(ObservationScorer.applies(log(), 5, 4));
        assertTrue(ObservationScorer.applies(log(), 3, 4));
        UserInputException e = assertThrows(UserInputException.class, () -> ObservationScorer.of(model, log(), "--target x"));
        assertTrue(e.getMessage().startsWith("--target x"), e.getMessage());
    }
}
