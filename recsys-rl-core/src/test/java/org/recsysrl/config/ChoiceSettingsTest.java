package org.recsysrl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.recsysrl.nn.Activation;
import org.recsysrl.nn.EncoderKind;
import org.recsysrl.nn.WeightInit;
import org.recsysrl.util.UserInputException;

/**
 * The enum settings (activation, initialisation, actor head, encoders, sequence loss, advantage
 * normalisation): read and written by their names, refused by name.
 */
class ChoiceSettingsTest {
    private static final RunConfig D = RunConfig.defaults();

    @Test
    void namesParseOnceIntoTheConstants() {
        RunConfig c = ConfigJson.withOverrides(D, java.util.List.of("model.encoder=last-item",
                "model.actor_head=hierarchical", "seq.loss=sampled"));
        assertThat(c.model().sequence().encoder()).isEqualTo(EncoderKind.LAST_ITEM);
        assertThat(c.model().policy().actorHead()).isEqualTo(ActorHeadKind.HIERARCHICAL);
        assertThat(c.seq().loss()).isEqualTo(SequenceLoss.SAMPLED);
        RunConfig h = ConfigJson.withOverrides(D, java.util.List.of("model.history_encoder=gru",
                "ppo.advantage_norm=none"));
        assertThat(h.model().policy().history().kind()).isEqualTo(HistoryEncoderKind.GRU);
        assertThat(h.model().policy().history().encoder()).contains(EncoderKind.GRU);
        assertThat(h.model().policy().historyLength()).isEqualTo(h.model().sequence().maxSeqLen());
        assertThat(D.model().policy().historyLength()).isZero();
        assertThat(h.ppo().advantageNorm()).isEqualTo(AdvantageNormalisation.NONE);
        String json = ConfigJson.toCompactJson(h);
        assertThat(json).contains("\"history_encoder\":\"gru\"").contains("\"advantage_norm\":\"none\"");
        assertThat(ConfigJson.merge(D, json, "x")).isEqualTo(h);
    }

    @Test
    void everyEncoderCanEncodeTheActorCriticsHistory() {
        for (EncoderKind e : EncoderKind.values()) {
            assertThat(HistoryEncoderKind.of(e.id()).encoder()).contains(e);
        }
        assertThat(HistoryEncoderKind.values()).hasSize(EncoderKind.values().length + 1);
    }

    @Test
    void aWrongHistoryEncoderOrAdvantageNormIsOneLineNamingTheValues() {
        assertThatThrownBy(() -> ConfigJson.withOverride(D, "model.history_encoder=lstm"))
                .isInstanceOf(UserInputException.class)
                .hasMessage("model.history_encoder must be one of none, last-item, mean, gru, attention (got lstm)");
        assertThatThrownBy(() -> ConfigJson.merge(D, "{\"ppo\": {\"advantage_norm\": \"batch\"}}", "c.json"))
                .isInstanceOf(UserInputException.class)
                .hasMessage("c.json: ppo.advantage_norm must be one of rollout, minibatch, none (got batch)");
    }

    @Test
    void jsonKeepsTheNames() {
        RunConfig c = ConfigJson.withOverride(D, "model.encoder=last-item");
        String json = ConfigJson.toCompactJson(c);
        assertThat(json).contains("\"actor_head\":\"embedding\"").contains("\"encoder\":\"last-item\"")
                .contains("\"loss\":\"auto\"").doesNotContain("LAST_ITEM");
        assertThat(ConfigJson.merge(D, json, "x")).isEqualTo(c);
        assertThat(ConfigJson.merge(D, "{\"model\": {\"actor_head\": \"candidates\"}}", "f.json").model().policy().actorHead())
                .isEqualTo(ActorHeadKind.CANDIDATES);
    }

