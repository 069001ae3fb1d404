package org.recsysrl.env.platform;

import org.recsysrl.env.Environment;

/**
 * A platform environment a planner can simulate: it can take over another instance's episode state
 * (the user, sessions, budgets, masteries: everything but the random stream), so that a scratch
 * copy with a stream of its own plays out possible futures without seeing the real one.
 */
public interface PlatformEnvironment extends Environment {
    /**
     * Makes this environment's episode state a copy of {@code other}'s (an environment of the same
     * spec); this environment's random stream is left as it is.
     *
     * @throws IllegalArgumentException if {@code other} is of another kind or shape
     */
    void copyStateFrom(PlatformEnvironment other);

    /** Restarts this environment's random stream as a fresh one of {@code seed} (for common random numbers). */
    void reseed(long seed);
}
