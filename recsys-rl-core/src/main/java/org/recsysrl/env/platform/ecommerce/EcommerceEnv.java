package org.recsysrl.env.platform.ecommerce;

import org.recsysrl.env.platform.SessionEnvironment;
import org.recsysrl.env.platform.StateFields;

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
public final class EcommerceEnv extends SessionEnvironment {
    private static final int STATE_MAGIC = 0x45434F4D; // "ECOM"
    /** The user state snapshots save and copies copy, declared once. */
    private final StateFields state;

    private final EcommerceCatalog catalog;
    private final EcommerceSpec spec;
    private final int categories;
    private final float[] fatigue;
    private int viewsLeft;
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

    /** An environment over {@code catalog} with its own response stream {@code seed}. */
    public EcommerceEnv(EcommerceCatalog catalog, long seed) {
        super(STATE_MAGIC, seed, catalog.spec().users(), catalog.spec().observationSize(), catalog.spec().items(),
                catalog.spec().maxSessions(), catalog.spec().maxSteps());
        this.catalog = catalog;
        this.spec = catalog.spec();
        this.categories = spec.categories();
        this.fatigue = new float[categories];
        this.state = new StateFields()
                .integer(() -> viewsLeft, v -> viewsLeft = v)
                .real(() -> satisfactionSum, v -> satisfactionSum = v)
                .integer(() -> purchasesInSession, v -> purchasesInSession = v)
                .floats(fatigue);
    }

    public EcommerceCatalog catalog() {
        return catalog;
    }

    /** The current episode's engagement so far (overwritten by the next reset). */
    public Engagement engagement() {
        return engagement;
    }

    @Override
    protected void startEpisode(int shopper) {
        engagement.clear();
    }

    @Override
    protected void startSession() {
        viewsLeft = spec.views();
        satisfactionSum = 0;
        purchasesInSession = 0;
        java.util.Arrays.fill(fatigue, 0f);
        engagement.sessions++;
    }

    @Override
    protected float respond(int action) {
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
        return reward;
    }

    @Override
    protected boolean sessionOver() {
        return viewsLeft == 0;
    }

    @Override
    protected double returnProbability() {
        double mean = purchasesInSession > 0 ? satisfactionSum / purchasesInSession : spec.noPurchaseSatisfaction();
        return 1 / (1 + Math.exp(-(spec.returnSlope() * mean + spec.returnBias())));
    }

    @Override
    protected void observe(float[] obs, int off) {
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
    protected StateFields state() {
        return state;
    }

    @Override
    protected void requireSameWorld(SessionEnvironment other) {
        EcommerceEnv o = (EcommerceEnv) other;
        if (o.catalog != catalog) {
            throw new IllegalArgumentException("can copy the state of an e-commerce environment of the same catalogue only");
        }
    }

    @Override
    protected String kind() {
        return "an e-commerce environment with " + categories + " categories";
    }
}
