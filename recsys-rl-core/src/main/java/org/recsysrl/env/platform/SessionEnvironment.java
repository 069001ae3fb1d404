package org.recsysrl.env.platform;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.recsysrl.env.StepResult;
import org.recsysrl.util.Rng;
import org.recsysrl.util.UserInputException;

/**
 * What the platform environments share: an episode is one user's visits, made of sessions. Each
 * step shows one item, or a slate of {@link #slateSize()} items, and gets the user's response
 * ({@link #respond}, {@link #respondToSlate}); when {@link #sessionOver}
 * the user comes back for another session with {@link #returnProbability} (one draw of the
 * environment's stream), for at most {@code maxSessions}; otherwise the episode terminates, and it
 * is truncated at {@code maxSteps}. Subclasses hold the user state; this class holds the user, the
 * session and step counters, the random stream, and the checks, snapshots and copies around them.
 */
public abstract class SessionEnvironment implements PlatformEnvironment {
    /** The environment's random stream (responses, returns, and users drawn by {@link #reset(float[], int)}). */
    protected final Rng rng;
    private final int magic;
    private final int users;
    private final int observationSize;
    private final int actionCount;
    private final int maxSessions;
    private final int maxSteps;
    private final int slateSize;
    /** The slate position the user took in the last step (−1: none); slate environments set it. */
    protected int choice;
    /** The current user, or −1 before the first reset. */
    protected int user = -1;
    private boolean running;
    /** Sessions started in this episode (1 during the first). */
    protected int session;
    private int steps;

    /**
     * @param magic the first int of this kind's state snapshots
     * @param seed the environment's random stream
     */
    protected SessionEnvironment(int magic, long seed, int users, int observationSize, int actionCount,
            int maxSessions, int maxSteps) {
        this(magic, seed, users, observationSize, actionCount, 1, maxSessions, maxSteps);
    }

    /**
     * An environment whose every step shows a slate of {@code slateSize} distinct actions.
     *
     * @param magic the first int of this kind's state snapshots
     * @param seed the environment's random stream
     */
    protected SessionEnvironment(int magic, long seed, int users, int observationSize, int actionCount, int slateSize,
            int maxSessions, int maxSteps) {
        if (slateSize < 1 || slateSize > actionCount) {
            throw new IllegalArgumentException("slate size " + slateSize + " not in [1, " + actionCount + "]");
        }
        this.slateSize = slateSize;
        this.magic = magic;
        this.rng = new Rng(seed);
        this.users = users;
        this.observationSize = observationSize;
        this.actionCount = actionCount;
        this.maxSessions = maxSessions;
        this.maxSteps = maxSteps;
    }

    /** Resets the user state for the start of an episode of {@code user} (and clears the engagement). */
    protected abstract void startEpisode(int user);

    /** Resets what a session resets (budgets, satiation, counters); {@link #session} is already counted. */
    protected abstract void startSession();

    /** Applies the user's response to {@code action}; returns the reward. */
    protected abstract float respond(int action);

    /**
     * Applies the user's response to the slate {@code slate[off .. off + slateSize())} (already
     * checked: in range, no repeats), sets {@link #choice}, and returns the reward. The default
     * serves single-item environments: {@code respond(slate[off])}.
     */
    protected float respondToSlate(int[] slate, int off) {
        choice = 0;
        return respond(slate[off]);
    }

    /** Whether the current session has ended (after {@link #respond}). */
    protected abstract boolean sessionOver();

    /** The probability that the user comes back after the session that just ended. */
    protected abstract double returnProbability();

    /** Writes the observation of the current state. */
    protected abstract void observe(float[] obs, int off);

    /**
     * The subclass's part of the state, declared once: snapshots save and load it, and copies
     * copy it, in its declaration order.
     */
    protected abstract StateFields state();

    /**
     * Refuses to copy the state of {@code other} (of the same class) when it lives in another
     * world (another catalogue or spec); the default accepts.
     *
     * @throws IllegalArgumentException naming what must be the same
     */
    protected void requireSameWorld(SessionEnvironment other) {
    }

    /** A one-line description of what this kind is, for mismatched snapshots and copies. */
    protected abstract String kind();

    @Override
    public final int observationSize() {
        return observationSize;
    }

    @Override
    public final int actionCount() {
        return actionCount;
    }

