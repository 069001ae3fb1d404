package org.recsysrl.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.recsysrl.config.RunConfig;
import org.recsysrl.ope.FeedbackJsonl;
import org.recsysrl.ope.sim.Exploration;
import org.recsysrl.ope.sim.ExploringPolicy;
import org.recsysrl.ope.sim.SimItemFeatures;
import org.recsysrl.ope.sim.SimLog;
import org.recsysrl.ope.sim.SimLogger;
import org.recsysrl.ope.sim.SimPolicies;
import org.recsysrl.setup.Setup;
import org.recsysrl.setup.Platform;
import org.recsysrl.workload.Platforms;
import org.recsysrl.util.UserInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code recsys-rl log}: plays episodes of a platform environment under a known stochastic policy
 * and writes them in the logged-feedback format (JSON Lines, docs/ope.md), with the probability of
 * every shown item, for off-policy evaluation.
 */
@Command(name = "log", mixinStandardHelpOptions = true,
        description = "Log episodes of a platform environment under a known stochastic policy (JSON Lines with"
                + " propensities, for off-policy evaluation).")
final class LogCommand implements Callable<Integer> {
    static final int MAX_EPISODES = 50_000;
    /** Catalogues up to this size get the logger's whole distribution on every line with {@code auto}. */
    static final int AUTO_DISTRIBUTION_ITEMS = 100;
    /** The time of the first line: 2024-12-06T00:00:00Z in milliseconds; lines are 1 ms apart. */
    static final long START_MILLIS = 1_733_443_200_000L;

    @Option(names = "--env", required = true, description = "platform environment: ${COMPLETION-CANDIDATES}",
            completionCandidates = PlatformCandidates.class)
    String env;

    @Option(names = "--env-seed", description = "catalogue and users (default: the default env.seed)")
    Long envSeed;

    @Option(names = "--policy", defaultValue = "myopic",
            description = "random, a reference policy of the platform (myopic, popular, budget-aware, ...) or"
                    + " checkpoint:FILE (default: ${DEFAULT-VALUE})")
    String policy;

    @Option(names = "--explore", defaultValue = "epsilon=0.1",
            description = "epsilon=E, softmax:temperature=T (checkpoints) or none (default: ${DEFAULT-VALUE})")
    String explore;

    @Option(names = "--episodes", required = true, description = "episodes to log (1 to " + MAX_EPISODES + ")")
    int episodes;

    @Option(names = "--seed", defaultValue = "0", description = "the log's seed: users, responses, draws"
            + " (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", required = true, description = "the JSON Lines file to write (atomically)")
    Path out;

    @Option(names = "--target", paramLabel = "NAME[@X]", description = "also write this policy's distribution at"
            + " every logged state (field target_probabilities), so that ope --target logged:NAME can evaluate it on"
            + " the log: a reference policy or checkpoint:FILE, with exploration after @ (repeatable; single-item"
            + " environments)")
    List<String> targets = new ArrayList<>();

    @Option(names = "--action-probabilities", defaultValue = "auto",
            description = "write the logger's whole distribution on every line: auto (catalogues of at most "
                    + AUTO_DISTRIBUTION_ITEMS + " items), always or never (default: ${DEFAULT-VALUE})")
    String actionProbabilities;

    @Option(names = "--item-features-out", paramLabel = "FILE", description = "also write the platform's published"
            + " item features (item_id,FEATURE...; written atomically) for ope --item-features FILE (single-item"
            + " environments with named features: short-video, e-commerce, education, long-video, social-feed)")
    Path itemFeaturesOut;

    @Override
    public Integer call() throws IOException {
        if (episodes < 1 || episodes > MAX_EPISODES) {
            throw new UserInputException("--episodes must be in [1, " + MAX_EPISODES + "] (got " + episodes + ")");
        }
        if (!List.of("auto", "always", "never").contains(actionProbabilities)) {
            throw new UserInputException("--action-probabilities " + actionProbabilities + ": use auto, always or never");
        }
        Platform platform = Platforms.get(env);
        long es = envSeed != null ? envSeed : RunConfig.defaults().env().seed();
        Setup setup = platform.setup(es);
        Exploration exploration = Exploration.parse(explore, "--explore");
        SimPolicies policies = new SimPolicies(platform, setup, es, seed);
        ExploringPolicy logger = policies.resolve(policy, exploration, "--policy");
        List<ExploringPolicy> targetPolicies = new ArrayList<>();
        if (!targets.isEmpty() && setup.slateSize() > 1) {
            throw new UserInputException("--target: " + env + " shows slates; target distributions are written for"
                    + " single-item environments only");
        }
        String itemFeatureTable = itemFeatureTable(setup);
        for (String t : targets) {
            int at = t.indexOf('@');
            Exploration e = at < 0 ? Exploration.NONE : Exploration.parse(t.substring(at + 1), "--target " + t + ":");
            targetPolicies.add(policies.resolve(at < 0 ? t : t.substring(0, at), e, "--target"));
        }
        if (!logger.fullSupport()) {
            System.err.println("warning: " + logger.name() + " is deterministic: off-policy estimates of other policies"
                    + " from this log have no support; use --explore epsilon=E");
        }
        long t0 = System.nanoTime();
        boolean dist = actionProbabilities.equals("always")
                || (actionProbabilities.equals("auto") && setup.actionCount() <= AUTO_DISTRIBUTION_ITEMS);
        SimLog log = SimLogger.log(setup, logger, targetPolicies, episodes, 0, seed, dist);
        FeedbackJsonl.write(log.toFeedback(out.toString(), START_MILLIS, dist), out, log.targetFields());
        if (itemFeatureTable != null) {
            OutputFiles.writeString(itemFeaturesOut, itemFeatureTable, "--item-features-out");
            System.out.println("wrote " + itemFeaturesOut + ": the features " + String.join(", ",
                    SimItemFeatures.names(env, setup)) + " of " + setup.actionCount() + " items");
        }
        double mean = 0;
        for (SimLog.Episode e : log.episodes()) {
            for (SimLog.Step s : e.steps()) {
                mean += s.reward();
            }
        }
        System.out.printf(Locale.ROOT, "wrote %s: %d episodes, %d impressions of %s under %s (mean reward %.4f per"
                + " impression, %.1f s)%n", out, log.episodes().size(), log.rounds(), env, logger.name(),
                mean / log.rounds(), (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    /** The CSV of --item-features-out (null without it); refuses, in one line, a platform with none. */
    private String itemFeatureTable(Setup setup) {
        if (itemFeaturesOut == null) {
            return null;
        }
        if (setup.slateSize() > 1) {
            throw new UserInputException("--item-features-out: " + env + " shows slates, and ope's mips and mdr are"
                    + " for single-item logs; drop --item-features-out");
        }
        if (SimItemFeatures.names(env, setup).isEmpty()) {
            throw new UserInputException("--item-features-out: " + env + " publishes no named item features; drop"
                    + " --item-features-out");
        }
        return SimItemFeatures.csv(env, setup);
    }
}
