package org.recsysrl.config;

/**
 * The simulated recommendation environment (the original MDP). Catalog and user population are
 * both derived from {@link #seed()}, so a checkpoint that stores this record rebuilds exactly the
 * items and users it was trained on.
 *
 * @param numItems number of items in the catalog (the action count)
 * @param numUsers number of persistent users; each episode serves one of them
 * @param stateDim observation width; must equal {@code userFeatureDim + itemFeatureDim}
 * @param maxEpisodeSteps time limit of an episode (a truncation, not a terminal state)
 * @param rewardDecay reward at step t is {@code dot(user, item) * rewardDecay^(t-1)}
 * @param userFeatureDim width of a user's interest vector
 * @param itemFeatureDim width of an item embedding; must equal {@code userFeatureDim}
 * @param interestDrift after each step {@code user += interestDrift * item}
 * @param seed the environment seed from which catalog and users are drawn
 * @param type {@code simulator} (the original MDP above), {@code movielens} (sessions over a real
 *     rating log, configured by {@link DataConfig}; only {@code maxEpisodeSteps} applies then) or
 *     {@code logs} (a sequence model trained offline on an interaction log: {@code data.*},
 *     {@code eval.*}, {@code seq.*} and the encoder settings of {@code model.*}) or
 *     {@code short-video} (a platform environment where long-term value is retention,
 *     docs/environments.md; only {@code seed} applies)
 */
public record EnvConfig(
        int numItems,
        int numUsers,
        int stateDim,
        int maxEpisodeSteps,
        double rewardDecay,
        int userFeatureDim,
        int itemFeatureDim,
        double interestDrift,
        long seed,
        String type) {

    /**
     * The platform environments' names, as registered ({@code workload.Platforms}, which supplies
     * them through {@link PlatformNames}); empty when no registry is on the class path.
     */
    public static java.util.List<String> platforms() {
        return Registered.PLATFORMS;
    }

    /** The environment types: the simulator, the two on data, and the platform environments. */
    public static java.util.List<String> types() {
        return Registered.TYPES;
    }

    /** Read on first use (not when the record loads), so that registering a platform may use this record. */
    private static final class Registered {
        static final java.util.List<String> PLATFORMS = java.util.ServiceLoader.load(PlatformNames.class,
                EnvConfig.class.getClassLoader()).stream().flatMap(p -> p.get().names().stream()).toList();
        static final java.util.List<String> TYPES = java.util.stream.Stream.concat(
                java.util.stream.Stream.of("simulator", "movielens", LOGS), PLATFORMS.stream()).toList();
    }

    /** A simulator config (type {@code simulator}). */
    public EnvConfig(int numItems, int numUsers, int stateDim, int maxEpisodeSteps, double rewardDecay,
            int userFeatureDim, int itemFeatureDim, double interestDrift, long seed) {
        this(numItems, numUsers, stateDim, maxEpisodeSteps, rewardDecay, userFeatureDim, itemFeatureDim,
                interestDrift, seed, "simulator");
    }

    /** This config with {@code env.type} replaced. */
    public EnvConfig withType(String newType) {
        return new EnvConfig(numItems, numUsers, stateDim, maxEpisodeSteps, rewardDecay, userFeatureDim,
                itemFeatureDim, interestDrift, seed, newType);
    }

    /** The {@code env.type} of training a sequence model offline on an interaction log. */
    public static final String LOGS = "logs";

    /** Whether a sequence model is trained offline on an interaction log. */
    public boolean logs() {
        return LOGS.equals(type);
    }

    /**
     * Whether this is a platform environment ({@link #platforms()}): its own parameters, seeded by
     * {@code env.seed}; the original simulator's other {@code env.*} settings do not apply.
     */
    public boolean platform() {
        return platforms().contains(type);
    }

    /** Whether sessions come from a real rating log. */
    public boolean ratingLog() {
        return "movielens".equals(type);
    }

    /** The original project's environment, with a fixed environment seed of 0. */
    public static EnvConfig defaults() {
        return new EnvConfig(1000, 100, 64, 20, 0.99, 32, 32, 0.05, 0L);
    }

    void validate() {
        Validation.oneOf("env.type", type, types());
        Validation.atMost("env.num_items", numItems, 1, 1_000_000);
        Validation.atMost("env.num_users", numUsers, 1, 10_000_000);
        Validation.atMost("env.max_episode_steps", maxEpisodeSteps, 1, 100_000);
        Validation.atMost("env.user_feature_dim", userFeatureDim, 1, 4096);
        Validation.atMost("env.item_feature_dim", itemFeatureDim, 1, 4096);
        Validation.inRange("env.reward_decay", rewardDecay, 0.0, false, 1.0, true);
        Validation.inRange("env.interest_drift", interestDrift, 0.0, true, 10.0, true);
        Validation.check(userFeatureDim == itemFeatureDim,
                "env.user_feature_dim (" + userFeatureDim + ") must equal env.item_feature_dim ("
                        + itemFeatureDim + ") because the reward is their dot product: set both to the same value");
        Validation.check(stateDim == userFeatureDim + itemFeatureDim,
                "env.state_dim (" + stateDim + ") must equal env.user_feature_dim + env.item_feature_dim ("
                        + (userFeatureDim + itemFeatureDim) + "): set env.state_dim=" + (userFeatureDim + itemFeatureDim));
    }
}
