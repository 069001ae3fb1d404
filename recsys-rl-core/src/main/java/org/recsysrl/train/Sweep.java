package org.recsysrl.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.agent.ActorCriticPolicy;
import org.recsysrl.agent.EpisodeTally;
import org.recsysrl.agent.Learner;
import org.recsysrl.config.RunConfig;
import org.recsysrl.env.SimulatorWorld;
import org.recsysrl.eval.Evaluation;
import org.recsysrl.eval.EvaluationReport;
import org.recsysrl.eval.PlatformComparison;
import org.recsysrl.model.Models;
import org.recsysrl.setup.Setup;
import org.recsysrl.util.Rng;
import org.recsysrl.workload.Algorithm;
import org.recsysrl.workload.PlatformWorkload;
import org.recsysrl.workload.SimulatorWorkload;
import org.recsysrl.workload.Workload;

/**
 * Trains one or more configurations over several seeds, in parallel, and evaluates every trained
 * policy (argmax and sampled actions) against the reference policies. Each run is independent and
 * single-threaded, so its result depends only on its configuration and seed, not on the number of
 * threads or on the order the runs finish in.
 */
public final class Sweep {
    /** Points of a learning curve per run. */
    public static final int CURVE_POINTS = 50;

    private Sweep() {
    }

    /** One training run: a labelled configuration, an algorithm and the agent's seed. */
    public record Job(String label, String algo, RunConfig config, long seed) {
    }

    /**
     * The result of one run.
     *
     * @param curve pairs (step, mean return of the training episodes finished since the previous point)
     * @param platform on a platform environment, the agent's (argmax) return and engagement figures
     *     on the evaluation users; then {@code argmax} and {@code sampled} are null
     */
    public record Outcome(Job job, long steps, double seconds, EvaluationReport argmax, EvaluationReport sampled,
            List<double[]> curve, PlatformComparison.Row platform) {
        /** A simulator run's outcome (no platform row). */
        public Outcome(Job job, long steps, double seconds, EvaluationReport argmax, EvaluationReport sampled,
                List<double[]> curve) {
            this(job, steps, seconds, argmax, sampled, curve, null);
        }

        public double personalisation() {
            return argmax.personalisation();
        }

        public double sampledPersonalisation() {
            return sampled.personalisation();
        }
    }

    /**
     * Where a sweep's runs execute: on this JVM's threads ({@link #threads}), or elsewhere (the
     * {@code recsys-rl-spark} module runs each job as one Spark task). Every job's outcome depends
     * only on the job, so every runner gives the same outcomes.
     */
    @FunctionalInterface
    public interface Runner {
        /**
         * Runs every job and returns the outcomes in job order; {@code onDone} is called (from the
         * calling thread, in job order) as results become available.
         *
         * @param episodes evaluation episodes per policy
         * @param evalSeed seed of the evaluation users (the same users for every run)
         */
        List<Outcome> run(List<Job> jobs, int episodes, long evalSeed, Consumer<Outcome> onDone)
                throws InterruptedException;

        /** Runs the jobs on {@code threads} threads of this JVM. */
        static Runner threads(int threads) {
            return (jobs, episodes, evalSeed, onDone) -> Sweep.run(jobs, threads, episodes, evalSeed, onDone);
        }
    }

    /**
     * Runs every job on {@code threads} threads; {@code onDone} is called (from the calling thread,
     * in job order) as results become available.
     *
     * @param episodes evaluation episodes per policy
     * @param evalSeed seed of the evaluation users (the same users for every run)
     */
    public static List<Outcome> run(List<Job> jobs, int threads, int episodes, long evalSeed, Consumer<Outcome> onDone)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "sweep");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (Job job : jobs) {
                futures.add(pool.submit(() -> runOne(job, episodes, evalSeed)));
            }
            List<Outcome> out = new ArrayList<>();
            for (Future<Outcome> f : futures) {
                Outcome o = get(f);
                out.add(o);
                onDone.accept(o);
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Outcome get(Future<Outcome> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Trains and evaluates one job (no file I/O): on a platform, or else on the simulator. */
    public static Outcome runOne(Job job, int episodes, long evalSeed) {
        long start = System.nanoTime();
        Algorithm algorithm = Algorithm.actorCritic(job.algo());
        Workload workload = Workload.of(job.config());
        if (workload instanceof PlatformWorkload platform) {
            return runPlatform(job, algorithm, platform, episodes, evalSeed, start);
        }
        return runSimulator(job, algorithm, workload.requireSimulator(), episodes, evalSeed, start);
    }

    /** A job on the simulator: the agent and the reference policies, argmax and sampled, on the users of {@code evalSeed}. */
    private static Outcome runSimulator(Job job, Algorithm algorithm, SimulatorWorkload simulator, int episodes,
            long evalSeed, long start) {
        RunConfig cfg = job.config();
        SimulatorWorld world = simulator.world();
        Setup setup = SimulatorWorkload.setup(world);
        ActorCritic model = Models.actorCritic(cfg, setup);
        Learner learner = Experiment.newLearner(algorithm, cfg, model, setup);
        List<double[]> curve = train(learner, cfg.train().totalTimesteps());
        double seconds = (System.nanoTime() - start) / 1e9;
        EvaluationReport argmax = Evaluation.compare(() -> world.newEnvironment(0),
                new ActorCriticPolicy(job.algo(), model, true, null, 1), true, episodes, evalSeed);
        EvaluationReport sampled = Evaluation.compare(() -> world.newEnvironment(0),
                new ActorCriticPolicy(job.algo(), model, false, Rng.stream(evalSeed, Evaluation.AGENT_STREAM), 1),
                false, episodes, evalSeed);
        return new Outcome(job, learner.steps(), seconds, argmax, sampled, curve);
    }

    /** A job on a platform environment: the agent is evaluated (argmax) on the users of {@code evalSeed}. */
    private static Outcome runPlatform(Job job, Algorithm algorithm, PlatformWorkload workload, int episodes,
            long evalSeed, long start) {
        RunConfig cfg = job.config();
        Setup setup = workload.setup(null);
        ActorCritic model = Models.actorCritic(cfg, setup);
        Learner learner = Experiment.newLearner(algorithm, cfg, model, setup);
        List<double[]> curve = train(learner, cfg.train().totalTimesteps());
        double seconds = (System.nanoTime() - start) / 1e9;
        PlatformComparison.Row row = PlatformComparison.run(setup.newEnv(),
                List.of(new ActorCriticPolicy(job.algo(), model, true, null, 1)),
                PlatformComparison.users(episodes, setup.userCount(), evalSeed), evalSeed,
                workload.platform().figures()).get(0);
        return new Outcome(job, learner.steps(), seconds, null, null, curve, row);
    }

    /** Trains to {@code total} steps; returns the learning curve. */
    private static List<double[]> train(Learner learner, long total) {
        EpisodeTally episodes = learner.collector().episodes();
        long every = Math.max(1, total / CURVE_POINTS);
        long next = every;
        List<double[]> curve = new ArrayList<>();
        while (learner.steps() < total) {
            learner.iterate();
            if (learner.steps() >= next || learner.steps() >= total) {
                curve.add(new double[] {learner.steps(), episodes.meanReturn()});
                episodes.drain();
                next = (learner.steps() / every + 1) * every;
            }
        }
        return curve;
    }
}
