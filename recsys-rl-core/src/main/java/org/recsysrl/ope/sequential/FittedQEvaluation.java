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
 *
 * <p>The model is Q(s, a) = x̃ᵀ W ẽ_a + δ_a·x̃ with x̃ = (1, s) and ẽ_a = (1, e_a), e_a the item's
 * features (none: ẽ_a = (1)). The pooled part W is the least-squares fit over every step (ridge
 * 10⁻⁶ · steps, for numerical safety): with item features it is bilinear in state and item, so it
 * generalises to items the log rarely shows. δ_a is the ridge fit (penalty λ) of the pooled part's
 * residuals on the steps that took a, so a frequently logged item gets a model of its own and a rare
 * one falls back to the pooled value. With γ = 0 one iteration fits the immediate reward: the bandit
 * direct method's reward model.
 *
 * <p>{@link #design} with several folds cross-fits (Chernozhukov et al. 2018): the trajectories are
 * split into folds (trajectory i in fold i mod F) and each fold is valued by the model fitted on the
 * other folds, so that a doubly robust estimate does not correct a model by the very errors it was
 * fitted to.
 *
 * <p>Bounded (the default of {@link #design} and {@link #fit}): a linear model extrapolates freely to
 * the states and items the log rarely shows, so every prediction Q̂(s, a), every V̂(s) and every
 * Bellman target's V_k(s') is clipped to the range of discounted returns the training rows' rewards
 * allow. With r_min, r_max the smallest and largest reward of the rows the model is fitted on and
 * H the longest trajectory, S = Σ_{t&lt;H} γ^t,
 *
 * <pre>  Q̂ ∈ [ r_min + min(0, r_min)(S − 1),  r_max + max(0, r_max)(S − 1) ]</pre>
 *
 * (one step's reward plus at most H − 1 discounted further ones). With γ = 0 (the one-step reward
 * model) there is no bound: clipping a linear model of sparse rewards at the observed range lifts
 * its many small negative predictions and biased the direct method upwards (on the platform
 * environments' validation, DM for the uniform target went from 2.5 % to 11 % error on short-video). V̂(s) = Σ_a π(a|s) Q̂(s, a) is then the target's expectation of the clipped Q̂, its
 * uniform part the mean of every item's clipped Q̂ (so that a doubly robust estimate stays unbiased
 * with exact ratios); only inside the fit, for speed, the Bellman targets value the uniform part by
 * the clipped mean of the items' unclipped Q̂.
 */
public final class FittedQEvaluation {
    /** Iterations at most, whatever γ. */
    public static final int MAX_ITERATIONS = 200;
    /** The pooled part's ridge per step. */
    public static final double POOLED_RIDGE = 1e-6;
    private final int dim;
    private final int itemDim;
    private final double[] items;
    private final int actionCount;
    private final double[] pooled;
    private final double[][] perAction;
    private final double[] meanItem;
    private final double[] meanDelta;
    private final double lowest;
    private final double highest;

    private FittedQEvaluation(int dim, int itemDim, double[] items, int actionCount, double[] pooled,
            double[][] perAction, double lowest, double highest) {
        this.lowest = lowest;
        this.highest = highest;
        this.dim = dim;
        this.itemDim = itemDim;
        this.items = items;
        this.actionCount = actionCount;
        this.pooled = pooled;
        this.perAction = perAction;
        this.meanItem = new double[itemDim];
        for (int a = 0; a < actionCount; a++) {
            for (int k = 0; k < itemDim; k++) {
                meanItem[k] += items[a * itemDim + k] / actionCount;
            }
        }
        this.meanDelta = new double[dim];
        for (double[] delta : perAction) {
            if (delta != null) {
                for (int j = 0; j < dim; j++) {
                    meanDelta[j] += delta[j] / actionCount;
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
     * Fits Q of the target whose distribution at step t of trajectory i is {@code target.get(i)[t]},
     * without item features, on the whole log.
     *
     * @param ridge λ &gt; 0, the penalty on each action's own part
     * @throws IllegalArgumentException on empty data, mismatched shapes or actions out of range
     */
    public static FittedQEvaluation fit(List<LoggedTrajectory> log, List<ActionDistribution[]> target, int actionCount,
            double gamma, double ridge) {
        return fit(log, target, actionCount, gamma, ridge, POOLED_RIDGE);
    }

    /**
     * As {@link #fit(List, List, int, double, double, double)}, bounded or not (see the class
     * comment; the other overloads bound).
     */
    public static FittedQEvaluation fit(List<LoggedTrajectory> log, List<ActionDistribution[]> target, int actionCount,
            double gamma, double ridge, double pooledRidge, boolean bounded) {
        return design(log, actionCount, null, 0, 1, ridge, pooledRidge, bounded).fit(target, gamma, 0);
    }

    /** As {@link #fit(List, List, int, double, double)} with the pooled ridge {@code pooledRidge} · steps (0: none). */
    public static FittedQEvaluation fit(List<LoggedTrajectory> log, List<ActionDistribution[]> target, int actionCount,
            double gamma, double ridge, double pooledRidge) {
        return fit(log, target, actionCount, gamma, ridge, pooledRidge, true);
    }

    /**
     * The log prepared for fitting any number of targets: the Gram matrices (which do not depend on
     * the target) are built and factorised once per fold.
     *
     * @param itemFeatures [actionCount × itemDim] item features, or null
     * @param folds F ≥ 1 (1: fit and value on the whole log)
     * @param ridge λ &gt; 0 of the per-action part
     * @param pooledRidge the pooled part's ridge per step (≥ 0)
     * @throws IllegalArgumentException on empty data, mismatched shapes, actions out of range, or
     *     singular Gram matrices (collinear features without a pooled ridge)
     */
    public static Design design(List<LoggedTrajectory> log, int actionCount, float[] itemFeatures, int itemDim,
            int folds, double ridge, double pooledRidge) {
        return design(log, actionCount, itemFeatures, itemDim, folds, ridge, pooledRidge, true);
    }

    /**
     * As {@link #design(List, int, float[], int, int, double, double)}, its models bounded to the
     * achievable discounted returns or not (see the class comment).
     */
    public static Design design(List<LoggedTrajectory> log, int actionCount, float[] itemFeatures, int itemDim,
            int folds, double ridge, double pooledRidge, boolean bounded) {
        return new Design(log, actionCount, itemFeatures, itemDim, folds, ridge, pooledRidge, bounded);
    }

    /** A log prepared for fitted-Q evaluation; see {@link #design}. */
    public static final class Design {
        private final List<LoggedTrajectory> log;
        private final int n;
        private final int d;
        private final int e;
        private final double[] items;
        private final int folds;
        private final int steps;
        private final double[] x;
        private final int[] a;
        private final double[] r;
        private final int[] fold;
        private final int[] traj;
        private final int[] start;
        private final double[][] pooledFactors;
        private final double[][][] actionFactors;
        private final boolean bounded;
        private final int horizon;

        private Design(List<LoggedTrajectory> log, int actionCount, float[] itemFeatures, int itemDim, int folds,
                double ridge, double pooledRidge, boolean bounded) {
            this.bounded = bounded;
            checkArguments(log, actionCount, itemFeatures, itemDim, folds, ridge, pooledRidge);
            this.log = log;
            this.n = actionCount;
            this.d = log.get(0).features()[0].length + 1;
            this.e = itemFeatures == null ? 1 : itemDim + 1;
            this.items = itemBasis(n, e, itemFeatures, itemDim);
            this.folds = folds;
            this.steps = countSteps(log, d, n);
            int longest = 0;
            for (LoggedTrajectory tr : log) {
                longest = Math.max(longest, tr.length());
            }
            this.horizon = longest;
            this.x = new double[steps * d];
            this.a = new int[steps];
            this.r = new double[steps];
            this.fold = new int[steps];
            this.traj = new int[steps];
            this.start = new int[log.size() + 1];
            fillRows();
            this.pooledFactors = new double[folds][];
            this.actionFactors = new double[folds][n][];
            factorFolds(ridge, pooledRidge);
        }

        private static void checkArguments(List<LoggedTrajectory> log, int actionCount, float[] itemFeatures,
                int itemDim, int folds, double ridge, double pooledRidge) {
            if (log.isEmpty()) {
                throw new IllegalArgumentException("no trajectories to fit a value model on");
            }
            if (!(ridge > 0) || !(pooledRidge >= 0) || folds < 1) {
                throw new IllegalArgumentException("ridge " + ridge + " must be positive, pooled ridge " + pooledRidge
                        + " non-negative, folds " + folds + " at least 1");
            }
            if (folds > log.size()) {
                throw new IllegalArgumentException(folds + " folds for " + log.size() + " trajectories");
            }
            if (itemFeatures != null && itemFeatures.length != actionCount * itemDim) {
                throw new IllegalArgumentException("item features: " + itemFeatures.length + " values for "
                        + actionCount + " × " + itemDim);
            }
        }

        /** ẽ_c = [1, item c's features] of each action, n × e. */
        private static double[] itemBasis(int n, int e, float[] itemFeatures, int itemDim) {
            double[] items = new double[n * e];
            for (int c = 0; c < n; c++) {
                items[c * e] = 1;
                for (int k = 1; k < e; k++) {
                    items[c * e + k] = itemFeatures[c * itemDim + k - 1];
                }
            }
            return items;
        }

        /** The log's total number of steps, after checking every step's feature count and action. */
        private static int countSteps(List<LoggedTrajectory> log, int d, int n) {
            int total = 0;
            for (int i = 0; i < log.size(); i++) {
                LoggedTrajectory tr = log.get(i);
                for (int t = 0; t < tr.length(); t++) {
                    if (tr.features()[t].length != d - 1) {
                        throw new IllegalArgumentException("trajectory " + i + " step " + t + ": "
                                + tr.features()[t].length + " features, expected " + (d - 1));
                    }
                    if (tr.actions()[t] < 0 || tr.actions()[t] >= n) {
                        throw new IllegalArgumentException("action " + tr.actions()[t] + " not in [0, " + n + ")");
                    }
                }
                total += tr.length();
            }
            return total;
        }

        /** Copies the log's steps into the flat rows (x̃ with its leading 1, action, reward, fold, trajectory). */
        private void fillRows() {
            int row = 0;
            for (int i = 0; i < log.size(); i++) {
                LoggedTrajectory tr = log.get(i);
                start[i] = row;
                for (int t = 0; t < tr.length(); t++) {
                    x[row * d] = 1;
                    System.arraycopy(tr.features()[t], 0, x, row * d + 1, d - 1);
                    a[row] = tr.actions()[t];
                    r[row] = tr.rewards()[t];
                    fold[row] = i % folds;
                    traj[row] = i;
                    row++;
                }
            }
            start[log.size()] = row;
        }

        /** Accumulates each fold's Gram matrices and factors, for every fold k, those of the other folds. */
        private void factorFolds(double ridge, double pooledRidge) {
            int big = d * e;
            double[][] pooledGram = new double[folds][big * big];
            double[][][] grams = new double[folds][n][];
            int[] rowsIn = new int[folds];
            double[] phi = new double[big];
            for (int s = 0; s < steps; s++) {
                features(s, phi);
                addOuter(pooledGram[fold[s]], phi, 0, big);
                double[][] g = grams[fold[s]];
                if (g[a[s]] == null) {
                    g[a[s]] = new double[d * d];
                }
                addOuter(g[a[s]], x, s * d, d);
                rowsIn[fold[s]]++;
            }
            for (int k = 0; k < folds; k++) {
                factorFold(k, pooledGram, grams, rowsIn, ridge, pooledRidge);
            }
        }

        /** Factors the ridge Gram matrices of every fold but k (all of them when there is one fold). */
        private void factorFold(int k, double[][] pooledGram, double[][][] grams, int[] rowsIn, double ridge,
                double pooledRidge) {
            int big = d * e;
            // fold k is valued by the model of the other folds (all of them when there is one fold)
            double[] pg = new double[big * big];
            int rows = 0;
            for (int f = 0; f < folds; f++) {
                if (f != k || folds == 1) {
                    add(pg, pooledGram[f]);
                    rows += rowsIn[f];
                    for (int c = 0; c < n; c++) {
                        if (grams[f][c] != null) {
                            if (actionFactors[k][c] == null) {
                                actionFactors[k][c] = new double[d * d];
                            }
                            add(actionFactors[k][c], grams[f][c]);
                        }
                    }
                }
            }
            for (int j = 0; j < big; j++) {
                pg[j * big + j] += pooledRidge * rows;
            }
            factorOrFail(pg, big);
            pooledFactors[k] = pg;
            for (double[] g : actionFactors[k]) {
                if (g != null) {
                    for (int j = 0; j < d; j++) {
                        g[j * d + j] += ridge;
                    }
                    factorOrFail(g, d);
                }
            }
        }

        /** φ(s, a) = x̃ ⊗ ẽ_a of row s. */
        private void features(int s, double[] phi) {
            int ia = a[s] * e;
            for (int j = 0; j < d; j++) {
                double xj = x[s * d + j];
                for (int k = 0; k < e; k++) {
                    phi[j * e + k] = xj * items[ia + k];
                }
            }
        }

        private boolean inTraining(int s, int k) {
            return folds == 1 || fold[s] != k;
        }

        /** [lowest, highest] Q̂ of the model fitted without fold k (±∞ when unbounded). */
        private double[] range(int k, double gamma) {
            return returnRange(r, steps, s -> inTraining(s, k), bounded, gamma, horizon);
        }

        /**
         * The model of target {@code target} fitted on every fold but {@code k} (on the whole log
         * when there is one fold).
         */
        public FittedQEvaluation fit(List<ActionDistribution[]> target, double gamma, int k) {
            checkTarget(target);
            int big = d * e;
            double[] range = range(k, gamma);
            FittedQEvaluation model = new FittedQEvaluation(d, e, items, n, new double[big], new double[n][],
                    range[0], range[1]);
            double[] y = new double[steps];
            int iterations = iterations(gamma);
            for (int it = 0; it < iterations; it++) {
                for (int s = 0; s < steps; s++) {
                    if (!inTraining(s, k)) {
                        continue;
                    }
                    boolean last = s + 1 == start[traj[s] + 1];
                    int t = s - start[traj[s]];
                    double next = !last && gamma > 0
                            ? model.value(x, (s + 1) * d, target.get(traj[s])[t + 1], false) : 0;
                    y[s] = r[s] + gamma * next;
                }
                double[] w = pooledWeights(y, k);
                double[][] delta = actionDeltas(y, w, k);
                model = new FittedQEvaluation(d, e, items, n, w, delta, range[0], range[1]);
            }
            return model;
        }

        private void checkTarget(List<ActionDistribution[]> target) {
            if (target.size() != log.size()) {
                throw new IllegalArgumentException("need a target distribution for every trajectory");
            }
            for (int i = 0; i < log.size(); i++) {
                if (target.get(i).length != log.get(i).length()) {
                    throw new IllegalArgumentException("trajectory " + i + ": one target distribution per step needed");
                }
                for (ActionDistribution p : target.get(i)) {
                    if (p.actionCount() != n) {
                        throw new IllegalArgumentException("a target distribution over " + p.actionCount()
                                + " actions, expected " + n);
                    }
                }
            }
        }

        /** The pooled coefficients w of the targets y on the training rows of fold k's model. */
        private double[] pooledWeights(double[] y, int k) {
            int big = d * e;
            double[] phi = new double[big];
            double[] w = new double[big];
            for (int s = 0; s < steps; s++) {
                if (inTraining(s, k)) {
                    features(s, phi);
                    for (int j = 0; j < big; j++) {
                        w[j] += phi[j] * y[s];
                    }
                }
            }
            Cholesky.solve(pooledFactors[k], big, w);
            return w;
        }

        /** Each action's correction, fitted on the residuals y − x·w of its training rows (null: no rows). */
        private double[][] actionDeltas(double[] y, double[] w, int k) {
            double[][] delta = new double[n][];
            FittedQEvaluation pooledOnly = new FittedQEvaluation(d, e, items, n, w, new double[n][],
                    Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
            for (int s = 0; s < steps; s++) {
                if (!inTraining(s, k)) {
                    continue;
                }
                double resid = y[s] - pooledOnly.q(x, s * d, a[s]);
                if (delta[a[s]] == null) {
                    delta[a[s]] = new double[d];
                }
                double[] b = delta[a[s]];
                for (int j = 0; j < d; j++) {
                    b[j] += x[s * d + j] * resid;
                }
            }
            for (int c = 0; c < n; c++) {
                if (delta[c] != null) {
                    Cholesky.solve(actionFactors[k][c], d, delta[c]);
                }
            }
            return delta;
        }

        /**
         * The log as the estimators read it for this target: ratios, and Q̂(s_t, a_t) and V̂(s_t) of
         * every trajectory from the model of the folds it is not in.
         */
        public List<WeightedTrajectory> weigh(List<ActionDistribution[]> target, double gamma) {
            FittedQEvaluation[] models = new FittedQEvaluation[folds];
            for (int k = 0; k < folds; k++) {
                models[k] = fit(target, gamma, k);
            }
            List<WeightedTrajectory> out = new ArrayList<>(log.size());
            for (int i = 0; i < log.size(); i++) {
                out.add(models[i % folds].weighOne(log.get(i), target.get(i)));
            }
            return out;
        }
    }

    private static void add(double[] into, double[] g) {
        for (int j = 0; j < g.length; j++) {
            into[j] += g[j];
        }
    }

    private static void addOuter(double[] g, double[] x, int off, int d) {
        for (int p = 0; p < d; p++) {
            double xp = x[off + p];
            if (xp == 0) {
                continue;
            }
            int row = p * d;
            for (int q = 0; q <= p; q++) {
                g[row + q] += xp * x[off + q];
            }
        }
    }

    private static void factorOrFail(double[] g, int d) {
        if (!Cholesky.factor(g, d)) {
            throw new IllegalArgumentException("the state features are collinear or not finite: cannot fit the value"
                    + " model (use a pooled ridge > 0)");
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
        return q(withBias(features), 0, action);
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

    /** u = x̃ᵀ W, so that the pooled part of Q(s, a) is u·ẽ_a. */
    private double[] stateRow(double[] x, int off) {
        double[] u = new double[itemDim];
        for (int j = 0; j < dim; j++) {
            double xj = x[off + j];
            if (xj != 0) {
                for (int k = 0; k < itemDim; k++) {
                    u[k] += xj * pooled[j * itemDim + k];
                }
            }
        }
        return u;
    }

    private double q(double[] x, int off, int action) {
        return q(x, off, stateRow(x, off), action);
    }

    private double clip(double q) {
        return Math.max(lowest, Math.min(highest, q));
    }

    private double q(double[] x, int off, double[] u, int action) {
        return clip(rawQ(x, off, u, action));
    }

    private double rawQ(double[] x, int off, double[] u, int action) {
        double s = 0;
        for (int k = 0; k < itemDim; k++) {
            s += u[k] * items[action * itemDim + k];
        }
        double[] delta = perAction[action];
        if (delta != null) {
            s += dot(delta, x, off, dim);
        }
        return s;
    }

    private double value(double[] x, int off, ActionDistribution pi) {
        return value(x, off, pi, true);
    }

    /**
     * V̂(s); {@code exact}: the uniform part is the mean of every item's clipped Q̂ (n items), else
     * the clipped mean of the unclipped Q̂ (the fit's shortcut; equal when unbounded).
     */
    private double value(double[] x, int off, ActionDistribution pi, boolean exact) {
        double[] u = stateRow(x, off);
        double mean = 0;
        if (pi.uniformMass() > 0 && exact && Double.isFinite(lowest + highest)) {
            for (int c = 0; c < actionCount; c++) {
                mean += q(x, off, u, c);
            }
            mean /= actionCount;
        } else if (pi.uniformMass() > 0) {
            for (int k = 0; k < itemDim; k++) {
                mean += u[k] * meanItem[k];
            }
            mean += dot(meanDelta, x, off, dim);
        }
        return clip(pi.expectation(clip(mean), action -> q(x, off, u, action)));
    }

    private WeightedTrajectory weighOne(LoggedTrajectory tr, ActionDistribution[] target) {
        int len = tr.length();
        double[] q = new double[len];
        double[] v = new double[len];
        for (int t = 0; t < len; t++) {
            double[] x = withBias(tr.features()[t]);
            q[t] = q(x, 0, tr.actions()[t]);
            v[t] = value(x, 0, target[t]);
        }
        return new WeightedTrajectory(tr.rewards().clone(), ratios(tr, target), q, v);
    }

    /**
     * The log as the estimators read it for this target, with this model: ratios π(a_t|s_t) / μ(a_t|s_t),
     * Q̂(s_t, a_t) and V̂(s_t) at every step.
     */
    public List<WeightedTrajectory> weigh(List<LoggedTrajectory> log, List<ActionDistribution[]> target) {
        List<WeightedTrajectory> out = new ArrayList<>(log.size());
        for (int i = 0; i < log.size(); i++) {
            out.add(weighOne(log.get(i), target.get(i)));
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

    /**
     * [lowest, highest] discounted return of an episode of {@code horizon} steps whose rewards lie
     * between the least and the greatest of {@code rewards[s]} over the steps {@code counted}
     * selects (±∞ when the fit is not {@code bounded} or γ is 0): the bound that keeps a fitted Q̂
     * within what the log can produce.
     */
    static double[] returnRange(double[] rewards, int steps, java.util.function.IntPredicate counted, boolean bounded,
            double gamma, int horizon) {
        if (!bounded || gamma == 0) {
            return new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int s = 0; s < steps; s++) {
            if (counted.test(s)) {
                min = Math.min(min, rewards[s]);
                max = Math.max(max, rewards[s]);
            }
        }
        double further = 0;
        double discount = 1;
        for (int t = 1; t < horizon; t++) {
            discount *= gamma;
            further += discount;
        }
        return new double[] {min + Math.min(0, min) * further, max + Math.max(0, max) * further};
    }
}
