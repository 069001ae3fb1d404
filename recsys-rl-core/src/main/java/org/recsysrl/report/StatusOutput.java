package org.recsysrl.report;

import java.io.PrintStream;

/**
 * Where a workflow says what it is doing while it runs: status lines (standard output, or
 * standard error when the report itself goes to standard output as JSON), and whether a progress
 * bar may be drawn (a terminal, and the user did not turn it off).
 *
 * @param lines where status lines go
 * @param progressBar whether to draw progress bars on {@code lines}
 */
public record StatusOutput(PrintStream lines, boolean progressBar) {
}
