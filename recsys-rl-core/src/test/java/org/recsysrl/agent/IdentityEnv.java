package org.recsysrl.agent;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import org.recsysrl.env.Environment;
import org.recsysrl.env.StepResult;
import org.recsysrl.util.Rng;

/**
 * The identity task (test-only): the observation is a K-way one-hot of a random index, there are
 * K actions, the reward is 1 when the action equals the observed index and 0 otherwise, a fresh
 * index is drawn every step, and the episode is truncated after {@code length} steps. The best
 * return is {@code length}; a uniformly random policy gets {@code length / K}. Any correct learner
 * must solve it.
 */
final class IdentityEnv implements Environment {
    private final int k;
    private final int length;
    private final Rng rng;
    private int index = -1;
    private int t;

    IdentityEnv(int k, int length, long seed) {
        this.k = k;
        this.length = length;
        this.rng = new Rng(seed);
    }

    /** The index currently shown. */
    int index() {
        return index;
    }

    @Override
    public int observationSize() {
        return k;
    }

    @Override
    public int actionCount() {
        return k;
    }

    @Override
    public void reset(float[] obs, int off) {
        begin(rng.nextInt(k), obs, off);
    }

    /** The "user" is the first index shown. */
    @Override
    public void reset(int userId, float[] obs, int off) {
        if (userId < 0 || userId >= k) {
            throw new IllegalArgumentException("user id " + userId + " outside [0, " + k + ")");
        }
        begin(userId, obs, off);
    }

    private void begin(int first, float[] obs, int off) {
        t = 0;
        index = first;
        write(obs, off);
    }

    @Override
    public void step(int action, float[] obs, int off, StepResult out) {
        if (action < 0 || action >= k) {
            throw new IllegalArgumentException("action " + action);
        }
        if (index < 0 || t >= length) {
            throw new IllegalStateException("reset first");
        }
        out.reward = action == index ? 1f : 0f;
        out.terminated = false;
        t++;
        out.truncated = t == length;
        out.userId = index;
        index = rng.nextInt(k);
        write(obs, off);
    }

    private void write(float[] obs, int off) {
        Arrays.fill(obs, off, off + k, 0f);
        obs[off + index] = 1f;
    }

    @Override
    public int currentUser() {
        return index;
    }

    @Override
    public int userCount() {
        return k;
    }

    @Override
    public void saveState(DataOutput out) throws IOException {
        out.writeLong(rng.state());
        out.writeInt(index);
        out.writeInt(t);
    }

    @Override
    public void loadState(DataInput in) throws IOException {
        rng.restore(in.readLong());
        index = in.readInt();
        t = in.readInt();
    }
}
