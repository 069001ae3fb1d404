package org.recsysrl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.recsysrl.nn.EncoderKind;
import org.recsysrl.util.UserInputException;

/** The enum settings (actor head, encoder, sequence loss): read and written by their names, refused by name. */
class ChoiceSettingsTest {
    private static final RunConfig D = RunConfig.defaults();

    @Test
    void namesParseOnceIntoTheConstants() {
        RunConfig c = ConfigJson.withOverrides(D, java.util.List.of("model.encoder=last-item",
                "model.actor_head=hierarchical", "seq.loss=sampled"));
        assertThat(c.model().encoder()).isEqualTo(EncoderKind.LAST_ITEM);
        assertThat(c.model().actorHead()).isEqualTo(ActorHeadKind.HIERARCHICAL);
        assertThat(c.seq().loss()).isEqualTo(SequenceLoss.SAMPLED);
    }

    @Test
    void jsonKeepsTheNames() {
        RunConfig c = ConfigJson.withOverride(D, "model.encoder=last-item");
        String json = ConfigJson.toCompactJson(c);
        assertThat(json).contains("\"actor_head\":\"embedding\"").contains("\"encoder\":\"last-item\"")
                .contains("\"loss\":\"full\"").doesNotContain("LAST_ITEM");
        assertThat(ConfigJson.merge(D, json, "x")).isEqualTo(c);
        assertThat(ConfigJson.merge(D, "{\"model\": {\"actor_head\": \"candidates\"}}", "f.json").model().actorHead())
                .isEqualTo(ActorHeadKind.CANDIDATES);
    }

    @Test
    void aWrongNameIsRefusedWithTheKeyAndTheAllowedNames() {
        assertThatThrownBy(() -> ConfigJson.withOverride(D, "model.encoder=lstm"))
                .isInstanceOf(UserInputException.class)
                .hasMessage("model.encoder must be one of last-item, mean, gru, attention (got lstm)");
        assertThatThrownBy(() -> ConfigJson.withOverride(D, "seq.loss=LAST"))
                .hasMessage("seq.loss must be one of full, sampled (got LAST)");
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
        assertThat(SequenceLoss.ids()).containsExactly("full", "sampled");
        assertThat(ModelConfig.HISTORY_ENCODERS).containsExactly("none", "last-item", "mean", "gru", "attention");
        assertThat(EncoderKind.of("gru")).isEqualTo(EncoderKind.GRU);
        assertThatThrownBy(() -> EncoderKind.of("lstm")).isInstanceOf(IllegalArgumentException.class);
    }
}
