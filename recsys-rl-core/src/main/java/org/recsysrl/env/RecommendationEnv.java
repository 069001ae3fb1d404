package org.recsysrl.env;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import org.recsysrl.util.Rng;
import org.recsysrl.util.UserInputException;

/**
 * The original recommendation MDP, with its defects fixed (one shared catalog, persistent users,
 * user ids honoured, the time limit reported as a truncation).
 *
 * <p>With d = {@code itemDim} (= {@code userDim}), item embeddings e_a and the chosen user's
 * vector p:
 * <ul>
 *   <li>reset: u_0 = p (a copy), t = 0, observation {@code [u_0, 0_d]};</li>
 *   <li>step(a): t ← t + 1; reward {@code r_t = fl32(⟨u_{t-1}, e_a⟩) · γ_r^(t-1)}, where the
 *       dot product is accumulated in float in index order, the power γ_r^(t-1) is the running
 *       product of t-1 factors γ_r in double (1 at t = 1), and their product is computed in double
 *       and rounded to float; then {@code u_t = u_{t-1} + fl32(η) · e_a} componentwise in float (not
 *       renormalised); observation {@code [u_t, e_a]};</li>
 *   <li>{@code truncated = (t == maxEpisodeSteps)}; {@code terminated} is always false.</li>
 * </ul>
 * γ_r is {@link SimulatorSpec#rewardDecay()}, η is {@link SimulatorSpec#interestDrift()}.
 * The only randomness is the choice of user in {@link #reset(float[], int)}, from this
 * environment's own rng. {@code reset} and {@code step} allocate nothing. Not thread-safe.
 */
public final class RecommendationEnv implements Environment, UserStateAware {
    private static final int STATE_MAGIC = 0x52454E56; // "RENV"
    private static final int STATE_VERSION = 1;

    private final SimulatorSpec spec;
    private final ItemCatalog catalog;
    private final UserPopulation users;
    private final Rng rng;
    private final float[] items;
    private final float[] userVectors;
    private final int dim;
    private final int numItems;
    private final int numUsers;
    private final int maxSteps;
    private final int obsSize;
    private final double rewardDecay;
    private final float drift;

    private final float[] userState;
    private int user = -1;
    private int t;
    private int lastItem = -1;
    /** γ_r^t as the running product of t factors γ_r in double (the decay of the next reward). */
    private double decayPow = 1.0;