    @Test
    void aWrongNameIsRefusedWithTheKeyAndTheAllowedNames() {
        assertThatThrownBy(() -> ConfigJson.withOverride(D, "model.encoder=lstm"))
                .isInstanceOf(UserInputException.class)
                .hasMessage("model.encoder must be one of last-item, mean, gru, attention (got lstm)");
        assertThatThrownBy(() -> ConfigJson.withOverride(D, "seq.loss=LAST"))
                .hasMessage("seq.loss must be one of full, sampled, auto (got LAST)");
        assertThatThrownBy(() -> ConfigJson.merge(D, "{\"model\": {\"actor_head\": \"LOGITS\"}}", "c.json"))
                .isInstanceOf(UserInputException.class)
                .hasMessage("c.json: model.actor_head must be one of logits, embedding, candidates, hierarchical"
                        + " (got LOGITS)");
        assertThatThrownBy(() -> ConfigJson.merge(D, "{\"model\": {\"encoder\": 2}}", "c.json"))
                .isInstanceOf(UserInputException.class)
                .hasMessage("c.json: model.encoder must be one of last-item, mean, gru, attention (got 2)");
    }

    @Test
    void theNameListsComeFromTheEnums() {
        assertThat(EncoderKind.ids()).containsExactly("last-item", "mean", "gru", "attention");
        assertThat(ActorHeadKind.ids()).containsExactly("logits", "embedding", "candidates", "hierarchical");
        assertThat(SequenceLoss.ids()).containsExactly("full", "sampled", "auto");
        assertThat(HistoryEncoderKind.ids()).containsExactly("none", "last-item", "mean", "gru", "attention");
        assertThat(HistoryEncoderKind.of("gru").encoder()).contains(EncoderKind.GRU);
        assertThat(HistoryEncoderKind.NONE.encoder()).isEmpty();
        assertThat(AdvantageNormalisation.ids()).containsExactly("rollout", "minibatch", "none");
        assertThat(Activation.ids()).containsExactly("tanh", "relu", "elu");
        assertThat(WeightInit.ids()).containsExactly("pytorch", "orthogonal");
        assertThat(EncoderKind.of("gru")).isEqualTo(EncoderKind.GRU);
        assertThatThrownBy(() -> EncoderKind.of("lstm")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void activationAndInitParseOnceIntoTheirEnums() {
        RunConfig c = ConfigJson.withOverrides(D, java.util.List.of("model.activation=relu", "model.init=pytorch"));
        assertThat(c.model().policy().activation()).isEqualTo(Activation.RELU);
        assertThat(c.model().policy().init()).isEqualTo(WeightInit.PYTORCH);
        assertThat(D.model().policy().init()).isEqualTo(WeightInit.ORTHOGONAL);
        String json = ConfigJson.toCompactJson(c);
        assertThat(json).contains("\"activation\":\"relu\"").contains("\"init\":\"pytorch\"").doesNotContain("RELU");
        assertThat(ConfigJson.merge(D, json, "x")).isEqualTo(c);
    }

    @Test
    void aWrongActivationOrInitIsOneLineNamingTheValues() {
        assertThatThrownBy(() -> ConfigJson.withOverride(D, "model.activation=sigmoid"))
                .isInstanceOf(UserInputException.class)
                .hasMessage("model.activation must be one of tanh, relu, elu (got sigmoid)");
        assertThatThrownBy(() -> ConfigJson.withOverride(D, "model.activation=TANH"))
                .hasMessage("model.activation must be one of tanh, relu, elu (got TANH)");
        assertThatThrownBy(() -> ConfigJson.merge(D, "{\"model\": {\"init\": \"xavier\"}}", "c.json"))
                .isInstanceOf(UserInputException.class)
                .hasMessage("c.json: model.init must be one of pytorch, orthogonal (got xavier)");
        assertThatThrownBy(() -> ConfigJson.merge(D, "{\"model\": {\"init\": 1}}", "c.json"))
                .hasMessage("c.json: model.init must be one of pytorch, orthogonal (got 1)");
    }
}
