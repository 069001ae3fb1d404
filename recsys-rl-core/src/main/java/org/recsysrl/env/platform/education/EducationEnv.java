package org.recsysrl.env.platform.education;

import org.recsysrl.env.platform.SessionEnvironment;
import org.recsysrl.env.platform.StateFields;
import org.recsysrl.util.Rng;

/**
 * {@code education}: an episode is one learner's sessions; each step recommends one exercise.
 *
 * <p>The learner solves it with {@link EducationResponse#solveProbability}; a solved exercise
 * raises the skill's mastery by {@link EducationResponse#gain} and the reward is that gain times
 * the skill's weight (later skills of the chain are worth more, but can only be learnt once their
 * prerequisite is mastered). Patience falls by {@code failureCost} for a failure, by
 * {@code boredomCost} for an exercise solved more than 0.15 below the learner's mastery and by
 * {@code flowCost} otherwise; when it runs out the session ends and the learner comes back with
 * probability σ(4 (solved share − 0.6) + 1), up to {@code maxSessions}. A learner starts with a
 * mastery in [0, 0.3] of the first skill and none of the others.
 *
 * <p>Observation: the mastery of every skill, patience left / initial patience, sessions started /
 * maxSessions, and 1 (the true learner state). Allocation-free stepping; deterministic per seed.
 */
public final class EducationEnv extends SessionEnvironment {
    private static final int STATE_MAGIC = 0x45445543; // "EDUC"
    /** The user state snapshots save and copies copy, declared once. */
    private final StateFields state;

    private final EducationSpec spec;
    private final float[] initialMastery;
    private final float[] mastery;
    private double patience;
    private int sessionSolved;
    private int sessionAttempts;
    private final Engagement engagement = new Engagement();

    /** What an episode produced beyond its return. */
    public static final class Engagement {
        /** Sessions the learner started. */
        public int sessions;
        /** Exercises attempted and solved. */
        public int attempts;
        public int solved;
        /** Mastery gained over all skills, unweighted. */
        public double learningGain;

        void clear() {
            sessions = 0;
            attempts = 0;
            solved = 0;
            learningGain = 0;
        }
    }

    /** The learners of {@code spec}: their starting mastery of the first skill. */
    public static float[] learners(EducationSpec spec) {
        Rng r = Rng.stream(spec.seed(), 1);
        float[] m = new float[spec.learners()];
        for (int u = 0; u < m.length; u++) {
            m[u] = (float) r.uniform(0, 0.3);
        }
        return m;
    }

    /** An environment over the learners {@code initialMastery} with its own response stream {@code seed}. */
    public EducationEnv(EducationSpec spec, float[] initialMastery, long seed) {
        super(STATE_MAGIC, seed, spec.learners(), spec.observationSize(), spec.items(), spec.maxSessions(),
                spec.maxSteps());
        this.spec = spec;
        this.initialMastery = initialMastery;
        this.mastery = new float[spec.skills()];
        this.state = new StateFields()
                .real(() -> patience, v -> patience = v)
                .integer(() -> sessionSolved, v -> sessionSolved = v)
                .integer(() -> sessionAttempts, v -> sessionAttempts = v)
                .floats(mastery);
    }

    public EducationSpec spec() {
        return spec;
    }

    /** The current episode's engagement so far (overwritten by the next reset). */
    public Engagement engagement() {
        return engagement;
    }

    /** Skills whose mastery has reached {@code readyMastery}. */
    public int skillsMastered() {
        int n = 0;
        for (float m : mastery) {
            n += m >= spec.readyMastery() ? 1 : 0;
        }
        return n;
    }

    @Override
    protected void startEpisode(int learner) {
        java.util.Arrays.fill(mastery, 0f);
        mastery[0] = initialMastery[learner];
        engagement.clear();
    }

    @Override
    protected void startSession() {
        patience = spec.patience();
        sessionSolved = 0;
        sessionAttempts = 0;
        engagement.sessions++;
    }

    @Override
    protected float respond(int action) {
        int k = spec.skill(action);
        double d = spec.difficulty(action);
        double m = mastery[k];
        float reward = 0;
        sessionAttempts++;
        engagement.attempts++;
        if (rng.nextDouble() < EducationResponse.solveProbability(m, d)) {
            double r = EducationResponse.readiness(k == 0 ? -1 : mastery[k - 1], spec.readyMastery());
            double g = EducationResponse.gain(m, d, r);
            mastery[k] = (float) Math.min(1, m + g);
            reward = (float) (g * spec.weight(k));
            patience -= d < m - 0.15 ? spec.boredomCost() : spec.flowCost();
            sessionSolved++;
            engagement.solved++;
            engagement.learningGain += g;
        } else {
            patience -= spec.failureCost();
        }
        return reward;
    }

    @Override
    protected boolean sessionOver() {
        return patience <= 0;
    }

    @Override
    protected double returnProbability() {
        double share = (double) sessionSolved / sessionAttempts;
        return 1 / (1 + Math.exp(-(4 * (share - 0.6) + 1)));
    }

    @Override
    protected void observe(float[] obs, int off) {
        System.arraycopy(mastery, 0, obs, off, mastery.length);
        int p = off + mastery.length;
        obs[p] = (float) (Math.max(0, patience) / spec.patience());
        obs[p + 1] = (float) session / spec.maxSessions();
        obs[p + 2] = 1f;
    }

    @Override
    protected StateFields state() {
        return state;
    }

    @Override
    protected void requireSameWorld(SessionEnvironment other) {
        EducationEnv o = (EducationEnv) other;
        if (!o.spec.equals(spec)) {
            throw new IllegalArgumentException("can copy the state of an education environment of the same spec only");
        }
    }

    @Override
    protected String kind() {
        return "an education environment with " + mastery.length + " skills";
    }
}
