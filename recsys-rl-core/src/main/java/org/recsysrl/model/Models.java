package org.recsysrl.model;

import java.nio.file.Path;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.config.RunConfig;
import org.recsysrl.data.DataIdentity;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.seq.SequenceModel;
import org.recsysrl.setup.Setup;
import org.recsysrl.util.Rng;
import org.recsysrl.workload.Algorithm;
import org.recsysrl.workload.EnvironmentWorkload;
import org.recsysrl.workload.LogData;
import org.recsysrl.workload.LogWorkload;
import org.recsysrl.workload.Workload;

/**
 * The model factory: a fresh actor-critic for a setup, and any checkpoint rebuilt into a
 * {@link LoadedModel} (its config read once by {@link CheckpointConfig}, its workload resolved
 * once by {@link Workload#of}). Training, {@code evaluate}, {@code --resume}, the serving API and
 * the benchmarks build models here.
 */
public final class Models {
    /** The stream of {@code train.seed} that initialises a model's parameters. */
    public static final long INIT_STREAM = 11;

    /**
     * The metadata key of the number of items an actor-critic checkpoint was trained on (absent in
     * checkpoints of earlier versions): a config edited to another catalogue is refused at load.
     */
    public static final String CATALOG_ITEMS = "catalog_items";

    private Models() {
    }

    /** A freshly initialised actor-critic for the setup's observation and action sizes, seeded from {@code train.seed}. */
    public static ActorCritic actorCritic(RunConfig cfg, Setup s) {
        ActorCritic.Spec spec = new ActorCritic.Spec(s.observationSize(), s.actionCount(), s.slateSize(),
                s.itemEmbeddings(), s.itemDim(), s.candidates(), s.actionGroups());
        return new ActorCritic(spec, cfg.model().policy(), Rng.stream(cfg.train().seed(), INIT_STREAM));
    }

    /**
     * Reads {@code file} and rebuilds its model, with the data read from {@code data} instead of the
     * path the checkpoint records, if given.
     *
     * @throws org.recsysrl.util.UserInputException if the file is missing or not a recsys-rl
     *     checkpoint, or its data is missing or different
     */
    public static LoadedModel load(Path file, Path data) {
        Checkpoint.Loaded checkpoint = Checkpoint.read(file);
        RunConfig cfg = CheckpointConfig.read(checkpoint, data);
        if (Workload.of(cfg) instanceof LogWorkload logs) {
            return servedSequence(checkpoint, logs, data != null);
        }
        return load(checkpoint, cfg);
    }

    /**
     * Rebuilds the model of {@code checkpoint}, trained with {@code cfg}, in the workload {@code cfg}
     * names; a sequence model as {@link #servedSequence} (without reading its log when the
     * checkpoint carries what serving needs).
     */
    public static LoadedModel load(Checkpoint.Loaded checkpoint, RunConfig cfg) {
        Workload workload = Workload.of(cfg);
        if (workload instanceof EnvironmentWorkload environment) {
            return policy(checkpoint, environment);
        }
        return servedSequence(checkpoint, (LogWorkload) workload, false);
    }

    /**
     * A PPO/A2C checkpoint: the environment rebuilt (checked to be of the same data, from the
     * factorisation the checkpoint stores where it has one: {@link EnvironmentWorkload#setupFor}),
     * then the network.
     */
    public static PolicyCheckpoint policy(Checkpoint.Loaded checkpoint, EnvironmentWorkload workload) {
        requireKnownAlgorithm(checkpoint, workload);
        Setup setup = workload.setupFor(checkpoint);
        requireSameCatalog(checkpoint, setup);
        ActorCritic network = actorCritic(workload.config(), setup);
        checkpoint.loadInto(network.parameters());
        return new PolicyCheckpoint(checkpoint, workload.config(), workload, setup, network);
    }

    /**
     * A sequence-model checkpoint with its log read again (refused if different), then the network:
     * what {@code evaluate} needs (the test split). What serving needs is the checkpoint's own when
     * it carries it, else taken from the log.
     */
    public static SequenceCheckpoint sequence(Checkpoint.Loaded checkpoint, LogWorkload workload) {
        requireKnownAlgorithm(checkpoint, workload);
        LogData data = workload.load();
        requireSameLog(checkpoint, data, "checkpoint " + checkpoint.path());
        SequenceModel network = SequenceModels.load(checkpoint, workload.config(), data.log().itemCount());
        LogServing serving = LogServing.stored(checkpoint) ? LogServing.read(checkpoint)
                : LogServing.of(data.log(), true, true);
        return new SequenceCheckpoint(checkpoint, workload.config(), data, network, serving);
    }

