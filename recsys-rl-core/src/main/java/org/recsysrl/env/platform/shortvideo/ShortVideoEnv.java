package org.recsysrl.env.platform.shortvideo;

import org.recsysrl.env.platform.SessionEnvironment;
import org.recsysrl.env.platform.StateFields;

/**
 * {@code short-video}: one item at a time; an episode is one user's visits, several sessions long.
 *
 * <p>Per step, for the recommended item i of topic τ: the user watches with
 * {@link ShortVideoResponse#watchProbability} and then watches w = f·length minutes (the reward),
 * or skips (reward 0). The session budget b (B minutes at the start of a session) loses
 * {@code w·(1 − ρ·quality_i) + scrollCost}: quality refunds part of the time it takes, clickbait
 * costs more than it gives. Satiation: every topic's decays by {@code satiationDecay}, the shown
 * one gains {@code satiationGain}. Watching moves the interest in τ by
 * {@code interestDrift·(f − 0.5)}. A session ends when b ≤ 0 or after {@code skipsToLeave}
 * consecutive skips; the user then returns for another one with probability
 * σ(returnSlope·q̄ + returnBias), q̄ the minutes-weighted mean quality watched in the session (−1 if
 * nothing was watched), up to {@code maxSessions}; otherwise the episode terminates. Long-term
 * value is therefore retention: the minutes of every session the user comes back for.
 *
 * <p>Observation: the user's current interests (T), satiation (T), budget left / B, skip streak /
 * skipsToLeave, sessions started / maxSessions, and a constant 1: the true user state, so the
 * myopic oracle and a learned policy see the same thing. Allocation-free stepping; deterministic
 * per seed.
 */
public final class ShortVideoEnv extends SessionEnvironment {
    private static final int STATE_MAGIC = 0x53564944; // "SVID"
    /** The user state snapshots save and copies copy, declared once. */
    private final StateFields state;

    private final ShortVideoCatalog catalog;
    private final ShortVideoSpec spec;
    private final int topics;
    private final float[] interest;
    private final float[] satiation;
    private double budget;
    private int skipStreak;
    private double qualityMinutes;
    private double minutes;
    private final Engagement engagement = new Engagement();

    /** What an episode produced beyond its return, for the engagement figures. */
    public static final class Engagement {
        /** Minutes watched. */
        public double minutes;
        /** Sessions the user started. */
        public int sessions;
        /** Items watched, skipped, liked, and clickbait items shown. */
        public int watched;
        public int skipped;
        public int liked;
        public int clickbaitShown;

        void clear() {
            minutes = 0;
            sessions = 0;
            watched = 0;
            skipped = 0;
            liked = 0;
            clickbaitShown = 0;
        }
    }

    /** An environment over {@code catalog} with its own response stream {@code seed}. */
    public ShortVideoEnv(ShortVideoCatalog catalog, long seed) {
        super(STATE_MAGIC, seed, catalog.spec().users(), catalog.spec().observationSize(), catalog.spec().items(),
                catalog.spec().maxSessions(), catalog.spec().maxSteps());
        this.catalog = catalog;
        this.spec = catalog.spec();
        this.topics = spec.topics();
        this.interest = new float[topics];
        this.satiation = new float[topics];
        this.state = new StateFields()
                .real(() -> budget, v -> budget = v)
                .integer(() -> skipStreak, v -> skipStreak = v)
                .real(() -> qualityMinutes, v -> qualityMinutes = v)
                .real(() -> minutes, v -> minutes = v)
                .floats(interest, satiation);
    }

    public ShortVideoCatalog catalog() {
        return catalog;
    }

    /** The current episode's engagement so far (overwritten by the next reset). */
    public Engagement engagement() {
        return engagement;
    }

    @Override
    protected void startEpisode(int userId) {
        for (int t = 0; t < topics; t++) {
            interest[t] = catalog.interest(userId, t);
        }
        engagement.clear();
    }

    @Override
    protected void startSession() {
        budget = spec.sessionBudget();
        skipStreak = 0;
        qualityMinutes = 0;
        minutes = 0;
        java.util.Arrays.fill(satiation, 0f);
        engagement.sessions++;
    }

    @Override
    protected float respond(int action) {
        int t = catalog.topic(action);
        double theta = interest[t];
        double s = satiation[t];
        double a = catalog.appeal(action);
        double q = catalog.quality(action);
        float reward = 0;
        if (catalog.clickbait(action)) {
            engagement.clickbaitShown++;
        }
        if (rng.nextDouble() < ShortVideoResponse.watchProbability(theta, a, s)) {
            double f = ShortVideoResponse.watchFraction(theta, a, s);
            double w = f * catalog.length(action);
            reward = (float) w;
            budget -= w * (1 - spec.qualityRefund() * q);
            qualityMinutes += q * w;
            minutes += w;
            skipStreak = 0;
            interest[t] = (float) Math.max(-1, Math.min(1, theta + spec.interestDrift() * (f - 0.5)));
            engagement.watched++;
            engagement.minutes += w;
            if (rng.nextDouble() < f * (q + 1) / 2) {
                engagement.liked++;
            }
        } else {
            skipStreak++;
            engagement.skipped++;
        }
        budget -= spec.scrollCost();
        for (int k = 0; k < topics; k++) {
            satiation[k] *= (float) spec.satiationDecay();
        }
        satiation[t] += (float) spec.satiationGain();
        return reward;
    }

    @Override
    protected boolean sessionOver() {
        return budget <= 0 || skipStreak >= spec.skipsToLeave();
    }

    @Override
    protected double returnProbability() {
        double satisfaction = minutes > 0 ? qualityMinutes / minutes : -1;
        return ShortVideoResponse.returnProbability(satisfaction, spec.returnSlope(), spec.returnBias());
    }

    @Override
    protected void observe(float[] obs, int off) {
        System.arraycopy(interest, 0, obs, off, topics);
        System.arraycopy(satiation, 0, obs, off + topics, topics);
        int p = off + 2 * topics;
        obs[p] = (float) (Math.max(0, budget) / spec.sessionBudget());
        obs[p + 1] = (float) skipStreak / spec.skipsToLeave();
        obs[p + 2] = (float) session / spec.maxSessions();
        obs[p + 3] = 1f;
    }

    @Override
    protected StateFields state() {
        return state;
    }

    @Override
    protected void requireSameWorld(SessionEnvironment other) {
        ShortVideoEnv o = (ShortVideoEnv) other;
        if (o.catalog != catalog) {
            throw new IllegalArgumentException("can copy the state of a short-video environment of the same catalogue only");
        }
    }

    @Override
    protected String kind() {
        return "a short-video environment with " + topics + " topics";
    }
}
