package org.recsysrl.report;

import java.util.Map;

/** The outcome of a sweep: its text report and the files it writes, one kind per workload. */
public sealed interface SweepResult permits SimulatorSweep.Result, PlatformSweep.Result {
    /** The report as printed after the runs' own lines. */
    String text();

    /** The result files, name → content, in the order they are written (the runs' table first). */
    Map<String, String> files();
}
