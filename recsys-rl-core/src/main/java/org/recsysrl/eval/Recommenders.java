package org.recsysrl.eval;

import org.recsysrl.agent.ActorCritic;
import org.recsysrl.agent.Policy;
import org.recsysrl.env.ActionMasks;
import org.recsysrl.env.Environment;
import org.recsysrl.env.MovieLensWorld;
import org.recsysrl.util.Rng;

/**
 * The recommenders compared on real data, as {@link ItemScorer}s (for the ranking metrics) and as
 * {@link Policy}s (for the environment return): a trained actor (π(·|s), i.e. its log-probabilities),
 * uniform random, most popular by training interactions, and greedy by the factorisation's score.
 */
public final class Recommenders {
    private Recommenders() {
    }

    /** Scores = log π(i | first observation) of the actor (with an empty item history, if it reads one). */
    public static ItemScorer actor(String name, ActorCritic model) {
        ActorCritic.Workspace ws = model.newWorkspace(1);
        int[] emptyHistory = model.historyLength() > 0 ? new int[model.historyLength()] : null;
        if (emptyHistory != null) {
            java.util.Arrays.fill(emptyHistory, -1);
        }
        return new ItemScorer() {
            @Override
            public void score(int envUser, float[] obs, float[] out) {
                model.policy(ws, obs, emptyHistory, 1, null);
                System.arraycopy(ws.logProbs(), 0, out, 0, model.actionCount());
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    /** Independent uniform scores: a uniformly random list. */
    public static ItemScorer random(int itemCount, Rng rng) {
        return new ItemScorer() {
            @Override
            public void score(int envUser, float[] obs, float[] out) {
                for (int i = 0; i < itemCount; i++) {
                    out[i] = (float) rng.nextDouble();
                }
            }

            @Override
            public String name() {
                return "random";
            }
        };
    }

    /** Scores = training interaction counts (the same list for everyone; ties by lower index). */
    public static ItemScorer popularity(int[] counts) {
        return new ItemScorer() {
            @Override
            public void score(int envUser, float[] obs, float[] out) {
                for (int i = 0; i < counts.length; i++) {
                    out[i] = counts[i];
                }
            }

            @Override
            public String name() {
                return "popular";
            }
        };
    }

    /**
     * Scores = the world's rating of each item for the user: the factorisation's prediction (and the
     * real rating for training items, which the ranking masks anyway).
     */
    public static ItemScorer factorisation(MovieLensWorld world) {
        return new ItemScorer() {
            @Override
            public void score(int envUser, float[] obs, float[] out) {
                int dataUser = world.sessionUsers()[envUser];
                for (int i = 0; i < world.itemCount(); i++) {
                    out[i] = world.ratings().rating(dataUser, i);
                }
            }

            @Override
            public String name() {
                return "mf-greedy";
            }
        };
    }

    /**
     * A policy that shows the best-scored allowed item for the environment's current user (bound
     * to {@code env}, batch of one).
     */
    public static Policy greedy(ItemScorer scorer, Environment env) {
        float[] scores = new float[env.actionCount()];
        int n = env.actionCount();
        return new Policy() {
            @Override
            public void act(float[] obs, int batch, int[] actionsOut) {
                act(obs, batch, null, actionsOut);
            }

            @Override
            public void act(float[] obs, int batch, long[] allowed, int[] actionsOut) {
                if (batch != 1) {
                    throw new IllegalArgumentException("a scorer policy acts for one environment");
                }
                scorer.score(env.currentUser(), obs, scores);
                int best = -1;
                for (int i = 0; i < n; i++) {
                    if ((allowed == null || ActionMasks.isAllowed(allowed, 0, i)) && (best < 0 || scores[i] > scores[best])) {
                        best = i;
                    }
                }
                actionsOut[0] = best;
            }

            @Override
            public String name() {
                return scorer.name();
            }
        };
    }
}
