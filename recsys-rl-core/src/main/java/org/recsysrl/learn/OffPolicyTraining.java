package org.recsysrl.learn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.RunConfig;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.model.Models;
import org.recsysrl.ope.FeedbackJsonl;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.setup.Setup;
import org.recsysrl.util.UserInputException;
import org.recsysrl.workload.PlatformWorkload;
import org.recsysrl.workload.Workload;

/**
 * {@code train --algo banditnet|offpolicy-dr|offpolicy-fqi}: reads a platform's impression log
 * (JSON Lines, {@code recsys-rl log} or {@code join}), learns a policy from it with
 * {@link OffPolicyLearner} or {@link FittedQPolicyIteration} and saves it as an actor-critic
 * checkpoint of that platform (algorithm {@code banditnet}, {@code offpolicy-dr} or
 * {@code offpolicy-fqi}), which {@code serve}, {@code evaluate}, {@code log --policy checkpoint:},
 * {@code ope --target checkpoint:} and {@code ope-validate} load like a PPO one.
 */
public final class OffPolicyTraining {
    /** Checkpoint metadata: the λ chosen (BanditNet). */
    public static final String LAMBDA_KEY = "learn.lambda";
    /** Checkpoint metadata: the held-out SNIPS estimate of the saved policy. */
    public static final String HELD_OUT_SNIPS_KEY = "learn.held_out_snips";
    /** Checkpoint metadata: the held-out DR estimate of the saved policy. */
    public static final String HELD_OUT_DR_KEY = "learn.held_out_dr";
    /** Checkpoint metadata: the discount of the multi-step learner. */
    public static final String GAMMA_KEY = "learn.gamma";
    /** Checkpoint metadata: the multi-step learner's chosen iteration (0: the initial policy). */
    public static final String ITERATION_KEY = "learn.iteration";
    /** Checkpoint metadata: the multi-step learner's trust region share α of the saved policy (0: none). */
    public static final String LOGGER_MIX_KEY = "learn.logger_mix";
    /** Checkpoint metadata: the one-sided 95 % lower bound of the saved policy's held-out multi-step DR. */
    public static final String HELD_OUT_MULTI_STEP_DR_LOWER_KEY = "learn.held_out_multi_step_dr_lower";
    /** Checkpoint metadata: the held-out multi-step DR estimate of the saved policy's discounted return. */
    public static final String HELD_OUT_MULTI_STEP_DR_KEY = "learn.held_out_multi_step_dr";

    private OffPolicyTraining() {
    }

    /**
     * Learns from {@code logFile} in the platform environment {@code cfg} names and writes
     * {@code <checkpoint_dir>/<algorithm>.safetensors} atomically.
     *
     * @return the checkpoint written and what training gave
     * @throws UserInputException if {@code cfg} is not a platform environment or the log does not fit it
     */
    public static Outcome run(RunConfig cfg, OffPolicyLearner.Settings settings, Path logFile,
            Consumer<String> progress) throws IOException {
        return learnAndSave(cfg, settings.objective().id(), logFile, progress, (model, log, setup, what) -> {
            OffPolicyLearner learner = new OffPolicyLearner(settings, progress);
            OffPolicyLearner.Result result = setup.slateSize() > 1
                    ? learner.train(model, LoggedSlates.of(log, setup.actionCount(), setup.slateSize(),
                            setup.observationSize(), what))
                    : learner.train(model, LoggedBandit.of(log, setup.actionCount(), setup.observationSize(), what));
            Map<String, String> extra = new LinkedHashMap<>();
            if (!Double.isNaN(result.chosen().lambda())) {
                extra.put(LAMBDA_KEY, format(result.chosen().lambda()));
            }
            extra.put(HELD_OUT_SNIPS_KEY, format(result.chosen().heldOut().snips()));
            extra.put(HELD_OUT_DR_KEY, format(result.chosen().heldOut().dr()));
            String summary = String.format(Locale.ROOT, "held-out SNIPS %.5f, DR %.5f against the logger's %.5f"
                    + " (%+.1f %%)", result.chosen().heldOut().snips(), result.chosen().heldOut().dr(),
                    result.loggerHeldOut(), 100 * (result.chosen().heldOut().dr() / result.loggerHeldOut() - 1));
            return new Learned(result.steps(), extra, summary);
        });
    }

