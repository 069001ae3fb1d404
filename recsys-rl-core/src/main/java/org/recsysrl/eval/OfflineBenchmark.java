package org.recsysrl.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.Interactions;
import org.recsysrl.data.ItemMetadata;
import org.recsysrl.recommend.FitContext;
import org.recsysrl.recommend.Hyperparameters;
import org.recsysrl.recommend.ModelFamily;
import org.recsysrl.recommend.Recommender;

/**
 * The offline benchmark: every model family is fitted on the split's training part once per point
 * of its hyperparameter grid, each fit is ranked on the validation targets, the point with the best
 * validation metric is kept, and that model alone is evaluated on the test targets (with the
 * validation interactions as part of the history, never as fitting data). Already fitted models
 * (a trained policy) are evaluated on the same tasks as they are. Every result keeps its per-user
 * values; the report adds bootstrap intervals and paired comparisons against the best baseline.
 *
 * <p>Nothing here reads the test targets before the hyperparameters are chosen, and no fit sees
 * an interaction outside {@link OfflineSplit#trainPart()}.
 */
public final class OfflineBenchmark {
    private OfflineBenchmark() {
    }

    /**
     * How to run.
     *
     * @param cutoffs ascending cut-offs
     * @param k the main cut-off (tuning, novelty, diversity, the table)
     * @param tuneMetric {@code ndcg}, {@code hr}, {@code mrr} or {@code recall}, maximised at k
     * @param excludeKnown exclude history items from the ranking
     * @param bootstrap bootstrap resamples for the intervals
     * @param flips sign flips of the paired randomisation test
     * @param seed seed of ties, bootstrap, tests and random models
     * @param threads threads for fits and evaluation
     */
    public record Settings(int[] cutoffs, int k, String tuneMetric, boolean excludeKnown, int bootstrap, int flips,
            long seed, int threads) {
        /** The metric name tuned on, e.g. {@code ndcg@10}. */
        public String tuneKey() {
            return tuneMetric + "@" + k;
        }
    }

    /** Receives what happens, for a log and a progress bar. */
    public interface Listener {
        /** A line worth printing (a fit done, a model chosen). */
        void status(String line);

        /** Users ranked so far in the current evaluation. */
        default void progress(String what, long done, long total) {
        }

        /**
         * A model has finished (or was skipped): {@code soFar} holds every finished model, without
         * the paired comparisons (they come with the final report), so that a later failure loses
         * nothing that was computed.
         *
         * @param stillToRun the names of the models not yet run, in order
         */
        default void modelFinished(Report soFar, List<String> stillToRun) {
        }
    }

    /**
     * One grid point's validation result.
     *
     * @param hyperparameters the point
     * @param validation the tuned metric on the validation targets
     * @param fitSeconds wall time of the fit
     * @param evalSeconds wall time of the validation ranking
     */
    public record GridPoint(Hyperparameters hyperparameters, double validation, double fitSeconds,
            double evalSeconds) {
    }

    /**
     * One model's outcome.
     *
     * @param name model name
     * @param description one line on the model
     * @param baseline true for a baseline family, false for a given (trained) model
     * @param chosen the chosen hyperparameters (NONE for given models)
     * @param tuning every grid point's validation result, in grid order
     * @param validation the chosen model's validation result (null if the model was skipped)
     * @param test the chosen model's test result (null if skipped)
     * @param intervals bootstrap estimates of every test metric, in {@code test.metrics()} order
     * @param fitSeconds total wall time of all fits of this model
     * @param skipped why the model was not run, or null
     */
    public record ModelRun(String name, String description, boolean baseline, Hyperparameters chosen,
            List<GridPoint> tuning, RankingResult validation, RankingResult test, Estimate[] intervals,
            double fitSeconds, String skipped) {
        /** The test estimate of {@code metric}. */
        public Estimate estimate(String metric) {
            int m = test.indexOf(metric);
            if (m < 0) {
                throw new IllegalArgumentException("no metric " + metric);
            }
            return intervals[m];
        }
    }

