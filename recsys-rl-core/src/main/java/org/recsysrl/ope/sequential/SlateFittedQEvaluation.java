package org.recsysrl.ope.sequential;

import java.util.ArrayList;
import java.util.List;
import org.recsysrl.data.Cholesky;

/**
 * Fitted-Q evaluation for slates: the target policy's action value of a whole slate, with a model
 * linear in its parameters and additive over positions,
 *
 * <pre>  Q̂(s, A) = w₀ · x̃ + Σ_{k&lt;K} w_k · h(s, a_k),   x̃ = (1, s),</pre>
 *
 * where h(s, a) are the features of action a at state s: the step's candidate features
 * ({@link SlateTrajectory#candidates()}, q per action) when actions are candidate slots, or the
 * one-hot indicator of item a (n per position: an own coefficient for every item at every
 * position). Each position has its own coefficients w_k, so the model holds position effects
 * ("per-position terms"). It is fitted like {@link FittedQEvaluation}: K_it repeated ridge regressions
 * on the target's Bellman targets r_t + γ V̂(s_{t+1}) (0 after the last step), K_it the smallest
 * with γ^K_it ≤ 10⁻³, starting from Q̂ = 0, penalty λ on every coefficient but the constant.
 *
 * <p>Because Q̂ is additive over positions, its expectation under any slate distribution needs only
 * the target's per-position marginals π_k(· | s):
 *
 * <pre>  V̂(s) = Σ_A π(A|s) Q̂(s, A) = w₀ · x̃ + Σ_k w_k · Σ_a π_k(a|s) h(s, a),</pre>
 *
 * exact for targets that sample whole slates jointly (what a doubly robust estimate needs to stay
 * unbiased). The Q̂ and V̂ the estimators read are therefore not clipped; with {@code bounded} only
 * the fit's Bellman targets clip V̂(s_{t+1}) to the discounted returns the training rows' rewards
 * allow (as {@link FittedQEvaluation} bounds its model), which keeps the iteration from running
 * away where the linear model extrapolates.
 *
 * <p>Cross-fitted over trajectories (trajectory i in fold i mod F, valued by the model of the other
 * folds), as {@link FittedQEvaluation.Design}.
 */
public final class SlateFittedQEvaluation {
    private final int stateWidth;
    private final int slateSize;
    private final int actionCount;
    private final int itemDim;
    private final double[] weights;

    private SlateFittedQEvaluation(int stateWidth, int slateSize, int actionCount, int itemDim, double[] weights) {
        this.stateWidth = stateWidth;
        this.slateSize = slateSize;
        this.actionCount = actionCount;
        this.itemDim = itemDim;
        this.weights = weights;
    }

    /**
     * A model with given coefficients (e.g. a deliberately wrong one, for tests), laid out as
     * [w₀ (1 + stateDim), w_0 … w_{K−1} (each itemWidth)], itemWidth = itemDim, or actionCount when
     * itemDim is 0 (one-hot items).
     *
     * @throws IllegalArgumentException if {@code weights} has another length
     */
    public static SlateFittedQEvaluation of(double[] weights, int stateDim, int slateSize, int actionCount,
            int itemDim) {
        SlateFittedQEvaluation m = new SlateFittedQEvaluation(stateDim + 1, slateSize, actionCount, itemDim,
                weights.clone());
        if (weights.length != m.featureCount()) {
            throw new IllegalArgumentException(weights.length + " coefficients, the model has " + m.featureCount());
        }
        return m;
    }

    /** The number of coefficients: 1 + stateDim + K · itemWidth. */
    public int featureCount() {
        return stateWidth + slateSize * itemWidth();
    }

    private int itemWidth() {
        return itemDim == 0 ? actionCount : itemDim;
    }

    /** The coefficients (a copy). */
    public double[] weights() {
        return weights.clone();
    }

    /** Q̂(s_t, A_t) of the slate logged at step t of {@code tr}. */
    public double q(SlateTrajectory tr, int t) {
        double[] phi = new double[featureCount()];
        loggedFeatures(tr, t, phi, 0);
        return dot(weights, phi, 0, phi.length);
    }

    /** V̂(s_t) = Σ_A π(A|s_t) Q̂(s_t, A) for the target whose marginals at step t are {@code marginals}. */
    public double value(SlateTrajectory tr, int t, ActionDistribution[] marginals) {
        double[] psi = new double[featureCount()];
        expectedFeatures(tr, t, marginals, psi, 0);
        return dot(weights, psi, 0, psi.length);
    }

