package org.recsysrl.env.platform;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.recsysrl.env.StepResult;
import org.recsysrl.util.Rng;
import org.recsysrl.util.UserInputException;

/**
 * {@code e-commerce}: an episode is one shopper's visits; each step shows one product.
 *
 * <p>The shopper clicks with {@link EcommerceResponse#clickProbability} and then buys with
 * {@link EcommerceResponse#purchaseProbability}; a purchase pays its price (the reward) and leaves
 * a satisfaction of quality − price / 100. Showing a category fatigues it (every category keeps
 * {@code fatigueDecay} of its fatigue per step, the shown one gains {@code fatigueGain}). A session
 * lasts {@code views} products; the shopper then comes back with probability
 * σ(returnSlope · mean satisfaction + returnBias) ({@code noPurchaseSatisfaction} if nothing was
 * bought), for at most {@code maxSessions}. Overpriced products earn more now and lose the shopper.
 *
 * <p>Observation: interests (C), fatigue (C), views left / views, sessions started / maxSessions,
 * and 1 (the true shopper state). Allocation-free stepping; deterministic per seed.
 */
public final class EcommerceEnv implements PlatformEnvironment {
    private static final int STATE_MAGIC = 0x45434F4D; // "ECOM"

    private final EcommerceCatalog catalog;
    private final EcommerceSpec spec;
    private final Rng rng;
    private final int categories;
    private final float[] fatigue;
    private int user = -1;
    private boolean running;
    private int viewsLeft;
    private int session;
    private int steps;
    private double satisfactionSum;
    private int purchasesInSession;
    private final Engagement engagement = new Engagement();

    /** What an episode produced beyond its return (the revenue). */
    public static final class Engagement {
        /** Sessions the shopper started, clicks and purchases. */
        public int sessions;
        public int clicks;
        public int purchases;
        /** Sum of the purchases' satisfaction. */
        public double satisfaction;

        void clear() {
            sessions = 0;
            clicks = 0;
            purchases = 0;
            satisfaction = 0;
        }
    }

    public EcommerceEnv(EcommerceCatalog catalog, long seed) {
        this.catalog = catalog;
        this.spec = catalog.spec();
        this.rng = new Rng(seed);
        this.categories = spec.categories();
        this.fatigue = new float[categories];
    }

    public EcommerceCatalog catalog() {
        return catalog;
    }

    /** The current episode's engagement so far (overwritten by the next reset). */
    public Engagement engagement() {
        return engagement;
    }

    @Override
    public int observationSize() {
        return spec.observationSize();
    }

    @Override
    public int actionCount() {
        return spec.items();
    }

    @Override
    public void reset(float[] obs, int off) {
        reset(rng.nextInt(spec.users()), obs, off);
    }

    @Override
    public void reset(int userId, float[] obs, int off) {
        if (userId < 0 || userId >= spec.users()) {
            throw new IllegalArgumentException("shopper " + userId + " not in [0, " + spec.users() + ")");
        }
        user = userId;
        steps = 0;
        session = 0;
        engagement.clear();
        startSession();
        running = true;
        observe(obs, off);
    }

    private void startSession() {
        viewsLeft = spec.views();
        satisfactionSum = 0;
        purchasesInSession = 0;
        java.util.Arrays.fill(fatigue, 0f);
        session++;
        engagement.sessions++;
    }

