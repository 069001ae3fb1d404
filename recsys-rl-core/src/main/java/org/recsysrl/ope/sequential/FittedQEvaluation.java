package org.recsysrl.ope.sequential;

import java.util.ArrayList;
import java.util.List;
import org.recsysrl.data.Cholesky;

/**
 * Fitted-Q evaluation (Le, Voloshin &amp; Yue 2019) with a linear action-value model: the target
 * policy's Q is found by repeated regression on its own Bellman targets,
 *
 * <pre>  Q_{k+1} = argmin_Q Σ_{i,t} ( r_{i,t} + γ V_k(s_{i,t+1}) − Q(s_{i,t}, a_{i,t}) )²,
 *  V_k(s) = Σ_a π(a|s) Q_k(s, a),   V_k = 0 after a trajectory's last step,</pre>
 *
 * starting from Q_0 = 0, for K iterations (γ^K ≤ 10⁻³, at least 1, at most {@value #MAX_ITERATIONS}).
 * The model is linear in x̃ = (1, s) with a pooled part and a per-action part,
 * Q(s, a) = (w̄ + δ_a)·x̃: w̄ is the least-squares fit over every step (ridge 10⁻⁶ · steps, for
 * numerical safety), δ_a the ridge fit (penalty λ) of the residuals of the steps that took a, so that
 * a rarely logged action falls back to the pooled value instead of to 0. With γ = 0 one iteration
 * fits the immediate reward: the bandit direct method's reward model.
 */
public final class FittedQEvaluation {
    /** Iterations at most, whatever γ. */
    public static final int MAX_ITERATIONS = 200;
    private static final double POOLED_RIDGE = 1e-6;
    private final int dim;
    private final int actionCount;
    private final double[] pooled;
    private final double[][] perAction;
    private final double[] meanWeights;

    private FittedQEvaluation(int dim, int actionCount, double[] pooled, double[][] perAction) {
        this.dim = dim;
        this.actionCount = actionCount;
        this.pooled = pooled;
        this.perAction = perAction;
        this.meanWeights = pooled.clone();
        for (double[] delta : perAction) {
            if (delta != null) {
                for (int j = 0; j < dim; j++) {
                    meanWeights[j] += delta[j] / actionCount;
                }
            }
        }
    }

    /** Iterations for discount γ: the smallest K with γ^K ≤ 10⁻³, within [1, {@value #MAX_ITERATIONS}]. */
    public static int iterations(double gamma) {
        if (gamma <= 0) {
            return 1;
        }
        if (gamma >= 1) {
            return MAX_ITERATIONS;
        }
        return (int) Math.max(1, Math.min(MAX_ITERATIONS, Math.ceil(Math.log(1e-3) / Math.log(gamma))));
    }

    /**
     * Fits Q of the target whose distribution at step t of trajectory i is {@code target.get(i)[t]}.
     *
     * @param ridge λ &gt; 0, the penalty on each action's own part
     * @throws IllegalArgumentException on empty data, mismatched shapes or actions out of range
     */
    public static FittedQEvaluation fit(List<LoggedTrajectory> log, List<ActionDistribution[]> target, int actionCount,
            double gamma, double ridge) {
        return fit(log, target, actionCount, gamma, ridge, POOLED_RIDGE);
    }

    /**
     * As {@link #fit(List, List, int, double, double)} with the pooled part's ridge
     * {@code pooledRidge} · steps instead of 10⁻⁶ · steps (0: plain least squares).
     *
     * @throws IllegalArgumentException also when a Gram matrix is singular (collinear features, no ridge)
     */
    public static FittedQEvaluation fit(List<LoggedTrajectory> log, List<ActionDistribution[]> target, int actionCount,
            double gamma, double ridge, double pooledRidge) {
        if (log.isEmpty() || target.size() != log.size()) {
            throw new IllegalArgumentException("need a target distribution for every step of a non-empty log");
        }
        if (!(ridge > 0) || !(pooledRidge >= 0)) {
            throw new IllegalArgumentException("ridge " + ridge + " must be positive, pooled ridge " + pooledRidge
                    + " non-negative");
        }
        int d = log.get(0).features()[0].length + 1;
        int steps = 0;
        for (int i = 0; i < log.size(); i++) {
            LoggedTrajectory tr = log.get(i);
            if (target.get(i).length != tr.length()) {
                throw new IllegalArgumentException("trajectory " + i + ": one target distribution per step needed");
            }
            for (int t = 0; t < tr.length(); t++) {
                if (tr.features()[t].length != d - 1) {
                    throw new IllegalArgumentException("trajectory " + i + " step " + t + ": " + tr.features()[t].length
                            + " features, expected " + (d - 1));
                }
                if (tr.actions()[t] < 0 || tr.actions()[t] >= actionCount) {
                    throw new IllegalArgumentException("action " + tr.actions()[t] + " not in [0, " + actionCount + ")");
                }
                if (target.get(i)[t].actionCount() != actionCount) {
                    throw new IllegalArgumentException("a target distribution over " + target.get(i)[t].actionCount()
                            + " actions, expected " + actionCount);
                }
            }
            steps += tr.length();
        }
        double[] x = new double[steps * d];
        int[] a = new int[steps];
        double[] r = new double[steps];
        int row = 0;
        for (LoggedTrajectory tr : log) {
            for (int t = 0; t < tr.length(); t++) {
                x[row * d] = 1;
                System.arraycopy(tr.features()[t], 0, x, row * d + 1, d - 1);
                a[row] = tr.actions()[t];
                r[row] = tr.rewards()[t];
                row++;
            }
        }
        double[] pooledGram = new double[d * d];
        double[][] grams = new double[actionCount][];
        for (int s = 0; s < steps; s++) {
            if (grams[a[s]] == null) {
                grams[a[s]] = new double[d * d];
            }
            addOuter(pooledGram, x, s * d, d);
            addOuter(grams[a[s]], x, s * d, d);
        }
        for (int j = 0; j < d; j++) {
            pooledGram[j * d + j] += pooledRidge * steps;
        }
        factorOrFail(pooledGram, d);
        for (double[] g : grams) {
            if (g != null) {
                for (int j = 0; j < d; j++) {
                    g[j * d + j] += ridge;
                }
                factorOrFail(g, d);
            }
        }
        FittedQEvaluation model = new FittedQEvaluation(d, actionCount, new double[d], new double[actionCount][]);
        double[] y = new double[steps];
        int k = iterations(gamma);
        for (int it = 0; it < k; it++) {
            row = 0;
            for (int i = 0; i < log.size(); i++) {
                LoggedTrajectory tr = log.get(i);
                for (int t = 0; t < tr.length(); t++) {
                    double next = t + 1 < tr.length() && gamma > 0
                            ? model.value(x, (row + 1) * d, target.get(i)[t + 1]) : 0;
                    y[row] = r[row] + gamma * next;
                    row++;
                }
            }
            model = regress(x, a, y, d, actionCount, pooledGram, grams);
        }
        return model;
    }

