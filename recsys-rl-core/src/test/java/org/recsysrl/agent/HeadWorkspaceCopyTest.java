package org.recsysrl.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.recsysrl.nn.ParameterStore;

/**
 * A head's workspace filled by {@code copyRows} from another workspace must give the backward pass
 * (parameter and feature gradients) that a forward pass over the same rows gives.
 */
class HeadWorkspaceCopyTest {
    private static final int ROWS = 4;

    @Test
    void copiedHierarchicalRowsGiveTheForwardPassesBackward() {
        ParameterStore store = new ParameterStore();
        HierarchicalHead head = new HierarchicalHead(store, 2, new int[] {0, 1, 0, 1, 1});
        fill(store);
        assertCopiedRowsBackpropagateAsComputedOnes(store, head);
    }

    @Test
    void copiedItemEmbeddingRowsGiveTheForwardPassesBackward() {
        ParameterStore store = new ParameterStore();
        float[] items = {1f, 0f, 0f, 2f, -1f, 1f, 0.5f, -0.5f};
        ItemEmbeddingHead head = new ItemEmbeddingHead(store, 2, items, 2, 1.5, true, true);
        head.initialiseExtras();
        fill(store);
        assertCopiedRowsBackpropagateAsComputedOnes(store, head);
    }

    /** Deterministic, distinct parameter values. */
    private static void fill(ParameterStore store) {
        float[] p = store.data();
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (0.5 * Math.sin(1.7 * i + 0.3));
        }
    }

    /**
     * Source rows 1 and 2 are copied to target rows 2 and 3 of a workspace whose rows 0 and 1 hold
     * a forward pass of their own; every row's features differ, so a copy from, to or of the wrong
     * rows changes the gradients.
     */
    private static void assertCopiedRowsBackpropagateAsComputedOnes(ParameterStore store, ActorHead head) {
        int f = head.featureSize();
        int a = head.actionCount();
        float[] source = new float[ROWS * f];
        float[] filler = new float[ROWS * f];
        for (int k = 0; k < ROWS * f; k++) {
            source[k] = 0.3f * k - 1f;
            filler[k] = 0.9f - 0.45f * k;
        }
        float[] target = filler.clone();
        System.arraycopy(source, f, target, 2 * f, 2 * f);
        float[] logits = new float[ROWS * a];

        ActorHead.Workspace from = head.newWorkspace(ROWS);
        head.forward(from, source, logits, ROWS);
        ActorHead.Workspace copied = head.newWorkspace(ROWS);
        head.forward(copied, filler, logits, ROWS);
        copied.copyRows(from, 1, 2, 2);
        ActorHead.Workspace computed = head.newWorkspace(ROWS);
        head.forward(computed, target, logits, ROWS);

        float[] dLogits = new float[ROWS * a];
        for (int k = 0; k < dLogits.length; k++) {
            dLogits[k] = (float) Math.cos(0.7 * k);
        }
        float[] dFeaturesCopied = new float[ROWS * f];
        head.backward(copied, target, dLogits, dFeaturesCopied, ROWS, false);
        float[] gradCopied = store.grad().clone();
        float[] dFeaturesComputed = new float[ROWS * f];
        head.backward(computed, target, dLogits, dFeaturesComputed, ROWS, false);
        float[] gradComputed = store.grad().clone();

        assertThat(gradComputed).isNotEqualTo(new float[gradComputed.length]);
        assertThat(gradCopied).containsExactly(gradComputed, within(1e-6f));
        assertThat(dFeaturesCopied).containsExactly(dFeaturesComputed, within(1e-6f));
    }
}
