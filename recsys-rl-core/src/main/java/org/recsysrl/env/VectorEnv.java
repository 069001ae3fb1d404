package org.recsysrl.env;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import org.recsysrl.util.UserInputException;

/**
 * N environments stepped together with batched observations and auto-reset.
 *
 * <p>All buffers are allocated once here and overwritten in place by {@link #reset()} and
 * {@link #step(int[])}, which allocate nothing: {@link #observations()} and
 * {@link #finalObservations()} are {@code float[N*D]} row-major (row i = env i),
 * {@link #rewards()}, {@link #terminated()} and {@link #truncated()} have length N. The arrays
 * are returned without copying; read them, do not keep their contents across steps.
 *
 * <p>Per env the running return {@code G = Σ r_t} (accumulated in double) and length of the
 * current episode are tracked; when an episode ends they become {@link #lastEpisodeReturn(int)}
 * and {@link #lastEpisodeLength(int)} (0 until env i finishes its first episode).
 * Not thread-safe.
 */
public final class VectorEnv {
    private static final int STATE_MAGIC = 0x56454E56; // "VENV"
    private static final int STATE_VERSION = 1;

    private final Environment[] envs;
    private final int n;
    private final int d;
    private final int actionCount;
    /** Actions per environment per step (1, or K for slate environments). */
    private final int slate;
    private final float[] observations;
    private final float[] finalObservations;
    private final float[] rewards;
    private final boolean[] terminated;
    private final boolean[] truncated;
    private final double[] runningReturn;
    private final int[] runningLength;
    private final float[] lastReturn;
    private final int[] lastLength;
    private final StepResult result = new StepResult();
    /** Allowed-action bitsets [N][words], or null when the environments do not mask actions. */
    private final long[] allowed;
    private final int maskWords;
    /** Item-id histories of the current episodes and of the episodes the last step ended, or null. */
    private final ItemHistories histories;
    private final int[] finalHistories;
    private boolean started;

    /**
     * Wraps the given environments (at least one, all with the same observation size and action
     * count). The list is copied; the environments are owned by this object from now on.
     *
     * @throws IllegalArgumentException if the list is empty or the shapes differ
     */
    public VectorEnv(List<? extends Environment> envs) {
        this(envs, 0);
    }

