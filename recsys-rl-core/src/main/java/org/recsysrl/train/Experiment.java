package org.recsysrl.train;

import java.util.ArrayList;
import java.util.List;
import org.recsysrl.agent.A2c;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.agent.Learner;
import org.recsysrl.agent.Ppo;
import org.recsysrl.config.EnvConfig;
import org.recsysrl.config.RunConfig;
import java.util.function.LongFunction;
import org.recsysrl.env.Environment;
import org.recsysrl.env.MovieLensWorld;
import org.recsysrl.env.SimulatorSpec;
import org.recsysrl.env.SimulatorWorld;
import org.recsysrl.env.VectorEnv;
import org.recsysrl.util.Rng;
import org.recsysrl.util.UserInputException;

/**
 * Wires a {@link RunConfig} into the objects of a run. Every random stream is split from
 * {@code train.seed} by a fixed id, so one seed determines the whole run:
 * model initialisation ({@value #INIT_STREAM}), action sampling ({@value #ACTION_STREAM}),
 * minibatch order ({@value #MINIBATCH_STREAM}), periodic-evaluation users ({@value #EVAL_STREAM}),
 * and environment i's user draws ({@value #ENV_STREAM_BASE} + i). Catalog and users come from
 * {@code env.seed} alone (streams 1 and 2); the ids do not overlap, so equal seeds never replay
 * one another's streams.
 */
public final class Experiment {
    public static final List<String> ALGORITHMS = List.of("ppo", "a2c");
    static final long INIT_STREAM = 11;
    static final long ACTION_STREAM = 12;
    static final long MINIBATCH_STREAM = 13;
    static final long EVAL_STREAM = 14;
    static final long ENV_STREAM_BASE = 1000;

    private Experiment() {
    }

    /** Rejects anything but {@code ppo} or {@code a2c}. */
    public static String checkAlgorithm(String algo) {
        if (algo == null || !ALGORITHMS.contains(algo)) {
            throw new UserInputException("unknown algorithm '" + algo + "': use --algo ppo or --algo a2c");
        }
        return algo;
    }

    /**
     * Rejects {@code env.type=movielens} and the platforms where only the simulator is supported
     * (bench's training runs; sweep takes the simulator and the platforms).
     *
     * @throws UserInputException naming env.type
     */
    public static void requireSimulator(RunConfig cfg) {
        if (cfg.env().platform()) {
            throw new UserInputException("env.type=" + cfg.env().type() + ": bench trains on the simulator; it times"
                    + " this platform's stepping with --only env-" + cfg.env().type());
        }
        if (cfg.env().ratingLog()) {
            throw new UserInputException("env.type=movielens is supported by train and evaluate only;"
                    + " sweep and bench run the simulator: drop env.type/--env/--data");
        }
    }

    /** The simulator's parameters. */
    public static SimulatorSpec spec(EnvConfig e) {
        return new SimulatorSpec(e.numItems(), e.numUsers(), e.userFeatureDim(), e.itemFeatureDim(),
                e.maxEpisodeSteps(), e.rewardDecay(), e.interestDrift(), e.seed());
    }

    /** The catalog and user population of {@code env.seed}. */
    public static SimulatorWorld world(EnvConfig e) {
        return new SimulatorWorld(spec(e));
    }

    /** A freshly initialised actor-critic for the world's observation and action sizes. */
    public static ActorCritic newModel(RunConfig cfg, SimulatorWorld world) {
        return new ActorCritic(world.spec().observationSize(), world.spec().numItems(), cfg.model(),
                world.catalog().embeddings(), world.catalog().dim(), Rng.stream(cfg.train().seed(), INIT_STREAM));
    }

    /** The environments of a run, each with its own user stream. */
    public static VectorEnv vectorEnv(SimulatorWorld world, int count, long seed) {
        return vectorEnv(world::newEnvironment, count, seed);
    }

    /** {@code count} environments from {@code newEnv}, env i seeded from stream {@value #ENV_STREAM_BASE} + i. */
    public static VectorEnv vectorEnv(LongFunction<? extends Environment> newEnv, int count, long seed) {
        return vectorEnv(newEnv, count, seed, 0);
    }

