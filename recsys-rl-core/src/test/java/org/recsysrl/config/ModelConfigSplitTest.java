package org.recsysrl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.nn.Activation;
import org.recsysrl.nn.EncoderKind;
import org.recsysrl.nn.WeightInit;

/** The {@code model} group: flat keys outside, the policy network's and the sequence model's parts inside. */
class ModelConfigSplitTest {
    private static final RunConfig D = RunConfig.defaults();

    @Test
    void theGroupIsWrittenFlatInTheKeysOrderOfBeforeTheSplit() {
        String json = ConfigJson.toCompactJson(D);
        assertThat(json).contains("\"model\":{\"actor_hidden_dims\":[],\"critic_hidden_dims\":[128,64],"
                + "\"activation\":\"tanh\",\"init\":\"orthogonal\",\"actor_head\":\"embedding\",\"item_bias\":false,"
                + "\"logit_scale\":1.0,\"learn_logit_scale\":true,\"encoder\":\"attention\",\"max_seq_len\":50,"
                + "\"embedding_dim\":64,\"blocks\":2,\"heads\":1,\"dropout\":0.2,\"tie_embeddings\":true,"
                + "\"history_encoder\":\"none\"}");
        assertThat(ConfigJson.keys()).containsSubsequence("model.actor_hidden_dims", "model.critic_hidden_dims",
                "model.activation", "model.init", "model.actor_head", "model.item_bias", "model.logit_scale",
                "model.learn_logit_scale", "model.encoder", "model.max_seq_len", "model.embedding_dim", "model.blocks",
                "model.heads", "model.dropout", "model.tie_embeddings", "model.history_encoder");
    }

    @Test
    void eachKeyReachesThePartThatReadsIt() {
        RunConfig c = ConfigJson.withOverrides(D, List.of("model.actor_hidden_dims=9", "model.critic_hidden_dims=7,5",
                "model.activation=elu", "model.init=pytorch", "model.actor_head=logits", "model.item_bias=true",
                "model.logit_scale=3", "model.learn_logit_scale=false", "model.encoder=gru", "model.dropout=0.4",
                "model.tie_embeddings=false", "model.history_encoder=mean"));
        PolicyNetworkConfig p = c.model().policy();
        assertThat(p).isEqualTo(new PolicyNetworkConfig(List.of(9), List.of(7, 5), Activation.ELU, WeightInit.PYTORCH,
                ActorHeadKind.LOGITS, true, 3.0, false, new HistoryEncoderConfig(HistoryEncoderKind.MEAN, 50, 64, 2, 1)));
        assertThat(c.model().sequence()).isEqualTo(new SequenceModelConfig(EncoderKind.GRU, 50, 64, 2, 1, 0.4, false));
    }

    @Test
    void theShapeKeysReachBothTheSequenceModelAndTheHistoryEncoder() {
        RunConfig c = ConfigJson.withOverrides(D, List.of("model.max_seq_len=7", "model.embedding_dim=12",
                "model.blocks=3", "model.heads=4", "model.history_encoder=attention"));
        assertThat(c.model().sequence()).isEqualTo(new SequenceModelConfig(EncoderKind.ATTENTION, 7, 12, 3, 4, 0.2, true));
        assertThat(c.model().policy().history())
                .isEqualTo(new HistoryEncoderConfig(HistoryEncoderKind.ATTENTION, 7, 12, 3, 4));
        assertThat(c.model().policy().historyLength()).isEqualTo(7);
        assertThat(ConfigJson.merge(D, ConfigJson.toJson(c), "x")).isEqualTo(c);
    }

    @Test
    void partsThatDisagreeOnASharedKeyAreRefused() {
        PolicyNetworkConfig p = PolicyNetworkConfig.defaults()
                .withHistory(new HistoryEncoderConfig(HistoryEncoderKind.GRU, 10, 64, 2, 1));
        assertThatThrownBy(() -> new ModelConfig(p, SequenceModelConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model.max_seq_len");
    }

    @Test
    void presetsKeepTheirNetworks() {
        assertThat(RunConfig.original().model().policy()).isEqualTo(PolicyNetworkConfig.original());
        assertThat(PolicyNetworkConfig.original().actorHiddenDims()).containsExactly(128, 64);
        assertThat(PolicyNetworkConfig.original().init()).isEqualTo(WeightInit.PYTORCH);
        assertThat(D.model().policy().actorHead()).isEqualTo(ActorHeadKind.EMBEDDING);
        assertThat(D.model().policy().actorHiddenDims()).isEmpty();
    }
}
