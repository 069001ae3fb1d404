package org.recsysrl.agent;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import org.recsysrl.config.RunConfig;
import org.recsysrl.env.SimulatorWorld;
import org.recsysrl.env.VectorEnv;
import org.recsysrl.train.Experiment;
import org.recsysrl.util.Rng;

/**
 * PPO at the {@code original} preset with each minibatch's step on T threads
 * ({@link ThreadedMinibatch}: the row split, or with a count written {@code 2o} the output split),
 * timed by CPU time as well as the wall clock, so that a shared host still gives a figure:
 * docs/performance.md ("The second core"). Not a JMH benchmark; run it from the benchmarks jar,
 * alternating thread counts:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -XX:+UseSerialGC -XX:MaxNewSize=32m \
 *     -cp target/benchmarks.jar org.recsysrl.agent.ThreadedPpoTimes 1,2,1,2 20480
 * </pre>
 *
 * <p>Arguments: the thread counts to run one after the other in one JVM (each a fresh model and
 * learner of the same seed), and the environment steps of each run. Per run it prints the wall
 * time, the calling thread's CPU time, the helpers' CPU time and the CPU time of the whole process
 * (the JIT compiler and the collector included) over all iterations but the first (the JIT's
 * warm-up), and the mean loss terms of the last update (the same for a thread count, whatever
 * the host). Only the CPU times mean something on a shared host; wall times only on a quiet one.
 */
public final class ThreadedPpoTimes {
    private ThreadedPpoTimes() {
    }

    public static void main(String[] args) {
        String[] counts = (args.length > 0 ? args[0] : "1,2,1,2").split(",");
        long steps = args.length > 1 ? Long.parseLong(args[1]) : 20_480;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (String count : counts) {
            String c = count.trim();
            boolean outputs = c.endsWith("o");
            int threads = Integer.parseInt(outputs ? c.substring(0, c.length() - 1) : c);
            RunConfig cfg = RunConfig.original();
            SimulatorWorld world = Experiment.world(cfg.env());
            ActorCritic model = Experiment.newModel(cfg, world);
            long seed = cfg.train().seed();
            VectorEnv env = Experiment.vectorEnv(world, cfg.ppo().numEnvs(), seed);
            env.reset();
            Ppo ppo = new Ppo(cfg.ppo(), model, env, Rng.stream(seed, 12), Rng.stream(seed, 13), steps, threads,
                    outputs);
            long first0 = System.nanoTime();
            UpdateStats last = ppo.iterate(); // the first iteration: the JIT's warm-up
            double firstSeconds = (System.nanoTime() - first0) / 1e9;
            ppo.phaseCpuNanos(); // resets the phase counters
            long wall0 = System.nanoTime();
            long own0 = mx.getCurrentThreadCpuTime();
            java.util.Map<Long, Long> helpers0 = helperCpu(mx);
            long process0 = os.getProcessCpuTime();
            int iterations = 0;
            while (ppo.steps() < steps) {
                last = ppo.iterate();
                iterations++;
            }
            long wall = System.nanoTime() - wall0;
            long own = mx.getCurrentThreadCpuTime() - own0;
            long helpers = 0;
            for (java.util.Map.Entry<Long, Long> e : helperCpu(mx).entrySet()) {
                helpers += e.getValue() - helpers0.getOrDefault(e.getKey(), 0L); // a helper may have started since
            }
            long process = os.getProcessCpuTime() - process0;
            System.out.printf(Locale.ROOT,
                    "threads %s: first iteration wall %.3f s; %d iterations after the first: wall %.3f s, calling thread CPU %.3f s, helpers CPU"
                            + " %.3f s, process CPU %.3f s; per iteration wall %.1f ms, calling thread %.1f ms;"
                            + " last update: policy loss %.9f, value loss %.9f, grad norm %.9f%n",
                    c + (threads > 1 ? (ppo.threadedStep() instanceof OutputSplitMinibatch ? " (outputs)" : " (rows)") : ""),
                    firstSeconds, iterations, wall / 1e9, own / 1e9, helpers / 1e9, process / 1e9,
                    wall / 1e6 / Math.max(1, iterations), own / 1e6 / Math.max(1, iterations),
                    last.policyLoss(), last.valueLoss(), last.gradNorm());
            printPhases(ppo.phaseCpuNanos());
        }
    }

    /** Each share's CPU per minibatch by phase (with -Drecsysrl.ppo.phaseCpu=true), and their critical path. */
    private static void printPhases(long[][] phases) {
        if (phases == null || phases[0][3] == 0) {
            return;
        }
        double slowest = 0;
        for (int w = 0; w < phases.length; w++) {
            long[] p = phases[w];
            double perMinibatch = (p[0] + p[1] + p[2]) / 1e3 / p[3];
            slowest = Math.max(slowest, perMinibatch);
            System.out.printf(Locale.ROOT, "  share %d, CPU per minibatch (waits excluded): forward+loss+backward"
                    + " %.1f us, reduce %.1f us, Adam %.1f us%n", w, p[0] / 1e3 / p[3], p[1] / 1e3 / p[3], p[2] / 1e3 / p[3]);
        }
        System.out.printf(Locale.ROOT, "  the slowest share's CPU per minibatch: %.1f us (a quiet host's time per"
                + " minibatch, before the hand-offs)%n", slowest);
    }

    /** CPU time of every live helper thread of a data-parallel minibatch, by thread id. */
    private static java.util.Map<Long, Long> helperCpu(ThreadMXBean mx) {
        java.util.Map<Long, Long> cpu = new java.util.HashMap<>();
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("recsys-rl-ppo-share-")) {
                long t = mx.getThreadCpuTime(info.getThreadId());
                if (t > 0) {
                    cpu.put(info.getThreadId(), t);
                }
            }
        }
        return cpu;
    }
}
