package org.recsysrl.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.agent.ActorCriticPolicy;
import org.recsysrl.agent.EpisodeTally;
import org.recsysrl.agent.Learner;
import org.recsysrl.agent.UpdateStats;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.RunConfig;
import org.recsysrl.data.DataIdentity;
import org.recsysrl.eval.Comparison;
import org.recsysrl.eval.EpisodeRunner;
import org.recsysrl.eval.PolicySummary;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.io.CsvLog;
import org.recsysrl.io.IoMessages;
import org.recsysrl.io.OutputChecks;
import org.recsysrl.io.TensorBoardWriter;
import org.recsysrl.model.CheckpointConfig;
import org.recsysrl.model.Models;
import org.recsysrl.nn.Kernels;
import org.recsysrl.setup.RealData;
import org.recsysrl.setup.Setup;
import org.recsysrl.util.NonFiniteException;
import org.recsysrl.util.Rng;
import org.recsysrl.util.UserInputException;
import org.recsysrl.workload.Algorithm;
import org.recsysrl.workload.EnvironmentWorkload;
import org.recsysrl.workload.Workload;

/**
 * The training loop: alternates rollouts and updates until {@code train.total_timesteps}; every
 * {@code log_interval} steps prints one line and appends a CSV row to
 * {@code <log_dir>/<algo>.csv} (and the same scalars to TensorBoard event files in
 * {@code <log_dir>/<algo>/}); every {@code eval_interval} steps evaluates the deterministic
 * policy on a fixed set of users; every {@code save_interval} steps and at the end writes
 * {@code <checkpoint_dir>/<algo>.safetensors} and its training state. With {@code resume} it
 * continues exactly where that pair left off.
 *
 * <p>The checkpoint stores the run's config without {@link ConfigJson#LOCAL_KEYS} (the log and
 * checkpoint directories): two identical runs written to different directories give byte-identical
 * checkpoints, and a resumed run writes where its own config says, not where the first run wrote.
 */
public final class Trainer {
    /** CSV columns; the last two are wall-clock figures and differ between identical runs. */
    public static final List<String> CSV_COLUMNS = List.of("step", "updates", "episodes", "ep_return_mean",
            "ep_length_mean", "policy_loss", "value_loss", "entropy", "approx_kl", "clip_fraction",
            "explained_variance", "learning_rate", "grad_norm", "eval_return", "sps", "elapsed_s");

    /** What a run produced. */
    public record Result(Path checkpoint, long steps, long updates, double seconds, double lastEpisodeReturn,
            double lastEvalReturn) {
    }

    private final RunConfig cfg;
    private final Algorithm algorithm;
    private final String algo;
    private final boolean resume;
    private final PrintStream out;
    private final boolean progressBar;
    private RealData realData;
    private int catalogItems;
    private java.util.List<org.recsysrl.io.Tensor> servingTensors = java.util.List.of();
    private SavedRun.FileOps fileOps = SavedRun.REAL;

    /**
     * @param out where the log lines go
     * @param progressBar draw a progress bar on {@code out} (only when it is a terminal)
     */
    public Trainer(RunConfig cfg, String algo, boolean resume, PrintStream out, boolean progressBar) {
        this(cfg, Algorithm.actorCritic(algo), resume, out, progressBar);
    }

    /** As above, for an algorithm already parsed. */
    public Trainer(RunConfig cfg, Algorithm algorithm, boolean resume, PrintStream out, boolean progressBar) {
        this.cfg = cfg;
        this.algorithm = algorithm;
        this.algo = algorithm.id();
        this.resume = resume;
        this.out = out;
        this.progressBar = progressBar;
    }

    /** The checkpoint a run of {@code algo} with this config writes. */
    public static Path checkpointPath(RunConfig cfg, String algo) {
        return Path.of(cfg.train().checkpointDir()).resolve(algo + ".safetensors");
    }

