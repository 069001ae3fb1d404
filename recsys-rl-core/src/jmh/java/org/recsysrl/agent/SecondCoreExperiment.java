package org.recsysrl.agent;

import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import org.recsysrl.config.A2cConfig;
import org.recsysrl.config.RunConfig;
import org.recsysrl.env.SimulatorWorld;
import org.recsysrl.nn.GradClip;
import org.recsysrl.nn.Kernels;
import org.recsysrl.nn.ParameterStore;
import org.recsysrl.train.Experiment;

/**
 * The measurement behind docs/performance.md, "The second core": the Adam update
 * ({@link Kernels#adamUpdate}, as {@code Adam.step} runs it) split between
 * this thread and a spinning helper thread (each takes half of the 98,217 parameters; the update
 * is elementwise, so the bits are the same), timed alone and inside A2C updates at the
 * {@code original} preset, against the same update on one thread. Not part of the program; run it
 * from the benchmarks jar:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -XX:+UseSerialGC -XX:MaxNewSize=32m \
 *     -cp target/benchmarks.jar org.recsysrl.agent.SecondCoreExperiment
 * </pre>
 */
public final class SecondCoreExperiment {
    private SecondCoreExperiment() {
    }

    /** A helper thread that runs the upper half of an index range while the caller runs the lower. */
    private static final class Helper {
        private final Thread thread;
        private volatile int requested;
        private volatile int completed;
        private volatile boolean parked;
        private volatile boolean stop;
        private Range job;
        private int from;
        private int to;

        interface Range {
            void run(int from, int to);
        }

        Helper() {
            thread = new Thread(this::serve, "second-core-experiment");
            thread.setDaemon(true);
            thread.start();
        }

        void split(int n, Range job) {
            int mid = (n / 2) & ~63;
            this.job = job;
            this.from = mid;
            this.to = n;
            int generation = requested + 1;
            requested = generation;
            if (parked) {
                LockSupport.unpark(thread);
            }
            job.run(0, mid);
            while (completed != generation) {
                Thread.onSpinWait();
            }
        }

        void stop() {
            stop = true;
            requested = requested + 1;
            LockSupport.unpark(thread);
        }

        private void serve() {
            int seen = 0;
            while (true) {
                long spinStart = System.nanoTime();
                int spins = 0;
                while (requested == seen) {
                    Thread.onSpinWait();
                    if ((++spins & 255) == 0 && System.nanoTime() - spinStart > 2_000_000L) {
                        parked = true;
                        if (requested == seen) {
                            LockSupport.park(this);
                        }
                        parked = false;
                        spinStart = System.nanoTime();
                    }
                }
                seen = requested;
                if (stop) {
                    return;
                }
                job.run(from, to);
                completed = seen;
            }
        }
    }

    public static void main(String[] args) {
        Helper helper = new Helper();
        RunConfig cfg = RunConfig.original();
        SimulatorWorld world = Experiment.world(cfg.env());
        ActorCritic model = Experiment.newModel(cfg, world);
        A2c learner = (A2c) Experiment.newLearner("a2c", cfg, model, world);
        A2cConfig c = cfg.a2c();
        ParameterStore params = model.parameters();
        int size = params.size();
        // alone: a gradient of realistic size (a constant zero gradient would drive the moments
        // into subnormal floats, which are slow and not what training sees); in A2C: the real ones
        float[] gradient = new float[size];
        float[] p = new float[size];
        float[] m = new float[size];
        float[] v = new float[size];
        org.recsysrl.util.Rng rng = new org.recsysrl.util.Rng(5);
        for (int i = 0; i < size; i++) {
            gradient[i] = (float) (1e-3 * rng.nextGaussian());
            p[i] = (float) (0.1 * rng.nextGaussian());
        }
        float[] learnerM = learner.adam.firstMoment();
        float[] learnerV = learner.adam.secondMoment();
        for (int round = 0; round < 5; round++) {
            double[] alone = new double[2];
            double[] inA2c = new double[2];
            for (int split = 0; split < 2; split++) {
                Helper h = split == 1 ? helper : null;
                int n = 3000;
                long total = 0;
                for (int i = 0; i < n; i++) {
                    long t0 = System.nanoTime();
                    adam(h, p, gradient, m, v, size);
                    total += System.nanoTime() - t0;
                }
                alone[split] = total / 1e3 / n;
                total = 0;
                RolloutBuffer buffer = learner.buffer;
                ActorCritic.Workspace ws = model.newWorkspace(buffer.size());
                ActorCriticLoss.Terms terms = new ActorCriticLoss.Terms();
                for (int i = 0; i < n; i++) {
                    learner.collectRollout(c.lr(), false, c.gamma(), c.gaeLambda(), ws);
                    terms.clear();
                    ActorCriticLoss.a2c(ws, buffer.size(), model.actionCount(), 1, buffer.actions, buffer.advantages,
                            buffer.returns, c.entCoef(), c.vfCoef(), terms);
                    model.backward(ws, buffer.observations, buffer.size(), false);
                    GradClip.globalNorm(params.grad());
                    long t0 = System.nanoTime();
                    adam(h, params.data(), params.grad(), learnerM, learnerV, size);
                    total += System.nanoTime() - t0;
                }
                inA2c[split] = total / 1e3 / n;
            }
            System.out.println(String.format(Locale.ROOT,
                    "Adam step, µs: alone %.1f (one thread) vs %.1f (split); inside A2C updates %.1f vs %.1f",
                    alone[0], alone[1], inA2c[0], inA2c[1]));
        }
        helper.stop();
    }

    /** Adam's elementwise update (t = 1000 scalars), on one thread or split with the helper. */
    private static void adam(Helper helper, float[] p, float[] g, float[] m, float[] v, int size) {
        Helper.Range job = (from, to) -> Kernels.adamUpdate(p, g, 1f, m, v, from, to, 0.1f, 0.999f, 0.001f,
                -7e-4f, 0.795f, 1e-8f);
        if (helper == null) {
            job.run(0, size);
        } else {
            helper.split(size, job);
        }
    }
}