    private static FittedQEvaluation regress(double[] x, int[] a, double[] y, int d, int actionCount,
            double[] pooledFactor, double[][] factors) {
        int steps = y.length;
        double[] w = new double[d];
        for (int s = 0; s < steps; s++) {
            for (int j = 0; j < d; j++) {
                w[j] += x[s * d + j] * y[s];
            }
        }
        Cholesky.solve(pooledFactor, d, w);
        double[][] delta = new double[actionCount][];
        for (int s = 0; s < steps; s++) {
            double resid = y[s] - dot(w, x, s * d, d);
            if (delta[a[s]] == null) {
                delta[a[s]] = new double[d];
            }
            double[] b = delta[a[s]];
            for (int j = 0; j < d; j++) {
                b[j] += x[s * d + j] * resid;
            }
        }
        for (int c = 0; c < actionCount; c++) {
            if (delta[c] != null) {
                Cholesky.solve(factors[c], d, delta[c]);
            }
        }
        return new FittedQEvaluation(d, actionCount, w, delta);
    }

    private static void addOuter(double[] g, double[] x, int off, int d) {
        for (int p = 0; p < d; p++) {
            double xp = x[off + p];
            for (int q = 0; q <= p; q++) {
                g[p * d + q] += xp * x[off + q];
            }
        }
    }

    private static void factorOrFail(double[] g, int d) {
        if (!Cholesky.factor(g, d)) {
            throw new IllegalArgumentException("the state features are collinear or not finite: cannot fit the value model (use a pooled ridge > 0)");
        }
    }

    private static double dot(double[] w, double[] x, int off, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += w[j] * x[off + j];
        }
        return s;
    }

    /** Q(s, a) for state features {@code features} (without the constant). */
    public double q(double[] features, int action) {
        double[] x = withBias(features);
        return q(x, 0, action);
    }

    /** V(s) = Σ_a π(a|s) Q(s, a) for the distribution π(·|s) = {@code pi}. */
    public double value(double[] features, ActionDistribution pi) {
        return value(withBias(features), 0, pi);
    }

    private double[] withBias(double[] features) {
        if (features.length != dim - 1) {
            throw new IllegalArgumentException(features.length + " features, expected " + (dim - 1));
        }
        double[] x = new double[dim];
        x[0] = 1;
        System.arraycopy(features, 0, x, 1, dim - 1);
        return x;
    }

    private double q(double[] x, int off, int action) {
        double s = dot(pooled, x, off, dim);
        double[] delta = perAction[action];
        if (delta != null) {
            s += dot(delta, x, off, dim);
        }
        return s;
    }

    private double value(double[] x, int off, ActionDistribution pi) {
        return pi.expectation(dot(meanWeights, x, off, dim), action -> q(x, off, action));
    }

    /**
     * The log as the estimators read it for this target: ratios π(a_t|s_t) / μ(a_t|s_t), Q̂(s_t, a_t)
     * and V̂(s_t) at every step.
     */
    public List<WeightedTrajectory> weigh(List<LoggedTrajectory> log, List<ActionDistribution[]> target) {
        List<WeightedTrajectory> out = new ArrayList<>(log.size());
        for (int i = 0; i < log.size(); i++) {
            LoggedTrajectory tr = log.get(i);
            int n = tr.length();
            double[] ratios = ratios(tr, target.get(i));
            double[] q = new double[n];
            double[] v = new double[n];
            for (int t = 0; t < n; t++) {
                double[] x = withBias(tr.features()[t]);
                q[t] = q(x, 0, tr.actions()[t]);
                v[t] = value(x, 0, target.get(i)[t]);
            }
            out.add(new WeightedTrajectory(tr.rewards().clone(), ratios, q, v));
        }
        return out;
    }

    /** π(a_t|s_t) / μ(a_t|s_t) at every step of {@code tr}. */
    public static double[] ratios(LoggedTrajectory tr, ActionDistribution[] target) {
        double[] ratios = new double[tr.length()];
        for (int t = 0; t < tr.length(); t++) {
            ratios[t] = target[t].probability(tr.actions()[t]) / tr.propensities()[t];
        }
        return ratios;
    }
}
