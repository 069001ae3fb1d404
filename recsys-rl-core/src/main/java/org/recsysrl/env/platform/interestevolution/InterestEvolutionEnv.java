package org.recsysrl.env.platform.interestevolution;

import org.recsysrl.env.platform.SessionEnvironment;
import org.recsysrl.env.platform.StateFields;

/**
 * {@code interest-evolution}: slates of K documents chosen from N candidates sampled from the corpus
 * at every step (RecSim's interest-evolution environment, Ie et al. 2019, with sessions and
 * returns); an episode is one user's visits, several sessions long.
 *
 * <p>Per step the user takes one document of the slate or none ({@link InterestEvolutionResponse}).
 * Taking document d of topic τ and quality q, the user watches w = f·length minutes (the reward);
 * the session budget b (B minutes at the start of a session) loses {@code w·(1 − ρ·q)}, so quality
 * refunds part of the time it takes and clickbait costs more than it gives; the interest in τ moves
 * by {@code interestDrift·(f − 0.5)}. Every slate also costs {@code stepCost}. A session ends when
 * b ≤ 0 or after {@code noClicksToLeave} slates in a row without a click; the user then returns for
 * another one with probability σ(returnSlope·q̄ + returnBias), q̄ the minutes-weighted mean quality
 * watched in the session (−1 if nothing was watched), up to {@code maxSessions}; otherwise the
 * episode terminates. Then N new candidates are drawn (distinct, uniformly from the corpus).
 *
 * <p>The actions of a step are the candidate slots 0 … N−1. Observation: the user's interests (T),
 * budget left / B, no-click streak / noClicksToLeave, sessions started / maxSessions, a constant 1;
 * then per candidate its topic (one-hot, T) and the user's interest in that topic. Appeal and
 * quality are latent (a topic tells which kind it is). Allocation-free stepping; deterministic per
 * seed.
 */
public final class InterestEvolutionEnv extends SessionEnvironment {
    private static final int STATE_MAGIC = 0x49455643; // "IEVC"
    /** The user state snapshots save and copies copy, declared once. */
    private final StateFields state;

    private final InterestEvolutionCatalog catalog;
    private final InterestEvolutionSpec spec;
    private final int topics;
    private final float[] interest;
    private final int[] candidates;
    private final int[] single = new int[1];
    private double budget;
    private int noClickStreak;
    private double qualityMinutes;
    private double minutes;
    private final Engagement engagement = new Engagement();

    /** What an episode produced beyond its return, for the engagement figures. */
    public static final class Engagement {
        /** Minutes watched. */
        public double minutes;
        /** Sessions the user started. */
        public int sessions;
        /** Slates shown, documents taken, and clickbait documents taken. */
        public int slates;
        public int clicks;
        public int clickbaitClicks;

        void clear() {
            minutes = 0;
            sessions = 0;
            slates = 0;
            clicks = 0;
            clickbaitClicks = 0;
        }
    }

    /** An environment over {@code catalog} with its own stream {@code seed} (candidates and responses). */
    public InterestEvolutionEnv(InterestEvolutionCatalog catalog, long seed) {
        super(STATE_MAGIC, seed, catalog.spec().users(), catalog.spec().observationSize(), catalog.spec().candidates(),
                catalog.spec().slateSize(), catalog.spec().maxSessions(), catalog.spec().maxSteps());
        this.catalog = catalog;
        this.spec = catalog.spec();
        this.topics = spec.topics();
        this.interest = new float[topics];
        this.candidates = new int[spec.candidates()];
        this.state = new StateFields()
                .real(() -> budget, v -> budget = v)
                .integer(() -> noClickStreak, v -> noClickStreak = v)
                .real(() -> qualityMinutes, v -> qualityMinutes = v)
                .real(() -> minutes, v -> minutes = v)
                .floats(interest)
                .ints(candidates, d -> d >= 0 && d < spec.docs(), d -> "the saved state of " + kind() + " names document "
                        + d + ", outside the corpus: the state is damaged");
    }

    public InterestEvolutionCatalog catalog() {
        return catalog;
    }

    /** The current episode's engagement so far (overwritten by the next reset). */
    public Engagement engagement() {
        return engagement;
    }

    /** The corpus document behind candidate slot {@code slot} of the current observation. */
    public int candidate(int slot) {
        return candidates[slot];
    }

    @Override
    protected void startEpisode(int userId) {
        for (int t = 0; t < topics; t++) {
            interest[t] = catalog.interest(userId, t);
        }
        engagement.clear();
        drawCandidates();
    }

