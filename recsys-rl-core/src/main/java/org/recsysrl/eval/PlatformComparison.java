package org.recsysrl.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.recsysrl.agent.Policy;
import org.recsysrl.env.Environment;
import org.recsysrl.util.Rng;

/**
 * Plays the same users with several policies in a platform environment and summarises, per
 * policy, the long-term return and the engagement figures the environment is about. Every policy
 * gets a fresh environment with the same response seed, so the comparison starts from the same
 * users and the same random stream.
 */
public final class PlatformComparison {
    private PlatformComparison() {
    }

    /**
     * One policy's figures, each a mean over the users with its 95 % normal interval.
     *
     * @param policy the policy's name
     * @param episodeReturn the reward's sum over the whole episode
     * @param figures the environment's engagement figures, in the order of its names
     */
    public record Row(String policy, Estimate episodeReturn, List<Estimate> figures) implements java.io.Serializable {
    }

    /** Plays {@code users} with every policy; environments come from {@code newEnv.apply(seed)}. */
    public static List<Row> run(LongFunction<? extends Environment> newEnv, List<Policy> policies, int[] users,
            long seed, EngagementFigures figures) {
        int f = figures.names().size();
        List<Row> rows = new ArrayList<>();
        double[] read = new double[f];
        for (Policy policy : policies) {
            Environment env = newEnv.apply(seed);
            if (policy instanceof BoundPolicy bound) {
                bound.bind(env);
            }
            EpisodeRunner runner = new EpisodeRunner(env);
            double[] returns = new double[users.length];
            double[][] values = new double[f][users.length];
            for (int k = 0; k < users.length; k++) {
                EpisodeStats s = runner.run(policy, users[k]);
                returns[k] = s.total();
                figures.read(env, s, read);
                for (int j = 0; j < f; j++) {
                    values[j][k] = read[j];
                }
            }
            List<Estimate> estimates = new ArrayList<>();
            for (int j = 0; j < f; j++) {
                estimates.add(normal(values[j]));
            }
            rows.add(new Row(policy.name(), normal(returns), estimates));
        }
        return rows;
    }

    /** The evaluation users of {@code seed}: {@code episodes} users drawn from {@code userCount}. */
    public static int[] users(int episodes, int userCount, long seed) {
        return Comparison.drawUsers(episodes, userCount, Rng.stream(seed, 5));
    }

    /**
     * Lets an online policy (a bandit) learn for {@code episodes} episodes of users drawn from
     * {@code rng}, in an environment of its own, before it is compared.
     */
    public static void warmUp(Policy policy, Environment env, int episodes, Rng rng) {
        EpisodeRunner runner = new EpisodeRunner(env);
        for (int e = 0; e < episodes; e++) {
            runner.run(policy, rng.nextInt(env.userCount()));
        }
    }

    /** Mean ± 1.96 standard errors. */
    static Estimate normal(double[] v) {
        return interval(v, 1.96);
    }

    /** Mean ± {@code quantile} standard errors of {@code v} (no interval for a single value). */
    public static Estimate interval(double[] v, double quantile) {
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        double half = v.length > 1 ? quantile * Math.sqrt(ss / (v.length - 1) / v.length) : 0;
        return new Estimate(mean, mean - half, mean + half, v.length);
    }
}
