package org.recsysrl.seq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.recommend.FixedRecommender;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Recommender;

/** The blend's search on hand-made objectives, its reporting helpers, and a scorer used twice. */
class BlendSearchTest {

    @Test
    void theSearchTakesTheBestStrictMoveAndLogsIt() {
        // value λ(1 − λ) of w = (1 − λ, λ): the vertices tie at 0 (start at component 0), the best move is λ = 0.5
        List<double[]> evaluated = new ArrayList<>();
        List<String> log = new ArrayList<>();
        Blend.Choice c = Blend.search(2, w -> {
            evaluated.add(w.clone());
            return w[0] * w[1];
        }, log::add);
        assertThat(c.weights()).containsExactly(0.5, 0.5);
        assertThat(c.value()).isEqualTo(0.25);
        assertThat(c.vertices()).containsExactly(0.0, 0.0);
        assertThat(c.evaluations()).isEqualTo(2 + 4 + 8);
        assertThat(evaluated.get(2)).containsExactly(0.9, 0.1);
        assertThat(evaluated.get(3)).containsExactly(0.8, 0.2);
        assertThat(evaluated.get(5)).containsExactly(0.5, 0.5);
        assertThat(evaluated.get(6)).containsExactly(0.55, 0.45); // round 2: (0.5, 0.5) toward component 0 by 0.1
        assertThat(log).containsExactly("blend round 1: +0.50 toward component 1 -> [0.5, 0.5], validation 0.2500");
    }

    @Test
    void aFlatObjectiveStaysAtTheFirstVertex() {
        List<String> log = new ArrayList<>();
        Blend.Choice c = Blend.search(3, w -> 1.0, log::add);
        assertThat(c.weights()).containsExactly(1.0, 0.0, 0.0);
        assertThat(c.evaluations()).isEqualTo(3 + 2 * 4);
        assertThat(log).isEmpty();
    }

    @Test
    void theGuardWithOneComponentHasNothingToGuard() {
        Blend.Guarded g = Blend.searchGuarded(1, w -> new double[] {0.5, 0.7}, line -> { });
        assertThat(g.choice().weights()).containsExactly(1.0);
        assertThat(g.choice().value()).isCloseTo(0.6, within(1e-12));
        assertThat(g.reference()).isZero();
        assertThat(g.shrunk()).isFalse();
    }

    @Test
    void theReferenceIsTheBestBaselineTiesToTheLowerIndex() {
        // network (component 0) and two baselines of equal value: the reference is component 1
        Blend.Guarded g = Blend.searchGuarded(3, w -> new double[] {w[0] * 0.1 + w[1] + w[2], w[1] + w[2]},
                line -> { });
        assertThat(g.reference()).isEqualTo(1);
        assertThat(g.choice().weights()).containsExactly(0.0, 1.0, 0.0);
    }

    @Test
    void aGainOverNoUsersIsUndefinedAndOverOneHasNoSpread() {
        Blend.Gain none = Blend.Gain.of(new double[] {Double.NaN, 1}, new double[] {0, Double.NaN});
        assertThat(none.users()).isZero();
        assertThat(none.mean()).isNaN();
        assertThat(none.standardError()).isNaN();
        Blend.Gain one = Blend.Gain.of(new double[] {3, Double.NaN}, new double[] {1, 0});
        assertThat(one.users()).isEqualTo(1);
        assertThat(one.mean()).isEqualTo(2.0);
        assertThat(one.standardError()).isZero();
        Blend.Gain two = Blend.Gain.of(new double[] {3, 1}, new double[] {1, 0});
        assertThat(two.mean()).isEqualTo(1.5);
        assertThat(two.standardError()).isCloseTo(Math.sqrt(0.5 / 2), within(1e-12));
    }

    @Test
    void describeNamesTheWeightedComponentsAndTheBlendKeepsItsOwn() {
        assertThat(Blend.describe(List.of("network", "markov", "item-knn"), new double[] {0.6, 0, 0.4}))
                .isEqualTo("network=0.600,item-knn=0.400");
        double[] weights = {0.25, 0.75};
        Blend b = new Blend(List.of(FixedRecommender.of(1f, 2f), FixedRecommender.of(1f, 0f)),
                List.of(Blend.Kind.LOGITS, Blend.Kind.MASS), weights, "my-blend");
        weights[0] = 0.5;
        assertThat(b.name()).isEqualTo("my-blend");
        assertThat(b.weights()).containsExactly(0.25, 0.75);
        b.weights()[0] = 9;
        assertThat(b.weights()).containsExactly(0.25, 0.75);
        assertThat(b.soleComponent()).isEqualTo(-1);
    }

    @Test
    void theFirstComponentAloneServesItsRawScores() {
        Blend b = new Blend(List.of(FixedRecommender.of(1f, 2f, 3f), FixedRecommender.of(0f, 1f, 0f)),
                List.of(Blend.Kind.LOGITS, Blend.Kind.MASS), new double[] {1, 0}, "b");
        assertThat(b.soleComponent()).isZero();
        float[] out = new float[3];
        b.newScorer().score(History.of(0), out);
        assertThat(out).containsExactly(1f, 2f, 3f);
    }

    @Test
    void aScorerUsedAgainForgetsTheLastHistory() {
        // an item table as the mass component: item 0 points at item 1, item 1 at item 2
        ItemTable table = new ItemTable("t", new int[] {0, 1, 2, 2}, new int[] {1, 2}, new float[] {1f, 3f});
        Blend b = new Blend(List.of(FixedRecommender.of(0f, 0f, 0f), table),
                List.of(Blend.Kind.LOGITS, Blend.Kind.MASS), new double[] {0.5, 0.5}, "b");
        Recommender.Scorer s = b.newScorer();
        float[] out = new float[3];
        s.score(History.of(0), out);
        // 0.5·(1/3, 1/3, 1/3) + 0.5·(0, 1, 0)
        assertThat(out[1]).isCloseTo((float) Math.log(0.5 / 3 + 0.5), within(1e-6f));
        s.score(History.of(1), out);
        // 0.5·(1/3, 1/3, 1/3) + 0.5·(0, 0, 1)
        assertThat(out[0]).isCloseTo((float) Math.log(0.5 / 3), within(1e-6f));
        assertThat(out[1]).isCloseTo((float) Math.log(0.5 / 3), within(1e-6f));
        assertThat(out[2]).isCloseTo((float) Math.log(0.5 / 3 + 0.5), within(1e-6f));
        // item 2 has an empty row: the table has no mass and the logits take its weight
        s.score(History.of(2), out);
        for (int i = 0; i < 3; i++) {
            assertThat(out[i]).isCloseTo((float) Math.log(1.0 / 3), within(1e-6f));
        }
    }
}
