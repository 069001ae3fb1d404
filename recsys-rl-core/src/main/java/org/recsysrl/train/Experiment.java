package org.recsysrl.train;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.agent.Learner;
import org.recsysrl.config.EnvConfig;
import org.recsysrl.config.RunConfig;
import org.recsysrl.env.Environment;
import org.recsysrl.env.SimulatorWorld;
import org.recsysrl.env.VectorEnv;
import org.recsysrl.model.Models;
import org.recsysrl.setup.Setup;
import org.recsysrl.util.Rng;
import org.recsysrl.workload.Algorithm;
import org.recsysrl.workload.SimulatorWorkload;

/**
 * Wires a {@link RunConfig} into the objects of a run. Every random stream is split from
 * {@code train.seed} by a fixed id, so one seed determines the whole run:
 * model initialisation ({@value org.recsysrl.model.Models#INIT_STREAM}), action sampling
 * ({@value #ACTION_STREAM}), minibatch order ({@value #MINIBATCH_STREAM}), periodic-evaluation
 * users ({@value #EVAL_STREAM}), and environment i's user draws ({@value #ENV_STREAM_BASE} + i).
 * Catalog and users come from {@code env.seed} alone (streams 1 and 2); the ids do not overlap, so
 * equal seeds never replay one another's streams. What differs between workloads and algorithms
 * comes from {@link org.recsysrl.workload.Workload} and {@link Algorithm}.
 */
public final class Experiment {
    static final long ACTION_STREAM = 12;
    static final long MINIBATCH_STREAM = 13;
    static final long EVAL_STREAM = 14;
    static final long ENV_STREAM_BASE = 1000;

    private Experiment() {
    }

    /** The catalog and user population of {@code env.seed}. */
    public static SimulatorWorld world(EnvConfig e) {
        return new SimulatorWorld(SimulatorWorkload.spec(e));
    }

    /** A freshly initialised actor-critic for the world's observation and action sizes. */
    public static ActorCritic newModel(RunConfig cfg, SimulatorWorld world) {
        return newModel(cfg, SimulatorWorkload.setup(world));
    }

    /** A freshly initialised actor-critic for the setup's observation and action sizes. */
    public static ActorCritic newModel(RunConfig cfg, Setup s) {
        return Models.actorCritic(cfg, s);
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

    /** The learner of {@code algo} ({@code ppo} or {@code a2c}) over a new vector environment (already reset). */
    public static Learner newLearner(String algo, RunConfig cfg, ActorCritic model, SimulatorWorld world) {
        return newLearner(Algorithm.actorCritic(algo), cfg, model, SimulatorWorkload.setup(world));
    }

    /** The learner of {@code algo} over a new vector environment of the setup (already reset). */
    public static Learner newLearner(Algorithm algo, RunConfig cfg, ActorCritic model, Setup setup) {
        long seed = cfg.train().seed();
        VectorEnv env = vectorEnv(setup.newEnv(), algo.onPolicy(cfg).numEnvs(), seed, model.historyLength());
        env.reset();
        return algo.newLearner(cfg, model, env, Rng.stream(seed, ACTION_STREAM), Rng.stream(seed, MINIBATCH_STREAM));
    }
}
