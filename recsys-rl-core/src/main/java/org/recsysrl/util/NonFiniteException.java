package org.recsysrl.util;

/**
 * A computation produced NaN or ±Infinity where a finite number is required: training has
 * diverged (a loss, a gradient norm, the parameters or the policy's logits). The command line
 * prints the message on one line and exits with {@link #EXIT_CODE}; the trainer adds the step and
 * the settings most likely to blame ({@link #withContext}) and keeps the last good checkpoint.
 */
public class NonFiniteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The exit code of a run stopped by a non-finite value (distinct from 1, internal, and 2, user error). */
    public static final int EXIT_CODE = 3;

    private final String term;
    private final double value;

    /**
     * @param term what was not finite ("policy loss", "gradient norm", "parameters", ...)
     * @param value the offending value (NaN or ±Infinity)
     */
    public NonFiniteException(String term, double value) {
        this(term, value, term + " is " + value);
    }

    private NonFiniteException(String term, double value, String message) {
        super(message);
        this.term = term;
        this.value = value;
    }

    /** What was not finite. */
    public String term() {
        return term;
    }

    /** The offending value. */
    public double value() {
        return value;
    }

    /** The same failure with a message that says where it happened and what to change. */
    public NonFiniteException withContext(String where, String advice) {
        NonFiniteException e = new NonFiniteException(term, value, where + ": " + term + " is " + value + "; " + advice);
        e.setStackTrace(getStackTrace());
        return e;
    }

    /** The same failure with {@code more} appended to the message (e.g. what was kept). */
    public NonFiniteException withNote(String more) {
        NonFiniteException e = new NonFiniteException(term, value, getMessage() + "; " + more);
        e.setStackTrace(getStackTrace());
        return e;
    }

    /** Throws if {@code value} is NaN or infinite. */
    public static void requireFinite(String term, double value) {
        if (!Double.isFinite(value)) {
            throw new NonFiniteException(term, value);
        }
    }
}
