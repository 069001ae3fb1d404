package org.recsysrl.learn;

/**
 * What the off-policy learner's training loop reads of a log, whatever a row shows (one item,
 * {@link LoggedBandit}, or a slate, {@link LoggedSlates}): its rows' contexts over a fixed action
 * set, the split by session into a training and a held-out part, and the logging policy's mean
 * reward on some rows.
 */
public interface LoggedContexts {
    /** Rows of the log. */
    int rows();

    /** Features per context. */
    int contextDim();

    /** Actions of the environment. */
    int actionCount();

    /** Copies row {@code r}'s context into {@code out} from {@code offset}. */
    void context(int r, float[] out, int offset);

    /** The logging policy's mean reward on {@code rows} (for a slate, summed over its positions). */
    double meanReward(int[] rows);

    /**
     * Splits the rows into a training and a held-out part by session, so that the steps of one
     * episode land on one side ({@link LoggedBandit#split} says how).
     */
    LoggedBandit.Split split(double heldOutShare, long seed);
}
