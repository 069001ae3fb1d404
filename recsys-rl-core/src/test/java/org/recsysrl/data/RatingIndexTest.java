package org.recsysrl.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RatingIndexTest {

    @Test
    void looksUpRatingsOfTheChosenInteractionsWithTheLatestDuplicateWinning() {
        RatingDataset d = new RatingDataset.Builder()
                .add("a", "x", 1, 0).add("a", "y", 2, 0).add("b", "x", 3, 0)
                .add("a", "x", 4, 0) // duplicate of interaction 0: this one wins
                .add("b", "z", 5, 0).build();
        RatingIndex all = RatingIndex.of(d, new int[] {0, 1, 2, 3, 4});
        int a = 0;
        int b = 1;
        int x = 0;
        int y = 1;
        int z = 2;
        assertThat(all.rating(a, x)).isEqualTo(4f);
        assertThat(all.rating(a, y)).isEqualTo(2f);
        assertThat(all.rating(a, z)).isNaN();
        assertThat(all.rated(b, z)).isTrue();
        assertThat(all.rated(b, y)).isFalse();
        assertThat(all.count(a)).isEqualTo(2);
        assertThat(all.item(b, 0)).isEqualTo(x);
        assertThat(all.item(b, 1)).isEqualTo(z);
        assertThat(all.userCount()).isEqualTo(2);

        RatingIndex some = RatingIndex.of(d, new int[] {4, 0}); // order does not matter
        assertThat(some.rating(a, x)).isEqualTo(1f);
        assertThat(some.rating(b, x)).isNaN();
        assertThat(some.rating(b, z)).isEqualTo(5f);
        assertThat(some.count(a)).isEqualTo(1);
    }

    @Test
    void agreesWithTheDataOnATrainingSplit() {
        RatingDataset d = AlsTrainerTest.DATA;
        Split s = AlsTrainerTest.SPLIT;
        RatingIndex train = RatingIndex.of(d, s.train());
        for (int k : s.train()) {
            assertThat(train.rating(d.user(k), d.item(k))).isEqualTo(d.rating(k)); // no duplicates in DATA
        }
        for (int k : s.test()) {
            assertThat(train.rated(d.user(k), d.item(k))).isFalse();
        }
    }
}
