package org.recsysrl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command's --help renders without picocli's format warnings (an unescaped '%' in a description). */
class HelpTextTest {
    @Test
    void everyCommandsHelpRendersCleanly() {
        List<String> names = new ArrayList<>(new CommandLine(new Main()).getSubcommands().keySet());
        names.remove("help");
        assertThat(names).contains("train", "ope", "loop", "generate-log");
        for (String name : names) {
            Cli.Result r = Cli.run(name, "--help");
            assertThat(r.exitCode()).as(name + " --help exit code").isZero();
            assertThat(r.out()).as(name + " --help").contains("Usage: recsys-rl " + name);
            assertThat(r.err()).as(name + " --help, standard error").doesNotContain("picocli WARN");
            assertThat(r.out()).as(name + " --help").doesNotContain("%n");
        }
    }
}