    /**
     * An environment over the given catalog and population (shared, read-only), choosing users
     * with {@code rng} (owned by this environment from now on). Usually obtained from
     * {@link SimulatorWorld#newEnvironment(long)}; this constructor also accepts hand-built or
     * data-derived catalogs and populations.
     *
     * @throws IllegalArgumentException if the catalog or population does not match {@code spec}
     */
    public RecommendationEnv(SimulatorSpec spec, ItemCatalog catalog, UserPopulation users, Rng rng) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.users = Objects.requireNonNull(users, "users");
        this.rng = Objects.requireNonNull(rng, "rng");
        if (catalog.size() != spec.numItems() || catalog.dim() != spec.itemDim()) {
            throw new IllegalArgumentException("catalog is " + catalog.size() + " x " + catalog.dim()
                    + " but spec says " + spec.numItems() + " x " + spec.itemDim());
        }
        if (users.size() != spec.numUsers() || users.dim() != spec.userDim()) {
            throw new IllegalArgumentException("population is " + users.size() + " x " + users.dim()
                    + " but spec says " + spec.numUsers() + " x " + spec.userDim());
        }
        this.items = catalog.embeddings();
        this.userVectors = users.vectors();
        this.dim = spec.itemDim();
        this.numItems = spec.numItems();
        this.numUsers = spec.numUsers();
        this.maxSteps = spec.maxEpisodeSteps();
        this.obsSize = spec.observationSize();
        this.rewardDecay = spec.rewardDecay();
        this.drift = (float) spec.interestDrift();
        this.userState = new float[dim];
    }

    /** The parameters of this environment. */
    public SimulatorSpec spec() {
        return spec;
    }

    /** The (shared) item catalog. */
    public ItemCatalog catalog() {
        return catalog;
    }

    /** The (shared) user population. */
    public UserPopulation users() {
        return users;
    }

    /** {@inheritDoc} Here {@code userDim + itemDim}: user state followed by the last item. */
    @Override
    public int observationSize() {
        return obsSize;
    }

    /** {@inheritDoc} Here the number of items. */
    @Override
    public int actionCount() {
        return numItems;
    }

    @Override
    public int userCount() {
        return numUsers;
    }

    @Override
    public int currentUser() {
        return user;
    }

    /** Steps taken in the current episode: t (0 right after reset). */
    public int step() {
        return t;
    }

    /** {@inheritDoc} The user is {@code rng.nextInt(userCount())}. */
    @Override
    public void reset(float[] obs, int off) {
        Objects.checkFromIndexSize(off, obsSize, obs.length);
        begin(rng.nextInt(numUsers), obs, off);
    }

    @Override
    public void reset(int userId, float[] obs, int off) {
        if (userId < 0 || userId >= numUsers) {
            throw new IllegalArgumentException(
                    "user id " + userId + " is out of range [0, " + numUsers + ")");
        }
        Objects.checkFromIndexSize(off, obsSize, obs.length);
        begin(userId, obs, off);
    }

    private void begin(int userId, float[] obs, int off) {
        user = userId;
        t = 0;
        lastItem = -1;
        decayPow = 1.0;
        System.arraycopy(userVectors, userId * dim, userState, 0, dim);
        writeObservation(obs, off);
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code r_t = fl32(⟨u_{t-1}, e_a⟩) · γ_r^(t-1)}, then {@code u_t = u_{t-1} + η e_a}; see
     * the class documentation.
     */
    @Override
    public void step(int action, float[] obs, int off, StepResult out) {
        if (action < 0 || action >= numItems) {
            throw new IllegalArgumentException(
                    "action " + action + " is out of range [0, " + numItems + ")");
        }
        if (user < 0) {
            throw new IllegalStateException("step before reset");
        }
        if (t >= maxSteps) {
            throw new IllegalStateException("the episode ended at step " + t + "; reset first");
        }
        Objects.checkFromIndexSize(off, obsSize, obs.length);
        t++;
        int base = action * dim;
        float dot = 0f;
        for (int j = 0; j < dim; j++) {
            dot += userState[j] * items[base + j];
        }
        float reward = (float) (dot * decayPow);
        decayPow *= rewardDecay;
        for (int j = 0; j < dim; j++) {
            userState[j] += drift * items[base + j];
        }
        lastItem = action;
        writeObservation(obs, off);
        out.reward = reward;
        out.terminated = false;
        out.truncated = t == maxSteps;
        out.userId = user;
    }

    private void writeObservation(float[] obs, int off) {
        System.arraycopy(userState, 0, obs, off, dim);
        if (lastItem < 0) {
            Arrays.fill(obs, off + dim, off + obsSize, 0f);
        } else {
            System.arraycopy(items, lastItem * dim, obs, off + dim, dim);
        }
    }

    @Override
    public int userStateSize() {
        return dim;
    }

    /** {@inheritDoc} Before the first reset this is all zeros. */
    @Override
    public void userState(float[] out, int off) {
        System.arraycopy(userState, 0, out, off, dim);
    }

    @Override
    public float[] itemEmbeddings() {
        return items;
    }

    @Override
    public int itemDim() {
        return dim;
    }

    /**
     * {@inheritDoc} Layout: magic, version, shape (items, users, dim, max steps, world seed), rng
     * state, user id, t, last item, user state floats.
     */
    @Override
    public void saveState(DataOutput out) throws IOException {
        out.writeInt(STATE_MAGIC);
        out.writeInt(STATE_VERSION);
        out.writeInt(numItems);
        out.writeInt(numUsers);
        out.writeInt(dim);
        out.writeInt(maxSteps);
        out.writeLong(spec.seed());
        out.writeLong(rng.state());
        out.writeInt(user);
        out.writeInt(t);
        out.writeInt(lastItem);
        for (int j = 0; j < dim; j++) {
            out.writeFloat(userState[j]);
        }
    }

    @Override
    public void loadState(DataInput in) throws IOException {
        if (in.readInt() != STATE_MAGIC) {
            throw new UserInputException("not a recommendation-environment state (bad magic); "
                    + "the checkpoint is corrupt or of another kind");
        }
        int version = in.readInt();
        if (version != STATE_VERSION) {
            throw new UserInputException("unsupported environment state version " + version
                    + " (this build reads " + STATE_VERSION + ")");
        }
        int sItems = in.readInt();
        int sUsers = in.readInt();
        int sDim = in.readInt();
        int sMax = in.readInt();
        long sSeed = in.readLong();
        if (sItems != numItems || sUsers != numUsers || sDim != dim || sMax != maxSteps
                || sSeed != spec.seed()) {
            throw new UserInputException(String.format(
                    "environment state was saved with env.num_items=%d, env.num_users=%d, "
                            + "env.item_feature_dim=%d, env.max_episode_steps=%d, seed=%d but this "
                            + "environment has %d, %d, %d, %d, %d; use the same settings as the run "
                            + "that wrote the checkpoint",
                    sItems, sUsers, sDim, sMax, sSeed, numItems, numUsers, dim, maxSteps, spec.seed()));
        }
        long rngState = in.readLong();
        int sUser = in.readInt();
        int sT = in.readInt();
        int sLast = in.readInt();
        boolean consistent = sUser >= -1 && sUser < numUsers
                && sT >= 0 && sT <= maxSteps
                && sLast >= -1 && sLast < numItems
                && (sT == 0) == (sLast == -1)
                && (sUser >= 0 || sT == 0);
        if (!consistent) {
            throw new UserInputException("environment state is corrupt (user " + sUser + ", step " + sT
                    + ", last item " + sLast + ")");
        }
        float[] state = new float[dim];
        for (int j = 0; j < dim; j++) {
            state[j] = in.readFloat();
        }
        rng.restore(rngState);
        user = sUser;
        t = sT;
        lastItem = sLast;
        decayPow = 1.0;
        for (int k = 0; k < sT; k++) {
            decayPow *= rewardDecay;
        }
        System.arraycopy(state, 0, userState, 0, dim);
    }
}
