package org.recsysrl.ope.sim;

import org.recsysrl.env.Environment;
import org.recsysrl.env.StepResult;
import org.recsysrl.env.platform.PlatformEnvironment;
import org.recsysrl.ope.sequential.ActionDistribution;
import org.recsysrl.setup.Setup;
import org.recsysrl.util.Rng;

/**
 * A target policy's true value in a platform environment, from fresh rollouts (the quantity the
 * off-policy estimates are judged against).
 */
public final class GroundTruth {
    /** Uniformly drawn actions per state that stand for the uniform part of a distribution in {@link #oneStep}. */
    static final int UNIFORM_DRAWS = 16;

    private GroundTruth() {
    }

    /**
     * A mean with its standard error.
     *
     * @param samples the independent samples it averages (episodes, or states)
     */
    public record Value(double mean, double standardError, int samples) {
    }

    /**
     * The multi-step value V(π) = E[Σ_t γ^t r_t]: the mean discounted return of {@code episodes}
     * episodes played by {@code target} (users drawn as in the logs: by the environment's stream).
     */
    public static Value onPolicy(Setup setup, ExploringPolicy target, double gamma, int episodes,
            long seed) {
        Rollout play = new Rollout(setup, target, seed);
        double sum = 0;
        double sumSq = 0;
        for (int e = 0; e < episodes; e++) {
            play.reset();
            double ret = 0;
            double discount = 1;
            do {
                ret += discount * play.step();
                discount *= gamma;
            } while (!play.done());
            sum += ret;
            sumSq += ret * ret;
        }
        return value(sum, sumSq, episodes);
    }

    /**
     * The on-policy value per impression: the mean reward per step of {@code episodes} fresh
     * episodes played by {@code target}, R/S with R and S the sums of rewards and steps (users drawn
     * as in the logs). Its standard error is the delta method's over episodes,
     * sqrt(Σ_e (R_e − v S_e)² / (E (E − 1))) / mean S_e. This is the quantity a one-step
     * estimator's value is compared with when the target is deployed: the target's own states,
     * not the logger's.
     */
    public static Value perImpression(Setup setup, ExploringPolicy target, int episodes, long seed) {
        Rollout play = new Rollout(setup, target, seed);
        double[] returns = new double[episodes];
        int[] lengths = new int[episodes];
        double total = 0;
        long steps = 0;
        for (int e = 0; e < episodes; e++) {
            play.reset();
            do {
                returns[e] += play.step();
                lengths[e]++;
            } while (!play.done());
            total += returns[e];
            steps += lengths[e];
        }
        return new Value(total / steps, clusteredError(returns, lengths, episodes), episodes);
    }

    /**
     * {@code target} playing fresh episodes of the setup's environment on its own: the environment
     * seeded from stream 1 of {@code seed}, the target's draws from stream 2, a single item or a
     * slate a step.
     */
    private static final class Rollout {
        private final Environment env;
        private final Rng draws;
        private final ExploringPolicy target;
        private final float[] obs;
        private final int[] slate;
        private final StepResult result = new StepResult();

        Rollout(Setup setup, ExploringPolicy target, long seed) {
            this.env = setup.newEnv().apply(Rng.stream(seed, 1).nextLong());
            this.draws = Rng.stream(seed, 2);
            this.target = target;
            target.bind(env);
            this.obs = new float[env.observationSize()];
            this.slate = new int[setup.slateSize()];
        }

        /** Starts an episode. */
        void reset() {
            env.reset(obs, 0);
        }

        /** Plays one step of the target; returns its reward. */
        double step() {
            if (slate.length == 1) {
                int a = target.distribution(obs).sample(draws.nextDouble(), draws::nextInt);
                env.step(a, obs, 0, result);
            } else {
                target.sampleSlate(target.greedySlate(obs), draws, slate);
                env.stepSlate(slate, 0, obs, 0, result);
            }
            return result.reward;
        }

        /** Whether the last step ended the episode. */
        boolean done() {
            return result.done();
        }
    }

