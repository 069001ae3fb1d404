package org.recsysrl.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.RunConfig;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.model.CheckpointConfig;
import org.recsysrl.train.Trainer;
import org.recsysrl.train.Training;
import org.recsysrl.util.UserInputException;
import org.recsysrl.workload.Algorithm;
import org.recsysrl.workload.Platforms;
import org.recsysrl.workload.Workload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code recsys-rl train}: trains PPO or A2C on the built-in simulator. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train an agent on the simulated recommendation environment, on real ratings (--env movielens"
                + " --data DIR), on a platform environment (--env short-video), or a sequence model offline on an"
                + " interaction log (--env logs --data PATH).",
        footer = {"", "Settings are applied in this order: the preset, the checkpoint's config (--resume),"
                + " --config, a platform environment's own settings, --set, then the flags above.", "Every key: recsys-rl train --list-keys"})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--algo", description = "ppo or a2c; on logs (--env logs) supervised or sa2c; from a platform's"
            + " impression log (--env PLATFORM --data LOG.jsonl) banditnet, offpolicy-dr or"
            + " offpolicy-fqi (multi-step)"
            + " (default: ppo, or supervised on logs)")
    String algo;

    @Mixin
    RunOptions run;

    @Option(names = "--env", description = "simulator, movielens, logs, or a platform environment:"
            + " ${COMPLETION-CANDIDATES} (env.type)", completionCandidates = PlatformCandidates.class)
    String env;

    @Option(names = "--data", paramLabel = "PATH", description = "for --env movielens a MovieLens folder or ratings"
            + " file (the factorisation is fitted at start); for --env logs an interaction log (data.path)")
    String data;

    @Option(names = "--seed", description = "master seed of the agent (train.seed)")
    Long seed;

    @Option(names = "--log-dir", description = "directory of the CSV log (train.log_dir)")
    String logDir;

    @Option(names = "--checkpoint-dir", description = "directory of checkpoints (train.checkpoint_dir)")
    String checkpointDir;

    @Mixin
    SettingsOptions settings;

    @Option(names = "--resume", description = "continue the run saved in the checkpoint directory"
            + " (its settings come from the checkpoint; log and checkpoint directories from this command)")
    boolean resume;

    @Option(names = "--overwrite", description = "replace the run saved in the checkpoint directory (without it,"
            + " train refuses to start over a saved run; the old run stays until the new one's first save)")
    boolean overwrite;

    @Mixin
    ProgressOptions progress;

    @Option(names = "--tune", description = "--env logs: choose the sequence model's settings on validation by"
            + " successive halving (encoder, dropout, max_seq_len, blocks, embedding size, lr), budget about 3 default runs")
    boolean tune;

    @Option(names = "--list-keys", description = "print every settable key with its default and exit")
    boolean listKeys;

    @Override
    public Integer call() throws Exception {
        RunConfig base = run.preset();
        if (listKeys) {
            System.out.println(ConfigJson.toJson(base));
            return 0;
        }
        Algorithm algorithm = Algorithm.forTraining(algo, env);
        if (resume && overwrite) {
            throw new UserInputException("--resume and --overwrite exclude each other: --resume continues the saved"
                    + " run, --overwrite replaces it; give one");
        }
        if (resume && algorithm.family() == Algorithm.Family.SEQUENCE) {
            throw new UserInputException("--resume does not apply to --env logs: training on logs"
                    + " keeps the best epoch's checkpoint; start a new run");
        }
        if (tune && algorithm.family() != Algorithm.Family.SEQUENCE) {
            throw new UserInputException("--tune applies to --env logs only (it searches the sequence model's"
                    + " settings): drop --tune, or train on --env logs");
        }
        if (algorithm.family() == Algorithm.Family.LOGGED_BANDIT) {
            return trainFromImpressions(base, algorithm);
        }
        RunConfig cfg = configured(resume ? configOfCheckpoint(base, algorithm) : base);
        if (!resume && !overwrite) {
            refuseSavedRun(cfg, algorithm);
        }
        Training.run(cfg, algorithm, resume, tune, System.out, progress.bar());
        return 0;
    }

    /** {@code cfg} with --config, --set and this command's flags applied (and a platform's own settings). */
    private RunConfig configured(RunConfig cfg) {
        cfg = settings.withFile(cfg);
        List<String> sets = settings.sets();
        run.addTo(sets);
        if (seed != null) {
            sets.add("train.seed=" + seed);
        }
        if (env != null) {
            sets.add("env.type=" + env);
        }
        if (data != null) {
            if (env == null && !Workload.of(cfg).readsData()) {
                sets.add("env.type=movielens");
            }
            sets.add("data.path=" + data);
        }
        if (logDir != null) {
            sets.add("train.log_dir=" + logDir);
        }
        if (checkpointDir != null) {
            sets.add("train.checkpoint_dir=" + checkpointDir);
        }
        cfg = resume ? ConfigJson.withOverrides(cfg, sets) : Platforms.withSettings(cfg, sets, System.out::println);
        if (data != null && !Workload.of(cfg).readsData()) {
            throw new UserInputException("--data does not apply to --env " + Workload.of(cfg).name()
                    + ", which reads no data set: drop --data, or train on --env movielens or --env logs");
        }
        return cfg;
    }

    /** Refuses to start over a run saved in the checkpoint directory (without --resume or --overwrite). */
    private static void refuseSavedRun(RunConfig cfg, Algorithm algorithm) {
        Path existing = Trainer.existingRun(cfg, algorithm.id());
        if (existing != null) {
            throw new UserInputException("--checkpoint-dir " + cfg.train().checkpointDir() + " already holds a "
                    + algorithm.id() + " run (" + existing.getFileName() + "): continue it with --resume, replace it"
                    + " with --overwrite, or give another --checkpoint-dir");
        }
    }

    /**
     * {@code --algo banditnet|offpolicy-dr|offpolicy-fqi}: learns the platform's policy from the impression log
     * {@code --data}; the learner's settings come as {@code --set learn.KEY=VALUE}
     * ({@link OffPolicySettings}), the rest of {@code --set} as for every run.
     */
    private Integer trainFromImpressions(RunConfig base, Algorithm algorithm) throws java.io.IOException {
        if (resume) {
            throw new UserInputException("--resume does not apply to --algo " + algorithm.id() + ": it learns from the"
                    + " whole log in one run; start a new run (with --overwrite to replace the saved one)");
        }
        if (env == null || data == null) {
            throw new UserInputException("--algo " + algorithm.id() + " learns from an impression log: give the platform"
                    + " and the log, e.g. --env short-video --data log.jsonl (written by `recsys-rl log`)");
        }
        RunConfig cfg = settings.withFile(base);
        List<String> sets = new ArrayList<>();
        List<String> learnSets = new ArrayList<>();
        for (String s : settings.sets()) {
            (s.startsWith(OffPolicySettings.PREFIX) ? learnSets : sets).add(s);
        }
        if (seed != null) {
            sets.add("train.seed=" + seed);
        }
        sets.add("env.type=" + env);
        if (checkpointDir != null) {
            sets.add("train.checkpoint_dir=" + checkpointDir);
        }
        cfg = Platforms.withSettings(cfg, sets, System.out::println);
        Path out = Path.of(cfg.train().checkpointDir()).resolve(algorithm.id() + ".safetensors");
        if (!overwrite && Files.exists(out)) {
            throw new UserInputException("--checkpoint-dir " + cfg.train().checkpointDir() + " already holds "
                    + out.getFileName() + ": replace it with --overwrite, or give another --checkpoint-dir");
        }
        OffPolicySettings.train(cfg, algorithm, learnSets, cfg.train().seed(), Path.of(data), System.out::println);
        return 0;
    }

    /** The config stored in the checkpoint that --resume continues (found via the flags given). */
    private RunConfig configOfCheckpoint(RunConfig defaults, Algorithm algorithm) {
        RunConfig located = settings.withFile(defaults);
        List<String> sets = settings.sets();
        if (checkpointDir != null) {
            sets.add("train.checkpoint_dir=" + checkpointDir);
        }
        located = ConfigJson.withOverrides(located, sets);
        Path file = Trainer.checkpointPath(located, algorithm.id());
        if (!Files.exists(file)) {
            throw new UserInputException("--resume: no checkpoint at " + file
                    + ": check --checkpoint-dir and --algo, or start a new run without --resume");
        }
        RunConfig base = RunConfig.original();
        if (data != null) {
            base = base.withData(base.data().withPath(data));
        }
        return CheckpointConfig.merge(Checkpoint.read(file), base);
    }
}
