package org.recsysrl.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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

    /** Runs case {@code index} and counts its outcome. */
    public void run(int index, Case body) {
        cases++;
        long t0 = System.nanoTime();
        try {
            body.run();
            values++;
        } catch (UserInputException e) {
            String message = e.getMessage();
            if (message == null || message.isBlank() || message.indexOf('\n') >= 0 || message.indexOf('\r') >= 0) {
                failures.add(where(index) + ": UserInputException whose message is not one line: " + message);
            } else {
                userErrors++;
            }
        } catch (Throwable e) { // the point of the fuzzer: nothing else may escape, not even an Error
            failures.add(where(index) + ": " + e.getClass().getName() + ": " + e.getMessage() + " at "
                    + (e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?"));
        }
        long took = System.nanoTime() - t0;
        if (took > slowestNanos) {
            slowestNanos = took;
            slowestCase = index;
        }
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

    /** "fuzz NAME seed S: N cases: V values, U UserInputException, F other; slowest case ..., total ...". */
    public String summary() {
        return String.format(Locale.ROOT, "fuzz %s seed %d: %d cases: %d values, %d UserInputException, %d other;"
                + " slowest case #%d %.1f ms; total %.2f s", name, seed, cases, values, userErrors, failures.size(),
                slowestCase, slowestNanos / 1e6, (System.nanoTime() - startNanos) / 1e9);
    }

    /** Prints the summary and fails, listing the first failures, if any case ended otherwise. */
    public void assertNoFailures() {
        System.out.println(summary());
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < Math.min(SHOWN_FAILURES, failures.size()); i++) {
            shown.append('\n').append(failures.get(i));
        }
        assertThat(failures).as(summary() + shown).isEmpty();
        assertThat(values + userErrors).isEqualTo(cases);
    }
}
