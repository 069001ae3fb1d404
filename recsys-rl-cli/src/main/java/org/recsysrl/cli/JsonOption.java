package org.recsysrl.cli;

import java.io.PrintStream;
import picocli.CommandLine.Option;

/**
 * {@code --json}, shared by the commands that print a report: the report goes to standard output as
 * JSON, and the status lines move to standard error so that standard output stays one JSON document.
 */
final class JsonOption {
    @Option(names = "--json", description = "print the report as JSON instead of text")
    boolean json;

    /** Where status lines go: standard error with {@code --json}, else standard output. */
    PrintStream statusStream() {
        return json ? System.err : System.out;
    }
}
