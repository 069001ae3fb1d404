package org.recsysrl.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.recsysrl.util.Rng;

/** {@code model.init}'s two schemes: their names, and each one the initialiser it names, bit for bit. */
class WeightInitTest {

    private static float[] initialised(java.util.function.BiConsumer<Linear, Rng> init) {
        ParameterStore store = new ParameterStore();
        Linear layer = new Linear(store, "l", 5, 3);
        init.accept(layer, new Rng(11));
        return store.data().clone();
    }

    @Test
    void eachSchemeIsTheInitialiserItNames() {
        float[] pytorch = initialised((l, rng) -> WeightInit.PYTORCH.initialise(l, 2.0, rng));
        assertThat(pytorch).isEqualTo(initialised(Init::pytorchDefault));
        float[] orthogonal = initialised((l, rng) -> WeightInit.ORTHOGONAL.initialise(l, 2.0, rng));
        assertThat(orthogonal).isEqualTo(initialised((l, rng) -> Init.orthogonal(l, 2.0, rng)));
        assertThat(orthogonal).isNotEqualTo(pytorch);
        // orthogonal: zero biases (the last 3 entries), PyTorch: drawn
        assertThat(new float[] {orthogonal[15], orthogonal[16], orthogonal[17]}).containsOnly(0f);
        assertThat(pytorch[17]).isNotZero();
    }

    @Test
    void namesAreTheSettingsValues() {
        assertThat(WeightInit.ids()).containsExactly("pytorch", "orthogonal");
        assertThat(WeightInit.of("orthogonal")).isEqualTo(WeightInit.ORTHOGONAL);
        assertThatThrownBy(() -> WeightInit.of("Orthogonal")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pytorch").hasMessageContaining("orthogonal");
    }
}
