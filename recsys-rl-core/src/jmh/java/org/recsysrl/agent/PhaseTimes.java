package org.recsysrl.agent;

import java.util.Arrays;
import java.util.Locale;
import org.recsysrl.config.A2cConfig;
import org.recsysrl.config.PpoConfig;
import org.recsysrl.config.RunConfig;
import org.recsysrl.env.SimulatorWorld;
import org.recsysrl.nn.Adam;
import org.recsysrl.nn.GradClip;
import org.recsysrl.nn.ParameterStore;
import org.recsysrl.train.Experiment;
import org.recsysrl.util.Rng;

/**
 * Where the time of an update goes, phase by phase, at the {@code original} preset: the tables of
 * docs/performance.md ("Where the time goes"). Not a JMH benchmark; run it from the benchmarks jar:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -XX:+UseSerialGC -XX:MaxNewSize=32m \
 *     -cp target/benchmarks.jar org.recsysrl.agent.PhaseTimes ppo   # or a2c
 * </pre>
 *
 * <p>{@code ppo}: one minibatch of {@code ppo.batch_size} rows (random observations, actions and
 * advantages), the steps {@link Ppo#iterate} takes for it. {@code a2c}: whole A2C updates, the
 * steps {@link A2c#iterate} takes. Each prints six rounds of averages; the first includes the
 * JIT's warm-up.
 */
public final class PhaseTimes {
    private PhaseTimes() {
    }

    public static void main(String[] args) {
        String what = args.length > 0 ? args[0] : "ppo";
        RunConfig cfg = RunConfig.original();
        if (what.equals("ppo")) {
            ppo(cfg);
        } else if (what.equals("a2c")) {
            a2c(cfg);
        } else if (what.equals("a2c-rows")) {
            a2cRows(cfg);
        } else {
            System.err.println("usage: PhaseTimes ppo|a2c|a2c-rows");
            System.exit(2);
        }
    }

    private static void ppo(RunConfig cfg) {
        SimulatorWorld world = Experiment.world(cfg.env());
        ActorCritic model = Experiment.newModel(cfg, world);
        PpoConfig p = cfg.ppo();
        int b = p.batchSize();
        int d = model.observationSize();
        int a = model.actionCount();
        Rng rng = new Rng(2);
        float[] obs = new float[b * d];
        for (int i = 0; i < obs.length; i++) {
            obs[i] = (float) rng.uniform(-1, 1);
        }
        int[] actions = new int[b];
        float[] oldLogp = new float[b];
        float[] adv = new float[b];
        float[] returns = new float[b];
        float[] oldValues = new float[b];
        for (int j = 0; j < b; j++) {
            actions[j] = rng.nextInt(a);
            oldLogp[j] = (float) -Math.log(a);
            adv[j] = (float) rng.uniform(-1, 1);
            returns[j] = 1f;
        }
        ActorCritic.Workspace ws = model.newWorkspace(b);
        ParameterStore params = model.parameters();
        Adam adam = new Adam(params.size(), p.lr(), p.adamBeta1(), p.adamBeta2(), p.adamEps());
        ActorCriticLoss.Terms terms = new ActorCriticLoss.Terms();
        String[] names = {"policy", "value", "loss", "backward", "norm", "adam"};
        int n = 500;
        for (int round = 0; round < 6; round++) {
            long[] t = new long[names.length];
            for (int it = 0; it < n; it++) {
                long t0 = System.nanoTime();
                model.policy(ws, obs, b);
                long t1 = System.nanoTime();
                model.value(ws, obs, b);
                long t2 = System.nanoTime();
                terms.clear();
                ActorCriticLoss.ppo(ws, b, a, 1, actions, oldLogp, adv, returns, oldValues, p.clipEps(),
                        p.clipValueLoss(), p.entCoef(), p.vfCoef(), terms);
                long t3 = System.nanoTime();
                model.backward(ws, obs, b, false);
                long t4 = System.nanoTime();
                double norm = GradClip.globalNorm(params.grad());
                long t5 = System.nanoTime();
                adam.step(params.data(), params.grad(), GradClip.coefficient(norm, p.maxGradNorm()));
                long t6 = System.nanoTime();
                long[] ends = {t1, t2, t3, t4, t5, t6};
                long start = t0;
                for (int k = 0; k < ends.length; k++) {
                    t[k] += ends[k] - start;
                    start = ends[k];
                }
            }
            print("ppo minibatch of " + b + " rows", names, t, n);
        }
    }