    /**
     * As {@link #VectorEnv(List)}, also keeping every episode's item-id history: the last
     * {@code historyLength} items shown (0 = none), see {@link #histories()}.
     */
    public VectorEnv(List<? extends Environment> envs, int historyLength) {
        Objects.requireNonNull(envs, "envs");
        if (historyLength < 0) {
            throw new IllegalArgumentException("history length must be >= 0");
        }
        if (envs.isEmpty()) {
            throw new IllegalArgumentException("a VectorEnv needs at least one environment");
        }
        this.envs = envs.toArray(new Environment[0]);
        this.n = this.envs.length;
        this.d = this.envs[0].observationSize();
        this.actionCount = this.envs[0].actionCount();
        this.slate = this.envs[0].slateSize();
        for (int i = 0; i < n; i++) {
            Environment e = Objects.requireNonNull(this.envs[i], "envs[" + i + "]");
            if (e.observationSize() != d || e.actionCount() != actionCount || e.slateSize() != slate) {
                throw new IllegalArgumentException("env " + i + " has observation size "
                        + e.observationSize() + ", " + e.actionCount() + " actions and slates of " + e.slateSize()
                        + "; env 0 has " + d + ", " + actionCount + " and " + slate);
            }
        }
        long size = (long) n * d;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("N * D too large: " + n + " * " + d);
        }
        this.observations = new float[(int) size];
        this.finalObservations = new float[(int) size];
        this.rewards = new float[n];
        this.terminated = new boolean[n];
        this.truncated = new boolean[n];
        this.runningReturn = new double[n];
        this.runningLength = new int[n];
        this.lastReturn = new float[n];
        this.lastLength = new int[n];
        boolean masking = this.envs[0] instanceof ActionMasking;
        for (int i = 1; i < n; i++) {
            if ((this.envs[i] instanceof ActionMasking) != masking) {
                throw new IllegalArgumentException("either every environment masks actions or none does");
            }
        }
        this.maskWords = ActionMasks.words(actionCount);
        this.allowed = masking ? new long[n * maskWords] : null;
        this.histories = historyLength > 0 ? new ItemHistories(n, historyLength) : null;
        this.finalHistories = historyLength > 0 ? new int[n * historyLength] : null;
    }

    /** Length L of the kept item histories (0 if none are kept). */
    public int historyLength() {
        return histories == null ? 0 : histories.length();
    }

    /**
     * The item-id history of every current episode beside {@link #observations()}: [N·L], row i the
     * last L items shown in env i's episode, oldest first, left-padded with −1 (an episode's first
     * observation has an empty history). Null when no histories are kept.
     */
    public int[] histories() {
        return histories == null ? null : histories.windows();
    }

    /** The histories beside {@link #finalObservations()}: for an env whose episode just ended, its final history. */
    public int[] finalHistories() {
        return finalHistories;
    }

    /** Whether the environments restrict actions ({@link ActionMasking}); see {@link #allowedActions()}. */
    public boolean masksActions() {
        return allowed != null;
    }

    /** Longs per row of {@link #allowedActions()}: {@code ActionMasks.words(actionCount())}. */
    public int maskWords() {
        return maskWords;
    }

    /**
     * The actions allowed in the current observations, [N][{@link #maskWords()}] bitsets (row i =
     * env i, see {@link ActionMasking}), or null when the environments allow every action.
     * Overwritten by {@link #reset()}, {@link #step(int[])} and {@link #loadState}.
     */
    public long[] allowedActions() {
        return allowed;
    }

    private void refreshMasks() {
        if (allowed != null) {
            for (int i = 0; i < n; i++) {
                ((ActionMasking) envs[i]).allowedActions(allowed, i * maskWords);
            }
        }
    }

    /** Number of environments N. */
    public int numEnvs() {
        return n;
    }

    /** Width D of one observation. */
    public int observationSize() {
        return d;
    }

    /** Number of discrete actions of every environment. */
    public int actionCount() {
        return actionCount;
    }

    /** Actions each environment takes per step: 1, or the slate size K of slate environments. */
    public int slateSize() {
        return slate;
    }

    /** Environment {@code i}. */
    public Environment env(int i) {
        return envs[i];
    }

    /**
     * Resets every env (each with a user drawn from its own rng); {@link #observations()} then
     * holds the first observations [N*D]. Clears the running returns and lengths and the step
     * outputs; {@link #lastEpisodeReturn(int)} and {@link #lastEpisodeLength(int)} are kept.
     */
    public void reset() {
        for (int i = 0; i < n; i++) {
            envs[i].reset(observations, i * d);
            runningReturn[i] = 0.0;
            runningLength[i] = 0;
            rewards[i] = 0f;
            terminated[i] = false;
            truncated[i] = false;
            if (histories != null) {
                histories.clear(i);
            }
        }
        System.arraycopy(observations, 0, finalObservations, 0, observations.length);
        if (histories != null) {
            System.arraycopy(histories.windows(), 0, finalHistories, 0, finalHistories.length);
        }
        started = true;
        refreshMasks();
    }

    /**
     * Steps env i with {@code actions[i]} for every i. Fills {@link #rewards()},
     * {@link #terminated()}, {@link #truncated()}. Row i of {@link #finalObservations()} receives
     * the observation that env i's step returned, before any reset: for an env whose episode ended
     * (terminated or truncated) that is the episode's final observation (to bootstrap a
     * truncation from); for the others it equals the row of {@link #observations()}. Every env
     * whose episode ended is then reset and its row of {@link #observations()} holds the new
     * episode's first observation; {@code lastEpisodeReturn(i)}/{@code lastEpisodeLength(i)} hold
     * the finished episode's return and length.
     *
     * @param actions length N · {@link #slateSize()} (env i's slate from {@code i · slateSize()});
     *     every action in {@code [0, actionCount())}, checked before any env is stepped (each
     *     slate environment checks that its slate has no repeats)
     * @throws IllegalStateException before the first {@link #reset()}
     */
    public void step(int[] actions) {
        if (!started) {
            throw new IllegalStateException("step before reset");
        }
        if (actions.length != n * slate) {
            throw new IllegalArgumentException("expected " + n * slate + " actions, got " + actions.length);
        }
        for (int k = 0; k < n * slate; k++) {
            if (actions[k] < 0 || actions[k] >= actionCount) {
                throw new IllegalArgumentException("action " + actions[k] + " for env " + k / slate
                        + " is out of range [0, " + actionCount + ")");
            }
        }
        for (int i = 0; i < n; i++) {
            int off = i * d;
            if (slate == 1) {
                envs[i].step(actions[i], finalObservations, off, result);
            } else {
                envs[i].stepSlate(actions, i * slate, finalObservations, off, result);
            }
            rewards[i] = result.reward;
            terminated[i] = result.terminated;
            truncated[i] = result.truncated;
            runningReturn[i] += result.reward;
            runningLength[i]++;
            if (histories != null) {
                histories.push(i, actions[i * slate]);
                histories.copy(i, finalHistories, i * histories.length());
            }
            if (result.terminated || result.truncated) {
                lastReturn[i] = (float) runningReturn[i];
                lastLength[i] = runningLength[i];
                runningReturn[i] = 0.0;
                runningLength[i] = 0;
                envs[i].reset(observations, off);
                if (histories != null) {
                    histories.clear(i);
                }
            } else {
                System.arraycopy(finalObservations, off, observations, off, d);
            }
        }
        refreshMasks();
    }

    /** Current observations, [N*D] row-major (after auto-reset). */
    public float[] observations() {
        return observations;
    }

    /** Rewards of the last step, [N]. */
    public float[] rewards() {
        return rewards;
    }

    /** Terminal flags of the last step, [N]. */
    public boolean[] terminated() {
        return terminated;
    }

    /** Time-limit flags of the last step, [N]. */
    public boolean[] truncated() {
        return truncated;
    }

    /** Observations returned by the last step before auto-reset, [N*D] row-major. */
    public float[] finalObservations() {
        return finalObservations;
    }

    /** Return {@code Σ r_t} of env i's most recently finished episode (0 if none yet). */
    public float lastEpisodeReturn(int i) {
        return lastReturn[i];
    }

    /** Length of env i's most recently finished episode (0 if none yet). */
    public int lastEpisodeLength(int i) {
        return lastLength[i];
    }

    /** Return accumulated so far in env i's current episode. */
    public float currentEpisodeReturn(int i) {
        return (float) runningReturn[i];
    }

    /** Steps taken so far in env i's current episode. */
    public int currentEpisodeLength(int i) {
        return runningLength[i];
    }

    /**
     * Writes every env's state, the observation and step-output buffers and the episode
     * bookkeeping, so that {@link #loadState} followed by the same actions reproduces the
     * uninterrupted run exactly.
     */
    public void saveState(DataOutput out) throws IOException {
        out.writeInt(STATE_MAGIC);
        out.writeInt(STATE_VERSION);
        out.writeInt(n);
        out.writeInt(d);
        out.writeBoolean(started);
        for (Environment e : envs) {
            e.saveState(out);
        }
        for (float v : observations) {
            out.writeFloat(v);
        }
        for (float v : finalObservations) {
            out.writeFloat(v);
        }
        for (int i = 0; i < n; i++) {
            out.writeFloat(rewards[i]);
            out.writeBoolean(terminated[i]);
            out.writeBoolean(truncated[i]);
            out.writeDouble(runningReturn[i]);
            out.writeInt(runningLength[i]);
            out.writeFloat(lastReturn[i]);
            out.writeInt(lastLength[i]);
        }
        if (histories != null) {
            histories.save(out);
            for (int v : finalHistories) {
                out.writeInt(v);
            }
        }
    }

    /**
     * Restores a snapshot written by {@link #saveState} from a VectorEnv of the same shape
     * (number of envs, observation size, and each env's own checks). If reading fails part-way
     * the state is unspecified and the object should be discarded.
     *
     * @throws UserInputException if the snapshot is of another shape or corrupt
     */
    public void loadState(DataInput in) throws IOException {
        if (in.readInt() != STATE_MAGIC) {
            throw new UserInputException("not a vector-environment state (bad magic); "
                    + "the checkpoint is corrupt or of another kind");
        }
        int version = in.readInt();
        if (version != STATE_VERSION) {
            throw new UserInputException("unsupported vector-environment state version " + version
                    + " (this build reads " + STATE_VERSION + ")");
        }
        int sN = in.readInt();
        int sD = in.readInt();
        if (sN != n || sD != d) {
            throw new UserInputException("environment state was saved with " + sN
                    + " environments of observation size " + sD + " but this run has " + n
                    + " of size " + d + "; use the same number of environments (num_envs) and env settings");
        }
        boolean sStarted = in.readBoolean();
        for (Environment e : envs) {
            e.loadState(in);
        }
        for (int k = 0; k < observations.length; k++) {
            observations[k] = in.readFloat();
        }
        for (int k = 0; k < finalObservations.length; k++) {
            finalObservations[k] = in.readFloat();
        }
        for (int i = 0; i < n; i++) {
            rewards[i] = in.readFloat();
            terminated[i] = in.readBoolean();
            truncated[i] = in.readBoolean();
            runningReturn[i] = in.readDouble();
            runningLength[i] = in.readInt();
            lastReturn[i] = in.readFloat();
            lastLength[i] = in.readInt();
            if (runningLength[i] < 0 || lastLength[i] < 0) {
                throw new UserInputException("vector-environment state is corrupt (negative episode length)");
            }
        }
        if (histories != null) {
            histories.load(in);
            for (int k = 0; k < finalHistories.length; k++) {
                finalHistories[k] = in.readInt();
            }
        }
        started = sStarted;
        if (started) {
            refreshMasks();
        }
    }
}