    /**
     * One model compared with another on the same test users: every model with the best baseline,
     * and every given model after the first with the first given model.
     *
     * @param model the model's name
     * @param against the name of the model it is compared with
     * @param result the paired comparison (model minus the other)
     */
    public record Comparison(String model, String against, PairedComparison result) {
    }

    /**
     * Keeps finished baseline runs between invocations (e.g. files beside the data), so that
     * {@code benchmark} and {@code evaluate} on the same data and settings neither fit nor rank a
     * baseline twice. What identifies a run besides the family and its grid (the data, the
     * settings, the code) is the store's business.
     */
    public interface RunStore {
        /** Keeps nothing. */
        RunStore NONE = new RunStore() {
            @Override
            public ModelRun load(String model, Class<?> implementation, String grid) {
                return null;
            }

            @Override
            public void save(String model, Class<?> implementation, String grid, ModelRun run) {
            }
        };

        /**
         * The stored run of the model family {@code model}, implemented by {@code implementation},
         * with this grid, or null.
         */
        ModelRun load(String model, Class<?> implementation, String grid);

        /** Stores a finished run (a failure to store must not fail the benchmark). */
        void save(String model, Class<?> implementation, String grid, ModelRun run);
    }

    /** A model that is already fitted, with its description. */
    public record GivenModel(Recommender model, String description) {
    }

    /**
     * The whole outcome.
     *
     * @param split what was split and how
     * @param settings how it ran
     * @param validationUsers users with validation targets
     * @param testUsers users with test targets
     * @param models every model, in order
     * @param bestBaseline name of the baseline with the best test value of the tuned metric (null if none ran)
     * @param comparisons each other model against the best baseline on the tuned metric, then each
     *     given model after the first against the first
     * @param seconds wall time of the whole run
     */
    public record Report(String split, Settings settings, int validationUsers, int testUsers, int droppedTargets,
            List<ModelRun> models, String bestBaseline, List<Comparison> comparisons, double seconds) {
        /** The run of {@code name}, or null. */
        public ModelRun model(String name) {
            for (ModelRun m : models) {
                if (m.name().equals(name)) {
                    return m;
                }
            }
            return null;
        }
    }

    /** The ranking setup of a split: shared tie order, training popularity, genre vectors where items have genres. */
    public static RankingSetup setup(OfflineSplit split, Settings s) {
        InteractionLog log = split.log();
        Interactions train = split.trainPart();
        int trainUsers = 0;
        for (int u = 0; u < train.userCount(); u++) {
            if (train.end(u) > train.start(u)) {
                trainUsers++;
            }
        }
        ItemMetadata meta = log.metadata();
        float[] features = null;
        int dim = meta.genreCount();
        if (dim > 0) {
            features = new float[log.itemCount() * dim];
            for (int i = 0; i < log.itemCount(); i++) {
                for (int g = 0; g < meta.genreCountOf(i); g++) {
                    features[i * dim + meta.genreOf(i, g)] = 1f;
                }
            }
        }
        return new RankingSetup(s.cutoffs(), s.k(), RankingSetup.randomTieRank(log.itemCount(), s.seed()),
                train.itemCounts(), trainUsers, features, features == null ? 0 : dim);
    }

    /**
     * Runs the benchmark within the heap that is free now (after a garbage collection when more
     * than a quarter of the heap is in use).
     *
     * @throws org.recsysrl.util.UserInputException if the split leaves no test user, or a model
     *     would not fit the heap (before any model runs)
     */
    public static Report run(OfflineSplit split, List<ModelFamily> families, List<GivenModel> given, Settings s,
            Listener listener) {
        return run(split, families, given, s, listener, RunStore.NONE);
    }

    /**
     * Runs the benchmark within the heap that is free now, taking baseline runs from {@code store}
     * where it has them and giving it every baseline run it did not have.
     */
    public static Report run(OfflineSplit split, List<ModelFamily> families, List<GivenModel> given, Settings s,
            Listener listener, RunStore store) {
        Runtime rt = Runtime.getRuntime();
        if (rt.totalMemory() - rt.freeMemory() > rt.maxMemory() / 4) {
            System.gc(); // what the log and the split hold, not the garbage of reading them
        }
        return run(split, families, given, s, listener, rt.maxMemory() - (rt.totalMemory() - rt.freeMemory()), store);
    }