    @Override
    public final int slateSize() {
        return slateSize;
    }

    @Override
    public final int currentUser() {
        return user;
    }

    @Override
    public final int userCount() {
        return users;
    }

    @Override
    public final void reset(float[] obs, int off) {
        reset(rng.nextInt(users), obs, off);
    }

    @Override
    public final void reset(int userId, float[] obs, int off) {
        if (userId < 0 || userId >= users) {
            throw new IllegalArgumentException("user " + userId + " not in [0, " + users + ")");
        }
        user = userId;
        steps = 0;
        session = 0;
        startEpisode(userId);
        beginSession();
        running = true;
        observe(obs, off);
    }

    private void beginSession() {
        session++;
        startSession();
    }

    @Override
    public final void step(int action, float[] obs, int off, StepResult out) {
        if (slateSize != 1) {
            throw new UnsupportedOperationException(kind() + " shows slates of " + slateSize + ": use stepSlate");
        }
        if (!running) {
            throw new IllegalStateException("no episode is running: reset first");
        }
        if (action < 0 || action >= actionCount) {
            throw new IllegalArgumentException("action " + action + " not in [0, " + actionCount + ")");
        }
        out.reward = respond(action);
        out.choice = 0;
        finishStep(obs, off, out);
    }

    @Override
    public final void stepSlate(int[] slate, int slateOff, float[] obs, int off, StepResult out) {
        if (!running) {
            throw new IllegalStateException("no episode is running: reset first");
        }
        for (int k = 0; k < slateSize; k++) {
            int a = slate[slateOff + k];
            if (a < 0 || a >= actionCount) {
                throw new IllegalArgumentException("action " + a + " not in [0, " + actionCount + ")");
            }
            for (int m = 0; m < k; m++) {
                if (slate[slateOff + m] == a) {
                    throw new IllegalArgumentException("action " + a + " appears twice in the slate");
                }
            }
        }
        out.reward = respondToSlate(slate, slateOff);
        out.choice = choice;
        finishStep(obs, off, out);
    }

    private void finishStep(float[] obs, int off, StepResult out) {
        steps++;
        out.userId = user;
        out.terminated = false;
        out.truncated = false;
        if (sessionOver()) {
            double back = returnProbability();
            if (session < maxSessions && rng.nextDouble() < back) {
                beginSession();
            } else {
                out.terminated = true;
            }
        }
        if (!out.terminated && steps >= maxSteps) {
            out.truncated = true;
        }
        running = !out.done();
        observe(obs, off);
    }

    @Override
    public final void reseed(long seed) {
        rng.restore(new Rng(seed).state());
    }

    @Override
    public final void copyStateFrom(PlatformEnvironment other) {
        if (other.getClass() != getClass()) {
            throw new IllegalArgumentException("can copy the state of " + kind() + " only");
        }
        SessionEnvironment o = (SessionEnvironment) other;
        user = o.user;
        running = o.running;
        session = o.session;
        steps = o.steps;
        requireSameWorld(o);
        state().copyFrom(o.state());
    }

    @Override
    public final void saveState(DataOutput out) throws IOException {
        out.writeInt(magic);
        out.writeInt(observationSize);
        out.writeLong(rng.state());
        out.writeInt(user);
        out.writeBoolean(running);
        out.writeInt(session);
        out.writeInt(steps);
        state().save(out);
    }

    @Override
    public final void loadState(DataInput in) throws IOException {
        if (in.readInt() != magic || in.readInt() != observationSize) {
            throw new UserInputException("the saved environment state is not one of " + kind()
                    + ": resume with the configuration it was saved with");
        }
        rng.restore(in.readLong());
        int u = in.readInt();
        if (u < -1 || u >= users) {
            throw new UserInputException("the saved state of " + kind() + " names user " + u + ", outside [0, " + users
                    + "): the state is damaged");
        }
        user = u;
        running = in.readBoolean();
        session = in.readInt();
        steps = in.readInt();
        state().load(in);
    }

    /**
     * The logistic return probability 1 / (1 + e^−(slope · satisfaction + bias)) that several
     * platforms share, for a session of mean quality {@code satisfaction}.
     */
    public static double logisticReturn(double satisfaction, double slope, double bias) {
        return 1 / (1 + Math.exp(-(slope * satisfaction + bias)));
    }
}
