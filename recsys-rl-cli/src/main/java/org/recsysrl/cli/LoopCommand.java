package org.recsysrl.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.recsysrl.agent.CandidateBlocks;
import org.recsysrl.config.Presets;
import org.recsysrl.config.RunConfig;
import org.recsysrl.io.AtomicFiles;
import org.recsysrl.learn.DeployGate;
import org.recsysrl.learn.ObservationScorer;
import org.recsysrl.learn.SlatePolicy;
import org.recsysrl.learn.TrajectoryJudge;
import org.recsysrl.learn.OffPolicyTraining;
import org.recsysrl.ope.FeedbackJsonl;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.ope.estimator.Estimator;
import org.recsysrl.ope.estimator.Estimators;
import org.recsysrl.ope.estimator.OpeInput;
import org.recsysrl.ope.evaluation.Estimate;
import org.recsysrl.ope.evaluation.OffPolicyEvaluation;
import org.recsysrl.ope.model.RidgeRewardModel;
import org.recsysrl.ope.policy.Policies;
import org.recsysrl.ope.policy.ScorerPolicy;
import org.recsysrl.ope.policy.TargetPolicy;
import org.recsysrl.ope.sequential.SequentialEstimate;
import org.recsysrl.ope.sim.Exploration;
import org.recsysrl.ope.sim.ExploringPolicy;
import org.recsysrl.ope.sim.GroundTruth;
import org.recsysrl.ope.sim.SimLog;
import org.recsysrl.ope.sim.SimLogger;
import org.recsysrl.ope.sim.SimPolicies;
import org.recsysrl.setup.Platform;
import org.recsysrl.setup.Setup;
import org.recsysrl.util.UserInputException;
import org.recsysrl.workload.Algorithm;
import org.recsysrl.workload.Platforms;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code recsys-rl loop}: the closed loop in a platform environment, in one run. It serves the
 * logging policy in the simulator (every impression with its propensity and the simulator's
 * reward, as {@code log} does), estimates the candidates with the off-policy estimators on a
 * separate held-out log, learns policies from the training log ({@code train --algo banditnet},
 * {@code offpolicy-dr}), estimates them on the held-out log, measures every policy's on-policy value
 * per impression from fresh rollouts, and deploys the best learned policy by replacing the
 * checkpoint file a running {@code serve --checkpoint FILE} watches (hot reload), if its DR estimate
 * beats the deployed one's with 95 % confidence (paired bootstrap) — or, with nothing deployed, the
 * logging policy's on-policy value on the held-out log — and its held-out ESS reaches the floor
 * {@code learn.min_ess} ({@link DeployGate}). On a slate environment ({@code interest-evolution})
 * it learns and judges Plackett–Luce slate policies and deploys the file only ({@code serve} does
 * not serve slate checkpoints).
 */
@Command(name = "loop", mixinStandardHelpOptions = true,
        description = "Close the loop in a platform environment: log impressions under an exploring policy, estimate,"
                + " learn from the log, estimate again, compare with fresh rollouts, deploy by hot reload.")
final class LoopCommand implements Callable<Integer> {
    static final List<String> ESTIMATORS = List.of("ips", "snips", "dr");
    /** The one-step estimators on slates: independent IPS, whole-slate IPS and the slate DR (the judged one). */
    static final List<String> SLATE_ESTIMATORS = List.of("iips", "sips", "sdr");
    /** The learners without --algo on slates: the one-step slate learners ({@code offpolicy-fqi} reads single items). */
    static final List<String> SLATE_LEARNERS = List.of("banditnet", "offpolicy-dr");

    @Option(names = "--env", required = true, description = "platform environment: short-video, education,"
            + " e-commerce, social-feed, long-video, or interest-evolution (slates)")
    String env;

    @Option(names = "--env-seed", description = "catalogue and users (default: the default env.seed)")
    Long envSeed;

    @Option(names = "--policy", defaultValue = "popular", description = "the logging policy: random, a reference policy"
            + " of the platform or checkpoint:FILE (default: ${DEFAULT-VALUE})")
    String policy;

    @Option(names = "--explore", defaultValue = "epsilon=0.3", description = "the logging policy's exploration"
            + " (default: ${DEFAULT-VALUE})")
    String explore;

    @Option(names = "--impressions", defaultValue = "100000", description = "impressions to learn from, at least"
            + " (whole episodes; default: ${DEFAULT-VALUE})")
    int impressions;

    @Option(names = "--held-out", defaultValue = "50000", description = "impressions of a second log, never learnt"
            + " from, on which every policy is estimated (default: ${DEFAULT-VALUE})")
    int heldOut;

    @Option(names = "--algo", split = ",", description = "the learners (default: banditnet,offpolicy-dr,offpolicy-fqi;"
            + " on slates banditnet,offpolicy-dr)")
    List<String> algos;

    @Option(names = "--gamma", defaultValue = "0.9", description = "the discount of the multi-step estimates, of the"
            + " on-policy discounted returns and of offpolicy-fqi's objective (default: ${DEFAULT-VALUE})")
    double gamma;

    @Option(names = "--judge", defaultValue = "multi-step", description = "the estimate that picks the best learned"
            + " policy and gates its deploy: multi-step (trajectory DR of the discounted return) or one-step (DR of"
            + " the immediate reward) (default: ${DEFAULT-VALUE})")
    String judge;

