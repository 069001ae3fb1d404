package org.recsysrl.train;

import java.util.ArrayList;
import java.util.List;
import org.recsysrl.agent.A2c;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.agent.Learner;
import org.recsysrl.agent.Ppo;
import org.recsysrl.config.EnvConfig;
import org.recsysrl.config.RunConfig;
import org.recsysrl.env.RecommendationEnv;
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
        List<RecommendationEnv> envs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            envs.add(world.newEnvironment(Rng.stream(seed, ENV_STREAM_BASE + i).nextLong()));
        }
        return new VectorEnv(envs);
    }

    /** The learner of {@code algo} over a new vector environment (already reset). */
    public static Learner newLearner(String algo, RunConfig cfg, ActorCritic model, SimulatorWorld world) {
        long seed = cfg.train().seed();
        Rng actions = Rng.stream(seed, ACTION_STREAM);
        switch (checkAlgorithm(algo)) {
            case "ppo": {
                VectorEnv env = vectorEnv(world, cfg.ppo().numEnvs(), seed);
                env.reset();
                return new Ppo(cfg.ppo(), model, env, actions, Rng.stream(seed, MINIBATCH_STREAM),
                        cfg.train().totalTimesteps());
            }
            default: {
                VectorEnv env = vectorEnv(world, cfg.a2c().numEnvs(), seed);
                env.reset();
                return new A2c(cfg.a2c(), model, env, actions, cfg.train().totalTimesteps());
            }
        }
    }
}
