package org.recsysrl.env;

import org.recsysrl.util.UserInputException;

/**
 * Parameters of the simulated recommendation MDP, decoupled from the config package.
 *
 * <p>Each invalid value is reported as a {@link UserInputException} naming the config key it
 * comes from ({@code env.num_items}, {@code env.num_users}, {@code env.user_feature_dim},
 * {@code env.item_feature_dim}, {@code env.max_episode_steps}, {@code env.reward_decay},
 * {@code env.interest_drift}).
 *
 * @param numItems number of items = number of actions, &gt; 0
 * @param numUsers number of persistent users, &gt; 0
 * @param userDim length of a user interest vector, &gt; 0 and equal to {@code itemDim}
 * @param itemDim length of an item embedding, &gt; 0
 * @param maxEpisodeSteps time limit T: the episode is truncated after step T, &gt; 0
 * @param rewardDecay γ_r in {@code r_t = dot(u_{t-1}, e_a) · γ_r^(t-1)}, in (0, 1]
 * @param interestDrift η in {@code u_t = u_{t-1} + η · e_a}, finite and &ge; 0
 *     ({@link #DEFAULT_INTEREST_DRIFT} in the original)
 * @param seed master seed of the catalog (stream 1) and the population (stream 2)
 */
public record SimulatorSpec(
        int numItems,
        int numUsers,
        int userDim,
        int itemDim,
        int maxEpisodeSteps,
        double rewardDecay,
        double interestDrift,
        long seed) {

    /** The original's interest drift η = 0.05 (a constant there, not a config setting). */
    public static final double DEFAULT_INTEREST_DRIFT = 0.05;

    /** Validates every field; see the class documentation. */
    public SimulatorSpec {
        positive("env.num_items", numItems);
        positive("env.num_users", numUsers);
        positive("env.user_feature_dim", userDim);
        positive("env.item_feature_dim", itemDim);
        positive("env.max_episode_steps", maxEpisodeSteps);
        if (userDim != itemDim) {
            throw new UserInputException("env.user_feature_dim (" + userDim
                    + ") must equal env.item_feature_dim (" + itemDim
                    + "): the reward is the dot product of a user vector and an item embedding");
        }
        if (!(rewardDecay > 0.0 && rewardDecay <= 1.0)) {
            throw new UserInputException("env.reward_decay must be in (0, 1], got " + rewardDecay);
        }
        if (!(interestDrift >= 0.0 && Double.isFinite(interestDrift))) {
            throw new UserInputException(
                    "env.interest_drift must be a finite number >= 0, got " + interestDrift);
        }
        if ((long) numItems * itemDim > Integer.MAX_VALUE - 8) {
            throw new UserInputException("env.num_items * env.item_feature_dim = " + numItems + " * "
                    + itemDim + " is too large; reduce one of them");
        }
        if ((long) numUsers * userDim > Integer.MAX_VALUE - 8) {
            throw new UserInputException("env.num_users * env.user_feature_dim = " + numUsers + " * "
                    + userDim + " is too large; reduce one of them");
        }
        if ((long) userDim + itemDim > Integer.MAX_VALUE - 8) {
            throw new UserInputException("env.user_feature_dim + env.item_feature_dim is too large");
        }
    }

    /** Observation width D = userDim + itemDim (user state followed by the last item shown). */
    public int observationSize() {
        return userDim + itemDim;
    }

    private static void positive(String key, int value) {
        if (value <= 0) {
            throw new UserInputException(key + " must be a positive integer, got " + value);
        }
    }
}
