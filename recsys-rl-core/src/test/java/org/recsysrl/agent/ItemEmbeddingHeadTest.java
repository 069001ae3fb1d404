package org.recsysrl.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.recsysrl.nn.ParameterStore;

/**
 * The item-embedding head by hand: logit_i = exp(s)·(q·e_i) + b_i with q = W·f + c, and its
 * gradients (of s, b, W, c and the features) against central differences.
 */
class ItemEmbeddingHeadTest {
    /** Three items of two dimensions, [itemCount × itemDim]. */
    private static final float[] ITEMS = {1f, 0f, 0f, 2f, -1f, 1f};

    private static ItemEmbeddingHead head(ParameterStore store, boolean learnScale, boolean bias) {
        ItemEmbeddingHead head = new ItemEmbeddingHead(store, 1, ITEMS, 2, 2.0, learnScale, bias);
        head.initialiseExtras();
        float[] p = store.data();
        // W = (0.5, −1)ᵀ, c = (0.25, 0): q = (0.5 f + 0.25, −f)
        p[head.query().weightIndex(0, 0)] = 0.5f;
        p[head.query().weightIndex(1, 0)] = -1f;
        p[head.query().biasOffset()] = 0.25f;
        p[head.query().biasOffset() + 1] = 0f;
        return head;
    }

    @Test
    void logitsAreTheScaledScoresPlusTheItemBias() {
        ParameterStore store = new ParameterStore();
        ItemEmbeddingHead head = head(store, true, true);
        assertThat(head.actionCount()).isEqualTo(3);
        assertThat(head.featureSize()).isEqualTo(1);
        assertThat(store.data()[store.entry("actor.log_scale").offset()]).isCloseTo((float) Math.log(2), within(1e-7f));
        int bias = store.entry("actor.item_bias").offset();
        assertThat(store.data()[bias]).isZero();
        store.data()[bias + 2] = 0.5f;
        // f = 2 (row 0), f = −1 (row 1): q = (1.25, −2), (−0.25, 1)
        float[] logits = new float[6];
        ActorHead.Workspace ws = head.newWorkspace(2);
        head.forward(ws, new float[] {2f, -1f}, logits, 2);
        assertThat(logits).containsExactly(new float[] {2.5f, -8f, 2 * -3.25f + 0.5f, -0.5f, 4f, 2 * 1.25f + 0.5f},
                within(1e-6f));
        float[] one = new float[3];
        head.forwardInference(head.newWorkspace(1), new float[] {2f}, null, one);
        assertThat(one).containsExactly(logits[0], logits[1], logits[2]);
        assertThat(head.itemVectors()).containsExactly(ITEMS);
    }

    @Test
    void aFixedScaleIsNotAParameterAndNoBiasMeansNone() {
        ParameterStore store = new ParameterStore();
        ItemEmbeddingHead head = head(store, false, false);
        assertThat(store.entries()).extracting(ParameterStore.Entry::name)
                .containsExactly("actor.query.weight", "actor.query.bias");
        float[] logits = new float[3];
        head.forward(head.newWorkspace(1), new float[] {2f}, logits, 1);
        assertThat(logits).containsExactly(new float[] {2.5f, -8f, 2 * -3.25f}, within(1e-6f));
        float[] one = new float[3];
        head.forwardInference(head.newWorkspace(1), new float[] {2f}, null, one);
        assertThat(one).containsExactly(logits);
    }

    @Test
    void gradientsMatchCentralDifferences() {
        ParameterStore store = new ParameterStore();
        ItemEmbeddingHead head = head(store, true, true);
        store.data()[store.entry("actor.item_bias").offset() + 1] = -0.3f;
        float[] features = {0.7f, -1.3f};
        float[] c = {0.3f, -0.6f, 0.9f, -0.2f, 0.5f, 0.1f}; // L = Σ c·logits
        ActorHead.Workspace ws = head.newWorkspace(2);
        float[] logits = new float[6];
        head.forward(ws, features, logits, 2);
        store.zeroGrad();
        store.grad()[0] = 5f; // overwritten: accumulate = false
        float[] dFeatures = new float[2];
        head.backward(ws, features, c, dFeatures, 2, false);
        float[] grad = store.grad().clone();
        float[] p = store.data();
        double eps = 1e-3;
        for (int i = 0; i < p.length; i++) {
            float orig = p[i];
            p[i] = (float) (orig + eps);
            double plus = loss(head, features, c);
            p[i] = (float) (orig - eps);
            double minus = loss(head, features, c);
            p[i] = orig;
            assertThat((double) grad[i]).as("parameter %d", i).isCloseTo((plus - minus) / (2 * eps), within(2e-3));
        }
        for (int b = 0; b < 2; b++) {
            float orig = features[b];
            features[b] = (float) (orig + eps);
            double plus = loss(head, features, c);
            features[b] = (float) (orig - eps);
            double minus = loss(head, features, c);
            features[b] = orig;
            assertThat((double) dFeatures[b]).as("feature %d", b).isCloseTo((plus - minus) / (2 * eps), within(2e-3));
        }
        // accumulate = true adds the same gradient again
        head.backward(ws, features, c, dFeatures, 2, true);
        for (int i = 0; i < p.length; i++) {
            assertThat(store.grad()[i]).isCloseTo(2 * grad[i], within(1e-5f));
        }
    }

    private static double loss(ItemEmbeddingHead head, float[] features, float[] c) {
        float[] logits = new float[6];
        head.forward(head.newWorkspace(2), features, logits, 2);
        double l = 0;
        for (int i = 0; i < 6; i++) {
            l += c[i] * logits[i];
        }
        return l;
    }

    @Test
    void refusesEmbeddingsThatAreNotWholeRows() {
        assertThatThrownBy(() -> new ItemEmbeddingHead(new ParameterStore(), 1, new float[5], 2, 1.0, false, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole number of rows of 2");
    }
}