    /**
     * The file that shows a run of {@code algo} already lives in the checkpoint directory of
     * {@code cfg} (its manifest {@code <algo>.latest}, its published checkpoint or training
     * state), or null if there is none. {@code train} refuses to start over such a run unless told
     * to resume or overwrite it.
     */
    public static Path existingRun(RunConfig cfg, String algo) {
        SavedRun saves = new SavedRun(Path.of(cfg.train().checkpointDir()), algo, SavedRun.REAL);
        for (Path marker : List.of(saves.manifest(), saves.checkpoint(), saves.state())) {
            if (Files.exists(marker, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return marker;
            }
        }
        return null;
    }

    public Result run() throws IOException {
        Path checkpointDir = Path.of(cfg.train().checkpointDir());
        Path logDir = Path.of(cfg.train().logDir());
        // fail before training, not when the first checkpoint or log row is written
        OutputChecks.requireWritableDirectory(checkpointDir, "--checkpoint-dir");
        OutputChecks.requireWritableDirectory(logDir, "--log-dir");
        SavedRun saves = new SavedRun(checkpointDir, algo, fileOps);
        int removed = saves.cleanUp();
        if (removed > 0) {
            out.println("removed " + removed + " file(s) left in " + checkpointDir + " by an interrupted save");
        }
        long heap = Runtime.getRuntime().maxMemory();
        EnvironmentWorkload workload = environment(Workload.of(cfg));
        workload.requireMemoryBeforeSetup(algorithm, heap);
        Setup setup = workload.setup(out::println);
        this.realData = setup.real();
        this.catalogItems = setup.actionCount();
        this.servingTensors = workload.servingTensors(setup);
        workload.requireMemory(algorithm, setup, heap);
        ActorCritic model = Models.actorCritic(cfg, setup);
        Learner learner = Experiment.newLearner(algorithm, cfg, model, setup);
        OutputChecks.requireFreeSpace(checkpointDir, saveBytes(learner, servingTensors), "--checkpoint-dir");
        EpisodeTally episodes = learner.collector().episodes();
        Path checkpoint = saves.checkpoint();
        if (resume) {
            resumeFrom(saves, learner);
        }

        long total = cfg.train().totalTimesteps();
        ProgressListener progress = new ProgressListener(new ProgressLine(out, progressBar, learner.steps(), total));
        EvaluationListener evaluation = new EvaluationListener(setup, model, learner.steps(), total);
        SaveListener saving = new SaveListener(saves, episodes, learner.steps(), resume ? learner.steps() : -1, total);
        long start = System.nanoTime();
        Path csvPath = logDir.resolve(algo + ".csv");
        LogListener logging;
        try (CsvLog csv = resume ? CsvLog.resumedAt(csvPath, CSV_COLUMNS, learner.steps())
                : new CsvLog(csvPath, CSV_COLUMNS, false)) {
            csv.mirrorTo(TensorBoardWriter.create(TensorBoardWriter.dirBeside(csvPath), resume ? learner.steps() : -1));
            if (!resume || learner.steps() == 0) {
                out.println(header(learner, total));
            } else {
                out.println("resumed " + algo + " at step " + learner.steps() + " from " + checkpoint);
            }
            logging = new LogListener(csv, episodes, evaluation, progress, start, learner.steps(), total);
            loop(learner, total, List.of(evaluation, logging, saving, progress), saving, checkpoint);
            progress.clear();
        }
        save(saves, learner, episodes, saving.savedStep);
        double seconds = (System.nanoTime() - start) / 1e9;
        out.println(String.format(Locale.ROOT, "done: %d steps, %d updates in %.1f s; checkpoint %s", learner.steps(),
                learner.updates(), seconds, checkpoint));
        return new Result(checkpoint, learner.steps(), learner.updates(), seconds, logging.lastReturn,
                evaluation.lastEval);
    }

    /**
     * The loop alone: iterate until {@code total} steps, telling every listener after each
     * iteration, in order (evaluation before the log line that reports it, saving, progress).
     */
    private void loop(Learner learner, long total, List<TrainingListener> listeners, SaveListener saving,
            Path checkpoint) throws IOException {
        while (learner.steps() < total) {
            UpdateStats stats;
            try {
                stats = learner.iterate();
            } catch (NonFiniteException e) {
                for (TrainingListener l : listeners) {
                    l.onDivergence();
                }
                throw diverged(e, learner, saving.savedStep, checkpoint);
            }
            for (TrainingListener l : listeners) {
                l.onIteration(learner, stats);
            }
        }
    }

    /** What the loop tells after each iteration, and on a divergence (Stable-Baselines3's callbacks). */
    interface TrainingListener {
        /** After an iteration (rollout and update) that produced {@code stats}. */
        void onIteration(Learner learner, UpdateStats stats) throws IOException;

        /** Before the divergence is reported. */
        default void onDivergence() {
        }
    }

    /** The step after {@code steps} at which something done every {@code every} steps is next due. */
    private static long nextMultiple(long steps, long every) {
        return (steps / every + 1) * every;
    }

    /** Every {@code train.eval_interval} steps and at the end: the deterministic policy on the fixed users. */
    private final class EvaluationListener implements TrainingListener {
        private final long every = cfg.train().evalInterval();
        private final long total;
        private final EpisodeRunner runner;
        private final int[] users;
        private final ActorCriticPolicy policy;
        private long next;
        /** The return of the evaluation since the last log line (NaN: none). */
        private double pending = Double.NaN;
        double lastEval = Double.NaN;

        EvaluationListener(Setup setup, ActorCritic model, long steps, long total) {
            this.total = total;
            this.runner = new EpisodeRunner(setup.newEnv().apply(0));
            this.users = Comparison.drawUsers(cfg.train().evalEpisodes(), setup.userCount(),
                    Rng.stream(cfg.train().seed(), Experiment.EVAL_STREAM));
            this.policy = new ActorCriticPolicy(algo, model, true, null, 1);
            this.next = every > 0 ? nextMultiple(steps, every) : Long.MAX_VALUE;
        }

        @Override
        public void onIteration(Learner learner, UpdateStats stats) {
            long steps = learner.steps();
            if (steps >= next || (every > 0 && steps >= total)) {
                pending = PolicySummary.of(algo, Comparison.play(runner, policy, users)).total();
                lastEval = pending;
                next = nextMultiple(steps, every);
            }
        }

        /** The evaluation return to report on the next log line, consumed (NaN: none since the last). */
        double takePending() {
            double r = pending;
            pending = Double.NaN;
            return r;
        }
    }

    /** Every {@code train.log_interval} steps and at the end: one console line and one CSV row. */
    private final class LogListener implements TrainingListener {
        private final long every = cfg.train().logInterval();
        private final long total;
        private final CsvLog csv;
        private final EpisodeTally episodes;
        private final EvaluationListener evaluation;
        private final ProgressListener progress;
        private final StatsWindow window = new StatsWindow();
        private final long start;
        private long windowStart;
        private long windowSteps;
        private long next;
        double lastReturn = Double.NaN;

        LogListener(CsvLog csv, EpisodeTally episodes, EvaluationListener evaluation, ProgressListener progress,
                long start, long steps, long total) {
            this.csv = csv;
            this.episodes = episodes;
            this.evaluation = evaluation;
            this.progress = progress;
            this.start = start;
            this.windowStart = start;
            this.windowSteps = steps;
            this.total = total;
            this.next = nextMultiple(steps, every);
        }

        @Override
        public void onIteration(Learner learner, UpdateStats stats) throws IOException {
            window.add(stats);
            long steps = learner.steps();
            if (steps < next && steps < total) {
                return;
            }
            long now = System.nanoTime();
            double sps = (steps - windowSteps) / Math.max((now - windowStart) / 1e9, 1e-9);
            if (episodes.count() > 0) {
                lastReturn = episodes.meanReturn();
            }
            double evalReturn = evaluation.takePending();
            progress.clear();
            out.println(line(steps, sps, episodes, window, evalReturn));
            csv.row(steps, learner.updates(), episodes.total(), episodes.meanReturn(), episodes.meanLength(),
                    window.policyLoss(), window.valueLoss(), window.entropy(), window.approxKl(),
                    window.clipFraction(), window.explainedVariance(), window.learningRate(),
                    window.gradNorm(), evalReturn, sps, (now - start) / 1e9);
            episodes.drain();
            window.clear();
            windowStart = now;
            windowSteps = steps;
            next = nextMultiple(steps, every);
        }
    }

    /** Every {@code train.save_interval} steps before the end: the checkpoint and training state as one step. */
    private final class SaveListener implements TrainingListener {
        private final long every = cfg.train().saveInterval();
        private final long total;
        private final SavedRun saves;
        private final EpisodeTally episodes;
        private long next;
        /** The step of the last save kept (−1: none yet). */
        long savedStep;

        SaveListener(SavedRun saves, EpisodeTally episodes, long steps, long savedStep, long total) {
            this.saves = saves;
            this.episodes = episodes;
            this.savedStep = savedStep;
            this.total = total;
            this.next = every > 0 ? nextMultiple(steps, every) : Long.MAX_VALUE;
        }

        @Override
        public void onIteration(Learner learner, UpdateStats stats) throws IOException {
            long steps = learner.steps();
            if (steps >= next && steps < total) {
                save(saves, learner, episodes, savedStep);
                savedStep = steps;
                next = nextMultiple(steps, every);
            }
        }
    }

    /** The terminal's progress bar, cleared before every log line, at the end and on a divergence. */
    private static final class ProgressListener implements TrainingListener {
        private final ProgressLine bar;

        ProgressListener(ProgressLine bar) {
            this.bar = bar;
        }

        @Override
        public void onIteration(Learner learner, UpdateStats stats) {
            bar.update(learner.steps());
        }

        @Override
        public void onDivergence() {
            bar.clear();
        }

        void clear() {
            bar.clear();
        }
    }

    /** Uses {@code ops} for the save protocol's file operations (for crash tests). */
    Trainer withFileOps(SavedRun.FileOps ops) {
        this.fileOps = ops;
        return this;
    }

    /** The environment a config of PPO or A2C trains in (a log has none: that is {@link LogTraining}). */
    private static EnvironmentWorkload environment(Workload workload) {
        if (workload instanceof EnvironmentWorkload e) {
            return e;
        }
        throw new UserInputException("env.type=" + workload.name() + " trains a sequence model, not"
                + " PPO or A2C: use --algo supervised or sa2c");
    }

    private void resumeFrom(SavedRun saves, Learner learner) {
        SavedRun.Pair pair = saves.latest();
        if (pair == null) {
            throw new UserInputException("--resume: no checkpoint at " + saves.checkpoint()
                    + ": check --checkpoint-dir, or start a new run without --resume");
        }
        Path checkpoint = pair.checkpoint();
        if (!Files.exists(checkpoint) || !Files.exists(pair.state())) {
            throw new UserInputException("--resume: " + saves.manifest() + " names " + checkpoint.getFileName()
                    + " and " + pair.state().getFileName() + ", which are not both in " + checkpoint.getParent()
                    + ": restore them, or start a new run without --resume");
        }
        Checkpoint.Loaded loaded = Checkpoint.read(checkpoint);
        if (!loaded.info().algorithm().equals(algo)) {
            throw new UserInputException("--resume: " + checkpoint + " was trained with " + loaded.info().algorithm()
                    + ", not " + algo + ": resume with --algo " + loaded.info().algorithm());
        }
        RunConfig saved = CheckpointConfig.read(loaded, cfg.data());
        if (!saved.env().equals(cfg.env()) || !saved.model().equals(cfg.model())) {
            throw new UserInputException("--resume: the env/model settings differ from those of " + checkpoint
                    + ": resume without changing env.* or model.*");
        }
        if (realData != null) {
            DataIdentity.fromMetadata(loaded.info().extra(), "checkpoint " + checkpoint)
                    .requireSame(realData.data().identity(), "checkpoint " + checkpoint);
        }
        loaded.loadInto(learner.model().parameters());
        long episodes = TrainingState.restore(pair.state(), learner, loaded.info().steps());
        learner.collector().episodes().restoreTotal(episodes);
    }

    /**
     * Saves the checkpoint and training state as one step ({@link SavedRun#save}). A parameter or
     * optimiser moment that is not finite is never written: that is a divergence.
     */
    private void save(SavedRun saves, Learner learner, EpisodeTally episodes, long savedStep) throws IOException {
        try {
            NonFiniteException.requireFinite("a parameter", Kernels.sumOfSquares(learner.model().parameters().data()));
            NonFiniteException.requireFinite("an optimiser moment", Kernels.sumOfSquares(learner.optimizer().firstMoment())
                    + Kernels.sumOfSquares(learner.optimizer().secondMoment()));
        } catch (NonFiniteException e) {
            throw diverged(e, learner, savedStep, saves.checkpoint());
        }
        Checkpoint.Info info = new Checkpoint.Info(algo, ConfigJson.toPortableJson(cfg), cfg.env().seed(),
                learner.steps(), withCatalog(dataMetadata(realData), catalogItems));
        try {
            saves.save(learner.steps(),
                    file -> Checkpoint.save(file, learner.model().parameters(), info, servingTensors),
                    file -> TrainingState.save(file, learner, episodes.total()));
        } catch (IOException e) {
            String kept = savedStep >= 0 ? "the save of step " + savedStep + " is kept" : "nothing was saved yet";
            throw IoMessages.cannot("save the checkpoint of step " + learner.steps() + " in", saves.checkpoint().getParent(),
                    e, "free space or choose another --checkpoint-dir (" + kept + ")");
        }
    }

    /**
     * Bytes one save writes: the checkpoint's float32 parameters and serving tensors (a factorisation,
     * a simulator's world), the state's two moments, and headroom.
     */
    private static long saveBytes(Learner learner, java.util.List<org.recsysrl.io.Tensor> serving) {
        long servingBytes = 0;
        for (org.recsysrl.io.Tensor t : serving) {
            servingBytes += t.bytes().length;
        }
        return 12L * learner.model().parameters().size() + servingBytes + (1L << 20);
    }

    /** The divergence {@code e} with the step, what is kept, and the settings to change. */
    private NonFiniteException diverged(NonFiniteException e, Learner learner, long savedStep, Path checkpoint) {
        String kept = savedStep >= 0 ? "the last good checkpoint " + checkpoint + " (step " + savedStep + ") is kept"
                : "nothing was saved (lower train.save_interval to keep earlier steps)";
        return e.withContext("training diverged at step " + learner.steps(), advice(e.term()) + "; " + kept);
    }

    /** The settings most likely to blame for a non-finite {@code term}, with their values. */
    private String advice(String term) {
        Algorithm.OnPolicy settings = algorithm.onPolicy(cfg);
        String lr = setting("lr", settings.lr());
        String vf = setting("vf_coef", settings.vfCoef());
        String ent = setting("ent_coef", settings.entCoef());
        if (term.contains("value")) {
            return "lower " + lr + " or " + vf + ", or check the rewards' scale (env.*)";
        }
        if (term.contains("entropy") || term.contains("policy")) {
            return "lower " + lr + " or " + ent;
        }
        return "lower " + lr + ", " + vf + " or " + ent;
    }

    private String setting(String key, double value) {
        return algo + "." + key + " (now " + java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString() + ")";
    }

    /** The data identity and split of a real-data run, for its checkpoint metadata (empty otherwise). */
    private static java.util.Map<String, String> withCatalog(java.util.Map<String, String> metadata, int items) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>(metadata);
        m.put(Models.CATALOG_ITEMS, Integer.toString(items));
        return m;
    }

