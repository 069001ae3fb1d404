package org.recsysrl.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.config.HistoryEncoderKind;
import org.recsysrl.config.ActorHeadKind;
import org.recsysrl.config.HistoryEncoderConfig;
import org.recsysrl.config.PolicyNetworkConfig;
import org.recsysrl.nn.Activation;
import org.recsysrl.nn.WeightInit;
import org.recsysrl.util.Rng;
import org.recsysrl.util.UserInputException;

/** The one constructor's spec: what each head needs, and what it refuses without it. */
class ActorCriticSpecTest {
    private static PolicyNetworkConfig config(ActorHeadKind head) {
        return new PolicyNetworkConfig(List.of(4), List.of(4), Activation.TANH, WeightInit.PYTORCH, head, false, 1.0, false,
                new HistoryEncoderConfig(HistoryEncoderKind.NONE, 50, 64, 2, 1));
    }

    @Test
    void theWithersSetOnePieceEach() {
        float[] emb = new float[6 * 2];
        int[] groups = {0, 0, 1, 1, 2, 2};
        CandidateBlocks blocks = new CandidateBlocks(1, 2, 6);
        ActorCritic.Spec s = ActorCritic.Spec.of(13, 6).slates(3).itemEmbeddings(emb, 2).candidates(blocks)
                .actionGroups(groups);
        assertThat(s.observationSize()).isEqualTo(13);
        assertThat(s.actionCount()).isEqualTo(6);
        assertThat(s.slateSize()).isEqualTo(3);
        assertThat(s.itemEmbeddings()).isSameAs(emb);
        assertThat(s.itemDim()).isEqualTo(2);
        assertThat(s.candidates()).isSameAs(blocks);
        assertThat(s.actionGroups()).isSameAs(groups);
        ActorCritic.Spec plain = ActorCritic.Spec.of(13, 6);
        assertThat(plain.slateSize()).isEqualTo(1);
        assertThat(plain.itemEmbeddings()).isNull();
        assertThat(plain.candidates()).isNull();
        assertThat(plain.actionGroups()).isNull();
    }

    @Test
    void eachHeadGetsItsParameters() {
        ActorCritic hier = new ActorCritic(ActorCritic.Spec.of(5, 6).actionGroups(new int[] {0, 0, 1, 1, 2, 2}),
                config(ActorHeadKind.HIERARCHICAL), new Rng(1));
        ActorCritic logits = new ActorCritic(ActorCritic.Spec.of(5, 6), config(ActorHeadKind.LOGITS), new Rng(1));
        assertThat(logits.parameters().entries()).anyMatch(e -> e.name().startsWith("actor.logits"));
        assertThat(hier.parameters().entries()).anyMatch(e -> e.name().startsWith("actor.group_logits"));
        assertThat(logits.parameters().entries()).noneMatch(e -> e.name().startsWith("actor.group_logits"));
        assertThat(logits.slateSize()).isEqualTo(1);
    }

    @Test
    void aHeadWithoutWhatItNeedsIsAUserMistake() {
        assertThatThrownBy(() -> new ActorCritic(ActorCritic.Spec.of(5, 6), config(ActorHeadKind.HIERARCHICAL),
                new Rng(1))).isInstanceOf(UserInputException.class).hasMessageContaining("model.actor_head=hierarchical");
        assertThatThrownBy(() -> new ActorCritic(ActorCritic.Spec.of(5, 6), config(ActorHeadKind.CANDIDATES),
                new Rng(1))).isInstanceOf(UserInputException.class).hasMessageContaining("model.actor_head=candidates");
        assertThatThrownBy(() -> new ActorCritic(ActorCritic.Spec.of(5, 6).slates(7), config(ActorHeadKind.LOGITS),
                new Rng(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
