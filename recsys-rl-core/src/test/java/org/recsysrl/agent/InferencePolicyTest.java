package org.recsysrl.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.recsysrl.config.ActorHeadKind;
import org.recsysrl.config.HistoryEncoderKind;
import org.recsysrl.config.HistoryEncoderConfig;
import org.recsysrl.config.PolicyNetworkConfig;
import org.recsysrl.nn.Activation;
import org.recsysrl.nn.WeightInit;
import org.recsysrl.config.HistoryEncoderKind;
import org.recsysrl.util.Rng;

/** {@link ActorCritic#logPolicy} (serving's single-row pass) gives the bits of {@link ActorCritic#policy}. */
class InferencePolicyTest {
    private static PolicyNetworkConfig config(ActorHeadKind head, boolean itemBias) {
        return new PolicyNetworkConfig(List.of(8), List.of(8), Activation.TANH, WeightInit.PYTORCH, head, itemBias, 1.5, true,
                new HistoryEncoderConfig(HistoryEncoderKind.NONE, 50, 64, 2, 1));
    }

    @Test
    void logPolicyEqualsPolicysLogProbabilities() {
        int obsSize = 6;
        int items = 203; // not a whole number of panels
        int dim = 5;
        Random rnd = new Random(9);
        float[] emb = new float[items * dim];
        for (int i = 0; i < emb.length; i++) {
            emb[i] = (float) rnd.nextGaussian();
        }
        for (ActorHeadKind head : new ActorHeadKind[] {ActorHeadKind.EMBEDDING, ActorHeadKind.LOGITS}) {
            for (boolean bias : new boolean[] {false, true}) {
                ActorCritic.Spec spec = ActorCritic.Spec.of(obsSize, items);
                if (head == ActorHeadKind.EMBEDDING) {
                    spec = spec.itemEmbeddings(emb, dim);
                }
                ActorCritic model = new ActorCritic(spec, config(head, bias), new Rng(4));
                float[] params = model.parameters().data();
                for (int i = 0; i < params.length; i++) {
                    params[i] += (float) (0.1 * rnd.nextGaussian()); // biases away from 0
                }
                ActorCritic.Workspace ws = model.newWorkspace(1);
                for (int trial = 0; trial < 3; trial++) {
                    float[] obs = new float[obsSize];
                    for (int j = 0; j < obsSize; j++) {
                        obs[j] = (float) rnd.nextGaussian();
                    }
                    model.policy(ws, obs, 1);
                    float[] expected = java.util.Arrays.copyOf(ws.logProbs(), items);
                    float[] actual = new float[items];
                    model.logPolicy(model.newWorkspace(1), obs, null, actual);
                    assertThat(actual).as(head + " bias " + bias).containsExactly(expected);
                }
            }
        }
    }
}
