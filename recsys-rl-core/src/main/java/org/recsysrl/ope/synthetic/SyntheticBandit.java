package org.recsysrl.ope.synthetic;

import java.util.ArrayList;
import java.util.List;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.ope.policy.ItemScorer;
import org.recsysrl.ope.policy.ScorerPolicy;
import org.recsysrl.ope.policy.TargetPolicy;
import org.recsysrl.util.Rng;

/**
 * A synthetic contextual bandit with an exactly known value for every policy, for tests and
 * benchmarks. There are M fixed context vectors x_m ~ N(0, I_d), drawn uniformly; item a has a
 * reward logit s(x, a) = θ_a·x + b_a with θ_a ~ N(0, I_d / d) and b_a ~ N(−1, 0.5²); the reward is
 * Bernoulli(σ(s(x, a))). The logging policy is a softmax over (s(x, a) + η_a(x)) / T_log with a fixed
 * perturbation η ~ N(0, 1) (so the logger is informed but imperfect), optionally mixed with a uniform
 * exploration share ε. Because contexts are discrete,
 * the value of any policy π is exact:
 *
 * <pre>
 *   V(π) = (1/M) Σ_m Σ_a π(a | x_m) σ(s(x_m, a))
 * </pre>
 */
public final class SyntheticBandit {
    private final int contexts;
    private final int dim;
    private final int items;
    private final double[][] x;
    private final double[][] logit;
    private final double[][] loggerProb;
    private final double[][] loggerCdf;
    private final List<String> itemIds;

    /**
     * @param contexts          number of distinct contexts M
     * @param dim               context dimension d
     * @param items             number of items K
     * @param loggerTemperature the logger's softmax temperature T_log (larger = more uniform)
     * @param seed              seed of the problem (not of the logs)
     */
    public SyntheticBandit(int contexts, int dim, int items, double loggerTemperature, long seed) {
        this(contexts, dim, items, loggerTemperature, 0.0, seed);
    }

