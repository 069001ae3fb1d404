package org.recsysrl.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The small value types of the recommender contract. */
class RecommendTypesTest {

    @Test
    void historiesAreSlicesOfASharedArray() {
        int[] items = {9, 4, 7, 2};
        float[] weights = {1, 2, 3, 4};
        History h = new History(3, items, weights, 1, 3);
        assertThat(h.length()).isEqualTo(2);
        assertThat(h.lastItem()).isEqualTo(7); // position 2, the most recent of [1, 3)
        assertThat(h.weight(2)).isEqualTo(3f);
        History g = History.of(5, 6);
        assertThat(g.user()).isEqualTo(History.UNKNOWN_USER);
        assertThat(g.weight(1)).isEqualTo(1f);
        assertThat(History.of().lastItem()).isEqualTo(-1);
        assertThatThrownBy(() -> new History(0, items, null, 3, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new History(0, items, null, 0, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new History(0, items, new float[2], 0, 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hyperparametersKeepTheirOrderAndPrintCompactly() {
        Hyperparameters hp = Hyperparameters.of("k", 50, "shrink", 10.0, "window", 0.005);
        assertThat(hp.toString()).isEqualTo("k=50 shrink=10 window=0.005000");
        assertThat(hp.getInt("k")).isEqualTo(50);
        assertThat(hp.get("window")).isEqualTo(0.005);
        assertThat(Hyperparameters.NONE.toString()).isEqualTo("-");
        assertThat(Hyperparameters.of("a", 1)).isEqualTo(Hyperparameters.of("a", 1.0));
        assertThatThrownBy(() -> hp.get("lambda")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no hyperparameter lambda");
        assertThatThrownBy(() -> Hyperparameters.of("a")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFitNeedsAtLeastOneThread() {
        assertThat(new FitContext(1, 0, false, false).threads()).isEqualTo(1);
        assertThatThrownBy(() -> new FitContext(0, 0, false, false)).isInstanceOf(IllegalArgumentException.class);
    }
}