    /** φ(s_t, A_t) = [1, s_t, h(s_t, a_{t,0}), …, h(s_t, a_{t,K−1})] into {@code out} from {@code off}. */
    void loggedFeatures(SlateTrajectory tr, int t, double[] out, int off) {
        checkStep(tr, t);
        stateFeatures(tr, t, out, off);
        int w = itemWidth();
        for (int k = 0; k < slateSize; k++) {
            int base = off + stateWidth + k * w;
            int a = tr.slates()[t][k];
            if (itemDim == 0) {
                out[base + a] = 1;
            } else {
                System.arraycopy(tr.candidates()[t], a * itemDim, out, base, itemDim);
            }
        }
    }

    /** ψ(s_t) = E_π φ(s_t, A) = [1, s_t, Σ_a π_k(a|s_t) h(s_t, a) for each k] into {@code out} from {@code off}. */
    void expectedFeatures(SlateTrajectory tr, int t, ActionDistribution[] marginals, double[] out, int off) {
        checkStep(tr, t);
        if (marginals.length != slateSize) {
            throw new IllegalArgumentException(marginals.length + " marginals for slates of " + slateSize);
        }
        stateFeatures(tr, t, out, off);
        int w = itemWidth();
        for (int k = 0; k < slateSize; k++) {
            if (marginals[k].actionCount() != actionCount) {
                throw new IllegalArgumentException("a marginal over " + marginals[k].actionCount() + " actions, expected "
                        + actionCount);
            }
            double[] p = marginals[k].toDense();
            int base = off + stateWidth + k * w;
            for (int a = 0; a < actionCount; a++) {
                if (p[a] == 0) {
                    continue;
                }
                if (itemDim == 0) {
                    out[base + a] = p[a];
                } else {
                    double[] c = tr.candidates()[t];
                    for (int j = 0; j < itemDim; j++) {
                        out[base + j] += p[a] * c[a * itemDim + j];
                    }
                }
            }
        }
    }

    private void stateFeatures(SlateTrajectory tr, int t, double[] out, int off) {
        java.util.Arrays.fill(out, off, off + featureCount(), 0);
        out[off] = 1;
        System.arraycopy(tr.features()[t], 0, out, off + 1, stateWidth - 1);
    }

    private void checkStep(SlateTrajectory tr, int t) {
        if (tr.features()[t].length != stateWidth - 1) {
            throw new IllegalArgumentException(tr.features()[t].length + " state features, expected " + (stateWidth - 1));
        }
        if (tr.slateSize() != slateSize) {
            throw new IllegalArgumentException("slates of " + tr.slateSize() + ", expected " + slateSize);
        }
        if ((itemDim == 0) != (tr.candidates() == null)
                || (itemDim > 0 && tr.candidates()[t].length != actionCount * itemDim)) {
            throw new IllegalArgumentException("step " + t + ": candidate features do not match the model's "
                    + actionCount + " actions × " + itemDim);
        }
        for (int a : tr.slates()[t]) {
            if (a < 0 || a >= actionCount) {
                throw new IllegalArgumentException("action " + a + " not in [0, " + actionCount + ")");
            }
        }
    }

    private static double dot(double[] w, double[] x, int off, int m) {
        double s = 0;
        for (int j = 0; j < m; j++) {
            s += w[j] * x[off + j];
        }
        return s;
    }

    /**
     * A quadratic state basis: s and all pairwise products s_i·s_j (i ≥ j), d + d(d + 1)/2 features,
     * in the order s_0 … s_{d−1}, s_0s_0, s_1s_0, s_1s_1, s_2s_0, …; with it the linear model sees how
     * one state feature scales another's value (on interest-evolution, the budget left and the
     * interests).
     */
    public static double[] quadraticState(double[] s) {
        int d = s.length;
        double[] x = new double[d + d * (d + 1) / 2];
        int at = d;
        for (int i = 0; i < d; i++) {
            x[i] = s[i];
            for (int j = 0; j <= i; j++) {
                x[at++] = s[i] * s[j];
            }
        }
        return x;
    }

    /** π(A_t|s_t) / μ(A_t|s_t) at every step: the whole slate's ratio. */
    public static double[] ratios(SlateTrajectory tr, SlateTargetStep[] target) {
        checkLength(tr, target);
        double[] out = new double[tr.length()];
        for (int t = 0; t < out.length; t++) {
            out[t] = target[t].slateProbability() / tr.propensities()[t];
        }
        return out;
    }

    private static void checkLength(SlateTrajectory tr, SlateTargetStep[] target) {
        if (target.length != tr.length()) {
            throw new IllegalArgumentException("one target step per logged step needed (" + target.length + " for "
                    + tr.length() + ")");
        }
    }