    /**
     * Runs the benchmark as if {@code freeHeap} bytes of heap were free: every model's
     * {@link ModelFamily#memory} estimate plus its evaluation is checked against 90 % of it before
     * the first model starts, and fits get it as their {@link FitContext#memoryBudget()}.
     *
     * @throws org.recsysrl.util.UserInputException if the split leaves no test user, or a model
     *     would not fit (naming the model, its largest part and the settings to change)
     */
    public static Report run(OfflineSplit split, List<ModelFamily> families, List<GivenModel> given, Settings s,
            Listener listener, long freeHeap) {
        return run(split, families, given, s, listener, freeHeap, RunStore.NONE);
    }

    /** {@link #run(OfflineSplit, List, List, Settings, Listener, long)} with a store of baseline runs. */
    public static Report run(OfflineSplit split, List<ModelFamily> families, List<GivenModel> given, Settings s,
            Listener listener, long freeHeap, RunStore store) {
        long start = System.nanoTime();
        Interactions train = split.trainPart();
        EvalTask validation = split.validationTask(s.excludeKnown());
        EvalTask test = split.testTask(s.excludeKnown());
        requireTestUsers(split, test);
        RankingSetup setup = setup(split, s);
        long evaluationBytes = evaluationBytes(split.log().itemCount(), Math.max(validation.size(), test.size()),
                FullRankingEvaluator.metricNames(setup).size(), s.cutoffs().length, s.threads());
        FitContext ctx = new FitContext(s.threads(), s.seed(), split.log().hasTimes(), split.log().ratings(),
                Math.max(0, freeHeap - evaluationBytes));
        java.util.Map<ModelFamily, String> grids = new java.util.IdentityHashMap<>();
        java.util.Map<ModelFamily, ModelRun> stored = storedOrFitting(families, train, ctx, store, grids,
                evaluationBytes, freeHeap);
        List<String> pending = new ArrayList<>();
        families.forEach(f -> pending.add(f.name()));
        given.forEach(g -> pending.add(g.model().name()));
        List<ModelRun> runs = new ArrayList<>();
        for (ModelFamily family : families) {
            String reason = family.unavailableReason(ctx);
            if (reason != null) {
                listener.status(family.name() + ": skipped, " + reason);
                runs.add(new ModelRun(family.name(), family.description(), true, Hyperparameters.NONE, List.of(), null,
                        null, null, 0, reason));
            } else if (stored.containsKey(family)) {
                ModelRun run = stored.get(family);
                listener.status(String.format(Locale.ROOT, "%s: stored run (fitted and ranked before, %.1f s of fits),"
                        + " chose %s, test %s %.4f", family.name(), run.fitSeconds(), run.chosen(), s.tuneKey(),
                        run.test().mean(s.tuneKey())));
                runs.add(run);
            } else {
                ModelRun run = tuneAndTest(family, train, ctx, validation, test, setup, s, listener);
                store.save(family.name(), family.getClass(), grids.get(family), run);
                runs.add(run);
            }
            pending.remove(0);
            listener.modelFinished(new Report(split.describe(), s, validation.size(), test.size(),
                    test.droppedTargets(), List.copyOf(runs), bestBaseline(runs, s), List.of(),
                    (System.nanoTime() - start) / 1e9), List.copyOf(pending));
        }
        for (GivenModel g : given) {
            RankingResult v = validation.size() == 0 ? null
                    : evaluate(g.model(), validation, setup, s, listener, g.model().name() + " validation");
            RankingResult t = evaluate(g.model(), test, setup, s, listener, g.model().name() + " test");
            listener.status(String.format(Locale.ROOT, "%s: test %s %.4f", g.model().name(), s.tuneKey(),
                    t.mean(s.tuneKey())));
            runs.add(new ModelRun(g.model().name(), g.description(), false, Hyperparameters.NONE, List.of(), v, t,
                    Bootstrap.intervals(t, s.bootstrap(), s.seed(), s.threads()), 0, null));
            pending.remove(0);
            listener.modelFinished(new Report(split.describe(), s, validation.size(), test.size(),
                    test.droppedTargets(), List.copyOf(runs), bestBaseline(runs, s), List.of(),
                    (System.nanoTime() - start) / 1e9), List.copyOf(pending));
        }
        String best = bestBaseline(runs, s);
        return new Report(split.describe(), s, validation.size(), test.size(), test.droppedTargets(), runs, best,
                comparisons(runs, best, s), (System.nanoTime() - start) / 1e9);
    }

