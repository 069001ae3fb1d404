package org.recsysrl.train;

import java.io.PrintStream;

/**
 * A one-line progress bar redrawn in place on a terminal ({@code \r}), e.g.
 * {@code [#########-----------]  45%  45056/100000 steps  ETA 3s}. Inactive when not on a terminal.
 */
public final class ProgressLine {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean active;
    private final long total;
    private final long startNanos = System.nanoTime();
    private final long startSteps;
    private final String unit;
    private long lastDrawNanos;
    private int drawn;

    ProgressLine(PrintStream out, boolean active, long startSteps, long total) {
        this(out, active, startSteps, total, "steps");
    }

    /**
     * A bar over {@code total} units, starting at {@code startSteps}.
     *
     * @param active false draws nothing (not a terminal, or switched off)
     * @param unit what is counted, e.g. {@code users}
     */
    public ProgressLine(PrintStream out, boolean active, long startSteps, long total, String unit) {
        this.out = out;
        this.active = active;
        this.total = Math.max(1, total);
        this.startSteps = startSteps;
        this.unit = unit;
    }

    /** Redraws at most ten times a second. */
    public synchronized void update(long steps) {
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
        String line = "\r[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] "
                + String.format(java.util.Locale.ROOT, "%3d%%  %d/%d %s  ETA %ds ", Math.round(frac * 100), steps,
                        total, unit, Math.max(0, eta));
        drawn = Math.max(drawn, line.length());
        out.print(line);
        out.flush();
    }

    /** Erases the bar so that a log line can be printed. */
    public synchronized void clear() {
        if (active) {
            out.print("\r" + " ".repeat(Math.max(WIDTH + 50, drawn)) + "\r");
            out.flush();
        }
    }
}
