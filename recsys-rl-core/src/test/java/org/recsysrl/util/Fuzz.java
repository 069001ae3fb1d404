package org.recsysrl.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * A seeded fuzzing tally for the readers of untrusted input. Every case must end in a value or in a
 * {@link UserInputException} whose message is one non-empty line; anything else (another exception,
 * an {@link Error} such as {@link OutOfMemoryError} or {@link StackOverflowError}, a multi-line
 * message) is recorded with the seed and the case index, so that it can be replayed, and fails
 * {@link #assertNoFailures()}. The summary line is printed so that the counts can be quoted.
 */
public final class Fuzz {
    /** A case: returns normally (a value) or throws. */
    @FunctionalInterface
    public interface Case {
        void run() throws Exception;
    }

    private static final int SHOWN_FAILURES = 10;
    /** A slower case is a failure (an input that makes a reader crawl); the loops have a timeout too. */
    private static final long MAX_CASE_NANOS = 5_000_000_000L;

    /** A known failure of code outside the fuzzed component's owner, counted and shown but not failed. */
    private record Tolerated(String description, Predicate<Throwable> matches, int[] count) {}

    private final List<Tolerated> tolerated = new ArrayList<>();

    private final String name;
    private final long seed;
    private int cases;
    private int values;
    private int userErrors;
    private final List<String> failures = new ArrayList<>();
    private long slowestNanos;
    private int slowestCase = -1;
    private final long startNanos = System.nanoTime();

    /** A tally named {@code name} for the cases drawn from {@code seed}. */
    public Fuzz(String name, long seed) {
        this.name = name;
        this.seed = seed;
    }

    /**
     * Counts failures that {@code matches} as the known issue {@code description} instead of failing
     * the test: for a bug found by this fuzzer in code its test may not change. The summary reports
     * how many cases hit it, so that it stays visible until the code is fixed and this call removed.
     */
    public Fuzz tolerate(String description, Predicate<Throwable> matches) {
        tolerated.add(new Tolerated(description, matches, new int[1]));
        return this;
    }

    /** Runs case {@code index} and counts its outcome. */
    public void run(int index, Case body) {
        cases++;
        long t0 = System.nanoTime();
        try {
            body.run();
            values++;
        } catch (UserInputException e) {
            String message = e.getMessage();
            if (message != null && !message.isBlank() && message.indexOf('\n') < 0 && message.indexOf('\r') < 0) {
                userErrors++;
            } else if (!tolerated(e)) {
                failures.add(where(index) + ": UserInputException whose message is not one line: " + message);
            }
        } catch (Throwable e) { // the point of the fuzzer: nothing else may escape, not even an Error
            if (!tolerated(e)) {
                failures.add(where(index) + ": " + e.getClass().getName() + ": " + e.getMessage() + " at "
                        + (e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?"));
            }
        }
        long took = System.nanoTime() - t0;
        if (took > MAX_CASE_NANOS) {
            failures.add(where(index) + ": took " + took / 1_000_000 + " ms (a case may take at most "
                    + MAX_CASE_NANOS / 1_000_000 + ")");
        }
        if (took > slowestNanos) {
            slowestNanos = took;
            slowestCase = index;
        }
    }

    private boolean tolerated(Throwable e) {
        for (Tolerated t : tolerated) {
            if (t.matches().test(e)) {
                t.count()[0]++;
                return true;
            }
        }
        return false;
    }

    /** Records a failure found outside {@link #run} (e.g. two readers that disagree). */
    public void fail(int index, String what) {
        failures.add(where(index) + ": " + what);
    }

    private String where(int index) {
        return "fuzz " + name + " seed " + seed + " case " + index;
    }

    /** Cases run so far. */
    public int cases() {
        return cases;
    }

    /** Cases that ended in a value. */
    public int values() {
        return values;
    }

    /** Cases that ended in a one-line {@link UserInputException}. */
    public int userErrors() {
        return userErrors;
    }

    /**
     * "fuzz NAME seed S: N cases: V values, U UserInputException, F other[, K known issue (...)];
     * slowest case ..., total ...".
     */
    public String summary() {
        StringBuilder known = new StringBuilder();
        for (Tolerated t : tolerated) {
            known.append(String.format(Locale.ROOT, ", %d known issue (%s)", t.count()[0], t.description()));
        }
        return String.format(Locale.ROOT, "fuzz %s seed %d: %d cases: %d values, %d UserInputException, %d other%s;"
                + " slowest case #%d %.1f ms; total %.2f s", name, seed, cases, values, userErrors, failures.size(),
                known, slowestCase, slowestNanos / 1e6, (System.nanoTime() - startNanos) / 1e9);
    }

    /** Cases that hit the tolerated issue {@code description}. */
    public int toleratedCount(String description) {
        for (Tolerated t : tolerated) {
            if (t.description().equals(description)) {
                return t.count()[0];
            }
        }
        return 0;
    }

    /** Prints the summary and fails, listing the first failures, if any case ended otherwise. */
    public void assertNoFailures() {
        System.out.println(summary());
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < Math.min(SHOWN_FAILURES, failures.size()); i++) {
            shown.append('\n').append(failures.get(i));
        }
        assertThat(failures).as(summary() + shown).isEmpty();
        int known = 0;
        for (Tolerated t : tolerated) {
            known += t.count()[0];
        }
        assertThat(values + userErrors + known).isEqualTo(cases);
    }
}