    /**
     * The standard error of the ratio mean v = Σ_e S_e / Σ_e N_e over {@code clusters} independent
     * clusters (episodes) with sums S_e and counts N_e, by the delta method:
     * sqrt(Σ_e (S_e − v N_e)² / (E (E − 1))) / mean N_e (NaN for one cluster). Units within an
     * episode share a user and a history, so counting them as independent would understate it.
     */
    static double clusteredError(double[] sums, int[] counts, int clusters) {
        double total = 0;
        long n = 0;
        for (int e = 0; e < clusters; e++) {
            total += sums[e];
            n += counts[e];
        }
        double v = total / n;
        double ss = 0;
        for (int e = 0; e < clusters; e++) {
            double d = sums[e] - v * counts[e];
            ss += d * d;
        }
        double meanCount = (double) n / clusters;
        return clusters > 1 ? Math.sqrt(ss / ((double) clusters * (clusters - 1))) / meanCount : Double.NaN;
    }

    /**
     * The one-step (bandit) value: the expected immediate reward of {@code target} on the states
     * the logging policy visits, E_{s ~ d_μ}[Σ_a π(a|s) r(s, a)], the quantity a one-step estimator
     * estimates when each logged step is a round. {@code rounds} states are visited by playing
     * {@code logger}; at each, a scratch copy of the environment (its own random stream) responds
     * to the target's point masses and to {@value #UNIFORM_DRAWS} uniformly drawn actions standing
     * for its uniform part; the logger's own action then moves the real environment on.
     */
    public static Value oneStep(Setup setup, ExploringPolicy logger, ExploringPolicy target, int rounds,
            long seed) {
        if (setup.slateSize() != 1) {
            throw new IllegalArgumentException("the one-step truth is computed for single-item environments");
        }
        Environment env = setup.newEnv().apply(Rng.stream(seed, 1).nextLong());
        PlatformEnvironment scratch = (PlatformEnvironment) setup.newEnv().apply(Rng.stream(seed, 3).nextLong());
        Rng draws = Rng.stream(seed, 2);
        Rng scratchDraws = Rng.stream(seed, 4);
        logger.bind(env);
        target.bind(env);
        int n = setup.actionCount();
        float[] obs = new float[env.observationSize()];
        float[] scratchObs = new float[env.observationSize()];
        StepResult result = new StepResult();
        StepResult probe = new StepResult();
        EpisodeTally tally = new EpisodeTally();
        int visited = 0;
        while (visited < rounds) {
            env.reset(obs, 0);
            do {
                ActionDistribution pi = target.distribution(obs);
                java.util.function.IntToDoubleFunction respond = a -> {
                    scratch.copyStateFrom((PlatformEnvironment) env);
                    scratch.reseed(scratchDraws.nextLong());
                    scratch.step(a, scratchObs, 0, probe);
                    return probe.reward;
                };
                double mean = 0;
                for (int j = 0; pi.uniformMass() > 0 && j < UNIFORM_DRAWS; j++) {
                    mean += respond.applyAsDouble(scratchDraws.nextInt(n));
                }
                mean /= UNIFORM_DRAWS;
                double expected = pi.expectation(mean, respond);
                tally.add(expected);
                visited++;
                int a = logger.distribution(obs).sample(draws.nextDouble(), draws::nextInt);
                env.step(a, obs, 0, result);
            } while (!result.done() && visited < rounds);
            tally.endEpisode();
        }
        return tally.value();
    }

    /**
     * The one-step value of a slate target: its expected immediate reward on the states the logger
     * visits, E_{s ~ d_μ}[Σ_S π(S|s) r(s, S)], for an ε-greedy slate policy (its slate with
     * probability 1 − ε, else a uniformly random slate of distinct items):
     * (1 − ε) r(s, greedy) + ε · (the mean of {@value #UNIFORM_DRAWS} uniformly drawn slates), each
     * answered by a scratch copy of the environment (its own random stream) as in {@link #oneStep};
     * for a Plackett–Luce target ({@link ExploringPolicy#plackettLuce}) the mean response to
     * {@value #UNIFORM_DRAWS} slates drawn from it.
     */
    public static Value oneStepSlate(Setup setup, ExploringPolicy logger, ExploringPolicy target, int rounds,
            long seed) {
        int k = setup.slateSize();
        int n = setup.actionCount();
        Environment env = setup.newEnv().apply(Rng.stream(seed, 1).nextLong());
        PlatformEnvironment scratch = (PlatformEnvironment) setup.newEnv().apply(Rng.stream(seed, 3).nextLong());
        Rng draws = Rng.stream(seed, 2);
        Rng scratchDraws = Rng.stream(seed, 4);
        logger.bind(env);
        target.bind(env);
        float[] obs = new float[env.observationSize()];
        float[] scratchObs = new float[env.observationSize()];
        int[] slate = new int[k];
        int[] uniform = new int[k];
        StepResult result = new StepResult();
        StepResult probe = new StepResult();
        EpisodeTally tally = new EpisodeTally();
        int visited = 0;
        while (visited < rounds) {
            env.reset(obs, 0);
            do {
                java.util.function.ToDoubleFunction<int[]> respond = shown -> {
                    scratch.copyStateFrom((PlatformEnvironment) env);
                    scratch.reseed(scratchDraws.nextLong());
                    scratch.stepSlate(shown, 0, scratchObs, 0, probe);
                    return probe.reward;
                };
                int[] greedy = target.greedySlate(obs);
                double expected = target.plackettLuce()
                        ? plackettLuceMean(target, greedy, scratchDraws, uniform, respond)
                        : epsilonGreedyMean(target, greedy, n, scratchDraws, uniform, respond);
                tally.add(expected);
                visited++;
                logger.sampleSlate(logger.greedySlate(obs), draws, slate);
                env.stepSlate(slate, 0, obs, 0, result);
            } while (!result.done() && visited < rounds);
            tally.endEpisode();
        }
        return tally.value();
    }

