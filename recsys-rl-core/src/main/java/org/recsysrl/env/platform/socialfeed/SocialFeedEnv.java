package org.recsysrl.env.platform.socialfeed;

import org.recsysrl.env.platform.SessionEnvironment;
import org.recsysrl.env.platform.StateFields;

/**
 * {@code social-feed}: one post at a time, chosen in two levels, a content type (friends,
 * creators, news, ads) then a post of it; an episode is one user's visits, several sessions long.
 *
 * <p>Per step, for post i of type c ({@link SocialFeedResponse}): the user engages with
 * probability P(engage) and spends w = f·ℓ minutes on it (reward w), or scrolls past it; an ad also
 * earns the ad revenue, engaged or not. The session budget b (B minutes at the start of a session)
 * loses w + scrollCost, and an ad its length. Annoyance ν keeps annoyanceDecay of itself every post
 * and gains annoyanceGain per ad; fatigue: every type's φ keeps fatigueDecay, the shown type gains
 * fatigueGain; engaging with a friend's post raises the connection κ by connectionGain·f (at most
 * 1). A session ends when b ≤ 0 or after skipsToLeave posts in a row the user did not engage
 * with (an ad scrolled past counts); the user returns with probability
 * σ(returnConnection·κ − returnAnnoyance·ν + returnBias), for at most maxSessions; a new session
 * starts with fresh budget, fatigue and annoyance, and κ multiplied by connectionDecay.
 *
 * <p>Observation: interests (4), fatigue (4), annoyance, connection, budget left / B, skip streak /
 * skipsToLeave, sessions started / maxSessions, and 1: the true user state. Allocation-free
 * stepping; deterministic per seed.
 */
public final class SocialFeedEnv extends SessionEnvironment {
    private static final int STATE_MAGIC = 0x53464544; // "SFED"
    /** The user state snapshots save and copies copy, declared once. */
    private final StateFields state;

    private final SocialFeedCatalog catalog;
    private final SocialFeedSpec spec;
    private final int types;
    private final float[] interest;
    private final float[] fatigue;
    private double annoyance;
    private double connection;
    private double budget;
    private int skipStreak;
    private final Engagement engagement = new Engagement();

    /** What an episode produced beyond its return, for the engagement figures. */
    public static final class Engagement {
        /** Minutes spent on posts. */
        public double minutes;
        /** Revenue from ads. */
        public double revenue;
        /** Sessions the user started. */
        public int sessions;
        /** Posts shown, of them ads, and posts engaged with. */
        public int shown;
        public int ads;
        public int engaged;

        void clear() {
            minutes = 0;
            revenue = 0;
            sessions = 0;
            shown = 0;
            ads = 0;
            engaged = 0;
        }
    }

    /** An environment over {@code catalog} with its own response stream {@code seed}. */
    public SocialFeedEnv(SocialFeedCatalog catalog, long seed) {
        super(STATE_MAGIC, seed, catalog.spec().users(), catalog.spec().observationSize(), catalog.spec().items(),
                catalog.spec().maxSessions(), catalog.spec().maxSteps());
        this.catalog = catalog;
        this.spec = catalog.spec();
        this.types = spec.types();
        this.interest = new float[types];
        this.fatigue = new float[types];
        this.state = new StateFields()
                .real(() -> annoyance, v -> annoyance = v)
                .real(() -> connection, v -> connection = v)
                .real(() -> budget, v -> budget = v)
                .integer(() -> skipStreak, v -> skipStreak = v)
                .floats(interest, fatigue);
    }

    public SocialFeedCatalog catalog() {
        return catalog;
    }

    /** The current episode's engagement so far (overwritten by the next reset). */
    public Engagement engagement() {
        return engagement;
    }

    /** The connection κ now (after an episode: at its end). */
    public double connection() {
        return connection;
    }

    @Override
    protected void startEpisode(int userId) {
        for (int c = 0; c < types; c++) {
            interest[c] = catalog.interest(userId, c);
        }
        connection = catalog.connection(userId);
        engagement.clear();
    }

    @Override
    protected void startSession() {
        budget = spec.sessionBudget();
        skipStreak = 0;
        annoyance = 0;
        java.util.Arrays.fill(fatigue, 0f);
        if (session > 1) {
            connection *= spec.connectionDecay();
        }
        engagement.sessions++;
    }

    @Override
    protected float respond(int action) {
        int c = spec.type(action);
        boolean ad = c == SocialFeedSpec.ADS;
        double theta = interest[c];
        double a = catalog.appeal(action);
        float reward = 0;
        engagement.shown++;
        if (rng.nextDouble() < SocialFeedResponse.engageProbability(theta, a, fatigue[c], annoyance)) {
            double f = SocialFeedResponse.fraction(theta, a, fatigue[c]);
            double w = f * catalog.length(action);
            reward += (float) w;
            budget -= w;
            skipStreak = 0;
            engagement.engaged++;
            engagement.minutes += w;
            if (c == SocialFeedSpec.FRIENDS) {
                connection = Math.min(1, connection + spec.connectionGain() * f);
            }
        } else {
            skipStreak++;
        }
        budget -= spec.scrollCost();
        annoyance *= spec.annoyanceDecay();
        if (ad) {
            reward += (float) spec.adRevenue();
            budget -= catalog.length(action);
            annoyance += spec.annoyanceGain();
            engagement.ads++;
            engagement.revenue += spec.adRevenue();
        }
        for (int k = 0; k < types; k++) {
            fatigue[k] *= (float) spec.fatigueDecay();
        }
        fatigue[c] += (float) spec.fatigueGain();
        return reward;
    }

    @Override
    protected boolean sessionOver() {
        return budget <= 0 || skipStreak >= spec.skipsToLeave();
    }

    @Override
    protected double returnProbability() {
        return SocialFeedResponse.returnProbability(spec, connection, annoyance);
    }

    @Override
    protected void observe(float[] obs, int off) {
        System.arraycopy(interest, 0, obs, off, types);
        System.arraycopy(fatigue, 0, obs, off + types, types);
        int p = off + 2 * types;
        obs[p] = (float) annoyance;
        obs[p + 1] = (float) connection;
        obs[p + 2] = (float) (Math.max(0, budget) / spec.sessionBudget());
        obs[p + 3] = (float) skipStreak / spec.skipsToLeave();
        obs[p + 4] = (float) session / spec.maxSessions();
        obs[p + 5] = 1f;
    }

    @Override
    protected StateFields state() {
        return state;
    }

    @Override
    protected void requireSameWorld(SessionEnvironment other) {
        SocialFeedEnv o = (SocialFeedEnv) other;
        if (o.catalog != catalog) {
            throw new IllegalArgumentException("can copy the state of a social-feed environment of the same posts only");
        }
    }

    @Override
    protected String kind() {
        return "a social-feed environment";
    }
}
