package org.recsysrl.env;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import org.recsysrl.util.Rng;
import org.recsysrl.util.UserInputException;

/**
 * A session of one user from a real rating log ({@link MovieLensWorld}).
 *
 * <ul>
 *   <li>Observation: user embedding ⊕ embedding of the last item shown (at reset, the last item of
 *       the user's training history), 2 · dim floats.
 *   <li>Action: an item. Items already shown in the session are masked ({@link ActionMasking}).
 *   <li>Reward: the user's rating of the item (real if rated, else predicted), scaled to [0, 1].
 *   <li>End: truncated after {@code maxEpisodeSteps}; terminated when the user leaves, after
 *       {@code leavePatience} consecutive rewards below {@code leaveThreshold} (leaving wins when
 *       both happen on the same step).
 * </ul>
 *
 * Users are indexed {@code 0 .. userCount()-1} (positions in the world's session users), drawn
 * uniformly by {@link #reset(float[], int)}. Allocates nothing per step.
 */
public final class MovieLensEnv implements Environment, ActionMasking {
    private static final int STATE_MAGIC = 0x4D4C454E; // "MLEN"
    private static final int STATE_VERSION = 1;

    private final MovieLensWorld world;
    private final Rng rng;
    private final int words;
    private final long[] shown;
    private int user = -1;
    private int lastItem = -1;
    private int t;
    private int lowStreak;
    private boolean running;

    MovieLensEnv(MovieLensWorld world, long seed) {
        this.world = world;
        this.rng = new Rng(seed);
        this.words = ActionMasks.words(world.itemCount());
        this.shown = new long[words];
    }

    public MovieLensWorld world() {
        return world;
    }

    @Override
    public int observationSize() {
        return world.observationSize();
    }

    @Override
    public int actionCount() {
        return world.itemCount();
    }

    @Override
    public void reset(float[] obs, int off) {
        begin(rng.nextInt(world.userCount()), obs, off);
    }

    @Override
    public void reset(int userId, float[] obs, int off) {
        if (userId < 0 || userId >= world.userCount()) {
            throw new IllegalArgumentException("user id " + userId + " outside [0, " + world.userCount() + ")");
        }
        begin(userId, obs, off);
    }

    private void begin(int u, float[] obs, int off) {
        user = u;
        lastItem = world.firstItems()[u];
        t = 0;
        lowStreak = 0;
        Arrays.fill(shown, 0L);
        running = true;
        write(obs, off);
    }

    @Override
    public void step(int action, float[] obs, int off, StepResult out) {
        if (action < 0 || action >= world.itemCount()) {
            throw new IllegalArgumentException("action " + action + " outside [0, " + world.itemCount() + ")");
        }
        if (!running) {
            throw new IllegalStateException("step before reset or after the session ended");
        }
        if (ActionMasks.isAllowed(shown, 0, action)) {
            throw new IllegalArgumentException("item " + action + " was already shown in this session");
        }
        ActionMasks.allow(shown, 0, action);
        float reward = world.scaledReward(world.sessionUsers()[user], action);
        t++;
        lowStreak = reward < world.leaveThreshold() ? lowStreak + 1 : 0;
        lastItem = action;
        out.reward = reward;
        out.userId = user;
        out.terminated = world.leavePatience() > 0 && lowStreak >= world.leavePatience();
        out.truncated = !out.terminated && t >= world.maxEpisodeSteps();
        running = !(out.terminated || out.truncated);
        write(obs, off);
    }

    private void write(float[] obs, int off) {
        int d = world.dim();
        System.arraycopy(world.userEmbeddings(), world.sessionUsers()[user] * d, obs, off, d);
        System.arraycopy(world.itemEmbeddings(), lastItem * d, obs, off + d, d);
    }

    /** Every item not yet shown in this session. */
    @Override
    public void allowedActions(long[] bitsOut, int off) {
        ActionMasks.allowAll(bitsOut, off, world.itemCount());
        for (int k = 0; k < words; k++) {
            bitsOut[off + k] &= ~shown[k];
        }
    }

    /** Steps taken in the current session. */
    public int stepsTaken() {
        return t;
    }

    @Override
    public int currentUser() {
        return user;
    }

    @Override
    public int userCount() {
        return world.userCount();
    }

    @Override
    public void saveState(DataOutput out) throws IOException {
        out.writeInt(STATE_MAGIC);
        out.writeInt(STATE_VERSION);
        out.writeInt(world.itemCount());
        out.writeInt(world.userCount());
        out.writeLong(rng.state());
        out.writeInt(user);
        out.writeInt(lastItem);
        out.writeInt(t);
        out.writeInt(lowStreak);
        out.writeBoolean(running);
        for (long w : shown) {
            out.writeLong(w);
        }
    }

    @Override
    public void loadState(DataInput in) throws IOException {
        if (in.readInt() != STATE_MAGIC) {
            throw new UserInputException("not a movielens-environment state (bad magic); the checkpoint is corrupt "
                    + "or was saved with another env.type");
        }
        int version = in.readInt();
        if (version != STATE_VERSION) {
            throw new UserInputException("unsupported movielens-environment state version " + version);
        }
        int items = in.readInt();
        int users = in.readInt();
        if (items != world.itemCount() || users != world.userCount()) {
            throw new UserInputException("environment state has " + items + " items and " + users
                    + " users but this data set gives " + world.itemCount() + " and " + world.userCount()
                    + "; resume with the same --data and split");
        }
        rng.restore(in.readLong());
        user = in.readInt();
        lastItem = in.readInt();
        t = in.readInt();
        lowStreak = in.readInt();
        running = in.readBoolean();
        for (int k = 0; k < words; k++) {
            shown[k] = in.readLong();
        }
    }
}