    /**
     * A sequence-model checkpoint for serving. A checkpoint that carries its item ids, transitions and
     * mixture weight ({@link LogServing}) is read alone: the log is never opened, and its recorded
     * path and SHA-256 are provenance only. Otherwise (a checkpoint of an earlier version, or one
     * saved before its mixture weight was chosen with {@code seq.markov_mix=auto}) the log is read
     * and checked as by {@link #sequence}.
     *
     * @param readData read the log all the same (a caller that names the data explicitly): it is
     *     refused if it differs, and gives the users' histories when the checkpoint stores none
     *     (without it, such a model knows no users)
     */
    public static SequenceCheckpoint servedSequence(Checkpoint.Loaded checkpoint, LogWorkload workload,
            boolean readData) {
        RunConfig cfg = workload.config();
        requireKnownAlgorithm(checkpoint, workload);
        if (!LogServing.stored(checkpoint)) {
            String path = cfg.data().path();
            if (path != null && !java.nio.file.Files.exists(Path.of(path))) {
                throw new org.recsysrl.util.UserInputException("checkpoint " + checkpoint.path() + " has format "
                        + checkpoint.contents().metadata().get(Checkpoint.FORMAT_KEY) + ", which does not carry what"
                        + " serving needs, so it reads its log, and " + path + " does not exist: pass the log's"
                        + " path, or retrain with this version (format " + Checkpoint.FORMAT_SERVING
                        + ") for a checkpoint that serves alone");
            }
            return sequence(checkpoint, workload);
        }
        if (!Blends.stored(checkpoint) && Double.isNaN(SequenceModels.fixedMix(checkpoint, cfg))) {
            return sequence(checkpoint, workload);
        }
        LogServing serving = LogServing.read(checkpoint);
        LogData data = null;
        if (readData) {
            data = workload.load();
            requireSameLog(checkpoint, data, "checkpoint " + checkpoint.path());
        }
        if (!serving.hasHistories() && data != null) {
            LogServing fromLog = LogServing.of(data.log(), false, true);
            serving = new LogServing(serving.items(), fromLog.users(), fromLog.historyOffsets(),
                    fromLog.historyItems(), serving.transitions());
        }
        SequenceModel network = SequenceModels.load(checkpoint, cfg, serving.items().size());
        return new SequenceCheckpoint(checkpoint, cfg, data, network, serving);
    }

    /**
     * Refuses a checkpoint whose recorded algorithm is not one that {@code workload} trains (a
     * file edited by hand, or damaged): it would otherwise be evaluated and reported under that name.
     *
     * @throws org.recsysrl.util.UserInputException naming the file and the algorithms the workload trains
     */
    public static void requireKnownAlgorithm(Checkpoint.Loaded checkpoint, Workload workload) {
        Algorithm.Family family = workload instanceof LogWorkload ? Algorithm.Family.SEQUENCE
                : Algorithm.Family.ACTOR_CRITIC;
        String recorded = checkpoint.info().algorithm();
        Algorithm algorithm = Algorithm.find(recorded);
        boolean fits = algorithm != null && (algorithm.family() == family
                || (family == Algorithm.Family.ACTOR_CRITIC && algorithm.family() == Algorithm.Family.LOGGED_BANDIT));
        if (!fits) {
            throw new org.recsysrl.util.UserInputException("checkpoint " + checkpoint.path() + " records algorithm '"
                    + recorded + "', which " + workload.name() + " does not train (" + String.join(" or ",
                    Algorithm.ids(family)) + "): the file was edited or damaged; use the checkpoint as train wrote"
                    + " it, or train it again");
        }
    }

    /**
     * Refuses an actor-critic checkpoint whose config (edited, for example {@code env.num_items})
     * builds a catalogue of another size than the one its policy was trained on. Checkpoints of
     * earlier versions, which do not record the size, are left to the shape checks of the load.
     *
     * @throws org.recsysrl.util.UserInputException naming the file, both sizes and the fix
     */
    public static void requireSameCatalog(Checkpoint.Loaded checkpoint, Setup setup) {
        String recorded = checkpoint.info().extra().get(CATALOG_ITEMS);
        if (recorded == null) {
            return;
        }
        long trained;
        try {
            trained = Long.parseLong(recorded);
        } catch (NumberFormatException e) {
            throw new org.recsysrl.util.UserInputException("checkpoint " + checkpoint.path() + " is damaged ("
                    + CATALOG_ITEMS + " '" + recorded + "' is not a number): use the checkpoint as train wrote it");
        }
        if (trained != setup.actionCount()) {
            throw new org.recsysrl.util.UserInputException("checkpoint " + checkpoint.path() + ": its policy was"
                    + " trained on " + trained + " items, but its config (env.num_items or the data) gives "
                    + setup.actionCount() + ": the config was edited; restore it (env.num_items=" + trained
                    + " on the simulator) or train again");
        }
    }

    /**
     * Refuses {@code checkpoint} unless it was trained on the log of {@code data}.
     *
     * @param what how the message names the checkpoint (e.g. {@code --compare checkpoint F})
     */
    public static void requireSameLog(Checkpoint.Loaded checkpoint, LogData data, String what) {
        DataIdentity.fromMetadata(checkpoint.info().extra(), "checkpoint " + checkpoint.path())
                .requireSame(data.log().identity(), what);
    }
}