    /** The trajectories weighed for the target, without a value model (the importance-sampling estimators). */
    public static List<WeightedTrajectory> ratiosOnly(List<SlateTrajectory> log, List<SlateTargetStep[]> target) {
        List<WeightedTrajectory> out = new ArrayList<>(log.size());
        for (int i = 0; i < log.size(); i++) {
            out.add(new WeightedTrajectory(log.get(i).rewards().clone(), ratios(log.get(i), target.get(i))));
        }
        return out;
    }

    /**
     * The log as the estimators read it for this target, with this model: whole-slate ratios,
     * Q̂(s_t, A_t) and V̂(s_t) at every step.
     */
    public List<WeightedTrajectory> weigh(List<SlateTrajectory> log, List<SlateTargetStep[]> target) {
        List<WeightedTrajectory> out = new ArrayList<>(log.size());
        for (int i = 0; i < log.size(); i++) {
            out.add(weighOne(log.get(i), target.get(i)));
        }
        return out;
    }

    private WeightedTrajectory weighOne(SlateTrajectory tr, SlateTargetStep[] target) {
        double[] q = new double[tr.length()];
        double[] v = new double[tr.length()];
        for (int t = 0; t < q.length; t++) {
            q[t] = q(tr, t);
            v[t] = value(tr, t, target[t].marginals());
        }
        return new WeightedTrajectory(tr.rewards().clone(), ratios(tr, target), q, v);
    }

    /**
     * The log prepared for fitting any number of targets (the Gram matrices, which do not depend on
     * the target, are built and factorised once per fold).
     *
     * @param actionCount n, the actions of every step
     * @param itemDim q, the candidate features per action (0: one-hot items; the trajectories then
     *     carry no candidates)
     * @param folds F ≥ 1, at most one per trajectory (1: fit and value on the whole log)
     * @param ridge λ &gt; 0 on every coefficient but the constant
     * @param bounded whether the fit clips the Bellman targets' V̂(s_{t+1}) to the achievable returns
     * @throws IllegalArgumentException on empty data, mismatched shapes or a singular system
     */
    public static Design design(List<SlateTrajectory> log, int actionCount, int itemDim, int folds, double ridge,
            boolean bounded) {
        return new Design(log, actionCount, itemDim, folds, ridge, bounded);
    }

    /** A slate log prepared for fitted-Q evaluation; see {@link #design}. */
    public static final class Design {
        private final List<SlateTrajectory> log;
        private final SlateFittedQEvaluation shape;
        private final int m;
        private final int folds;
        private final int steps;
        private final double[] phi;
        private final double[] reward;
        private final int[] fold;
        private final boolean[] last;
        private final int[] traj;
        private final int[] stepOf;
        private final double[][] factors;
        private final boolean bounded;
        private final int horizon;

        private Design(List<SlateTrajectory> log, int actionCount, int itemDim, int folds, double ridge,
                boolean bounded) {
            if (log.isEmpty()) {
                throw new IllegalArgumentException("no trajectories to fit a value model on");
            }
            if (!(ridge > 0) || folds < 1 || folds > log.size()) {
                throw new IllegalArgumentException("ridge " + ridge + " must be positive and folds " + folds
                        + " in [1, " + log.size() + "]");
            }
            SlateTrajectory first = log.get(0);
            this.log = log;
            this.shape = new SlateFittedQEvaluation(first.features()[0].length + 1, first.slateSize(), actionCount,
                    itemDim, null);
            this.m = shape.featureCount();
            this.folds = folds;
            this.bounded = bounded;
            int total = 0;
            int longest = 0;
            for (SlateTrajectory tr : log) {
                total += tr.length();
                longest = Math.max(longest, tr.length());
            }
            this.steps = total;
            this.horizon = longest;
            this.phi = new double[steps * m];
            this.reward = new double[steps];
            this.fold = new int[steps];
            this.last = new boolean[steps];
            this.traj = new int[steps];
            this.stepOf = new int[steps];
            fillRows();
            this.factors = new double[folds][];
            factor(ridge);
        }

        private void fillRows() {
            int row = 0;
            for (int i = 0; i < log.size(); i++) {
                SlateTrajectory tr = log.get(i);
                for (int t = 0; t < tr.length(); t++) {
                    shape.loggedFeatures(tr, t, phi, row * m);
                    reward[row] = tr.rewards()[t];
                    fold[row] = i % folds;
                    last[row] = t == tr.length() - 1;
                    traj[row] = i;
                    stepOf[row] = t;
                    row++;
                }
            }
        }

