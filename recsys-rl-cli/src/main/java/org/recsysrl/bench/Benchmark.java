package org.recsysrl.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.agent.Learner;
import org.recsysrl.config.RunConfig;
import org.recsysrl.env.SimulatorWorld;
import org.recsysrl.env.VectorEnv;
import org.recsysrl.model.Models;
import org.recsysrl.nn.Kernels;
import org.recsysrl.setup.Setup;
import org.recsysrl.train.Experiment;
import org.recsysrl.util.Rng;
import org.recsysrl.workload.Algorithm;
import org.recsysrl.workload.Platforms;
import org.recsysrl.workload.SimulatorWorkload;
import org.recsysrl.workload.Workload;

/**
 * Times training runs at given settings without any file I/O: learner construction, rollouts and
 * updates, exactly as {@code train} does them. Also times environment-only stepping with random
 * actions.
 */
public final class Benchmark {
    private Benchmark() {
    }

    /** One timed run. */
    public record Run(String name, int repetition, long steps, double seconds, double flop) {
        public double stepsPerSecond() {
            return steps / seconds;
        }

        public double gflopPerSecond() {
            return flop / seconds / 1e9;
        }
    }

    /** Trains {@code algo} for {@code steps} steps with {@code cfg} and returns the wall time. */
    public static Run train(String algo, RunConfig cfg, long steps, int repetition) {
        return train(algo, algo, cfg, steps, repetition);
    }

    /** As {@link #train(String, RunConfig, long, int)}, the run named {@code name} (e.g. "ppo-default"). */
    public static Run train(String name, String algo, RunConfig cfg, long steps, int repetition) {
        long start = System.nanoTime();
        SimulatorWorkload simulator = Workload.of(cfg).requireSimulator();
        Algorithm algorithm = Algorithm.actorCritic(algo);
        Setup setup = SimulatorWorkload.setup(simulator.world());
        ActorCritic model = Models.actorCritic(cfg, setup);
        Learner learner = Experiment.newLearner(algorithm, cfg, model, setup);
        while (learner.steps() < steps) {
            learner.iterate();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double flop = FlopCount.training(algorithm, cfg, learner.steps());
        return new Run(name, repetition, learner.steps(), seconds, flop);
    }

    /** Steps {@code numEnvs} environments with uniformly random items for {@code steps} steps in total. */
    public static Run environment(RunConfig cfg, int numEnvs, long steps, int repetition) {
        SimulatorWorld world = Workload.of(cfg).requireSimulator().world();
        return environment("env", Experiment.vectorEnv(world, numEnvs, cfg.train().seed()), cfg.train().seed(), steps,
                repetition);
    }

    /**
     * Steps {@code numEnvs} environments of the platform {@code name} (env seed 0) with uniformly
     * random items (slate environments: a random item and the K − 1 after it); the run is named
     * {@code env-<name>}.
     */
    public static Run platformEnvironment(String name, int numEnvs, long steps, long seed, int repetition) {
        Setup setup = Platforms.get(name).setup(0);
        return environment("env-" + name, Experiment.vectorEnv(setup.newEnv(), numEnvs, seed), seed, steps, repetition);
    }

    private static Run environment(String name, VectorEnv env, long seed, long steps, int repetition) {
        int numEnvs = env.numEnvs();
        env.reset();
        Rng rng = new Rng(seed);
        int k = env.slateSize();
        int[] actions = new int[numEnvs * k];
        int items = env.actionCount();
        long start = System.nanoTime();
        long done = 0;
        while (done < steps) {
            for (int i = 0; i < numEnvs; i++) {
                // a slate of k distinct items: a random first one and the next k − 1 after it
                int first = rng.nextInt(items);
                for (int j = 0; j < k; j++) {
                    actions[i * k + j] = (first + j) % items;
                }
            }
            env.step(actions);
            done += numEnvs;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Run(name, repetition, done, seconds, 0);
    }

    /** Median of the values. */
    public static double median(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        v.sort(Double::compare);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    /** A one-line description of the JVM, the kernel backend and the threads in use. */
    public static String platform() {
        Runtime rt = Runtime.getRuntime();
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + ", kernels "
                + Kernels.backend() + ", " + rt.availableProcessors() + " cores, 1 compute thread, max heap "
                + rt.maxMemory() / (1024 * 1024) + " MiB, args " + ManagementFactory.getRuntimeMXBean().getInputArguments();
    }
}