    @Override
    protected void startSession() {
        budget = spec.sessionBudget();
        noClickStreak = 0;
        qualityMinutes = 0;
        minutes = 0;
        engagement.sessions++;
    }

    /** A slate of one: the document against not clicking. */
    @Override
    protected float respond(int action) {
        single[0] = action;
        return respondToSlate(single, 0);
    }

    @Override
    protected float respondToSlate(int[] slate, int off) {
        int k = slateSize();
        double total = InterestEvolutionResponse.noClickWeight(spec);
        for (int pos = 0; pos < k; pos++) {
            int d = candidates[slate[off + pos]];
            total += InterestEvolutionResponse.choiceWeight(spec, interest[catalog.topic(d)], catalog.appeal(d), pos);
        }
        // one draw: [0, e^{v0}) is no click, then each position's share in slate order
        double u = rng.nextDouble() * total - InterestEvolutionResponse.noClickWeight(spec);
        choice = -1;
        for (int pos = 0; pos < k && choice < 0 && u >= 0; pos++) {
            int d = candidates[slate[off + pos]];
            u -= InterestEvolutionResponse.choiceWeight(spec, interest[catalog.topic(d)], catalog.appeal(d), pos);
            if (u < 0) {
                choice = pos;
            }
        }
        engagement.slates++;
        float reward = 0;
        if (choice >= 0) {
            int d = candidates[slate[off + choice]];
            int t = catalog.topic(d);
            double q = catalog.quality(d);
            double f = InterestEvolutionResponse.watchFraction(interest[t], q);
            double w = f * spec.docLength();
            reward = (float) w;
            budget -= w * (1 - spec.qualityRefund() * q);
            qualityMinutes += q * w;
            minutes += w;
            noClickStreak = 0;
            interest[t] = (float) Math.max(-1, Math.min(1, interest[t] + spec.interestDrift() * (f - 0.5)));
            engagement.clicks++;
            engagement.minutes += w;
            if (catalog.clickbaitTopic(t)) {
                engagement.clickbaitClicks++;
            }
        } else {
            noClickStreak++;
        }
        budget -= spec.stepCost();
        drawCandidates();
        return reward;
    }

    /** N distinct documents, uniformly from the corpus (rejection of repeats; N is far below the corpus size). */
    private void drawCandidates() {
        int docs = spec.docs();
        for (int s = 0; s < candidates.length; s++) {
            int d;
            boolean repeat;
            do {
                d = rng.nextInt(docs);
                repeat = false;
                for (int m = 0; m < s; m++) {
                    if (candidates[m] == d) {
                        repeat = true;
                        break;
                    }
                }
            } while (repeat);
            candidates[s] = d;
        }
    }

    @Override
    protected boolean sessionOver() {
        return budget <= 0 || noClickStreak >= spec.noClicksToLeave();
    }

    @Override
    protected double returnProbability() {
        double satisfaction = minutes > 0 ? qualityMinutes / minutes : -1;
        return logisticReturn(satisfaction, spec.returnSlope(), spec.returnBias());
    }

    @Override
    protected void observe(float[] obs, int off) {
        System.arraycopy(interest, 0, obs, off, topics);
        int p = off + topics;
        obs[p] = (float) (Math.max(0, budget) / spec.sessionBudget());
        obs[p + 1] = (float) noClickStreak / spec.noClicksToLeave();
        obs[p + 2] = (float) session / spec.maxSessions();
        obs[p + 3] = 1f;
        int width = spec.candidateWidth();
        for (int s = 0; s < candidates.length; s++) {
            int base = off + spec.candidatesOffset() + s * width;
            java.util.Arrays.fill(obs, base, base + width, 0f);
            int t = catalog.topic(candidates[s]);
            obs[base + t] = 1f;
            obs[base + topics] = interest[t];
        }
    }

    @Override
    protected StateFields state() {
        return state;
    }

    @Override
    protected void requireSameWorld(SessionEnvironment other) {
        InterestEvolutionEnv o = (InterestEvolutionEnv) other;
        if (o.catalog != catalog) {
            throw new IllegalArgumentException("can copy the state of an interest-evolution environment of the same"
                    + " corpus only");
        }
    }

    @Override
    protected String kind() {
        return "an interest-evolution environment with " + topics + " topics and slates of " + spec.slateSize()
                + " from " + spec.candidates();
    }
}
