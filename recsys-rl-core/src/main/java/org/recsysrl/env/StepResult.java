package org.recsysrl.env;

/**
 * Outcome of one {@link Environment#step} call. One instance is owned by the caller and
 * overwritten by every step (mutable on purpose, so stepping allocates nothing).
 */
public final class StepResult {
    /** Reward of the step just taken. */
    public float reward;
    /** True when the episode reached a terminal state (no bootstrapping past it). */
    public boolean terminated;
    /** True when the episode was cut by the time limit (bootstrap from the final observation). */
    public boolean truncated;
    /** Id of the user the episode is about (the original's {@code info}). */
    public int userId;
    /**
     * After {@link Environment#stepSlate}: the position in the slate of the item the user took, or
     * −1 if the user took none (single-item environments report 0).
     */
    public int choice;

    /** True when the episode is over for either reason: {@code terminated || truncated}. */
    public boolean done() {
        return terminated || truncated;
    }
}
