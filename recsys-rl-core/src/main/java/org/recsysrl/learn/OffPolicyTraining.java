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
 * {@code train --algo banditnet|offpolicy-dr}: reads a platform's impression log (JSON Lines,
 * {@code recsys-rl log} or {@code join}), learns a policy from it with {@link OffPolicyLearner}
 * and saves it as an actor-critic checkpoint of that platform (algorithm {@code banditnet} or
 * {@code offpolicy-dr}), which {@code serve}, {@code evaluate}, {@code log --policy checkpoint:},
 * {@code ope --target checkpoint:} and {@code ope-validate} load like a PPO one.
 */
public final class OffPolicyTraining {
    /** Checkpoint metadata: the λ chosen (BanditNet). */
    public static final String LAMBDA_KEY = "learn.lambda";
    /** Checkpoint metadata: the held-out SNIPS estimate of the saved policy. */
    public static final String HELD_OUT_SNIPS_KEY = "learn.held_out_snips";
    /** Checkpoint metadata: the held-out DR estimate of the saved policy. */
    public static final String HELD_OUT_DR_KEY = "learn.held_out_dr";

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
        Workload workload = Workload.of(cfg);
        if (!(workload instanceof PlatformWorkload platform)) {
            throw new UserInputException("--algo " + settings.objective().id() + " learns a platform environment's policy"
                    + " from its impression log: give --env short-video (or education, e-commerce, social-feed,"
                    + " long-video) and --data LOG.jsonl");
        }
        if (!Files.isRegularFile(logFile)) {
            throw new UserInputException("--data " + logFile + " is not a file: give the impression log (JSON Lines) that"
                    + " `recsys-rl log` or `recsys-rl join` wrote");
        }
        Setup setup = platform.setup(progress);
        LoggedFeedback log = FeedbackJsonl.read(logFile, actionIds(setup.actionCount()));
        LoggedBandit data = LoggedBandit.of(log, setup.actionCount(), setup.observationSize(), "--data " + logFile);
        ActorCritic model = Models.actorCritic(cfg, setup);
        OffPolicyLearner.Result result = new OffPolicyLearner(settings, progress).train(model, data);
        Path out = Path.of(cfg.train().checkpointDir()).resolve(settings.objective().id() + ".safetensors");
        Files.createDirectories(out.getParent());
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put(Models.CATALOG_ITEMS, Integer.toString(setup.actionCount()));
        if (!Double.isNaN(result.chosen().lambda())) {
            extra.put(LAMBDA_KEY, format(result.chosen().lambda()));
        }
        extra.put(HELD_OUT_SNIPS_KEY, format(result.chosen().heldOut().snips()));
        extra.put(HELD_OUT_DR_KEY, format(result.chosen().heldOut().dr()));
        Checkpoint.save(out, model.parameters(), new Checkpoint.Info(settings.objective().id(),
                ConfigJson.toPortableJson(cfg), cfg.env().seed(), result.steps(), extra));
        progress.accept(String.format(Locale.ROOT, "saved %s: held-out SNIPS %.5f, DR %.5f against the logger's %.5f"
                + " (%+.1f %%)", out, result.chosen().heldOut().snips(), result.chosen().heldOut().dr(),
                result.loggerHeldOut(), 100 * (result.chosen().heldOut().dr() / result.loggerHeldOut() - 1)));
        return new Outcome(out, result);
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

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** The checkpoint written and the learner's result. */
    public record Outcome(Path checkpoint, OffPolicyLearner.Result result) {
    }
}
