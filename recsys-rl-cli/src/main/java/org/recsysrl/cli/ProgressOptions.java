package org.recsysrl.cli;

import java.io.PrintStream;
import org.recsysrl.report.StatusOutput;
import picocli.CommandLine.Option;

/** {@code --no-progress}, shared by the commands that draw a progress bar on a terminal. */
final class ProgressOptions {
    @Option(names = "--no-progress", description = "never draw the progress bar")
    boolean noProgress;

    /** Whether a progress bar may be drawn: on a terminal, unless {@code --no-progress}. */
    boolean bar() {
        return System.console() != null && !noProgress;
    }

    /** Status lines to {@code lines}, with a bar when {@link #bar()}. */
    StatusOutput to(PrintStream lines) {
        return new StatusOutput(lines, bar());
    }
}
