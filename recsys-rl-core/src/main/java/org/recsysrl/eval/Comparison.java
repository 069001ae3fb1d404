package org.recsysrl.eval;

import java.util.ArrayList;
import java.util.List;
import org.recsysrl.agent.Policy;
import org.recsysrl.util.Rng;

/** Evaluates policies on one list of users, so that their returns are comparable. */
public final class Comparison {
    private Comparison() {
    }

    /** {@code episodes} users drawn uniformly (with replacement) from {@code userCount} by {@code rng}. */
    public static int[] drawUsers(int episodes, int userCount, Rng rng) {
        int[] users = new int[episodes];
        for (int i = 0; i < episodes; i++) {
            users[i] = rng.nextInt(userCount);
        }
        return users;
    }

    /** Plays one episode per user with {@code policy} in {@code runner}'s environment. */
    public static List<EpisodeStats> play(EpisodeRunner runner, Policy policy, int[] users) {
        List<EpisodeStats> out = new ArrayList<>(users.length);
        for (int u : users) {
            out.add(runner.run(policy, u));
        }
        return out;
    }
}
