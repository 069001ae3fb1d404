package org.recsysrl.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.recsysrl.nn.Categorical;
import org.recsysrl.nn.ParameterStore;

class HierarchicalHeadTest {
    @Test
    void theItemDistributionIsTheGroupsTimesTheItemsWithinIt() {
        // one feature equal to 1, weights 0: z = group biases, y = item biases
        ParameterStore store = new ParameterStore();
        HierarchicalHead head = new HierarchicalHead(store, 1, new int[] {0, 1, 0, 1, 1});
        float[] p = store.data();
        int zb = store.entry("actor.group_logits.bias").offset();
        int yb = store.entry("actor.logits.bias").offset();
        p[zb] = 0f;
        p[zb + 1] = (float) Math.log(3); // π(group 1) = 3/4
        float[] y = {0f, 1f, (float) Math.log(3), 0f, 2f};
        System.arraycopy(y, 0, p, yb, 5);
        float[] logits = new float[5];
        head.forward(head.newWorkspace(1), new float[] {1f}, logits, 1);
        float[] logp = new float[5];
        Categorical.logSoftmax(logits, 0, 5, logp, 0);
        // group 0 = items {0, 2} with y = 0, ln 3: π = 1/4 · (1/4, 3/4)
        assertThat(Math.exp(logp[0])).isCloseTo(0.25 * 0.25, within(1e-6));
        assertThat(Math.exp(logp[2])).isCloseTo(0.25 * 0.75, within(1e-6));
        // group 1 = items {1, 3, 4} with y = 1, 0, 2
        double z = Math.E + 1 + Math.exp(2);
        assertThat(Math.exp(logp[1])).isCloseTo(0.75 * Math.E / z, within(1e-6));
        assertThat(Math.exp(logp[3])).isCloseTo(0.75 / z, within(1e-6));
        assertThat(Math.exp(logp[4])).isCloseTo(0.75 * Math.exp(2) / z, within(1e-6));
    }

    @Test
    void everyGroupNeedsAnItem() {
        assertThatThrownBy(() -> new HierarchicalHead(new ParameterStore(), 1, new int[] {0, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group 1 has no item");
    }
}