    /** An A2C learner at {@code cfg} and a workspace for its updates. */
    private record A2cSetup(ActorCritic model, A2c learner, A2cConfig c, RolloutBuffer buffer, int rows,
            ActorCritic.Workspace ws, ParameterStore params) {
        static A2cSetup of(RunConfig cfg) {
            SimulatorWorld world = Experiment.world(cfg.env());
            ActorCritic model = Experiment.newModel(cfg, world);
            A2c learner = (A2c) Experiment.newLearner("a2c", cfg, model, world);
            RolloutBuffer buffer = learner.buffer;
            return new A2cSetup(model, learner, cfg.a2c(), buffer, buffer.size(), model.newWorkspace(buffer.size()),
                    model.parameters());
        }
    }

    private static void a2c(RunConfig cfg) {
        A2cSetup setup = A2cSetup.of(cfg);
        ActorCritic model = setup.model();
        A2c learner = setup.learner();
        A2cConfig c = setup.c();
        RolloutBuffer buffer = setup.buffer();
        int rows = setup.rows();
        ActorCritic.Workspace ws = setup.ws();
        ParameterStore params = setup.params();
        ActorCriticLoss.Terms terms = new ActorCriticLoss.Terms();
        String[] names = {"rollout", "loss", "backward", "norm", "adam"};
        int n = 4000;
        for (int round = 0; round < 6; round++) {
            long[] t = new long[names.length];
            for (int it = 0; it < n; it++) {
                long t0 = System.nanoTime();
                learner.collectRollout(c.lr(), c.annealLr(), c.gamma(), c.gaeLambda(), ws);
                long t1 = System.nanoTime();
                terms.clear();
                ActorCriticLoss.a2c(ws, rows, model.actionCount(), 1, buffer.actions, buffer.advantages, buffer.returns,
                        c.entCoef(), c.vfCoef(), terms);
                long t2 = System.nanoTime();
                model.backward(ws, buffer.observations, rows, false);
                long t3 = System.nanoTime();
                double norm = GradClip.globalNorm(params.grad());
                long t4 = System.nanoTime();
                learner.adam.step(params.data(), params.grad(), GradClip.coefficient(norm, c.maxGradNorm()));
                long t5 = System.nanoTime();
                long[] ends = {t1, t2, t3, t4, t5};
                long start = t0;
                for (int k = 0; k < ends.length; k++) {
                    t[k] += ends[k] - start;
                    start = ends[k];
                }
            }
            print("a2c update of " + rows + " rows", names, t, n);
        }
    }

    /**
     * What a two-thread A2C update could gain (docs/performance.md, "The second core"): by the
     * calling thread's CPU time, the backward pass of an update's 5 rows against that of 3 and of
     * 2 (a thread's share), and norm plus Adam over all parameters against over half of them.
     */
    private static void a2cRows(RunConfig cfg) {
        A2cSetup s = A2cSetup.of(cfg);
        A2cConfig c = s.c();
        s.learner().collectRollout(c.lr(), c.annealLr(), c.gamma(), c.gaeLambda(), s.ws());
        ActorCriticLoss.a2c(s.ws(), s.rows(), s.model().actionCount(), 1, s.buffer().actions, s.buffer().advantages,
                s.buffer().returns, c.entCoef(), c.vfCoef(), new ActorCriticLoss.Terms());
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        float[] p = s.params().data().clone();
        float[] g = s.params().grad();
        int all = s.params().size();
        int n = 4000;
        for (int round = 0; round < 4; round++) {
            StringBuilder sb = new StringBuilder("a2c, thread CPU µs per call:");
            for (int k : new int[] {s.rows(), 3, 2}) {
                long t0 = mx.getCurrentThreadCpuTime();
                for (int it = 0; it < n; it++) {
                    s.model().backward(s.ws(), s.buffer().observations, k, false);
                }
                sb.append(String.format(Locale.ROOT, " backward of %d rows %.1f;", k,
                        (mx.getCurrentThreadCpuTime() - t0) / 1e3 / n));
            }
            for (int to : new int[] {all, all / 2}) {
                long t0 = mx.getCurrentThreadCpuTime();
                for (int it = 0; it < n; it++) {
                    double sq = org.recsysrl.nn.Kernels.sumOfSquares(g, 0, to);
                    s.learner().adam.beginStep();
                    s.learner().adam.updateRange(p, g, GradClip.coefficient(Math.sqrt(sq), c.maxGradNorm()), 0, to);
                }
                sb.append(String.format(Locale.ROOT, " norm and Adam over %d parameters %.1f;", to,
                        (mx.getCurrentThreadCpuTime() - t0) / 1e3 / n));
            }
            System.out.println(sb);
        }
    }

    private static void print(String what, String[] names, long[] nanos, int count) {
        StringBuilder sb = new StringBuilder(what).append(", µs:");
        double total = Arrays.stream(nanos).sum() / 1e3 / count;
        for (int k = 0; k < names.length; k++) {
            sb.append(String.format(Locale.ROOT, " %s %.1f", names[k], nanos[k] / 1e3 / count));
        }
        System.out.println(sb.append(String.format(Locale.ROOT, " | total %.1f", total)));
    }
}
