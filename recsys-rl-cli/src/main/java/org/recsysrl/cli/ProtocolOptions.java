package org.recsysrl.cli;

import java.util.List;
import picocli.CommandLine.Option;

/** The offline protocol's flags ({@code eval.*}), for the commands that split a log and rank. */
final class ProtocolOptions {
    @Option(names = "--protocol", description = "loo, temporal or user-fraction (eval.protocol; default loo)")
    String protocol;

    @Option(names = "--k", description = "cut-off of the table and of tuning (eval.k; default 10)")
    Integer k;

    @Option(names = "--seed", description = "seed of ties, bootstrap, tests and random models (eval.seed; default 0)")
    Long seed;

    @Option(names = "--threads", description = "threads (eval.threads; default 0 = every core)")
    Integer threads;

    /** Adds the {@code eval.*} settings given as flags to {@code sets}. */
    void addTo(List<String> sets) {
        if (protocol != null) {
            sets.add("eval.protocol=" + protocol);
        }
        if (k != null) {
            sets.add("eval.k=" + k);
        }
        if (seed != null) {
            sets.add("eval.seed=" + seed);
        }
        if (threads != null) {
            sets.add("eval.threads=" + threads);
        }
    }
}