    /**
     * As {@link #SyntheticBandit(int, int, int, double, long)}, with the logger mixed with the uniform
     * distribution: μ(a | x) = (1 − ε) softmax + ε / K, which bounds every weight by K / ε.
     */
    public SyntheticBandit(int contexts, int dim, int items, double loggerTemperature, double epsilon, long seed) {
        this.contexts = contexts;
        this.dim = dim;
        this.items = items;
        Rng rng = Rng.stream(seed, 1);
        x = new double[contexts][dim];
        for (double[] row : x) {
            for (int j = 0; j < dim; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        double[][] theta = new double[items][dim];
        double[] bias = new double[items];
        for (int a = 0; a < items; a++) {
            for (int j = 0; j < dim; j++) {
                theta[a][j] = rng.nextGaussian() / Math.sqrt(Math.max(1, dim));
            }
            bias[a] = -1 + 0.5 * rng.nextGaussian();
        }
        logit = new double[contexts][items];
        loggerProb = new double[contexts][items];
        loggerCdf = new double[contexts][items];
        for (int m = 0; m < contexts; m++) {
            double max = Double.NEGATIVE_INFINITY;
            double[] z = new double[items];
            for (int a = 0; a < items; a++) {
                double s = bias[a];
                for (int j = 0; j < dim; j++) {
                    s += theta[a][j] * x[m][j];
                }
                logit[m][a] = s;
                z[a] = (s + rng.nextGaussian()) / loggerTemperature;
                max = Math.max(max, z[a]);
            }
            double sum = 0;
            for (int a = 0; a < items; a++) {
                z[a] = Math.exp(z[a] - max);
                sum += z[a];
            }
            double c = 0;
            for (int a = 0; a < items; a++) {
                loggerProb[m][a] = (1 - epsilon) * z[a] / sum + epsilon / items;
                c += loggerProb[m][a];
                loggerCdf[m][a] = c;
            }
            loggerCdf[m][items - 1] = 1.0;
        }
        itemIds = new ArrayList<>(items);
        for (int a = 0; a < items; a++) {
            itemIds.add("i" + a);
        }
    }

    /** Number of items. */
    public int items() {
        return items;
    }

    /** The true expected reward σ(s(x_m, a)). */
    public double expectedReward(int context, int item) {
        return 1 / (1 + Math.exp(-logit[context][item]));
    }

    /** The logger's probability of {@code item} in context {@code m}. */
    public double loggerProbability(int context, int item) {
        return loggerProb[context][item];
    }

    /**
     * A log of {@code rows} rounds: context drawn uniformly, item from the logger, Bernoulli reward.
     * With {@code withDistribution} every row also carries the logger's full action distribution.
     */
    public LoggedFeedback log(int rows, long seed, boolean withDistribution) {
        Rng rng = Rng.stream(seed, 2);
        LoggedFeedback.Builder b = LoggedFeedback.builder("synthetic(seed=" + seed + ")");
        for (String id : itemIds) {
            b.index(id);
        }
        int[] all = new int[items];
        for (int a = 0; a < items; a++) {
            all[a] = a;
        }
        int[] shown = new int[1];
        double[] prop = new double[1];
        for (int r = 0; r < rows; r++) {
            int m = rng.nextInt(contexts);
            double u = rng.nextDouble();
            int a = search(loggerCdf[m], u);
            double reward = rng.nextDouble() < expectedReward(m, a) ? 1.0 : 0.0;
            shown[0] = a;
            prop[0] = loggerProb[m][a];
            b.addIndexed(r, null, null, null, -1, x[m], 0, shown, prop, Double.NaN, null, reward,
                    withDistribution ? all : null, withDistribution ? loggerProb[m] : null);
        }
        return b.build();
    }

    /** A log with exactly one row per context (reward 0): the frame on which {@link #trueValue} evaluates policies. */
    public LoggedFeedback contextFrame() {
        LoggedFeedback.Builder b = LoggedFeedback.builder("synthetic contexts");
        for (String id : itemIds) {
            b.index(id);
        }
        for (int m = 0; m < contexts; m++) {
            b.addIndexed(m, null, null, null, -1, x[m], 0, new int[] {0}, new double[] {1.0}, Double.NaN, null, 0.0,
                    null, null);
        }
        return b.build();
    }

    /** The exact value V(π) of a target that reads only the row's context and position 0. */
    public double trueValue(TargetPolicy target) {
        LoggedFeedback frame = contextFrame();
        double[] dist = new double[items];
        double v = 0;
        for (int m = 0; m < contexts; m++) {
            target.distribution(frame, m, 0, dist);
            for (int a = 0; a < items; a++) {
                v += dist[a] * expectedReward(m, a);
            }
        }
        return v / contexts;
    }

    /** The logger's exact value. */
    public double loggerValue() {
        double v = 0;
        for (int m = 0; m < contexts; m++) {
            for (int a = 0; a < items; a++) {
                v += loggerProb[m][a] * expectedReward(m, a);
            }
        }
        return v / contexts;
    }

    /**
     * A scorer giving the true reward logits of a row's context (found by matching the context vector
     * to the fixed contexts): a softmax over it with a low temperature is a good target policy.
     */
    public ItemScorer trueScorer() {
        return (log, row, out) -> {
            int m = contextOf(log, row);
            System.arraycopy(logit[m], 0, out, 0, items);
        };
    }

    /** A softmax target over the true logits at {@code temperature}. */
    public ScorerPolicy softmaxTarget(double temperature) {
        return new ScorerPolicy("softmax(T=" + temperature + ")", trueScorer(), temperature);
    }

    private int contextOf(LoggedFeedback log, int row) {
        outer:
        for (int m = 0; m < contexts; m++) {
            for (int j = 0; j < dim; j++) {
                if (log.context(row, j) != x[m][j]) {
                    continue outer;
                }
            }
            return m;
        }
        throw new IllegalArgumentException("row " + row + " has a context this bandit did not generate");
    }

    private static int search(double[] cdf, double u) {
        int lo = 0;
        int hi = cdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (u < cdf[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