    @Option(names = "--out", required = true, description = "directory for the logs, checkpoints and loop.json")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "the run's seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--rollout-episodes", defaultValue = "5000", description = "fresh episodes per policy for the"
            + " on-policy values (default: ${DEFAULT-VALUE})")
    int rolloutEpisodes;

    @Option(names = "--truth-states", defaultValue = "20000", description = "logger states at which each learned"
            + " policy's expected immediate reward is measured: the quantity the one-step estimates aim at"
            + " (default: ${DEFAULT-VALUE})")
    int truthStates;

    @Option(names = "--bootstrap", defaultValue = "500", description = "bootstrap replicates of the intervals"
            + " (default: ${DEFAULT-VALUE})")
    int bootstrap;

    @Option(names = "--deploy", description = "the checkpoint file a running `serve --checkpoint FILE` watches: the best"
            + " learned policy replaces it (atomically) when its DR estimate beats the deployed one's (paired 95 %%"
            + " interval above 0)")
    Path deploy;

    @Option(names = "--serve-url", description = "with --deploy: the server's base URL (e.g. http://127.0.0.1:8080);"
            + " wait until its /health/ready reports the deployed checkpoint")
    String serveUrl;

    @Option(names = "--deploy-timeout", defaultValue = "60", description = "seconds to wait for the hot reload"
            + " (default: ${DEFAULT-VALUE})")
    int deployTimeout;

    @Option(names = "--set", paramLabel = "learn.KEY=VALUE", description = "a learner setting (repeatable): "
            + "learn.lambdas (banditnet), learn.gamma, learn.iterations, learn.step, learn.logger_mix, learn.select, learn.min_ess"
            + " (offpolicy-fqi), learn.epochs,"
            + " learn.patience, learn.batch_size, learn.lr, learn.held_out, learn.ridge; learn.min_ess=S is also the"
            + " deploy floor: no learned policy whose held-out ESS is below S x the held-out units is deployed")
    List<String> sets = new ArrayList<>();

    @Option(names = "--overwrite", description = "replace an earlier run in --out")
    boolean overwrite;

    /** Whether the environment shows slates (set by {@link #call}). */
    private boolean slates;

    /**
     * A policy's row of the report: one-step figures (on-policy value per impression, value at the
     * logger's states, one-step estimates) and multi-step ones (on-policy discounted return, its
     * multi-step estimates).
     */
    record PolicyFigures(String name, GroundTruth.Value onPolicy, GroundTruth.Value onLoggerStates,
            List<Estimate> estimates, GroundTruth.Value discounted, TrajectoryJudge.Judged multiStep) {
        /** The DR estimate the loop judges by: multi-step, or the one-step estimate {@code oneStep}. */
        double judged(boolean multiStep, String oneStep) {
            return multiStep ? this.multiStep.estimate("dr").value() : estimate(oneStep).value();
        }

        Estimate estimate(String estimator) {
            for (Estimate e : estimates) {
                if (e.estimator().equals(estimator)) {
                    return e;
                }
            }
            return null;
        }
    }

    @Override
    public Integer call() throws Exception {
        checkedOptions();
        Platform platform = Platforms.get(env);
        long es = envSeed != null ? envSeed : RunConfig.defaults().env().seed();
        Setup setup = platform.setup(es);
        slates = setup.slateSize() > 1;
        List<Algorithm> learners = learners();
        Path report = newReportFile();
        ExploringPolicy logger = loggingPolicy(platform, setup, es);
        long t0 = System.nanoTime();
        // 1. serve the logging policy (simulated) and log its impressions with the simulator's rewards
        Path trainLog = out.resolve("train.jsonl");
        LoggedFeedback held = logImpressions(setup, logger, trainLog, out.resolve("held-out.jsonl"));

        // 2. estimate the candidates before learning: the deployed policy (if any) and the uniform one
        step(2, "estimating the candidates on the held-out log (%d impressions)", held.rows());
        TargetPolicy deployedPolicy = deployedPolicy(held, es);
        List<TargetPolicy> before = withDeployed(deployedPolicy);
        before.add(0, slates ? SlatePolicy.uniform("uniform", setup.actionCount(), setup.slateSize(), held)
                : Policies.uniform(held, "uniform"));
        OffPolicyEvaluation.Report beforeReport = evaluate(held, before);
        printEstimates(beforeReport);
        TrajectoryJudge trajectories = trajectoryJudge(setup, held);
        TrajectoryJudge.Judged deployedJudged = deployedPolicy == null ? null : judged(trajectories, deployedPolicy);

        // 3. learn from the training log
        List<Path> learned = learn(learners, es, trainLog);

        // 4. estimate the learned policies (softmax at temperature 1: the policy as trained)
        LearnedEstimates estimated = estimateLearned(learners, learned, held, deployedPolicy, trajectories);
        OffPolicyEvaluation.Report afterReport = estimated.oneStep();
        int firstLearned = estimated.firstLearned();
        List<TrajectoryJudge.Judged> multiStep = estimated.multiStep();

        // 5. the truth: every policy's on-policy value per impression and discounted return from fresh rollouts
        step(5, "on-policy values per impression and discounted returns from %d fresh episodes each; the learned"
                + " policies' expected reward at %d states of fresh logger episodes", rolloutEpisodes, truthStates);
        SimPolicies policies = new SimPolicies(platform, setup, es, seed);
        long rolloutSeed = seed * 2 + 3;
        ExploringPolicy loggerAgain = policies.resolve(policy, Exploration.parse(explore, "--explore"), "--policy");
        GroundTruth.Value loggerValue = GroundTruth.perImpression(setup, loggerAgain, rolloutEpisodes, rolloutSeed);
        GroundTruth.Value loggerReturn = GroundTruth.onPolicy(setup, loggerAgain, gamma, rolloutEpisodes, rolloutSeed);
        List<PolicyFigures> figures = truth(setup, policies, learners, learned, afterReport, firstLearned, rolloutSeed,
                multiStep);
        printTable(logger.name(), loggerValue, beforeReport.onPolicy(), figures, oneStepEstimators());
        SequentialEstimate loggerHeldOut = trajectories.onPolicy(bootstrap, seed);
        printMultiStepTable(logger.name(), loggerReturn, loggerHeldOut, figures);

        // 6. the gate: the best learned policy above the ESS floor, if its paired gain over the deployed policy (or,
        // with none deployed, over the logger's on-policy value) has a 95 % interval above 0
        Gate gate = gate(figures, learned, trajectories, deployedJudged, afterReport);
        writeReport(report, logger.name(), new Truths(loggerValue, loggerReturn, loggerHeldOut), beforeReport,
                figures, gate);
        System.out.printf(Locale.ROOT, "wrote %s (%.1f s)%n", report, (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    /** Step 6's outcome: the gate's statistic (null when no learned policy reached the floor), its decision, the SHA-256 written. */
    record Gate(DeployGate.Gain gain, DeployGate.Decision decision, String deployedSha) {
    }

    /** Step 6: the ESS floor, the best candidate, its paired gain over the deployed policy (or the logger), the deploy. */
    private Gate gate(List<PolicyFigures> figures, List<Path> learned, TrajectoryJudge trajectories,
            TrajectoryJudge.Judged deployedJudged, OffPolicyEvaluation.Report afterReport)
            throws IOException, InterruptedException {
        double floorShare = minEssShare();
        List<DeployGate.Candidate> candidates = candidates(figures);
        int best = DeployGate.best(candidates, floorShare);
        DeployGate.Gain gain = best < 0 ? null : deployedJudged != null
                ? gainOver(trajectories, deployedJudged, afterReport, figures.get(best))
                : gainOverLogger(trajectories, afterReport, figures.get(best));
        DeployGate.Decision decision = best < 0 ? DeployGate.noneAboveFloor(candidates, floorShare)
                : DeployGate.decide(candidates.get(best), gain);
        String deployed = deployIfBetter(decision, best < 0 ? null : figures.get(best),
                best < 0 ? null : learned.get(best), gain);
        return new Gate(gain, decision, deployed);
    }

    /** Step 4's estimates: one-step (the learned policies from {@code firstLearned} on) and multi-step. */
    record LearnedEstimates(OffPolicyEvaluation.Report oneStep, int firstLearned, List<TrajectoryJudge.Judged> multiStep) {
    }

    /** Step 4: every learned policy estimated on the held-out log, one-step (beside the deployed one) and multi-step. */
    private LearnedEstimates estimateLearned(List<Algorithm> learners, List<Path> learned, LoggedFeedback held,
            TargetPolicy deployedPolicy, TrajectoryJudge trajectories) {
        step(4, "estimating the learned policies on the held-out log, one-step and multi-step (γ = %s)%s", gamma,
                deployedPolicy == null ? "" : ", each against the deployed one on the same resamples");
        List<TargetPolicy> after = withDeployed(deployedPolicy);
        int firstLearned = after.size();
        List<TrajectoryJudge.Judged> multiStep = new ArrayList<>();
        for (int i = 0; i < learned.size(); i++) {
            TargetPolicy target = slates ? SlatePolicy.forCheckpoint(learners.get(i).id(), learned.get(i), held,
                    "checkpoint " + learned.get(i)) : new ScorerPolicy(learners.get(i).id(),
                    ObservationScorer.forCheckpoint(learned.get(i), held, "checkpoint " + learned.get(i)), 1);
            after.add(target);
            multiStep.add(judged(trajectories, target));
        }
        OffPolicyEvaluation.Report afterReport = evaluate(held, after);
        printEstimates(afterReport);
        return new LearnedEstimates(afterReport, firstLearned, multiStep);
    }

    /** The logger's on-policy value per impression and discounted return, and its held-out discounted return. */
    record Truths(GroundTruth.Value perImpression, GroundTruth.Value discounted, SequentialEstimate heldOutReturn) {
    }

    private boolean multiStepJudge() {
        return judge.equals("multi-step");
    }

    private TrajectoryJudge.Judged judged(TrajectoryJudge trajectories, TargetPolicy target) {
        TrajectoryJudge.Judged j = trajectories.judge(target, bootstrap, seed);
        StringBuilder sb = new StringBuilder("    " + target.name() + " (multi-step, γ = " + gamma + "):");
        for (SequentialEstimate e : j.estimates()) {
            sb.append(String.format(Locale.ROOT, " %s %.4f [%.4f, %.4f]", e.estimator().toUpperCase(Locale.ROOT),
                    e.value(), e.low(), e.high()));
        }
        sb.append(String.format(Locale.ROOT, " (ESS %.1f of %d trajectories)",
                j.estimates().get(0).effectiveSampleSize(), j.estimates().get(0).trajectories()));
        System.out.println(sb);
        return j;
    }

    /** {@code best}'s gain over the deployed policy by the judged DR, on paired resamples. */
    private DeployGate.Gain gainOver(TrajectoryJudge trajectories, TrajectoryJudge.Judged deployedJudged,
            OffPolicyEvaluation.Report afterReport, PolicyFigures best) {
        if (multiStepJudge()) {
            TrajectoryJudge.Difference d = trajectories.difference(TrajectoryJudge.estimator("dr"), deployedJudged,
                    best.multiStep(), bootstrap, seed + 7);
            return new DeployGate.Gain("multi-step DR", "deployed", best.name(), d.value(), d.low(), d.high());
        }
        OffPolicyEvaluation.Comparison c = drGainOver(afterReport, best.name());
        return new DeployGate.Gain(slates ? "SDR" : "DR", "deployed", best.name(), c.difference(), c.low(), c.high());
    }

    /**
     * {@code best}'s gain over the logging policy when nothing is deployed: its judged DR minus the
     * logger's on-policy value on the held-out log (mean discounted return of the trajectories, or mean
     * reward per impression), on the same resampled trajectories or rows.
     */
    private DeployGate.Gain gainOverLogger(TrajectoryJudge trajectories, OffPolicyEvaluation.Report afterReport,
            PolicyFigures best) {
        if (multiStepJudge()) {
            TrajectoryJudge.Difference d = trajectories.gainOverLogger(TrajectoryJudge.estimator("dr"), best.multiStep(),
                    bootstrap, seed + 7);
            return new DeployGate.Gain("multi-step DR", TrajectoryJudge.LOGGER, best.name(), d.value(), d.low(),
                    d.high());
        }
        OffPolicyEvaluation.Comparison c = afterReport.overOnPolicy(oneStepDr(), best.name());
        return new DeployGate.Gain(slates ? "SDR" : "DR", TrajectoryJudge.LOGGER, best.name(), c.difference(), c.low(),
                c.high());
    }

    /** The learned policies as the gate sees them: the judged estimate and the ESS of its weights. */
    private List<DeployGate.Candidate> candidates(List<PolicyFigures> figures) {
        List<DeployGate.Candidate> out = new ArrayList<>();
        for (PolicyFigures f : figures) {
            if (multiStepJudge()) {
                SequentialEstimate dr = f.multiStep().estimate("dr");
                out.add(new DeployGate.Candidate(f.name(), dr.value(), dr.effectiveSampleSize(), dr.trajectories()));
            } else {
                Estimate dr = f.estimate(oneStepDr());
                out.add(new DeployGate.Candidate(f.name(), dr.value(), dr.ess(), dr.units()));
            }
        }
        return out;
    }

    /** The ESS floor's share: the last {@code --set learn.min_ess=S} (0 without). */
    private double minEssShare() {
        double share = 0;
        for (String s : sets) {
            if (s.startsWith(OffPolicySettings.PREFIX + "min_ess=")) {
                String v = s.substring(s.indexOf('=') + 1).trim();
                try {
                    share = Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw new UserInputException("--set " + s + ": '" + v + "' is not a number");
                }
            }
        }
        DeployGate.floor(share, 0);
        return share;
    }

    /** The one-step DR the loop judges by: {@code dr}, or on slates the slate DR {@code sdr}. */
    private String oneStepDr() {
        return slates ? "sdr" : "dr";
    }

    /** The one-step estimators: IPS, SNIPS, DR, or on slates IIPS, whole-slate IPS and the slate DR. */
    private List<String> oneStepEstimators() {
        return slates ? SLATE_ESTIMATORS : ESTIMATORS;
    }

    /** {@code --out}/loop.json, refused when --out holds a loop run already (without --overwrite). */
    private Path newReportFile() throws IOException {
        Path report = out.resolve("loop.json");
        if (Files.exists(report) && !overwrite) {
            throw new UserInputException("--out " + out + " already holds a loop run (loop.json): replace it with"
                    + " --overwrite, or give another --out");
        }
        Files.createDirectories(out);
        return report;
    }

    /**
     * The multi-step judge of the held-out log: single items, or on slates whole-slate ratios with the
     * slate value model on the observation's candidate blocks and a quadratic state (as
     * {@code ope-validate} models interest-evolution).
     */
    private TrajectoryJudge trajectoryJudge(Setup setup, LoggedFeedback held) {
        if (!slates) {
            return new TrajectoryJudge(held, gamma, 1, 2);
        }
        CandidateBlocks blocks = setup.candidates();
        return TrajectoryJudge.slates(held, gamma, 1, 2, blocks == null ? -1 : blocks.offset(),
                blocks == null ? 0 : blocks.width(), true);
    }

    /** Step 1: logs the training and held-out impressions; the held-out log, read back. */
    private LoggedFeedback logImpressions(Setup setup, ExploringPolicy logger, Path trainLog, Path heldOutLog)
            throws IOException {
        step(1, "logging %d impressions under %s for learning and %d held out", impressions, logger.name(), heldOut);
        writeLog(setup, logger, impressions, seed * 2 + 1, trainLog);
        writeLog(setup, logger, heldOut, seed * 2 + 2, heldOutLog);
        // every action is in the log's vocabulary, so that a target's mass on an action the held-out log never
        // shows is not renormalised onto the others
        return FeedbackJsonl.read(heldOutLog, OffPolicyTraining.actionIds(setup.actionCount()));
    }

    /** A new target list holding the deployed policy when there is one. */
    private static List<TargetPolicy> withDeployed(TargetPolicy deployedPolicy) {
        List<TargetPolicy> targets = new ArrayList<>();
        if (deployedPolicy != null) {
            targets.add(deployedPolicy);
        }
        return targets;
    }

    /** Checks every numeric option, --judge, --serve-url and --set. */
    private void checkedOptions() {
        requireIn("--impressions", impressions, 100, 5_000_000);
        requireIn("--held-out", heldOut, 100, 5_000_000);
        requireIn("--rollout-episodes", rolloutEpisodes, 2, 1_000_000);
        requireIn("--bootstrap", bootstrap, 10, 100_000);
        requireIn("--truth-states", truthStates, 2, 10_000_000);
        requireIn("--deploy-timeout", deployTimeout, 1, 3600);
        if (!(gamma >= 0 && gamma < 1)) {
            throw new UserInputException("--gamma must be in [0, 1) (got " + gamma + ")");
        }
        if (!judge.equals("multi-step") && !judge.equals("one-step")) {
            throw new UserInputException("--judge " + judge + ": use multi-step or one-step");
        }
        if (serveUrl != null && deploy == null) {
            throw new UserInputException("--serve-url needs --deploy FILE: the checkpoint file the server watches");
        }
        for (String s : sets) {
            if (!s.startsWith(OffPolicySettings.PREFIX)) {
                throw new UserInputException("--set " + s + ": loop takes the learner's settings only ("
                        + OffPolicySettings.PREFIX + "KEY=VALUE)");
            }
        }
        minEssShare();
    }

    /**
     * The learners --algo names (by default every one the environment takes), refused in one line when
     * unknown; on slates --serve-url is refused too.
     */
    private List<Algorithm> learners() {
        if (slates && serveUrl != null) {
            throw new UserInputException("--serve-url: " + env + " checkpoints cannot be served (their actions are slots"
                    + " of candidates the simulator draws each step); drop --serve-url: --deploy FILE is still written");
        }
        List<String> names = algos != null ? algos : slates ? SLATE_LEARNERS
                : List.of("banditnet", "offpolicy-dr", "offpolicy-fqi");
        List<Algorithm> learners = new ArrayList<>();
        for (String a : names) {
            Algorithm algorithm = Algorithm.find(a.trim());
            if (algorithm == null || algorithm.family() != Algorithm.Family.LOGGED_BANDIT) {
                throw new UserInputException("--algo " + a + ": use banditnet, offpolicy-dr, offpolicy-fqi or several (comma-separated)");
            }
            if (slates && algorithm == Algorithm.OFFPOLICY_FQI) {
                throw new UserInputException("--algo " + a + " learns from single-item trajectories; --env " + env
                        + " shows slates: use --algo banditnet,offpolicy-dr");
            }
            learners.add(algorithm);
        }
        return learners;
    }

    /** The exploring logging policy --policy and --explore name, refused in one line when it does not explore. */
    private ExploringPolicy loggingPolicy(Platform platform, Setup setup, long envSeed) {
        ExploringPolicy logger = new SimPolicies(platform, setup, envSeed, seed).resolve(policy,
                Exploration.parse(explore, "--explore"), "--policy");
        if (!logger.fullSupport()) {
            throw new UserInputException("--explore " + explore + ": the logging policy must explore (epsilon=E with E > 0"
                    + " or a softmax) so that other policies have support");
        }
        return logger;
    }

    /**
     * The policy in the --deploy file at the held-out log's observations (its softmax, or on slates its
     * Plackett-Luce slates); null when there is none yet.
     */
    private TargetPolicy deployedPolicy(LoggedFeedback held, long envSeed) {
        if (deploy == null || !Files.exists(deploy)) {
            return null;
        }
        TargetPolicy deployed = slates ? SlatePolicy.forCheckpoint("deployed", deploy, held, "--deploy " + deploy) : null;
        ObservationScorer scorer = slates ? null : ObservationScorer.forCheckpoint(deploy, held, "--deploy " + deploy);
        if (deployed == null && scorer == null) {
            throw new UserInputException("--deploy " + deploy + " is not a policy of " + env + " (env seed " + envSeed
                    + "): give the checkpoint file the server of this environment watches");
        }
        return deployed != null ? deployed : new ScorerPolicy("deployed", scorer, 1);
    }

    /** Step 3: trains each learner on {@code trainLog}; their checkpoints in order. */
    private List<Path> learn(List<Algorithm> learners, long envSeed, Path trainLog) throws IOException {
        RunConfig cfg = Platforms.withSettings(Presets.get("default"), List.of("env.type=" + env, "env.seed=" + envSeed,
                "train.seed=" + seed, "train.checkpoint_dir=" + out.resolve("checkpoints")), s -> { });
        List<Path> learned = new ArrayList<>();
        for (Algorithm a : learners) {
            step(3, "learning %s from %s", a.id(), trainLog);
            List<String> learnSets = OffPolicySettings.forLearner(a, sets);
            if (a == Algorithm.OFFPOLICY_FQI && sets.stream().noneMatch(x -> x.startsWith("learn.gamma="))) {
                learnSets.add("learn.gamma=" + gamma);
            }
            OffPolicyTraining.Outcome outcome = OffPolicySettings.train(cfg, a, learnSets, seed, trainLog,
                    line -> System.out.println("    " + line));
            learned.add(outcome.checkpoint());
        }
        return learned;
    }

    /** Step 5 for the learned policies: on-policy values, values at the logger's states, and their estimates. */
    private List<PolicyFigures> truth(Setup setup, SimPolicies policies, List<Algorithm> learners, List<Path> learned,
            OffPolicyEvaluation.Report afterReport, int firstLearned, long rolloutSeed,
            List<TrajectoryJudge.Judged> multiStep) {
        List<PolicyFigures> figures = new ArrayList<>();
        Exploration asTrained = slates ? Exploration.PLACKETT_LUCE : Exploration.parse("softmax:temperature=1", "--explore");
        for (int i = 0; i < learned.size(); i++) {
            ExploringPolicy target = policies.resolve("checkpoint:" + learned.get(i), asTrained, "--algo");
            GroundTruth.Value v = GroundTruth.perImpression(setup, target, rolloutEpisodes, rolloutSeed);
            ExploringPolicy logger = policies.resolve(policy, Exploration.parse(explore, "--explore"), "--policy");
            GroundTruth.Value atLogger = slates ? GroundTruth.oneStepSlate(setup, logger, target, truthStates,
                    rolloutSeed + 1) : GroundTruth.oneStep(setup, logger, target, truthStates, rolloutSeed + 1);
            GroundTruth.Value discounted = GroundTruth.onPolicy(setup, target, gamma, rolloutEpisodes, rolloutSeed);
            figures.add(new PolicyFigures(learners.get(i).id(), v, atLogger,
                    afterReport.estimates().get(firstLearned + i), discounted, multiStep.get(i)));
        }
        return figures;
    }

    /** The paired comparison of {@code learnedName}'s one-step DR (slates: SDR) against the deployed policy's, or null. */
    private OffPolicyEvaluation.Comparison drGainOver(OffPolicyEvaluation.Report afterReport, String learnedName) {
        OffPolicyEvaluation.Comparison gain = null;
        for (OffPolicyEvaluation.Comparison c : afterReport.comparisons()) {
            if (c.estimator().equals(oneStepDr()) && c.second().equals(learnedName)) {
                gain = c;
            }
        }
        return gain;
    }

    /**
     * Step 6: deploys {@code checkpoint} (the best learned policy's, null when none passed the ESS floor)
     * when the gate says so and --deploy is given; its SHA-256, or null when nothing was deployed.
     */
    private String deployIfBetter(DeployGate.Decision decision, PolicyFigures best, Path checkpoint,
            DeployGate.Gain gain) throws IOException, InterruptedException {
        step(6, deploy == null ? "the deploy gate (no --deploy FILE: nothing is written)" : "deploying");
        if (!decision.deploy()) {
            System.out.printf(Locale.ROOT, "    %s: %s%n", gain != null && gain.baseline().equals("deployed")
                    ? "kept the deployed policy" : "deployed nothing", decision.reason());
            return null;
        }
        if (deploy == null) {
            System.out.printf(Locale.ROOT, "    would deploy %s: %s%n", best.name(), decision.reason());
            return null;
        }
        String deployed = deployCheckpoint(checkpoint);
        System.out.printf(Locale.ROOT, "    deployed %s (%s %.5f; %s) to %s, sha256 %s%n", best.name(), gain.estimate(),
                best.judged(multiStepJudge(), oneStepDr()), decision.reason(), deploy, deployed);
        if (serveUrl != null) {
            double waited = awaitReload(deployed);
            System.out.printf(Locale.ROOT, "    %s serves it (hot reload after %.1f s)%n", serveUrl, waited);
        } else if (slates) {
            System.out.printf(Locale.ROOT, "    (the file only: `serve` cannot serve %s checkpoints, whose actions are"
                    + " slots of candidates drawn each step; `evaluate --sample` and the next loop's --deploy read it)%n",
                    env);
        }
        return deployed;
    }

    private static void step(int n, String format, Object... args) {
        System.out.printf(Locale.ROOT, "%d/6 " + format + "%n", prepend(n, args));
    }

    private static Object[] prepend(int n, Object[] args) {
        Object[] all = new Object[args.length + 1];
        all[0] = n;
        System.arraycopy(args, 0, all, 1, args.length);
        return all;
    }

    private static void writeLog(Setup setup, ExploringPolicy logger, int rounds, long logSeed, Path file)
            throws IOException {
        // without the logger's whole distribution per line (log --action-probabilities never): the learner and
        // the estimators need the shown item's propensity only, and the files stay small
        SimLog log = SimLogger.log(setup, logger, List.of(), 0, rounds, logSeed, false);
        // on slates every row carries its positions' rewards, 0 where nothing was taken (the slate estimators' input)
        FeedbackJsonl.write(log.toFeedback(file.toString(), LogCommand.START_MILLIS, false, setup.slateSize() > 1),
                file);
        System.out.printf(Locale.ROOT, "    wrote %s: %d impressions in %d episodes%n", file, log.rounds(),
                log.episodes().size());
    }

    private OffPolicyEvaluation.Report evaluate(LoggedFeedback log, List<TargetPolicy> targets) {
        List<Estimator<OpeInput>> es = new ArrayList<>();
        for (String n : oneStepEstimators()) {
            es.add(Estimators.byName(n));
        }
        return OffPolicyEvaluation.run(log, targets, es, RidgeRewardModel.crossFitted(log, 1, 1, 2), bootstrap, seed);
    }

    private static void printEstimates(OffPolicyEvaluation.Report report) {
        System.out.printf(Locale.ROOT, "    logging policy (held-out mean reward): %s%n", interval(report.onPolicy()));
        for (List<Estimate> row : report.estimates()) {
            StringBuilder sb = new StringBuilder("    " + row.get(0).target() + ":");
            for (Estimate e : row) {
                sb.append(' ').append(e.estimator().toUpperCase(Locale.ROOT)).append(' ').append(interval(e));
            }
            sb.append(String.format(Locale.ROOT, " (ESS %.0f of %d)", row.get(0).ess(), row.get(0).units()));
            System.out.println(sb);
        }
    }

    private static String interval(Estimate e) {
        return String.format(Locale.ROOT, "%.4f [%.4f, %.4f]", e.value(), e.low(), e.high());
    }

    /** The one-step table; {@code names} the three one-step estimators, the last the judged DR. */
    private static void printTable(String loggerName, GroundTruth.Value logger, Estimate loggerHeldOut,
            List<PolicyFigures> figures, List<String> names) {
        String[] up = names.stream().map(x -> x.toUpperCase(Locale.ROOT)).toArray(String[]::new);
        System.out.printf(Locale.ROOT, "%n| policy | on-policy value per impression (± 95 %%) | vs logger |"
                + " value at the logger's states (± 95 %%) | %s [95 %%] | %s [95 %%] | %s [95 %%] |"
                + " %s vs on-policy | %s vs logger's states |%n|---|---|---|---|---|---|---|---|---|%n", up[0], up[1],
                up[2], up[2], up[2]);
        System.out.printf(Locale.ROOT, "| %s (logger) | %.4f ± %.4f | | | held-out mean %s | | | | |%n", loggerName,
                logger.mean(), 1.96 * logger.standardError(), interval(loggerHeldOut));
        for (PolicyFigures f : figures) {
            Estimate dr = f.estimate(names.get(2));
            System.out.printf(Locale.ROOT, "| %s | %.4f ± %.4f | %+.1f %% | %.4f ± %.4f | %s | %s | %s | %+.1f %% |"
                    + " %+.1f %% |%n", f.name(), f.onPolicy().mean(), 1.96 * f.onPolicy().standardError(),
                    100 * (f.onPolicy().mean() / logger.mean() - 1), f.onLoggerStates().mean(),
                    1.96 * f.onLoggerStates().standardError(), interval(f.estimate(names.get(0))),
                    interval(f.estimate(names.get(1))), interval(dr), 100 * (dr.value() / f.onPolicy().mean() - 1),
                    100 * (dr.value() / f.onLoggerStates().mean() - 1));
        }
        System.out.println();
    }

    private void printMultiStepTable(String loggerName, GroundTruth.Value logger, SequentialEstimate loggerHeldOut,
            List<PolicyFigures> figures) {
        System.out.printf(Locale.ROOT, "| policy | on-policy discounted return, γ = %s (± 95 %%) | vs logger | PDIS |"
                + " WPDIS | DR [95 %%] | WDR | FQE | DR vs own rollouts | ESS of %d trajectories |%n"
                + "|---|---|---|---|---|---|---|---|---|---|%n", gamma, loggerHeldOut.trajectories());
        System.out.printf(Locale.ROOT, "| %s (logger) | %.4f ± %.4f | | | | held-out mean %.4f [%.4f, %.4f] | | | | |%n",
                loggerName, logger.mean(), 1.96 * logger.standardError(), loggerHeldOut.value(), loggerHeldOut.low(),
                loggerHeldOut.high());
        for (PolicyFigures f : figures) {
            TrajectoryJudge.Judged j = f.multiStep();
            SequentialEstimate dr = j.estimate("dr");
            System.out.printf(Locale.ROOT, "| %s | %.4f ± %.4f | %+.1f %% | %.4f | %.4f | %.4f [%.4f, %.4f] | %.4f |"
                    + " %.4f | %+.1f %% | %.1f |%n", f.name(), f.discounted().mean(),
                    1.96 * f.discounted().standardError(), 100 * (f.discounted().mean() / logger.mean() - 1),
                    j.estimate("pdis").value(), j.estimate("wpdis").value(), dr.value(), dr.low(), dr.high(),
                    j.estimate("wdr").value(), j.estimate("fqe").value(),
                    100 * (dr.value() / f.discounted().mean() - 1), dr.effectiveSampleSize());
        }
        System.out.println();
    }

    /** Copies {@code checkpoint} onto --deploy atomically (write beside, rename); returns its SHA-256. */
    private String deployCheckpoint(Path checkpoint) throws IOException {
        byte[] bytes = Files.readAllBytes(checkpoint);
        Path parent = deploy.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        AtomicFiles.write(deploy, bytes);
        return sha256(bytes);
    }

    /** Waits until the server reports the checkpoint of {@code sha256}; returns the seconds waited. */
    private double awaitReload(String sha256) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create(serveUrl.replaceAll("/+$", "") + "/health/ready");
        long start = System.nanoTime();
        long deadline = start + deployTimeout * 1_000_000_000L;
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET()
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains(sha256)) {
                    return (System.nanoTime() - start) / 1e9;
                }
                last = "HTTP " + r.statusCode();
            } catch (IOException e) {
                last = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
            Thread.sleep(200);
        }
        throw new UserInputException("--serve-url " + serveUrl + " did not report the deployed checkpoint within "
                + deployTimeout + " s (last: " + last + "): check that it serves --checkpoint " + deploy
                + " (the file is deployed; the server reloads it once it notices)");
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void writeReport(Path file, String loggerName, Truths logger, OffPolicyEvaluation.Report before,
            List<PolicyFigures> figures, Gate gate) throws IOException {
        DeployGate.Gain gain = gate.gain();
        DeployGate.Decision decision = gate.decision();
        String deployedSha = gate.deployedSha();
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("env", env);
        root.put("logging_policy", loggerName);
        root.put("impressions", impressions);
        root.put("held_out", heldOut);
        root.put("seed", seed);
        root.put("rollout_episodes", rolloutEpisodes);
        root.put("truth_states", truthStates);
        root.put("gamma", gamma);
        root.put("judge", judge);
        ObjectNode lg = root.putObject("logger");
        lg.put("on_policy", logger.perImpression().mean());
        lg.put("on_policy_se", logger.perImpression().standardError());
        lg.put("held_out_mean", before.onPolicy().value());
        lg.put("discounted_on_policy", logger.discounted().mean());
        lg.put("discounted_on_policy_se", logger.discounted().standardError());
        lg.put("held_out_discounted_return", logger.heldOutReturn().value());
        ArrayNode candidates = root.putArray("candidates_before");
        for (List<Estimate> row : before.estimates()) {
            candidates.add(estimates(json, row.get(0).target(), row));
        }
        ArrayNode learned = root.putArray("learned");
        for (PolicyFigures f : figures) {
            learned.add(learnedFigures(json, f, logger, oneStepDr()));
        }
        if (gain != null) {
            ObjectNode g = root.putObject(gain.baseline().equals("deployed") ? "dr_gain_over_deployed"
                    : "dr_gain_over_logger");
            g.put("estimate", gain.estimate().toLowerCase(Locale.ROOT));
            g.put("policy", gain.policy());
            g.put("value", gain.value());
            g.put("low", gain.low());
            g.put("high", gain.high());
        }
        ObjectNode d = root.putObject("deploy_decision");
        d.put("deploy", decision.deploy());
        d.put("policy", decision.policy());
        d.put("baseline", gain == null ? null : gain.baseline());
        d.put("min_ess", minEssShare());
        d.put("reason", decision.reason());
        d.put("written", deployedSha != null);
        if (deployedSha != null) {
            root.put("deployed_sha256", deployedSha);
        }
        AtomicFiles.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }

    private static ObjectNode learnedFigures(ObjectMapper json, PolicyFigures f, Truths logger, String oneStep) {
        ObjectNode n = estimates(json, f.name(), f.estimates());
        n.put("on_policy", f.onPolicy().mean());
        n.put("on_policy_se", f.onPolicy().standardError());
        n.put("improvement_over_logger", f.onPolicy().mean() / logger.perImpression().mean() - 1);
        n.put("dr_relative_error", f.estimate(oneStep).value() / f.onPolicy().mean() - 1);
        n.put("value_at_logger_states", f.onLoggerStates().mean());
        n.put("value_at_logger_states_se", f.onLoggerStates().standardError());
        n.put("dr_relative_error_at_logger_states", f.estimate(oneStep).value() / f.onLoggerStates().mean() - 1);
        ObjectNode m = n.putObject("multi_step");
        m.put("discounted_on_policy", f.discounted().mean());
        m.put("discounted_on_policy_se", f.discounted().standardError());
        m.put("improvement_over_logger", f.discounted().mean() / logger.discounted().mean() - 1);
        m.put("dr_relative_error", f.multiStep().estimate("dr").value() / f.discounted().mean() - 1);
        for (SequentialEstimate e : f.multiStep().estimates()) {
            ObjectNode v = m.putObject(e.estimator());
            v.put("value", e.value());
            v.put("low", e.low());
            v.put("high", e.high());
            v.put("ess", e.effectiveSampleSize());
            v.put("largest_weight", e.largestWeight());
        }
        return n;
    }

    private static ObjectNode estimates(ObjectMapper json, String name, List<Estimate> row) {
        ObjectNode n = json.createObjectNode();
        n.put("policy", name);
        for (Estimate e : row) {
            ObjectNode v = n.putObject(e.estimator());
            v.put("value", e.value());
            v.put("low", e.low());
            v.put("high", e.high());
            v.put("ess", e.ess());
        }
        return n;
    }

    private static void requireIn(String flag, long value, long min, long max) {
        if (value < min || value > max) {
            throw new UserInputException(flag + " must be in [" + min + ", " + max + "] (got " + value + ")");
        }
    }
}
