package org.recsysrl.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.RunConfig;

class ModelNamesTest {
    private static RunConfig cfg(String... overrides) {
        RunConfig c = RunConfig.defaults();
        for (String o : overrides) {
            c = ConfigJson.withOverride(c, o);
        }
        return c;
    }

    @Test
    void seedsShareANameUpToTheDirectoryAndOtherSettingsNeverDo() {
        ModelNames names = new ModelNames();
        assertThat(names.name("supervised", "attention", cfg(), Path.of("a/s1/supervised.safetensors")))
                .isEqualTo("supervised-attention");
        // another seed and directory: a replicate of the first
        assertThat(names.name("supervised", "attention", cfg("train.seed=2", "train.checkpoint_dir=x"),
                Path.of("a/s2/supervised.safetensors"))).isEqualTo("supervised-attention@s2");
        // another dropout: its own model, named by the setting that differs
        assertThat(names.name("supervised", "attention", cfg("model.dropout=0.5", "train.seed=3"),
                Path.of("a/d5/supervised.safetensors"))).isEqualTo("supervised-attention{model.dropout=0.5}");
        assertThat(names.name("supervised", "attention", cfg("model.dropout=0.5", "train.seed=4"),
                Path.of("a/d5s4/supervised.safetensors"))).isEqualTo("supervised-attention{model.dropout=0.5}@d5s4");
        // another algorithm or encoder is another name already
        assertThat(names.name("sa2c", "attention", cfg("model.dropout=0.5"), Path.of("b/sa2c.safetensors")))
                .isEqualTo("sa2c-attention");
    }

    @Test
    void threadCountsAreNotSettingsOfTheModel() {
        ModelNames names = new ModelNames();
        names.name("supervised", "attention", cfg(), Path.of("a/s1/supervised.safetensors"));
        assertThat(names.name("supervised", "attention", cfg("seq.threads=1", "eval.threads=1", "train.seed=2"),
                Path.of("a/s2/supervised.safetensors"))).isEqualTo("supervised-attention@s2");
        assertThat(names.name("supervised", "attention", cfg("seq.markov_mix=0.2"), Path.of("a/m/supervised.safetensors")))
                .isEqualTo("supervised-attention{seq.markov_mix=0.2}");
    }

    @Test
    void manyDifferencesAreShortened() {
        ModelNames names = new ModelNames();
        names.name("supervised", "gru", cfg(), Path.of("a/x.safetensors"));
        assertThat(names.name("supervised", "gru", cfg("model.dropout=0.5", "seq.lr=0.005", "seq.batch_size=64",
                "model.embedding_dim=32"), Path.of("b/x.safetensors")))
                .isEqualTo("supervised-gru{model.dropout=0.5,model.embedding_dim=32,seq.batch_size=64,…}");
    }
}
