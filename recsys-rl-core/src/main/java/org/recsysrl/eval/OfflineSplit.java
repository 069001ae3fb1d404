package org.recsysrl.eval;

import java.util.Arrays;
import java.util.Locale;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.Interactions;
import org.recsysrl.data.TimeParser;
import org.recsysrl.util.UserInputException;

/**
 * A log split for offline evaluation. Each user's chronological interactions
 * {@code [start, end)} are cut at three points: {@code fitEnd ≤ validEnd ≤ testEnd ≤ end}.
 *
 * <ul>
 *   <li>{@code [start, fitEnd)}: the <b>training part</b> — the only interactions any model is
 *       fitted on ({@link #trainPart()});</li>
 *   <li>{@code [fitEnd, validEnd)}: validation targets, ranked with history {@code [start, fitEnd)};</li>
 *   <li>{@code [validEnd, testEnd)}: test targets, ranked with history {@code [start, validEnd)}
 *       (the validation interactions happened before the test ones, so a model may use them as
 *       history, though it was not fitted on them);</li>
 *   <li>{@code [testEnd, end)}: never used.</li>
 * </ul>
 *
 * <p>The protocols:
 * <ul>
 *   <li><b>leave-one-out</b>: users with at least 3 interactions hold out the last (test) and the
 *       second-to-last (validation); shorter users are training only;</li>
 *   <li><b>temporal</b>: a global cutoff time T; every user's interactions before T are the
 *       pre-cutoff part, of which the last is the validation target (if the user has at least 2)
 *       and the rest the training part; the test targets are the first interaction at or after T
 *       (or all of them) of every user who has one — users new after T (cold users) with an empty
 *       history, unless they are excluded. Nothing at or after T is in any training part;</li>
 *   <li><b>user-fraction</b>: each user's last {@code t} interactions are test targets
 *       ({@code SplitSpec.holdoutCount}), and the same rule applied to the remaining ones gives the
 *       validation targets.</li>
 * </ul>
 * Depends only on the log and the spec (no randomness).
 */
public final class OfflineSplit {
    private final InteractionLog log;
    private final ProtocolSpec spec;
    private final int[] fitEnd;
    private final int[] validEnd;
    private final int[] testEnd;
    private final long cutoff;
    private final String cutoffText;

    private OfflineSplit(InteractionLog log, ProtocolSpec spec, int[] fitEnd, int[] validEnd, int[] testEnd,
            long cutoff, String cutoffText) {
        this.log = log;
        this.spec = spec;
        this.fitEnd = fitEnd;
        this.validEnd = validEnd;
        this.testEnd = testEnd;
        this.cutoff = cutoff;
        this.cutoffText = cutoffText;
    }

    /** Splits {@code log} by {@code spec}. */
    public static OfflineSplit of(InteractionLog log, ProtocolSpec spec) {
        int users = log.userCount();
        int[] fit = new int[users];
        int[] valid = new int[users];
        int[] test = new int[users];
        long cutoff = Long.MIN_VALUE;
        String cutoffText = "";
        switch (spec.kind()) {
            case LOO -> {
                for (int u = 0; u < users; u++) {
                    int s = log.start(u);
                    int e = log.end(u);
                    if (e - s >= 3) {
                        fit[u] = e - 2;
                        valid[u] = e - 1;
                    } else {
                        fit[u] = e;
                        valid[u] = e;
                    }
                    test[u] = e;
                }
            }
            case USER_FRACTION -> {
                for (int u = 0; u < users; u++) {
                    int s = log.start(u);
                    int e = log.end(u);
                    int t = spec.userFraction().holdoutCount(e - s);
                    int v = spec.userFraction().holdoutCount(e - s - t);
                    valid[u] = e - t;
                    fit[u] = e - t - v;
                    test[u] = e;
                }
            }
            case TEMPORAL -> {
                if (!log.hasTimes()) {
                    throw new UserInputException("the temporal protocol needs times, and " + log.identity().path()
                            + " has none (a sequence file, or no time column: set data.time_col); use --protocol loo");
                }
                cutoff = resolveCutoff(log, spec);
                cutoffText = describeCutoff(log, spec, cutoff);
                long[] times = log.times();
                for (int u = 0; u < users; u++) {
                    int s = log.start(u);
                    int e = log.end(u);
                    int c = firstAtOrAfter(times, s, e, cutoff);
                    if (c - s >= 2) {
                        fit[u] = c - 1;
                        valid[u] = c;
                    } else {
                        fit[u] = c;
                        valid[u] = c;
                    }
                    boolean testUser = c < e && (c > s || spec.coldUsers());
                    test[u] = !testUser ? c : spec.allTargets() ? e : c + 1;
                }
            }
            default -> throw new IllegalStateException();
        }
        return new OfflineSplit(log, spec, fit, valid, test, cutoff, cutoffText);
    }

