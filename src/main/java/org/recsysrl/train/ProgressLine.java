package org.recsysrl.train;

import java.io.PrintStream;

/**
 * A one-line progress bar redrawn in place on a terminal ({@code \r}), e.g.
 * {@code [#########-----------]  45%  45056/100000 steps  ETA 3s}. Inactive when not on a terminal.
 */
final class ProgressLine {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean active;
    private final long total;
    private final long startNanos = System.nanoTime();
    private final long startSteps;
    private long lastDrawNanos;

    ProgressLine(PrintStream out, boolean active, long startSteps, long total) {
        this.out = out;
        this.active = active;
        this.total = total;
        this.startSteps = startSteps;
    }

    /** Redraws at most ten times a second. */
    void update(long steps) {
        if (!active) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDrawNanos < 100_000_000L && steps < total) {
            return;
        }
        lastDrawNanos = now;
        double frac = Math.min(1.0, (double) steps / total);
        int filled = (int) Math.round(frac * WIDTH);
        double elapsed = (now - startNanos) / 1e9;
        double rate = (steps - startSteps) / Math.max(elapsed, 1e-9);
        long eta = rate > 0 ? Math.round((total - steps) / rate) : 0;
        out.print("\r[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] "
                + String.format(java.util.Locale.ROOT, "%3d%%  %d/%d steps  ETA %ds ", Math.round(frac * 100), steps,
                        total, Math.max(0, eta)));
        out.flush();
    }

    /** Erases the bar so that a log line can be printed. */
    void clear() {
        if (active) {
            out.print("\r" + " ".repeat(WIDTH + 50) + "\r");
            out.flush();
        }
    }
}