        private boolean inTraining(int s, int k) {
            return folds == 1 || fold[s] != k;
        }

        /** Each fold's ridge Gram matrix of the other folds' rows, factorised. */
        private void factor(double ridge) {
            double[][] grams = new double[folds][m * m];
            int[] rows = new int[folds];
            for (int s = 0; s < steps; s++) {
                double[] g = grams[fold[s]];
                rows[fold[s]]++;
                int off = s * m;
                for (int p = 0; p < m; p++) {
                    double xp = phi[off + p];
                    if (xp != 0) {
                        for (int q = 0; q <= p; q++) {
                            g[p * m + q] += xp * phi[off + q];
                        }
                    }
                }
            }
            for (int k = 0; k < folds; k++) {
                double[] g = new double[m * m];
                int n = 0;
                for (int f = 0; f < folds; f++) {
                    if (f != k || folds == 1) {
                        for (int j = 0; j < g.length; j++) {
                            g[j] += grams[f][j];
                        }
                        n += rows[f];
                    }
                }
                g[0] += FittedQEvaluation.POOLED_RIDGE * n;
                for (int j = 1; j < m; j++) {
                    g[j * m + j] += ridge;
                }
                if (!Cholesky.factor(g, m)) {
                    throw new IllegalArgumentException("the slate value model's features are not finite: cannot fit it");
                }
                factors[k] = g;
            }
        }

        /** ψ(s) under the target at every step (rows in log order). */
        private double[] expected(List<SlateTargetStep[]> target) {
            if (target.size() != log.size()) {
                throw new IllegalArgumentException("need a target for every trajectory");
            }
            double[] psi = new double[steps * m];
            for (int s = 0; s < steps; s++) {
                SlateTargetStep[] at = target.get(traj[s]);
                checkLength(log.get(traj[s]), at);
                shape.expectedFeatures(log.get(traj[s]), stepOf[s], at[stepOf[s]].marginals(), psi, s * m);
            }
            return psi;
        }

        /** [lowest, highest] achievable discounted return of fold k's training rows (±∞ when unbounded). */
        private double[] range(int k, double gamma) {
            return FittedQEvaluation.returnRange(reward, steps, s -> inTraining(s, k), bounded, gamma, horizon);
        }

        /** The model of the target fitted on every fold but {@code k} (the whole log with one fold). */
        public SlateFittedQEvaluation fit(List<SlateTargetStep[]> target, double gamma, int k) {
            return fit(expected(target), gamma, k);
        }

        private SlateFittedQEvaluation fit(double[] psi, double gamma, int k) {
            double[] range = range(k, gamma);
            double[] w = new double[m];
            int iterations = FittedQEvaluation.iterations(gamma);
            for (int it = 0; it < iterations; it++) {
                double[] b = new double[m];
                for (int s = 0; s < steps; s++) {
                    if (!inTraining(s, k)) {
                        continue;
                    }
                    double next = last[s] || gamma == 0 ? 0
                            : Math.max(range[0], Math.min(range[1], dot(w, psi, (s + 1) * m, m)));
                    double y = reward[s] + gamma * next;
                    int off = s * m;
                    for (int j = 0; j < m; j++) {
                        b[j] += phi[off + j] * y;
                    }
                }
                Cholesky.solve(factors[k], m, b);
                w = b;
            }
            return new SlateFittedQEvaluation(shape.stateWidth, shape.slateSize, shape.actionCount, shape.itemDim, w);
        }

        /**
         * The log as the estimators read it for this target: whole-slate ratios, and Q̂(s_t, A_t) and
         * V̂(s_t) of every trajectory from the model of the folds it is not in.
         */
        public List<WeightedTrajectory> weigh(List<SlateTargetStep[]> target, double gamma) {
            double[] psi = expected(target);
            SlateFittedQEvaluation[] models = new SlateFittedQEvaluation[folds];
            for (int k = 0; k < folds; k++) {
                models[k] = fit(psi, gamma, k);
            }
            List<WeightedTrajectory> out = new ArrayList<>(log.size());
            int row = 0;
            for (int i = 0; i < log.size(); i++) {
                SlateTrajectory tr = log.get(i);
                double[] w = models[i % folds].weights;
                double[] q = new double[tr.length()];
                double[] v = new double[tr.length()];
                for (int t = 0; t < tr.length(); t++, row++) {
                    q[t] = dot(w, phi, row * m, m);
                    v[t] = dot(w, psi, row * m, m);
                }
                out.add(new WeightedTrajectory(tr.rewards().clone(), ratios(tr, target.get(i)), q, v));
            }
            return out;
        }
    }
}