    /**
     * The stored runs of the available {@code families} (each one's grid put in {@code grids});
     * every family without a stored run must fit in the free heap, or the benchmark is refused
     * before any model runs.
     */
    private static java.util.Map<ModelFamily, ModelRun> storedOrFitting(List<ModelFamily> families,
            Interactions train, FitContext ctx, RunStore store, java.util.Map<ModelFamily, String> grids,
            long evaluationBytes, long freeHeap) {
        java.util.Map<ModelFamily, ModelRun> stored = new java.util.IdentityHashMap<>();
        for (ModelFamily family : families) {
            if (family.unavailableReason(ctx) == null) {
                String grid = family.grid(train, ctx).toString();
                grids.put(family, grid);
                ModelRun found = store.load(family.name(), family.getClass(), grid);
                if (found != null) {
                    stored.put(family, found);
                } else {
                    requireMemory(family.name(), family.memory(train, ctx).plus(evaluationBytes), freeHeap);
                }
            }
        }
        return stored;
    }

    /** Refuses a split whose test part has no target to rank for, naming why and the fix. */
    private static void requireTestUsers(OfflineSplit split, EvalTask test) {
        if (test.size() == 0 && test.droppedTargets() > 0) {
            throw new org.recsysrl.util.UserInputException(split.describe() + ": every test interaction ("
                    + test.droppedTargets() + ") is an item its user already has, and eval.exclude_known=true drops"
                    + " those targets, so no metric can be computed: set eval.exclude_known=false, or use a log with"
                    + " new items in its test part");
        }
        if (test.size() == 0) {
            throw new org.recsysrl.util.UserInputException(split.describe() + ": no user has a test interaction, so"
                    + " no metric can be computed: use a larger data set, another eval.protocol, or lower the"
                    + " filters (data.user_core, data.item_core)");
        }
    }

    /** The tested baseline with the best test value of the tuning metric, or null if none was tested. */
    private static String bestBaseline(List<ModelRun> runs, Settings s) {
        String best = null;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (ModelRun r : runs) {
            if (r.baseline() && r.test() != null && r.test().mean(s.tuneKey()) > bestValue) {
                bestValue = r.test().mean(s.tuneKey());
                best = r.name();
            }
        }
        return best;
    }

    /**
     * Every tested model against the best baseline, then the given models after the first against
     * the first (e.g. an actor-critic against its supervised twin).
     */
    private static List<Comparison> comparisons(List<ModelRun> runs, String best, Settings s) {
        List<Comparison> comparisons = new ArrayList<>();
        if (best != null) {
            RankingResult bestResult = null;
            for (ModelRun r : runs) {
                if (r.name().equals(best)) {
                    bestResult = r.test();
                }
            }
            for (ModelRun r : runs) {
                if (r.test() != null && !r.name().equals(best)) {
                    comparisons.add(new Comparison(r.name(), best, PairedComparison.of(r.test(), bestResult,
                            s.tuneKey(), s.bootstrap(), s.flips(), s.seed())));
                }
            }
        }
        // the given models after the first against the first (e.g. an actor-critic against its supervised twin)
        ModelRun first = null;
        for (ModelRun r : runs) {
            if (r.baseline() || r.test() == null) {
                continue;
            }
            if (first == null) {
                first = r;
            } else {
                comparisons.add(new Comparison(r.name(), first.name(), PairedComparison.of(r.test(), first.test(),
                        s.tuneKey(), s.bootstrap(), s.flips(), s.seed())));
            }
        }
        return comparisons;
    }

