package org.recsysrl.agent;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import org.recsysrl.env.ActionMasking;
import org.recsysrl.env.ActionMasks;
import org.recsysrl.env.Environment;
import org.recsysrl.env.StepResult;
import org.recsysrl.util.Rng;

/**
 * Test-only environment with action masks: K actions, the observation is a one-hot of a random
 * index, reward 1 when the action equals it; action 0 is never allowed and an action is not
 * allowed twice in an episode (length ≤ K − 1). Stepping with a forbidden action throws, so any
 * leak of the mask into acting fails loudly.
 */
final class MaskedEnv implements Environment, ActionMasking {
    private final int k;
    private final int length;
    private final Rng rng;
    private final boolean[] used;
    private int index = -1;
    private int t;

    MaskedEnv(int k, int length, long seed) {
        if (length > k - 1) {
            throw new IllegalArgumentException("length must leave an allowed action");
        }
        this.k = k;
        this.length = length;
        this.rng = new Rng(seed);
        this.used = new boolean[k];
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
        reset(1 + rng.nextInt(k - 1), obs, off);
    }

    @Override
    public void reset(int userId, float[] obs, int off) {
        Arrays.fill(used, false);
        t = 0;
        index = userId;
        write(obs, off);
    }

    @Override
    public void step(int action, float[] obs, int off, StepResult out) {
        if (action == 0 || used[action]) {
            throw new IllegalStateException("forbidden action " + action + " was chosen");
        }
        used[action] = true;
        out.reward = action == index ? 1f : 0f;
        out.terminated = false;
        t++;
        out.truncated = t == length;
        out.userId = index;
        index = 1 + rng.nextInt(k - 1);
        write(obs, off);
    }

    @Override
    public void allowedActions(long[] bitsOut, int off) {
        ActionMasks.allowAll(bitsOut, off, k);
        ActionMasks.forbid(bitsOut, off, 0);
        for (int j = 0; j < k; j++) {
            if (used[j]) {
                ActionMasks.forbid(bitsOut, off, j);
            }
        }
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
        for (boolean u : used) {
            out.writeBoolean(u);
        }
    }

    @Override
    public void loadState(DataInput in) throws IOException {
        rng.restore(in.readLong());
        index = in.readInt();
        t = in.readInt();
        for (int j = 0; j < k; j++) {
            used[j] = in.readBoolean();
        }
    }
}
