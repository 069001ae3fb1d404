package org.recsysrl.env.platform.longvideo;

import org.recsysrl.env.platform.SessionEnvironment;
import org.recsysrl.env.platform.StateFields;

/**
 * {@code long-video}: a few long items per session (an evening); an episode is one user's
 * evenings, up to maxSessions.
 *
 * <p>Per step the user starts the recommended video with P(start) and watches w = f·ℓ minutes of
 * it (the reward; f its completion, {@link LongVideoResponse}), or passes (browseCost minutes, no
 * reward). Fatigue F = minutes watched this session / fatigueScale lowers the completion of what
 * follows, more for longer videos. The session ends when its minutes (watched and browsed) reach
 * sessionMinutes or after skipsToLeave videos in a row not started; the user comes back the next
 * evening with probability σ(returnSlope·(c̄ − returnCenter) + returnBias), c̄ the mean completion
 * of the videos started that evening (0 if none), for at most maxSessions.
 *
 * <p>Observation: interests (G), fatigue, minutes left / sessionMinutes, skip streak /
 * skipsToLeave, mean completion so far this session, sessions started / maxSessions, and 1: the
 * true user state. Allocation-free stepping; deterministic per seed.
 */
public final class LongVideoEnv extends SessionEnvironment {
    private static final int STATE_MAGIC = 0x4C564944; // "LVID"
    /** The user state snapshots save and copies copy, declared once. */
    private final StateFields state;

    private final LongVideoCatalog catalog;
    private final LongVideoSpec spec;
    private final int genres;
    private final float[] interest;
    private double minutesUsed;
    private double watched;
    private double completionSum;
    private int started;
    private int skipStreak;
    private final Engagement engagement = new Engagement();

    /** What an episode produced beyond its return, for the engagement figures. */
    public static final class Engagement {
        /** Sessions the user started. */
        public int sessions;
        /** Videos started, their summed completion, and those finished (completion 1). */
        public int started;
        public double completion;
        public int finished;

        void clear() {
            sessions = 0;
            started = 0;
            completion = 0;
            finished = 0;
        }
    }

    /** An environment over {@code catalog} with its own response stream {@code seed}. */
    public LongVideoEnv(LongVideoCatalog catalog, long seed) {
        super(STATE_MAGIC, seed, catalog.spec().users(), catalog.spec().observationSize(), catalog.spec().items(),
                catalog.spec().maxSessions(), catalog.spec().maxSteps());
        this.catalog = catalog;
        this.spec = catalog.spec();
        this.genres = spec.genres();
        this.interest = new float[genres];
        this.state = new StateFields()
                .real(() -> minutesUsed, v -> minutesUsed = v)
                .real(() -> watched, v -> watched = v)
                .real(() -> completionSum, v -> completionSum = v)
                .integer(() -> started, v -> started = v)
                .integer(() -> skipStreak, v -> skipStreak = v)
                .floats(interest);
    }

    public LongVideoCatalog catalog() {
        return catalog;
    }

    /** The current episode's engagement so far (overwritten by the next reset). */
    public Engagement engagement() {
        return engagement;
    }

    @Override
    protected void startEpisode(int userId) {
        for (int g = 0; g < genres; g++) {
            interest[g] = catalog.interest(userId, g);
        }
        engagement.clear();
    }

    @Override
    protected void startSession() {
        minutesUsed = 0;
        watched = 0;
        completionSum = 0;
        started = 0;
        skipStreak = 0;
        engagement.sessions++;
    }

    private double fatigue() {
        return watched / spec.fatigueScale();
    }

    @Override
    protected float respond(int action) {
        int g = spec.genre(action);
        double theta = interest[g];
        double a = catalog.appeal(action);
        if (rng.nextDouble() < LongVideoResponse.startProbability(theta, a)) {
            double f = LongVideoResponse.completion(spec, theta, a, fatigue(), catalog.length(action));
            double w = f * catalog.length(action);
            minutesUsed += w;
            watched += w;
            completionSum += f;
            started++;
            skipStreak = 0;
            engagement.started++;
            engagement.completion += f;
            if (f >= 1) {
                engagement.finished++;
            }
            return (float) w;
        }
        minutesUsed += spec.browseCost();
        skipStreak++;
        return 0f;
    }

    @Override
    protected boolean sessionOver() {
        return minutesUsed >= spec.sessionMinutes() || skipStreak >= spec.skipsToLeave();
    }

    @Override
    protected double returnProbability() {
        return LongVideoResponse.returnProbability(spec, started == 0 ? 0 : completionSum / started);
    }

    @Override
    protected void observe(float[] obs, int off) {
        System.arraycopy(interest, 0, obs, off, genres);
        int p = off + genres;
        obs[p] = (float) fatigue();
        obs[p + 1] = (float) (Math.max(0, spec.sessionMinutes() - minutesUsed) / spec.sessionMinutes());
        obs[p + 2] = (float) skipStreak / spec.skipsToLeave();
        obs[p + 3] = (float) (started == 0 ? 0 : completionSum / started);
        obs[p + 4] = (float) session / spec.maxSessions();
        obs[p + 5] = 1f;
    }

    @Override
    protected StateFields state() {
        return state;
    }

    @Override
    protected void requireSameWorld(SessionEnvironment other) {
        LongVideoEnv o = (LongVideoEnv) other;
        if (o.catalog != catalog) {
            throw new IllegalArgumentException("can copy the state of a long-video environment of the same videos only");
        }
    }

    @Override
    protected String kind() {
        return "a long-video environment";
    }
}
