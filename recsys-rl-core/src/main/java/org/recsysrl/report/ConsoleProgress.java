package org.recsysrl.report;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.recsysrl.eval.OfflineBenchmark;
import org.recsysrl.train.ProgressLine;

/** Status lines with elapsed time, and a progress bar per ranking on a terminal. */
public final class ConsoleProgress implements OfflineBenchmark.Listener {
    private final PrintStream out;
    private final boolean terminal;
    private final long start;
    private final PartialResults partial;
    private ProgressLine bar;
    private String barWhat;

    /** Lines to {@code status}, times counted from {@code start} ({@link System#nanoTime()}). */
    public ConsoleProgress(StatusOutput status, long start) {
        this(status, start, null);
    }

    /** As above; each finished model also goes to {@code partial} (may be null). */
    public ConsoleProgress(StatusOutput status, long start, PartialResults partial) {
        this.out = status.lines();
        this.terminal = status.progressBar();
        this.start = start;
        this.partial = partial;
    }

    @Override
    public void modelFinished(OfflineBenchmark.Report soFar, List<String> stillToRun) {
        if (partial != null) {
            partial.finished(soFar, stillToRun);
        }
    }

    @Override
    public synchronized void status(String line) {
        if (bar != null) {
            bar.clear();
            bar = null;
        }
        out.println(String.format(Locale.ROOT, "[%6.1f s] %s", (System.nanoTime() - start) / 1e9, line));
    }

    @Override
    public synchronized void progress(String what, long done, long total) {
        if (!terminal) {
            return;
        }
        if (bar == null || !what.equals(barWhat)) {
            if (bar != null) {
                bar.clear();
            }
            bar = new ProgressLine(out, true, 0, total, "users: " + what);
            barWhat = what;
        }
        bar.update(done);
    }
}
