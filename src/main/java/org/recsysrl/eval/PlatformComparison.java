package org.recsysrl.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.recsysrl.agent.Policy;
import org.recsysrl.env.platform.ShortVideoEnv;

/**
 * Plays the same users with several policies in {@code short-video} and summarises, per policy, the
 * long-term return and the engagement figures the environment is about. Every policy gets a fresh
 * environment with the same response seed, so the comparison starts from the same users and the
 * same random stream.
 */
public final class PlatformComparison {
    private PlatformComparison() {
    }

    /**
     * One policy's figures, each a mean over the users with its 95 % normal interval.
     *
     * @param policy the policy's name
     * @param episodeReturn minutes watched over the whole episode (the reward's sum)
     * @param sessions sessions per user (retention)
     * @param likes likes per user
     * @param skips skips per user
     * @param clickbaitShare share of the recommendations that were clickbait
     */
    public record Row(String policy, Estimate episodeReturn, Estimate sessions, Estimate likes, Estimate skips,
            Estimate clickbaitShare) {
    }

    /** Plays {@code users} with every policy; environments come from {@code newEnv.apply(seed)}. */
    public static List<Row> run(LongFunction<ShortVideoEnv> newEnv, List<Policy> policies, int[] users, long seed) {
        List<Row> rows = new ArrayList<>();
        for (Policy policy : policies) {
            ShortVideoEnv env = newEnv.apply(seed);
            EpisodeRunner runner = new EpisodeRunner(env);
            double[] returns = new double[users.length];
            double[] sessions = new double[users.length];
            double[] likes = new double[users.length];
            double[] skips = new double[users.length];
            double[] bait = new double[users.length];
            for (int k = 0; k < users.length; k++) {
                EpisodeStats s = runner.run(policy, users[k]);
                ShortVideoEnv.Engagement e = env.engagement();
                returns[k] = s.total();
                sessions[k] = e.sessions;
                likes[k] = e.liked;
                skips[k] = e.skipped;
                bait[k] = (double) e.clickbaitShown / s.length();
            }
            rows.add(new Row(policy.name(), normal(returns), normal(sessions), normal(likes), normal(skips),
                    normal(bait)));
        }
        return rows;
    }

    /**
     * Lets an online policy (a bandit) learn for {@code episodes} episodes of users drawn from
     * {@code rng}, in an environment of its own, before it is compared.
     */
    public static void warmUp(Policy policy, ShortVideoEnv env, int episodes, org.recsysrl.util.Rng rng) {
        EpisodeRunner runner = new EpisodeRunner(env);
        for (int e = 0; e < episodes; e++) {
            runner.run(policy, rng.nextInt(env.userCount()));
        }
    }

    /** Mean ± 1.96 standard errors. */
    static Estimate normal(double[] v) {
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        double half = v.length > 1 ? 1.96 * Math.sqrt(ss / (v.length - 1) / v.length) : 0;
        return new Estimate(mean, mean - half, mean + half, v.length);
    }
}
