package org.recsysrl.env;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * One recommendation session at a time, stepped by writing into caller-owned buffers.
 *
 * <p>Observations are written as {@link #observationSize()} consecutive floats starting at an
 * offset, so a batch of environments can share one row-major {@code float[N*D]}. Implementations
 * allocate nothing in {@code reset} or {@code step}. Not thread-safe.
 */
public interface Environment {

    /** Width D of one observation. */
    int observationSize();

    /** Number of discrete actions; valid actions are {@code 0 .. actionCount()-1}. */
    int actionCount();

    /**
     * Starts an episode with a user drawn uniformly from the env's own rng; writes the first
     * observation at {@code obs[off .. off+observationSize())}.
     */
    void reset(float[] obs, int off);

    /**
     * Starts an episode for the given user id (does not consume the env's rng); writes the first
     * observation at {@code obs[off .. off+observationSize())}.
     *
     * @throws IllegalArgumentException if {@code userId} is not in {@code [0, userCount())}
     */
    void reset(int userId, float[] obs, int off);

    /**
     * Applies {@code action}, writes the next observation at {@code obs[off .. off+observationSize())}
     * and the reward and end flags into {@code out}. After an episode has ended the caller must
     * reset before stepping again.
     *
     * @throws IllegalArgumentException if {@code action} is not in {@code [0, actionCount())}
     * @throws IllegalStateException if no episode is running
     */
    void step(int action, float[] obs, int off, StepResult out);

    /**
     * Items shown per step: 1 for an environment that shows one item at a time, K for a slate
     * environment, whose every step shows K distinct actions at once ({@link #stepSlate}).
     */
    default int slateSize() {
        return 1;
    }

    /**
     * Shows the slate {@code slate[slateOff .. slateOff + slateSize())} (distinct actions, first
     * position first), then as {@link #step}: writes the next observation and the outcome, with
     * {@link StepResult#choice} the slate position the user took (−1 for none). The default serves
     * environments of {@code slateSize() == 1}: {@code step(slate[slateOff], ...)}.
     *
     * @throws IllegalArgumentException if an action is out of range or repeated in the slate
     * @throws IllegalStateException if no episode is running
     */
    default void stepSlate(int[] slate, int slateOff, float[] obs, int off, StepResult out) {
        if (slateSize() != 1) {
            throw new UnsupportedOperationException(getClass().getSimpleName() + " shows slates of " + slateSize()
                    + " and must implement stepSlate");
        }
        step(slate[slateOff], obs, off, out);
        out.choice = 0;
    }

    /** Id of the current episode's user, or -1 before the first reset. */
    int currentUser();

    /** Number of distinct users the environment can start an episode with. */
    int userCount();

    /** Exact snapshot of the mutable state (episode state + rng) for resuming training. */
    void saveState(DataOutput out) throws IOException;

    /**
     * Restores a snapshot written by {@link #saveState} of an environment of the same shape.
     *
     * @throws org.recsysrl.util.UserInputException if the snapshot belongs to a differently shaped
     *     environment or is corrupt
     */
    void loadState(DataInput in) throws IOException;
}
