package org.recsysrl.ope.model;

import java.util.Arrays;
import java.util.function.IntPredicate;
import org.recsysrl.data.Cholesky;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.util.UserInputException;

/**
 * A logistic reward model for rewards in [0, 1] (clicks, or shares of something), one coefficient
 * vector per item shrunk towards a pooled one, as {@link RidgeRewardModel} but on the log-odds:
 *
 * <pre>
 *   φ(x, k)  = [1, x_1..x_d, 1{k = 1}, .., 1{k = P−1}]
 *   ℓ(β; S)  = Σ_{i ∈ S} −[ y_i log σ(β·φ_i) + (1 − y_i) log(1 − σ(β·φ_i)) ]       (σ the logistic function)
 *   β₀       = argmin ℓ(β; all rows) + (λ₀/2) ‖β_{1..}‖² + (ε/2) β_0²               (pooled)
 *   β_a      = argmin ℓ(β; rows showing a) + (λ/2) ‖β − β₀‖²                       (per item; β₀ for unseen items)
 *   q̂(x,k,a) = σ(β_a · φ(x, k))
 * </pre>
 *
 * Each fit is a regularised Newton iteration (iteratively reweighted least squares) with a
 * backtracking line search on the objective: gradient Σ (σ_i − y_i) φ_i + Λ(β − c), Hessian
 * Σ σ_i(1 − σ_i) φ_i φ_iᵀ + Λ, which is positive definite for any positive penalty, so each fit
 * converges to its unique minimum. A fractional y in [0, 1] is the quasi-likelihood fit of a mean in
 * [0, 1]; rewards outside [0, 1] are refused. Predictions stay within (0, 1), unlike a linear
 * probability model, and the model's value of a target is the plain Σ_a π(a | x, k) q̂(x, k, a).
 */
public final class LogisticRewardModel extends PerItemRewardModel implements RewardModel {
    /** The intercept's penalty in the pooled fit: keeps the all-clicks or no-click log finite. */
    static final double INTERCEPT_PENALTY = 1e-6;
    private static final int MAX_ITERATIONS = 100;

    private LogisticRewardModel(Layout layout, double[] beta) {
        super(layout, beta);
    }

    /** Fits on every shown entry of the log; both λ must be > 0. */
    public static LogisticRewardModel fit(LoggedFeedback log, double pooledLambda, double itemLambda) {
        return fit(log, pooledLambda, itemLambda, r -> true);
    }

    /** Fits on the rows {@code include} accepts. */
    public static LogisticRewardModel fit(LoggedFeedback log, double pooledLambda, double itemLambda,
            IntPredicate include) {
        if (!(pooledLambda > 0) || !(itemLambda > 0)) {
            throw new IllegalArgumentException("the logistic model's penalties must be > 0");
        }
        Layout layout = Layout.of(log);
        int dim = layout.dim();
        Entries entries = Entries.of(log, include, layout);
        double[] pooledPenalty = new double[dim];
        Arrays.fill(pooledPenalty, pooledLambda);
        pooledPenalty[0] = INTERCEPT_PENALTY;
        double[] pooled = new Objective(entries.x, entries.y, 0, entries.y.length, dim, new double[dim],
                pooledPenalty).minimise(new double[dim]);
        double[] itemPenalty = new double[dim];
        Arrays.fill(itemPenalty, itemLambda);
        double[] beta = stack(layout, a -> {
            int from = entries.start[a];
            int to = entries.start[a + 1];
            return to > from
                    ? new Objective(entries.x, entries.y, from, to, dim, pooled, itemPenalty).minimise(pooled.clone())
                    : pooled;
        });
        return new LogisticRewardModel(layout, beta);
    }

    /**
     * A cross-fitted model ({@link CrossFitting}): each row of {@code log} is predicted by a model
     * fitted on the other folds; rows of any other log by a model fitted on all rows.
     */
    public static RewardModel crossFitted(LoggedFeedback log, double pooledLambda, double itemLambda, int folds) {
        return CrossFitting.of(log, folds, include -> fit(log, pooledLambda, itemLambda, include));
    }

