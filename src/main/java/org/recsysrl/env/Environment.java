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