    /** An ε-greedy slate target's expected immediate reward at a state: (1 − ε) r(greedy) + ε · mean of uniform slates. */
    private static double epsilonGreedyMean(ExploringPolicy target, int[] greedy, int n, Rng rng, int[] uniform,
            java.util.function.ToDoubleFunction<int[]> respond) {
        double eps = target.positionDistribution(greedy, 0).uniformMass();
        double expected = eps < 1 ? (1 - eps) * respond.applyAsDouble(greedy) : 0;
        if (eps > 0) {
            double mean = 0;
            for (int j = 0; j < UNIFORM_DRAWS; j++) {
                uniformSlate(n, rng, uniform);
                mean += respond.applyAsDouble(uniform);
            }
            expected += eps * mean / UNIFORM_DRAWS;
        }
        return expected;
    }

    /**
     * A Plackett–Luce target's expected immediate reward at a state, estimated without bias by the mean
     * response to {@value #UNIFORM_DRAWS} slates drawn from it ({@code greedy} from its last
     * {@code greedySlate} at that state).
     */
    private static double plackettLuceMean(ExploringPolicy target, int[] greedy, Rng rng, int[] drawn,
            java.util.function.ToDoubleFunction<int[]> respond) {
        double mean = 0;
        for (int j = 0; j < UNIFORM_DRAWS; j++) {
            target.sampleSlate(greedy, rng, drawn);
            mean += respond.applyAsDouble(drawn);
        }
        return mean / UNIFORM_DRAWS;
    }

    /** A uniformly random slate of {@code out.length} distinct items among {@code n} (partial Fisher–Yates). */
    private static void uniformSlate(int n, Rng rng, int[] out) {
        int[] pool = new int[n];
        for (int a = 0; a < n; a++) {
            pool[a] = a;
        }
        for (int m = 0; m < out.length; m++) {
            int j = m + rng.nextInt(n - m);
            int tmp = pool[m];
            pool[m] = pool[j];
            pool[j] = tmp;
            out[m] = pool[m];
        }
    }

    /**
     * The one-step truths' tally: the mean over visited states, with its standard error over
     * episodes ({@link #clusteredError}), since a user's states within an episode are not independent.
     */
    private static final class EpisodeTally {
        private double[] sums = new double[64];
        private int[] counts = new int[64];
        private int episodes;
        private double total;
        private int states;
        private double current;
        private int currentCount;

        void add(double x) {
            total += x;
            states++;
            current += x;
            currentCount++;
        }

        void endEpisode() {
            if (currentCount == 0) {
                return;
            }
            if (episodes == sums.length) {
                sums = java.util.Arrays.copyOf(sums, 2 * episodes);
                counts = java.util.Arrays.copyOf(counts, 2 * episodes);
            }
            sums[episodes] = current;
            counts[episodes++] = currentCount;
            current = 0;
            currentCount = 0;
        }

        Value value() {
            return new Value(total / states, clusteredError(sums, counts, episodes), states);
        }
    }

    private static Value value(double sum, double sumSq, int n) {
        double mean = sum / n;
        double var = n > 1 ? Math.max(0, (sumSq - n * mean * mean) / (n - 1)) : 0;
        return new Value(mean, Math.sqrt(var / n), n);
    }
}
