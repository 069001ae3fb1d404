package org.recsysrl.report;

import java.io.PrintStream;
import java.util.Locale;
import org.recsysrl.eval.OfflineBenchmark;
import org.recsysrl.train.ProgressLine;

/** Status lines with elapsed time, and a progress bar per ranking on a terminal. */
public final class ConsoleProgress implements OfflineBenchmark.Listener {
    private final PrintStream out;
    private final boolean terminal;
    private final long start;
    private ProgressLine bar;
    private String barWhat;

    /** Lines to {@code status}, times counted from {@code start} ({@link System#nanoTime()}). */
    public ConsoleProgress(StatusOutput status, long start) {
        this.out = status.lines();
        this.terminal = status.progressBar();
        this.start = start;
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
