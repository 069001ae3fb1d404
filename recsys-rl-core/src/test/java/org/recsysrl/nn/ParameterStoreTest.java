package org.recsysrl.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ParameterStoreTest {

    @Test
    void offsetsAreContiguousAndEntriesInOrder() {
        ParameterStore s = new ParameterStore();
        assertThat(s.allocate("a.weight", 4, 3)).isEqualTo(0);
        assertThat(s.allocate("a.bias", 4)).isEqualTo(12);
        assertThat(s.allocate("b", 2, 2, 2)).isEqualTo(16);
        assertThat(s.size()).isEqualTo(24);

        List<ParameterStore.Entry> es = s.entries();
        assertThat(es).extracting(ParameterStore.Entry::name).containsExactly("a.weight", "a.bias", "b");
        assertThat(es).extracting(ParameterStore.Entry::offset).containsExactly(0, 12, 16);
        assertThat(es).extracting(ParameterStore.Entry::length).containsExactly(12, 4, 8);
        assertThat(s.entry("a.bias").shape()).containsExactly(4);
        assertThat(s.entry("b").shape()).containsExactly(2, 2, 2);

        assertThat(s.data()).hasSize(24).containsOnly(0f);
        assertThat(s.grad()).hasSize(24);
        assertThat(s.data()).isSameAs(s.data());
        assertThat(s.grad()).isNotSameAs(s.data());
    }

    @Test
    void duplicateAndMissingNamesRejected() {
        ParameterStore s = new ParameterStore();
        s.allocate("x", 3);
        assertThatThrownBy(() -> s.allocate("x", 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x");
        assertThatThrownBy(() -> s.entry("nope"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope");
        assertThatThrownBy(() -> s.allocate("y", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.allocate("z")).isInstanceOf(IllegalArgumentException.class);
        assertThat(s.size()).isEqualTo(3);
    }

    @Test
    void layoutFrozenAfterDataAccess() {
        ParameterStore s = new ParameterStore();
        s.allocate("x", 3);
        s.grad();
        assertThatThrownBy(() -> s.allocate("y", 2)).isInstanceOf(IllegalStateException.class);
        assertThat(s.data()).hasSize(3);
    }

    @Test
    void zeroGradClearsGradientsOnly() {
        ParameterStore s = new ParameterStore();
        s.allocate("x", 3);
        s.data()[1] = 5f;
        s.grad()[0] = 1f;
        s.grad()[2] = -2f;
        s.zeroGrad();
        assertThat(s.grad()).containsOnly(0f);
        assertThat(s.data()[1]).isEqualTo(5f);
    }

    @Test
    void entryShapeIsDefensivelyCopied() {
        ParameterStore s = new ParameterStore();
        int[] shape = {2, 3};
        s.allocate("w", shape);
        shape[0] = 99;
        s.entry("w").shape()[1] = 77;
        assertThat(s.entry("w").shape()).containsExactly(2, 3);
        assertThat(s.entry("w")).isEqualTo(new ParameterStore.Entry("w", new int[] {2, 3}, 0, 6));
    }

    @Test
    void aBoundGradientIsSeenOnlyByItsThreadAndOnlyDuringTheCall() throws Exception {
        ParameterStore s = new ParameterStore();
        Linear layer = new Linear(s, "l", 2, 1);
        float[] own = s.grad();
        float[] mine = new float[s.size()];
        float[][] seenElsewhere = new float[1][];
        s.withGradient(mine, () -> {
            assertThat(s.grad()).isSameAs(mine);
            layer.backward(new float[] {1f, 2f}, new float[] {3f}, null, 1);
            Thread other = new Thread(() -> seenElsewhere[0] = s.grad());
            other.start();
            try {
                other.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(seenElsewhere[0]).isSameAs(own);
        assertThat(s.grad()).isSameAs(own);
        assertThat(mine).containsExactly(3f, 6f, 3f); // dW = dy·x, db = dy
        assertThat(own).containsOnly(0f);
        assertThatThrownBy(() -> s.withGradient(new float[1], () -> { })).isInstanceOf(IllegalArgumentException.class);
    }
}
