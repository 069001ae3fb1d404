package org.recsysrl.env.platform.tiny;

import org.recsysrl.env.platform.SessionEnvironment;
import org.recsysrl.env.platform.StateFields;

/**
 * A seventh platform small enough to reason about by hand: {@value #USERS} users, {@value #ITEMS}
 * items; user u likes item u (reward 1) and nothing else (reward 0, and one unit of patience
 * lost). A session ends after {@value #SESSION_STEPS} steps or when patience runs out; users never
 * return. The observation is the user's one-hot id and the patience left.
 */
final class TinyEnv extends SessionEnvironment {
    static final int USERS = 3;
    static final int ITEMS = 4;
    static final int SESSION_STEPS = 3;
    static final int PATIENCE = 2;
    private int patience;
    private int sessionSteps;
    private int liked;
    private final StateFields state = new StateFields()
            .integer(() -> patience, v -> patience = v)
            .integer(() -> sessionSteps, v -> sessionSteps = v)
            .integer(() -> liked, v -> liked = v);

    TinyEnv(long seed) {
        super(0x54494e59, seed, USERS, USERS + 1, ITEMS, 1, 10);
    }

    /** Items the user liked in this episode. */
    int liked() {
        return liked;
    }

    @Override
    protected void startEpisode(int u) {
        liked = 0;
    }

    @Override
    protected void startSession() {
        patience = PATIENCE;
        sessionSteps = 0;
    }

    @Override
    protected float respond(int action) {
        sessionSteps++;
        if (action == user) {
            liked++;
            return 1f;
        }
        patience--;
        return 0f;
    }

    @Override
    protected boolean sessionOver() {
        return patience == 0 || sessionSteps == SESSION_STEPS;
    }

    @Override
    protected double returnProbability() {
        return 0;
    }

    @Override
    protected void observe(float[] obs, int off) {
        for (int u = 0; u < USERS; u++) {
            obs[off + u] = u == user ? 1f : 0f;
        }
        obs[off + USERS] = (float) patience / PATIENCE;
    }

    @Override
    protected StateFields state() {
        return state;
    }

    @Override
    protected String kind() {
        return "the tiny test platform";
    }
}