    /** As above, keeping every episode's last {@code historyLength} items shown (0 = none). */
    public static VectorEnv vectorEnv(LongFunction<? extends Environment> newEnv, int count, long seed,
            int historyLength) {
        List<Environment> envs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            envs.add(newEnv.apply(Rng.stream(seed, ENV_STREAM_BASE + i).nextLong()));
        }
        return new VectorEnv(envs, historyLength);
    }

    /**
     * What a run needs from its environment type, whichever it is.
     *
     * @param newEnv a fresh environment seeded with the given user-stream seed
     * @param slateSize actions per step (1, or K for slate environments)
     * @param candidates where each observation describes the step's candidates, for the candidate
     *     actor head (null when the actions are fixed catalogue items)
     * @param actionGroups the group of every action (a category, a content type) for the
     *     hierarchical actor head, or null
     * @param itemEmbeddings [actionCount × itemDim] for the embedding actor head
     * @param real the real-data side (null for the simulator)
     */
    public record Setup(int observationSize, int actionCount, int slateSize, float[] itemEmbeddings, int itemDim,
            org.recsysrl.agent.CandidateBlocks candidates, int[] actionGroups, int userCount,
            LongFunction<? extends Environment> newEnv, RealData real) {

        /** A setup whose environments show one item per step. */
        public Setup(int observationSize, int actionCount, float[] itemEmbeddings, int itemDim, int userCount,
                LongFunction<? extends Environment> newEnv, RealData real) {
            this(observationSize, actionCount, 1, itemEmbeddings, itemDim, null, null, userCount, newEnv, real);
        }
    }

    /** The simulator's setup. */
    public static Setup setup(SimulatorWorld world) {
        return new Setup(world.spec().observationSize(), world.spec().numItems(), world.catalog().embeddings(),
                world.catalog().dim(), world.spec().numUsers(), world::newEnvironment, null);
    }

    /** The real-data setup: the world of {@code real}, item embeddings from its factorisation. */
    public static Setup setup(RealData real) {
        MovieLensWorld w = real.world();
        return new Setup(w.observationSize(), w.itemCount(), w.itemEmbeddings(), w.dim(), w.userCount(),
                w::newEnvironment, real);
    }

    /**
     * The setup of {@code cfg}: the simulator of {@code env.seed}, or for {@code env.type = movielens}
     * the data of {@code data.path}, split and factorised (reports the factorisation on {@code log}).
     */
    public static Setup setup(RunConfig cfg, java.util.function.Consumer<String> log) {
        if (cfg.env().platform()) {
            return Platforms.get(cfg.env().type()).setup(cfg.env().seed());
        }
        if (!cfg.env().ratingLog()) {
            return setup(world(cfg.env()));
        }
        long t0 = System.nanoTime();
        RealData real = RealData.load(cfg.data(), cfg.env().maxEpisodeSteps());
        if (log != null) {
            log.accept(String.format(java.util.Locale.ROOT,
                    "data %s; split %s: %d train, %d held out; ALS dim %d, %d sweeps: held-out RMSE %.4f (%.1f s)",
                    real.data().identity().describe(), real.split().spec().describe(), real.split().trainSize(),
                    real.split().testSize(), real.mf().spec().dim(), real.mf().spec().iterations(), real.mf().testRmse(),
                    (System.nanoTime() - t0) / 1e9));
        }
        return setup(real);
    }

    /** A freshly initialised actor-critic for the setup's observation and action sizes. */
    public static ActorCritic newModel(RunConfig cfg, Setup s) {
        return new ActorCritic(s.observationSize(), s.actionCount(), s.slateSize(), cfg.model(), s.itemEmbeddings(),
                s.itemDim(), s.candidates(), s.actionGroups(), Rng.stream(cfg.train().seed(), INIT_STREAM));
    }

    /** The learner of {@code algo} over a new vector environment (already reset). */
    public static Learner newLearner(String algo, RunConfig cfg, ActorCritic model, SimulatorWorld world) {
        return newLearner(algo, cfg, model, setup(world));
    }

    /** The learner of {@code algo} over a new vector environment of the setup (already reset). */
    public static Learner newLearner(String algo, RunConfig cfg, ActorCritic model, Setup setup) {
        long seed = cfg.train().seed();
        Rng actions = Rng.stream(seed, ACTION_STREAM);
        switch (checkAlgorithm(algo)) {
            case "ppo": {
                VectorEnv env = vectorEnv(setup.newEnv(), cfg.ppo().numEnvs(), seed, model.historyLength());
                env.reset();
                return new Ppo(cfg.ppo(), model, env, actions, Rng.stream(seed, MINIBATCH_STREAM),
                        cfg.train().totalTimesteps());
            }
            default: {
                VectorEnv env = vectorEnv(setup.newEnv(), cfg.a2c().numEnvs(), seed, model.historyLength());
                env.reset();
                return new A2c(cfg.a2c(), model, env, actions, cfg.train().totalTimesteps());
            }
        }
    }
}