    /** First position in {@code [from, to)} whose time is at least {@code t} ({@code to} if none). */
    private static int firstAtOrAfter(long[] times, int from, int to, long t) {
        int lo = from;
        int hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (times[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * The temporal cutoff: {@code cutoffTime} if given (a date is converted to the log's unit,
     * seconds or milliseconds, judged from the log's largest time), else the time of the
     * interaction at position {@code floor(fraction · n)} of all interactions sorted by time.
     */
    static long resolveCutoff(InteractionLog log, ProtocolSpec spec) {
        long[] times = log.times();
        if (!spec.cutoffTime().isBlank()) {
            boolean[] date = new boolean[1];
            long t = TimeParser.parse(spec.cutoffTime(), date);
            if (t == TimeParser.MALFORMED) {
                throw new UserInputException("eval.cutoff_time \"" + spec.cutoffTime()
                        + "\" is neither an integer nor an ISO-8601 date such as 2016-01-01");
            }
            if (date[0] && !millisecondTimes(times)) {
                t = Math.floorDiv(t, 1000L);
            }
            return t;
        }
        long[] sorted = times.clone();
        Arrays.sort(sorted);
        int at = (int) Math.min(sorted.length - 1L, (long) Math.floor(spec.cutoffFraction() * sorted.length));
        return sorted[at];
    }

    /** Whether the log's times look like milliseconds (largest ≥ 10¹¹, i.e. after 1973 in ms). */
    private static boolean millisecondTimes(long[] times) {
        long max = Long.MIN_VALUE;
        for (long t : times) {
            max = Math.max(max, t);
        }
        return max >= 100_000_000_000L;
    }

    private static String describeCutoff(InteractionLog log, ProtocolSpec spec, long cutoff) {
        String when = "";
        long seconds = millisecondTimes(log.times()) ? Math.floorDiv(cutoff, 1000L) : cutoff;
        if (seconds > 100_000_000L && seconds < 10_000_000_000L) {
            when = " = " + java.time.Instant.ofEpochSecond(seconds).toString();
        }
        return "cutoff " + cutoff + when + (spec.cutoffTime().isBlank()
                ? String.format(Locale.ROOT, " (%.0f%% of interactions before it)", spec.cutoffFraction() * 100) : "");
    }

    /** The log that was split. */
    public InteractionLog log() {
        return log;
    }

    /** How it was split. */
    public ProtocolSpec spec() {
        return spec;
    }

    /** The temporal cutoff ({@code Long.MIN_VALUE} for the other protocols). */
    public long cutoff() {
        return cutoff;
    }

    /** The interactions every model is fitted on: {@code [start, fitEnd)} of each user. */
    public Interactions trainPart() {
        return Interactions.prefix(log, fitEnd);
    }

    /** What is known at test time: {@code [start, validEnd)} of each user (training plus validation). */
    public Interactions testHistoryPart() {
        return Interactions.prefix(log, validEnd);
    }

    /** End of {@code user}'s training part (a position in the log). */
    public int fitEnd(int user) {
        return fitEnd[user];
    }

    /** End of {@code user}'s validation targets. */
    public int validEnd(int user) {
        return validEnd[user];
    }

    /** End of {@code user}'s test targets. */
    public int testEnd(int user) {
        return testEnd[user];
    }

    /**
     * The ranking task on the validation targets: history {@code [start, fitEnd)}, targets
     * {@code [fitEnd, validEnd)}.
     */
    public EvalTask validationTask(boolean excludeKnown) {
        return EvalTask.build(log, trainPart(), fitEnd, validEnd, excludeKnown, "validation");
    }

    /**
     * The ranking task on the test targets: history {@code [start, validEnd)}, targets
     * {@code [validEnd, testEnd)}.
     */
    public EvalTask testTask(boolean excludeKnown) {
        return EvalTask.build(log, testHistoryPart(), validEnd, testEnd, excludeKnown, "test");
    }

    /** One line, e.g. {@code leave-one-out: 98,012 train, 19,412 validation, 19,412 test interactions}. */
    public String describe() {
        long train = 0;
        long valid = 0;
        long test = 0;
        for (int u = 0; u < log.userCount(); u++) {
            train += fitEnd[u] - log.start(u);
            valid += validEnd[u] - fitEnd[u];
            test += testEnd[u] - validEnd[u];
        }
        int cold = 0;
        for (int u = 0; u < log.userCount(); u++) {
            if (testEnd[u] > validEnd[u] && validEnd[u] == log.start(u)) {
                cold++;
            }
        }
        String name = switch (spec.kind()) {
            case LOO -> "leave-one-out";
            case TEMPORAL -> "temporal, " + cutoffText + ", " + (spec.allTargets() ? "every" : "the first")
                    + " interaction at or after it" + (spec.coldUsers()
                            ? String.format(Locale.ROOT, " (%,d of the test users are new after it, with no history)", cold)
                            : ", users with history before it only");
            case USER_FRACTION -> "user-fraction, " + spec.userFraction().describe();
        };
        return String.format(Locale.ROOT, "%s: %,d train, %,d validation, %,d test interactions", name, train, valid,
                test);
    }
}
