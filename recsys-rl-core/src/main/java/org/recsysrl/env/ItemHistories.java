package org.recsysrl.env;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import org.recsysrl.util.UserInputException;

/**
 * The items shown so far in each of N running episodes, as windows of the last {@code length}
 * item ids, oldest first and left-padded with −1: row i is
 * {@code windows()[i·length .. (i+1)·length)}. This is the item-id history an observation carries
 * beside its dense features (an encoder over it reads only the valid, right-aligned part).
 * Allocation-free.
 */
public final class ItemHistories {
    private final int envs;
    private final int length;
    private final int[] windows;

    /** Empty histories for {@code envs} episodes of windows of {@code length} (≥ 1) items. */
    public ItemHistories(int envs, int length) {
        if (envs <= 0 || length <= 0) {
            throw new IllegalArgumentException("histories need at least one episode and one item");
        }
        this.envs = envs;
        this.length = length;
        this.windows = new int[envs * length];
        Arrays.fill(windows, -1);
    }

    /** Number of episodes N. */
    public int envs() {
        return envs;
    }

    /** Window length L. */
    public int length() {
        return length;
    }

    /** The windows, [N·L] (shared; overwritten as episodes go on). */
    public int[] windows() {
        return windows;
    }

    /** Starts episode {@code env} with an empty history. */
    public void clear(int env) {
        Arrays.fill(windows, env * length, (env + 1) * length, -1);
    }

    /** Appends {@code item} to episode {@code env}'s history, dropping its oldest item if the window is full. */
    public void push(int env, int item) {
        int off = env * length;
        System.arraycopy(windows, off + 1, windows, off, length - 1);
        windows[off + length - 1] = item;
    }

    /** Copies episode {@code env}'s window to {@code out[outOff ..]}. */
    public void copy(int env, int[] out, int outOff) {
        System.arraycopy(windows, env * length, out, outOff, length);
    }

    void save(DataOutput out) throws IOException {
        out.writeInt(length);
        for (int v : windows) {
            out.writeInt(v);
        }
    }

    void load(DataInput in) throws IOException {
        int l = in.readInt();
        if (l != length) {
            throw new UserInputException("environment state holds histories of " + l + " items but this run keeps "
                    + length + " (model.max_seq_len): use the settings of the saved run");
        }
        for (int k = 0; k < windows.length; k++) {
            windows[k] = in.readInt();
        }
    }
}
