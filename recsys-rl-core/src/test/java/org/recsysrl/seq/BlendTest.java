package org.recsysrl.seq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.recommend.FixedRecommender;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Recommender;

class BlendTest {
    private static final float NEG = Float.NEGATIVE_INFINITY;
    private static final List<Blend.Kind> LMM = List.of(Blend.Kind.LOGITS, Blend.Kind.MASS, Blend.Kind.MASS);

    private static float[] score(Recommender r) {
        float[] out = new float[r.itemCount()];
        r.newScorer().score(History.of(0), out);
        return out;
    }

    @Test
    void normalisesEachComponentAndMixesTheDistributionsByHand() {
        // softmax(0, ln 3, -inf, 0) = (0.2, 0.6, 0, 0.2); mass (2, 0, -1, 2) -> positive part / sum = (0.5, 0, 0, 0.5);
        // mass (0, 1, 0, 3) -> (0, 0.25, 0, 0.75)
        // 0.5 * (0.2, 0.6, 0, 0.2) + 0.3 * (0.5, 0, 0, 0.5) + 0.2 * (0, 0.25, 0, 0.75) = (0.25, 0.35, 0, 0.4)
        Blend b = new Blend(List.of(FixedRecommender.of(0f, (float) Math.log(3), NEG, 0f),
                FixedRecommender.of(2f, 0f, -1f, 2f), FixedRecommender.of(0f, 1f, 0f, 3f)), LMM,
                new double[] {0.5, 0.3, 0.2}, "b");
        float[] s = score(b);
        assertThat(s[0]).isCloseTo((float) Math.log(0.25), within(1e-6f));
        assertThat(s[1]).isCloseTo((float) Math.log(0.35), within(1e-6f));
        assertThat(s[2]).isEqualTo(NEG);
        assertThat(s[3]).isCloseTo((float) Math.log(0.4), within(1e-6f));
    }

    @Test
    void aComponentWithoutMassGivesItsWeightToTheOthersInProportion() {
        // the second component has no positive score: weights 0.5 and 0.2 renormalise to 5/7 and 2/7
        Blend b = new Blend(List.of(FixedRecommender.of(0f, 0f), FixedRecommender.of(0f, -2f),
                FixedRecommender.of(1f, 0f)), LMM, new double[] {0.5, 0.3, 0.2}, "b");
        float[] s = score(b);
        assertThat(s[0]).isCloseTo((float) Math.log(5.0 / 7 * 0.5 + 2.0 / 7), within(1e-6f));
        assertThat(s[1]).isCloseTo((float) Math.log(5.0 / 7 * 0.5), within(1e-6f));
    }

    @Test
    void withTheNetworkAndTransitionsAloneItIsTheMarkovMixture() {
        Recommender net = FixedRecommender.of(0.3f, -1f, 2f, NEG);
        Recommender counts = FixedRecommender.of(1f, 0f, 2f, 5f);
        float[] blend = score(new Blend(List.of(net, counts), List.of(Blend.Kind.LOGITS, Blend.Kind.MASS),
                new double[] {0.7, 0.3}, "b"));
        float[] mixture = score(new MarkovMixture(net, counts, 0.3, "m"));
        for (int i = 0; i < 4; i++) {
            assertThat(blend[i]).isCloseTo(mixture[i], within(1e-6f));
        }
    }

    @Test
    void oneComponentAloneServesItsOwnScores() {
        Recommender ease = FixedRecommender.of(0.5f, -0.25f, 0f);
        Blend b = new Blend(List.of(FixedRecommender.of(1f, 2f, 3f), ease), List.of(Blend.Kind.LOGITS,
                Blend.Kind.MASS), new double[] {0, 1}, "b");
        assertThat(b.soleComponent()).isEqualTo(1);
        assertThat(score(b)).containsExactly(0.5f, -0.25f, 0f);
    }

    @Test
    void searchStartsAtTheBestVertexAndTakesOnlyStrictImprovements() {
        // value(w) = -(w0 - 0.35)^2 - (w1 - 0.65)^2 - w2^2 on the simplex; vertices: -0.845, -0.245, -1.545
        // start e1; round 1: moves toward 0 by s give (s, 1 - s, 0), value -2 (s - 0.35)^2: best s = 0.3, -0.005
        // round 2 from (0.3, 0.7, 0): toward 0 by 0.1 -> (0.37, 0.63, 0): -0.0008 (toward 1 by 0.1: -0.0128)
        // round 3 from (0.37, 0.63, 0): toward 1 by 0.1 -> (0.333, 0.667, 0): -0.000578; then the round limit
        List<double[]> seen = new ArrayList<>();
        Blend.Choice c = Blend.search(3, w -> {
            seen.add(w.clone());
            return -Math.pow(w[0] - 0.35, 2) - Math.pow(w[1] - 0.65, 2) - w[2] * w[2];
        }, line -> { });
        assertThat(c.vertices()).containsExactly(new double[] {-0.845, -0.245, -1.545}, within(1e-12));
        assertThat(c.weights()).containsExactly(new double[] {0.333, 0.667, 0}, within(1e-9));
        assertThat(c.value()).isCloseTo(-0.000578, within(1e-12));
        // 3 vertices + round 1 (two components x 4 steps) + rounds 2 and 3 (three components x 4 steps)
        assertThat(c.evaluations()).isEqualTo(3 + 8 + 12 + 12).isEqualTo(seen.size());
    }