    /**
     * {@code train --algo offpolicy-fqi}: learns with {@link FittedQPolicyIteration} from the
     * trajectories of {@code logFile} and writes {@code <checkpoint_dir>/offpolicy-fqi.safetensors}
     * atomically (metadata: γ, the chosen iteration, its held-out multi-step DR).
     */
    public static Outcome runMultiStep(RunConfig cfg, FittedQPolicyIteration.Settings settings, Path logFile,
            Consumer<String> progress) throws IOException {
        return learnAndSave(cfg, FittedQPolicyIteration.ID, logFile, progress, (model, log, setup, what) -> {
            if (setup.slateSize() > 1) {
                throw new UserInputException("--algo " + FittedQPolicyIteration.ID + " learns from single-item"
                        + " trajectories; this environment shows slates: use --algo banditnet or offpolicy-dr");
            }
            LoggedBandit data = LoggedBandit.of(log, setup.actionCount(), setup.observationSize(), what);
            FittedQPolicyIteration.Result result = new FittedQPolicyIteration(settings, progress).train(model, data);
            Map<String, String> extra = new LinkedHashMap<>();
            extra.put(GAMMA_KEY, format(settings.gamma()));
            extra.put(ITERATION_KEY, Integer.toString(result.chosen().index()));
            extra.put(HELD_OUT_MULTI_STEP_DR_KEY, format(result.chosen().heldOutDr()));
            if (settings.loggerMixes().length > 1 || settings.loggerMixes()[0] > 0) {
                extra.put(LOGGER_MIX_KEY, format(result.chosen().loggerMix()));
            }
            if (settings.selection() != FittedQPolicyIteration.Selection.DR) {
                extra.put(HELD_OUT_MULTI_STEP_DR_LOWER_KEY, format(result.chosen().heldOutDrLower()));
            }
            String summary = String.format(Locale.ROOT, "iteration %d, held-out multi-step DR %.5f against the logger's"
                    + " discounted return %.5f (%+.1f %%)", result.chosen().index(), result.chosen().heldOutDr(),
                    result.loggerHeldOut(), 100 * (result.chosen().heldOutDr() / result.loggerHeldOut() - 1));
            return new Learned(result.steps(), extra, summary);
        });
    }

    /** What a learner gave: rows processed, checkpoint metadata, a line for the user. */
    private record Learned(long steps, Map<String, String> metadata, String summary) {
    }

    /** A learner of a platform's model from its log. */
    private interface Learner {
        Learned learn(ActorCritic model, LoggedFeedback log, Setup setup, String what);
    }

    private static Outcome learnAndSave(RunConfig cfg, String algorithm, Path logFile, Consumer<String> progress,
            Learner learner) throws IOException {
        Workload workload = Workload.of(cfg);
        if (!(workload instanceof PlatformWorkload platform)) {
            throw new UserInputException("--algo " + algorithm + " learns a platform environment's policy"
                    + " from its impression log: give --env short-video (or education, e-commerce, social-feed,"
                    + " long-video) and --data LOG.jsonl");
        }
        if (!Files.isRegularFile(logFile)) {
            throw new UserInputException("--data " + logFile + " is not a file: give the impression log (JSON Lines) that"
                    + " `recsys-rl log` or `recsys-rl join` wrote");
        }
        Setup setup = platform.setup(progress);
        LoggedFeedback log = FeedbackJsonl.read(logFile, servedIds(logFile)
                ? numberedIds(setup.actionCount()) : actionIds(setup.actionCount()));
        ActorCritic model = Models.actorCritic(cfg, setup);
        Learned learned = learner.learn(model, log, setup, "--data " + logFile);
        Path out = Path.of(cfg.train().checkpointDir()).resolve(algorithm + ".safetensors");
        Files.createDirectories(out.getParent());
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put(Models.CATALOG_ITEMS, Integer.toString(setup.actionCount()));
        extra.putAll(learned.metadata());
        Checkpoint.save(out, model.parameters(), new Checkpoint.Info(algorithm, ConfigJson.toPortableJson(cfg),
                cfg.env().seed(), learned.steps(), extra));
        progress.accept("saved " + out + ": " + learned.summary());
        return new Outcome(out, extra);
    }

    /**
     * The item ids of a platform's actions as logs write them, {@code i0 … i<n−1>}: the catalog to
     * read a platform log with, so that actions the log never shows are still in its vocabulary
     * (what {@code ope --catalog} does for the command).
     */
    public static java.util.List<String> actionIds(int actionCount) {
        java.util.List<String> ids = new java.util.ArrayList<>(actionCount);
        for (int a = 0; a < actionCount; a++) {
            ids.add(org.recsysrl.ope.sim.SimLog.itemId(a));
        }
        return ids;
    }

    /**
     * The item ids {@code 0 … n−1}: how a server names a platform policy's actions (the catalog to
     * read a served log with).
     */
    static java.util.List<String> numberedIds(int actionCount) {
        java.util.List<String> ids = new java.util.ArrayList<>(actionCount);
        for (int a = 0; a < actionCount; a++) {
            ids.add(Integer.toString(a));
        }
        return ids;
    }

    /** Whether the log's first line shows a bare number as its item (a served log), not {@code i<a>}. */
    private static boolean servedIds(Path logFile) throws IOException {
        try (java.io.BufferedReader in = Files.newBufferedReader(logFile)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    com.fasterxml.jackson.databind.JsonNode items;
                    try {
                        items = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line).path("items");
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        return false; // the reader reports the line
                    }
                    return items.isArray() && items.size() > 0 && !items.get(0).asText().startsWith("i");
                }
            }
        }
        return false;
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** The checkpoint written and its learner's metadata. */
    public record Outcome(Path checkpoint, Map<String, String> metadata) {
    }
}