    /**
     * A cross-fitted logistic model of rewards in a bounded range: the rewards are mapped to [0, 1] by
     * (r − lo) / (hi − lo), lo and hi the log's smallest and largest reward, the model is fitted to
     * them, and its predictions are mapped back, lo + (hi − lo) q̂ (the value of a target likewise,
     * since Σ_a π(a) = 1). For watch time, purchase value or any reward the log bounds.
     */
    public static RewardModel crossFittedScaled(LoggedFeedback log, double pooledLambda, double itemLambda,
            int folds) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < log.rows(); r++) {
            for (int k = 0; k < log.slateLength(r); k++) {
                double y = RowFeatures.target(log, r, k);
                if (!Double.isNaN(y)) {
                    lo = Math.min(lo, y);
                    hi = Math.max(hi, y);
                }
            }
        }
        if (!(hi > lo)) {
            return crossFitted(log, pooledLambda, itemLambda, folds);
        }
        double low = lo;
        double range = hi - lo;
        LoggedFeedback unit = rescaled(log, low, range);
        RewardModel inner = crossFitted(unit, pooledLambda, itemLambda, folds);
        return new RewardModel() {
            @Override
            public double predict(LoggedFeedback l, int row, int position, int item) {
                return low + range * inner.predict(l == log ? unit : l, row, position, item);
            }

            @Override
            public double expectedUnder(org.recsysrl.ope.policy.TargetPolicy target, LoggedFeedback l, int row,
                    int position, double[] scratch) {
                return low + range * inner.expectedUnder(target, l == log ? unit : l, row, position, scratch);
            }
        };
    }

    /** A copy of {@code log} (same rows, items and contexts) with every reward r replaced by (r − low) / range. */
    private static LoggedFeedback rescaled(LoggedFeedback log, double low, double range) {
        LoggedFeedback.Builder b = LoggedFeedback.builder(log.source()).catalog(log.itemIds());
        for (int r = 0; r < log.rows(); r++) {
            int len = log.slateLength(r);
            int[] items = new int[len];
            double[] props = new double[len];
            double[] rewards = log.hasPositionRewards(r) ? new double[len] : null;
            for (int k = 0; k < len; k++) {
                items[k] = log.item(r, k);
                props[k] = log.propensity(r, k);
                if (rewards != null) {
                    rewards[k] = (log.positionReward(r, k) - low) / range;
                }
            }
            b.addIndexed(r, null, null, null, -1, log.contextDim() == 0 ? null : log.contextOf(r), log.position(r),
                    items, props, log.slatePropensity(r), rewards, (log.reward(r) - low) / range, null, null);
        }
        return b.build();
    }

    @Override
    public double predict(LoggedFeedback log, int row, int position, int item) {
        return sigmoid(score(log, row, position, item));
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    /** The included shown entries' features and rewards, grouped by item (item a's at start[a] ..). */
    private record Entries(double[] x, double[] y, int[] start) {
        static Entries of(LoggedFeedback log, IntPredicate include, Layout layout) {
            int items = layout.items();
            int dim = layout.dim();
            int[] count = new int[items + 1];
            forEachEntry(log, include, null, (r, k, a, y) -> {
                if (y < 0 || y > 1) {
                    throw new UserInputException(log.source() + " row " + (r + 1) + ": reward " + y + " is not in"
                            + " [0, 1]; the logistic reward model is for clicks and other rewards in [0, 1]: use"
                            + " the ridge model (--reward-model ridge)");
                }
                count[a + 1]++;
            });
            for (int a = 0; a < items; a++) {
                count[a + 1] += count[a];
            }
            int[] start = count.clone();
            int[] next = count.clone();
            double[] x = new double[count[items] * dim];
            double[] y = new double[count[items]];
            double[] phi = new double[dim];
            forEachEntry(log, include, phi, (r, k, a, target) -> {
                int e = next[a]++;
                System.arraycopy(phi, 0, x, e * dim, dim);
                y[e] = target;
            });
            return new Entries(x, y, start);
        }
    }

    /**
     * One fit's objective: the logistic loss of entries {@code from} to {@code to} of {@code x}
     * (row-major, {@code dim} columns) and {@code y}, plus Σ_j penalty_j (β_j − centre_j)² / 2.
     */
    static final class Objective {
        private final double[] x;
        private final double[] y;
        private final int from;
        private final int to;
        private final int dim;
        private final double[] centre;
        private final double[] penalty;

        Objective(double[] x, double[] y, int from, int to, int dim, double[] centre, double[] penalty) {
            this.x = x;
            this.y = y;
            this.from = from;
            this.to = to;
            this.dim = dim;
            this.centre = centre;
            this.penalty = penalty;
        }

        private double score(double[] b, int e) {
            double z = 0;
            for (int j = 0; j < dim; j++) {
                z += b[j] * x[e * dim + j];
            }
            return z;
        }

        /** The objective at {@code b}. */
        double value(double[] b) {
            double v = 0;
            for (int e = from; e < to; e++) {
                double z = score(b, e);
                // −[y log σ(z) + (1 − y) log(1 − σ(z))] = log(1 + e^z) − y z, computed stably
                double softplus = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
                v += softplus - y[e] * z;
            }
            for (int j = 0; j < dim; j++) {
                double dj = b[j] - centre[j];
                v += 0.5 * penalty[j] * dj * dj;
            }
            return v;
        }

        /** The gradient at {@code b} into {@code g}; the Hessian's lower triangle into {@code h} when not null. */
        void derivatives(double[] b, double[] g, double[] h) {
            for (int j = 0; j < dim; j++) {
                g[j] = penalty[j] * (b[j] - centre[j]);
            }
            if (h != null) {
                Arrays.fill(h, 0.0);
                for (int j = 0; j < dim; j++) {
                    h[j * dim + j] = penalty[j];
                }
            }
            for (int e = from; e < to; e++) {
                double p = sigmoid(score(b, e));
                double residual = p - y[e];
                double curvature = p * (1 - p);
                int base = e * dim;
                for (int i = 0; i < dim; i++) {
                    double xi = x[base + i];
                    if (xi == 0) {
                        continue;
                    }
                    g[i] += residual * xi;
                    if (h != null) {
                        for (int j = 0; j <= i; j++) {
                            h[i * dim + j] += curvature * xi * x[base + j];
                        }
                    }
                }
            }
        }

        /** Newton's method with backtracking from {@code b} (overwritten), returned at the minimum. */
        double[] minimise(double[] b) {
            double[] g = new double[dim];
            double[] h = new double[dim * dim];
            double[] trial = new double[dim];
            double current = value(b);
            for (int it = 0; it < MAX_ITERATIONS; it++) {
                derivatives(b, g, h);
                if (!Cholesky.factor(h, dim)) {
                    throw new IllegalStateException("logistic Hessian not positive definite (penalty must be > 0)");
                }
                double[] step = g.clone();
                Cholesky.solve(h, dim, step);
                double size = 0;
                for (int j = 0; j < dim; j++) {
                    size = Math.max(size, Math.abs(step[j]) / (1 + Math.abs(b[j])));
                }
                double t = 1;
                double next = current;
                for (int halvings = 0; halvings < 40; halvings++, t *= 0.5) {
                    for (int j = 0; j < dim; j++) {
                        trial[j] = b[j] - t * step[j];
                    }
                    next = value(trial);
                    if (next <= current) {
                        break;
                    }
                }
                if (next > current) {
                    break; // no descent left within rounding: at the minimum
                }
                System.arraycopy(trial, 0, b, 0, dim);
                current = next;
                if (size * t < 1e-12) {
                    break;
                }
            }
            return b;
        }
    }
}
