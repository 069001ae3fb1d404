package org.recsysrl.seq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.FixedRecommender;
import org.recsysrl.recommend.Recommender;

class MarkovMixtureTest {
    private static final float NEG = Float.NEGATIVE_INFINITY;


    private static float[] score(Recommender r) {
        float[] out = new float[r.itemCount()];
        r.newScorer().score(History.of(0), out);
        return out;
    }

    @Test
    void mixesTheSoftmaxWithTheNormalisedTransitionsByHand() {
        // softmax(0, ln 2, -inf) = (1/3, 2/3, 0); q / sum q = (1/2, 0, 1/2)
        // 0.75 * (1/3, 2/3, 0) + 0.25 * (1/2, 0, 1/2) = (0.375, 0.5, 0.125)
        MarkovMixture m = new MarkovMixture(FixedRecommender.of(0f, (float) Math.log(2), NEG), FixedRecommender.of(1f, 0f, 1f), 0.25, "m");
        float[] s = score(m);
        assertThat(s[0]).isCloseTo((float) Math.log(0.375), within(1e-6f));
        assertThat(s[1]).isCloseTo((float) Math.log(0.5), within(1e-6f));
        assertThat(s[2]).isCloseTo((float) Math.log(0.125), within(1e-6f));
    }

    @Test
    void anItemWithNeitherMassIsNeverRecommendedAndEmptyPartsGiveWayToTheOther() {
        // no transition mass (an unseen last item with no back-off): the network's log-softmax alone
        float[] s = score(new MarkovMixture(FixedRecommender.of(0f, (float) Math.log(2), NEG), FixedRecommender.of(0f, 0f, 0f), 0.5, "m"));
        assertThat(s[0]).isCloseTo((float) Math.log(1.0 / 3), within(1e-6f));
        assertThat(s[1]).isCloseTo((float) Math.log(2.0 / 3), within(1e-6f));
        assertThat(s[2]).isEqualTo(NEG);
        // a network that rules every item out: the transitions alone
        s = score(new MarkovMixture(FixedRecommender.of(NEG, NEG, NEG), FixedRecommender.of(3f, 1f, 0f), 0.1, "m"));
        assertThat(s[0]).isCloseTo((float) Math.log(0.75), within(1e-6f));
        assertThat(s[1]).isCloseTo((float) Math.log(0.25), within(1e-6f));
        assertThat(s[2]).isEqualTo(NEG);
    }

    @Test
    void theWeightMovesTheRankingFromTheNetworkToTheTransitions() {
        Recommender network = FixedRecommender.of(2f, 1f, 0f);
        Recommender transitions = FixedRecommender.of(0f, 0f, 1f);
        float[] none = score(new MarkovMixture(network, transitions, 0, "m"));
        assertThat(none[0]).isGreaterThan(none[1]);
        assertThat(none[1]).isGreaterThan(none[2]);
        float[] all = score(new MarkovMixture(network, transitions, 1, "m"));
        assertThat(all[2]).isCloseTo(0f, within(1e-6f));
        assertThat(all[0]).isEqualTo(NEG);
        float[] half = score(new MarkovMixture(network, transitions, 0.5, "m"));
        assertThat(half[2]).isGreaterThan(half[0]);
    }

    @Test
    void refusesAWeightOutsideTheUnitIntervalAndMismatchedCatalogues() {
        assertThatThrownBy(() -> new MarkovMixture(FixedRecommender.of(0f), FixedRecommender.of(1f), 1.5, "m"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MarkovMixture(FixedRecommender.of(0f), FixedRecommender.of(1f), Double.NaN, "m"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MarkovMixture(FixedRecommender.of(0f, 1f), FixedRecommender.of(1f), 0.5, "m"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