    public static java.util.Map<String, String> dataMetadata(RealData real) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        if (real != null) {
            m.putAll(real.data().identity().toMetadata());
            m.putAll(real.split().spec().toMetadata());
        }
        return m;
    }

    private String header(Learner learner, long total) {
        String threads = learner instanceof org.recsysrl.agent.Ppo ppo && ppo.threads() > 1
                ? ", minibatches on " + ppo.threads() + " threads" : "";
        return String.format(Locale.ROOT, "training %s for %d steps (%d per update, %d parameters, seed %d, env seed %d%s)",
                algo, total, learner.stepsPerIteration(), learner.model().parameters().size(), cfg.train().seed(),
                cfg.env().seed(), threads);
    }

    private static String line(long steps, double sps, EpisodeTally ep, StatsWindow w, double evalReturn) {
        StringBuilder sb = new StringBuilder(160);
        sb.append(String.format(Locale.ROOT, "step %7d | sps %6.0f | return %7.3f | pi_loss %8.4f | v_loss %8.4f"
                + " | entropy %6.3f", steps, sps, ep.meanReturn(), w.policyLoss(), w.valueLoss(), w.entropy()));
        if (!Double.isNaN(w.approxKl())) {
            sb.append(String.format(Locale.ROOT, " | kl %.5f | clip %.3f", w.approxKl(), w.clipFraction()));
        }
        sb.append(String.format(Locale.ROOT, " | ev %5.2f | lr %.2e", w.explainedVariance(), w.learningRate()));
        if (!Double.isNaN(evalReturn)) {
            sb.append(String.format(Locale.ROOT, " | eval %.3f", evalReturn));
        }
        return sb.toString();
    }
}