    @Override
    public void step(int action, float[] obs, int off, StepResult out) {
        if (!running) {
            throw new IllegalStateException("no episode is running: reset first");
        }
        if (action < 0 || action >= spec.items()) {
            throw new IllegalArgumentException("action " + action + " not in [0, " + spec.items() + ")");
        }
        int c = spec.category(action);
        double theta = catalog.interest(user, c);
        double q = catalog.quality(action);
        double price = catalog.price(action);
        float reward = 0;
        if (rng.nextDouble() < EcommerceResponse.clickProbability(theta, q, fatigue[c])) {
            engagement.clicks++;
            if (rng.nextDouble() < EcommerceResponse.purchaseProbability(theta, q, price)) {
                reward = (float) price;
                double s = EcommerceResponse.satisfaction(q, price);
                satisfactionSum += s;
                purchasesInSession++;
                engagement.purchases++;
                engagement.satisfaction += s;
            }
        }
        for (int k = 0; k < categories; k++) {
            fatigue[k] *= (float) spec.fatigueDecay();
        }
        fatigue[c] += (float) spec.fatigueGain();
        viewsLeft--;
        steps++;
        out.reward = reward;
        out.userId = user;
        out.terminated = false;
        out.truncated = false;
        if (viewsLeft == 0) {
            double mean = purchasesInSession > 0 ? satisfactionSum / purchasesInSession : spec.noPurchaseSatisfaction();
            double back = 1 / (1 + Math.exp(-(spec.returnSlope() * mean + spec.returnBias())));
            if (session < spec.maxSessions() && rng.nextDouble() < back) {
                startSession();
            } else {
                out.terminated = true;
            }
        }
        if (!out.terminated && steps >= spec.maxSteps()) {
            out.truncated = true;
        }
        running = !out.done();
        observe(obs, off);
    }

    private void observe(float[] obs, int off) {
        for (int c = 0; c < categories; c++) {
            obs[off + c] = user < 0 ? 0f : catalog.interest(user, c);
        }
        System.arraycopy(fatigue, 0, obs, off + categories, categories);
        int p = off + 2 * categories;
        obs[p] = (float) viewsLeft / spec.views();
        obs[p + 1] = (float) session / spec.maxSessions();
        obs[p + 2] = 1f;
    }

    @Override
    public void reseed(long seed) {
        rng.restore(new Rng(seed).state());
    }

    @Override
    public void copyStateFrom(PlatformEnvironment other) {
        if (!(other instanceof EcommerceEnv o) || o.catalog != catalog) {
            throw new IllegalArgumentException("can copy the state of an e-commerce environment of the same catalogue only");
        }
        user = o.user;
        running = o.running;
        viewsLeft = o.viewsLeft;
        session = o.session;
        steps = o.steps;
        satisfactionSum = o.satisfactionSum;
        purchasesInSession = o.purchasesInSession;
        System.arraycopy(o.fatigue, 0, fatigue, 0, categories);
    }

    @Override
    public int currentUser() {
        return user;
    }

    @Override
    public int userCount() {
        return spec.users();
    }

    @Override
    public void saveState(DataOutput out) throws IOException {
        out.writeInt(STATE_MAGIC);
        out.writeInt(categories);
        out.writeLong(rng.state());
        out.writeInt(user);
        out.writeBoolean(running);
        out.writeInt(viewsLeft);
        out.writeInt(session);
        out.writeInt(steps);
        out.writeDouble(satisfactionSum);
        out.writeInt(purchasesInSession);
        for (float f : fatigue) {
            out.writeFloat(f);
        }
    }

    @Override
    public void loadState(DataInput in) throws IOException {
        if (in.readInt() != STATE_MAGIC || in.readInt() != categories) {
            throw new UserInputException("the saved environment state is not one of an e-commerce environment with "
                    + categories + " categories: resume with the configuration it was saved with");
        }
        rng.restore(in.readLong());
        int u = in.readInt();
        if (u < -1 || u >= spec.users()) {
            throw new UserInputException("the saved e-commerce state names shopper " + u + ", outside [0, "
                    + spec.users() + "): the state is damaged");
        }
        user = u;
        running = in.readBoolean();
        viewsLeft = in.readInt();
        session = in.readInt();
        steps = in.readInt();
        satisfactionSum = in.readDouble();
        purchasesInSession = in.readInt();
        for (int c = 0; c < categories; c++) {
            fatigue[c] = in.readFloat();
        }
    }
}
