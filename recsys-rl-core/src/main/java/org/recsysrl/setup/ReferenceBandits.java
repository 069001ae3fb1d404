package org.recsysrl.setup;

import java.util.List;
import org.recsysrl.agent.LinearBandit;
import org.recsysrl.agent.Policy;
import org.recsysrl.eval.PlatformComparison;
import org.recsysrl.util.Rng;

/**
 * The contextual bandits every platform's agent is compared with (LinUCB, ε-greedy; one ridge
 * regression of the immediate reward on the observation per item), each warmed up for
 * {@link #WARM_UP} episodes of users drawn from its own stream. A platform's
 * {@link Platform#references} lists them after its own reference policies.
 */
public final class ReferenceBandits {
    /** Episodes a bandit learns for, on users of its own, before it is compared (it keeps learning after). */
    public static final int WARM_UP = 500;
    public static final double RIDGE = 1.0;
    public static final double UCB_ALPHA = 0.5;
    public static final double EPSILON = 0.1;

    private ReferenceBandits() {
    }

    /** The two bandits for the setup's observations and actions, warmed up; {@code seed} drives their randomness. */
    public static List<Policy> of(Setup setup, long seed) {
        int d = setup.observationSize();
        int items = setup.actionCount();
        List<Policy> out = List.of(LinearBandit.linUcb(items, d, RIDGE, UCB_ALPHA),
                LinearBandit.epsilonGreedy(items, d, RIDGE, EPSILON, Rng.stream(seed, 8)));
        for (Policy bandit : out) {
            PlatformComparison.warmUp(bandit, setup.newEnv().apply(seed + 1), WARM_UP, Rng.stream(seed, 9));
        }
        return out;
    }
}
