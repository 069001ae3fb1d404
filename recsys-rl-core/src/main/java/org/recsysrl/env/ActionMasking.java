package org.recsysrl.env;

/**
 * An {@link Environment} that allows only some actions in its current state (e.g. an item is not
 * shown twice in a session). Environments without this interface allow every action.
 *
 * <p>The allowed set is a bitset of {@link ActionMasks#words(int) words(actionCount())} longs:
 * bit {@code j % 64} of word {@code off + j / 64} is set iff action j is allowed. At least one
 * action is allowed whenever an episode is running.
 */
public interface ActionMasking {
    /**
     * Writes the bitset of the actions allowed in the current state into
     * {@code bitsOut[off .. off + words(actionCount()))} (unused high bits of the last word are 0).
     */
    void allowedActions(long[] bitsOut, int off);
}
