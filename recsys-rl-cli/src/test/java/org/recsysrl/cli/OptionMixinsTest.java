package org.recsysrl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.RunConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The shared option groups: what each turns its flags into, and in which order. */
class OptionMixinsTest {
    @Command(name = "probe")
    static final class Probe {
        @Mixin
        SettingsOptions settings;
        @Mixin
        RunOptions run;
        @Mixin
        LogDataOptions data;
        @Mixin
        ProtocolOptions protocol;
        @Mixin
        JsonOption output;
    }

    private static Probe parse(String... args) {
        Probe p = new Probe();
        new CommandLine(p).parseArgs(args);
        return p;
    }

    @Test
    void flagsBecomeSettingsAfterTheSetsInAFixedOrder() {
        Probe p = parse("--set", "eval.k=5", "--data", "log.csv", "--format", "csv", "--seed", "7", "--k", "20",
                "--total-timesteps", "64", "--set", "ppo.lr=0.01");
        List<String> sets = p.settings.sets();
        p.run.addTo(sets);
        p.data.addTo(sets);
        p.protocol.addTo(sets);
        assertThat(sets).containsExactly("eval.k=5", "ppo.lr=0.01", "train.total_timesteps=64", "data.path=log.csv",
                "data.format=csv", "eval.k=20", "eval.seed=7");
        // a flag given after a --set of the same key wins, as in the commands
        RunConfig cfg = ConfigJson.withOverrides(RunConfig.defaults(), sets);
        assertThat(cfg.eval().k()).isEqualTo(20);
        assertThat(cfg.eval().seed()).isEqualTo(7);
        assertThat(cfg.data().path()).isEqualTo("log.csv");
        // sets() is a copy: adding to it leaves the parsed flags alone
        assertThat(p.settings.sets()).containsExactly("eval.k=5", "ppo.lr=0.01");
    }

    @Test
    void absentFlagsAddNothingAndThePresetIsTheDefault() {
        Probe p = parse("--data", "x");
        List<String> sets = new ArrayList<>();
        p.run.addTo(sets);
        p.protocol.addTo(sets);
        assertThat(sets).isEmpty();
        assertThat(p.run.preset()).isEqualTo(RunConfig.defaults());
        assertThat(p.settings.withFile(RunConfig.original())).isEqualTo(RunConfig.original());
        assertThat(p.output.statusStream()).isSameAs(System.out);
        assertThat(parse("--data", "x", "--json").output.statusStream()).isSameAs(System.err);
    }

    @Test
    void theConfigFileIsAppliedAndARequiredDataFlagIsEnforced(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.json");
        Files.writeString(file, "{\"ppo\": {\"lr\": 0.0042}}");
        Probe p = parse("--data", "x", "--config", file.toString(), "--preset", "original");
        RunConfig cfg = p.settings.withFile(p.run.preset());
        assertThat(cfg.ppo().lr()).isEqualTo(0.0042);
        assertThat(cfg.ppo().gamma()).isEqualTo(RunConfig.original().ppo().gamma());
        assertThatThrownBy(() -> parse("--k", "3")).isInstanceOf(CommandLine.MissingParameterException.class)
                .hasMessageContaining("--data");
    }
}