    /**
     * The heap one evaluation holds besides the model: each thread's score vector, exposure counts
     * and sparse top-K buffers, the per-user metric values of a validation and a test result, and
     * the shared orders of the catalog.
     */
    static long evaluationBytes(long items, long users, long metrics, long cutoffs, int threads) {
        return threads * (items * (4 + 8 * cutoffs + 12)) + 2 * 8 * users * metrics + 16 * items;
    }

    /**
     * Refuses {@code model} if {@code need} exceeds 90 % of {@code freeHeap}.
     *
     * @throws org.recsysrl.util.UserInputException one line: the model, the estimate, its largest
     *     part, the free heap and the settings to change
     */
    static void requireMemory(String model, org.recsysrl.recommend.MemoryNeed need, long freeHeap) {
        if (need.bytes() <= freeHeap / 10 * 9) {
            return;
        }
        long max = Runtime.getRuntime().maxMemory();
        long suggestedGb = Math.min(1L << 20, (long) Math.ceil(((double) need.bytes() + max - freeHeap) / 0.9
                / (1L << 30)) + 1);
        throw new org.recsysrl.util.UserInputException(String.format(Locale.ROOT,
                "%s needs about %s of heap (the largest part: %s) but only %s is free: give Java more memory"
                        + " (RECSYS_RL_JAVA_OPTS=-Xmx%dg), filter rare items and users (data.item_core, data.user_core),"
                        + " or leave %s out of --models", model, org.recsysrl.recommend.MemoryNeed.size(need.bytes()),
                need.largest(), org.recsysrl.recommend.MemoryNeed.size(freeHeap), suggestedGb, model));
    }

    private static ModelRun tuneAndTest(ModelFamily family, Interactions train, FitContext ctx, EvalTask validation,
            EvalTask test, RankingSetup setup, Settings s, Listener listener) {
        long t0 = System.nanoTime();
        ModelFamily.Fitter fitter = family.prepare(train, ctx);
        double prepare = (System.nanoTime() - t0) / 1e9;
        double fitTotal = prepare;
        List<GridPoint> points = new ArrayList<>();
        Recommender best = null;
        Hyperparameters bestHp = null;
        RankingResult bestValidation = null;
        double bestValue = Double.NEGATIVE_INFINITY;
        List<Hyperparameters> grid = family.grid(train, ctx);
        for (Hyperparameters hp : grid) {
            long f0 = System.nanoTime();
            Recommender model = fitter.fit(hp);
            double fit = (System.nanoTime() - f0) / 1e9;
            fitTotal += fit;
            if (grid.size() == 1 && validation.size() == 0) {
                best = model;
                bestHp = hp;
                points.add(new GridPoint(hp, Double.NaN, fit, 0));
                break;
            }
            RankingResult v = evaluate(model, validation, setup, s, listener, family.name() + " " + hp + " validation");
            double value = v.mean(s.tuneKey());
            points.add(new GridPoint(hp, value, fit, v.seconds()));
            listener.status(String.format(Locale.ROOT, "%s %s: validation %s %.4f (fit %.1f s, ranking %.1f s)",
                    family.name(), hp, s.tuneKey(), value, fit, v.seconds()));
            if (best == null || value > bestValue) {
                best = model;
                bestHp = hp;
                bestValue = value;
                bestValidation = v;
            }
        }
        RankingResult t = evaluate(best, test, setup, s, listener, family.name() + " test");
        listener.status(String.format(Locale.ROOT, "%s: chose %s, test %s %.4f", family.name(), bestHp, s.tuneKey(),
                t.mean(s.tuneKey())));
        return new ModelRun(family.name(), family.description(), true, bestHp, points, bestValidation, t,
                Bootstrap.intervals(t, s.bootstrap(), s.seed(), s.threads()), fitTotal, null);
    }

    private static RankingResult evaluate(Recommender model, EvalTask task, RankingSetup setup, Settings s,
            Listener listener, String what) {
        int total = task.size();
        return FullRankingEvaluator.evaluate(model, task, setup, s.threads(),
                done -> listener.progress(what, done, total));
    }
}
