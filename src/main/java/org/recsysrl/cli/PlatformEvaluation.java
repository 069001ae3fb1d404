package org.recsysrl.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.agent.ActorCriticPolicy;
import org.recsysrl.agent.LinearBandit;
import org.recsysrl.agent.Policy;
import org.recsysrl.config.RunConfig;
import org.recsysrl.env.platform.ShortVideoCatalog;
import org.recsysrl.env.platform.ShortVideoEnv;
import org.recsysrl.eval.Comparison;
import org.recsysrl.eval.Evaluation;
import org.recsysrl.eval.PlatformComparison;
import org.recsysrl.eval.ShortVideoReferences;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.train.Experiment;
import org.recsysrl.util.Rng;

/**
 * {@code evaluate} for a checkpoint trained on {@code short-video}: the agent and every reference
 * policy on the same users, with the long-term return (minutes over all sessions), retention and
 * the engagement figures, each as a mean ± 95 % interval over the users; the return is also given
 * relative to the myopic oracle. The bandits (LinUCB, ε-greedy) first learn for
 * {@link #BANDIT_WARM_UP} episodes of other draws of users, then keep learning while compared.
 */
final class PlatformEvaluation {
    /** Episodes a bandit learns for, on users of its own, before it is compared (it keeps learning after). */
    static final int BANDIT_WARM_UP = 500;
    static final double BANDIT_RIDGE = 1.0;
    static final double UCB_ALPHA = 0.5;
    static final double EPSILON = 0.1;

    private PlatformEvaluation() {
    }

    static void run(EvaluateCommand cmd, Checkpoint.Loaded loaded, RunConfig cfg) {
        ShortVideoCatalog catalog = Experiment.shortVideo(cfg.env());
        ActorCritic model = Experiment.newModel(cfg, Experiment.setup(catalog));
        loaded.loadInto(model.parameters());
        List<Policy> policies = new ArrayList<>();
        policies.add(new ActorCriticPolicy(loaded.info().algorithm(), model, !cmd.sample,
                Rng.stream(cmd.seed, Evaluation.AGENT_STREAM), 1));
        policies.add(ShortVideoReferences.random(catalog, Rng.stream(cmd.seed, 7)));
        policies.add(ShortVideoReferences.popular(catalog));
        policies.add(ShortVideoReferences.myopicOracle(catalog));
        policies.add(ShortVideoReferences.budgetAware(catalog));
        int d = catalog.spec().observationSize();
        int items = catalog.spec().items();
        for (Policy bandit : List.<Policy>of(LinearBandit.linUcb(items, d, BANDIT_RIDGE, UCB_ALPHA),
                LinearBandit.epsilonGreedy(items, d, BANDIT_RIDGE, EPSILON, Rng.stream(cmd.seed, 8)))) {
            PlatformComparison.warmUp(bandit, new ShortVideoEnv(catalog, cmd.seed + 1), BANDIT_WARM_UP,
                    Rng.stream(cmd.seed, 9));
            policies.add(bandit);
        }
        int[] users = Comparison.drawUsers(cmd.episodes, catalog.spec().users(), Rng.stream(cmd.seed, 5));
        List<PlatformComparison.Row> rows = PlatformComparison.run(s -> new ShortVideoEnv(catalog, s), policies, users,
                cmd.seed);
        System.out.print(text(loaded, rows, users.length, !cmd.sample));
    }

    static String text(Checkpoint.Loaded loaded, List<PlatformComparison.Row> rows, int users, boolean argmax) {
        double myopic = rows.stream().filter(r -> r.policy().equals("myopic-oracle")).findFirst().orElseThrow()
                .episodeReturn().mean();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "checkpoint %s: %s, %d steps, short-video; %d users, agent %s; mean ± 95%% interval over users%n%n",
                loaded.path(), loaded.info().algorithm(), loaded.info().steps(), users, argmax ? "argmax" : "sampled"));
        sb.append(String.format(Locale.ROOT, "%-14s %-18s %-9s %-15s %-15s %-15s %s%n", "policy", "return (minutes)",
                "vs myopic", "sessions", "likes", "skips", "clickbait share"));
        for (PlatformComparison.Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-14s %-18s %-9s %-15s %-15s %-15s %s%n", r.policy(),
                    pm(r.episodeReturn()), String.format(Locale.ROOT, "%+.1f%%",
                            100 * (r.episodeReturn().mean() / myopic - 1)),
                    pm(r.sessions()), pm(r.likes()), pm(r.skips()), pm(r.clickbaitShare())));
        }
        return sb.toString();
    }

    private static String pm(org.recsysrl.eval.Estimate e) {
        return String.format(Locale.ROOT, "%.2f ±%.2f", e.mean(), e.halfWidth());
    }
}