    @Test
    void pairedGainIsTheMeanDifferenceWithItsStandardErrorByHand() {
        // differences (1, 0, 2, NaN-left-out, 1): mean 1, sample variance ((0 + 1 + 1 + 0) / 3) = 2/3, SE = sqrt(2/3 / 4)
        Blend.Gain g = Blend.Gain.of(new double[] {1, 0, 3, Double.NaN, 2}, new double[] {0, 0, 1, 0, 1});
        assertThat(g.users()).isEqualTo(4);
        assertThat(g.mean()).isCloseTo(1.0, within(1e-12));
        assertThat(g.standardError()).isCloseTo(Math.sqrt(2.0 / 3 / 4), within(1e-12));
        assertThat(g.lowerBound(2)).isCloseTo(1 - 2 * Math.sqrt(2.0 / 3 / 4), within(1e-12));
    }

    /** Per-user values: user k gets {@code base[k] + slope[k]·w0} (so the network's weight moves each user). */
    private static double[] perUser(double[] w, double[] base, double[] slope) {
        double[] v = new double[base.length];
        for (int k = 0; k < v.length; k++) {
            v[k] = base[k] + slope[k] * w[0] - (w[0] > 0.5 ? 1 : 0);
        }
        return v;
    }

    @Test
    void theGuardServesTheBestBaselineWhenTheSearchsGainOverItIsNotSure() {
        // components: network (0) and one baseline (1). Vertices: network base - 1 + slope, baseline base.
        // The search by the mean: start at the baseline (1 > 0.1), the move toward the network by 0.5 is best,
        // and round 2 loses (a network weight above 0.5 costs every user 1). A small gain for a few users only: slopes (1, 0, 0, 0, -0.5) with base 1 for all; the move toward
        // the network by 0.5 gives the mean gain 0.5 * 0.5 / 5 = 0.05, with differences (0.5, 0, 0, 0, -0.25):
        // mean 0.05, sd = sqrt((0.2025 + 3 * 0.0025 + 0.09) / 4) = 0.274, SE 0.122: 0.05 - 1.645 * 0.122 < 0.
        double[] base = {1, 1, 1, 1, 1};
        double[] noisy = {1, 0, 0, 0, -0.5};
        Blend.Guarded g = Blend.searchGuarded(2, w -> perUser(w, base, noisy), line -> { });
        assertThat(g.searched()).containsExactly(0.5, 0.5);
        assertThat(g.searchedValue()).isCloseTo(1.05, within(1e-12));
        assertThat(g.shrunk()).isTrue();
        assertThat(g.reference()).isEqualTo(1);
        assertThat(g.choice().weights()).containsExactly(0, 1);
        assertThat(g.choice().value()).isEqualTo(1.0);
        assertThat(g.searchedGain().mean()).isCloseTo(0.05, within(1e-12));
        assertThat(g.searchedGain().standardError()).isCloseTo(Math.sqrt(0.3 / 4 / 5), within(1e-12));
        // every user gains 0.1 per unit of network weight: differences (0.05 ... 0.05), SE 0, sure: served
        double[] even = {0.1, 0.1, 0.1, 0.1, 0.1};
        Blend.Guarded sure = Blend.searchGuarded(2, w -> perUser(w, base, even), line -> { });
        assertThat(sure.shrunk()).isFalse();
        assertThat(sure.choice().weights()).containsExactly(0.5, 0.5);
        assertThat(sure.gain().mean()).isCloseTo(0.05, within(1e-12));
        assertThat(sure.gain().standardError()).isCloseTo(0, within(1e-6));
    }

    @Test
    void refusesWeightsOffTheSimplexAndMismatchedComponents() {
        List<Recommender> two = List.of(FixedRecommender.of(0f, 1f), FixedRecommender.of(1f, 0f));
        List<Blend.Kind> kinds = List.of(Blend.Kind.LOGITS, Blend.Kind.MASS);
        assertThatThrownBy(() -> new Blend(two, kinds, new double[] {0.5, 0.6}, "b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sum");
        assertThatThrownBy(() -> new Blend(two, kinds, new double[] {-0.5, 1.5}, "b"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Blend(List.of(FixedRecommender.of(0f), FixedRecommender.of(1f, 0f)), kinds,
                new double[] {0.5, 0.5}, "b")).isInstanceOf(IllegalArgumentException.class);
    }
}
