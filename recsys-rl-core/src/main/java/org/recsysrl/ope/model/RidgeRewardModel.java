package org.recsysrl.ope.model;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.IntPredicate;
import org.recsysrl.data.Cholesky;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.ope.policy.TargetPolicy;
import org.recsysrl.util.UserInputException;

/**
 * A linear reward model fitted on a one-step log by ridge regression, one coefficient vector per item
 * shrunk towards a pooled one:
 *
 * <pre>
 *   φ(x, k)  = [1, x_1..x_d, 1{k = 1}, .., 1{k = P−1}]           (context and position indicators)
 *   β₀       = argmin Σ_i (r_i − β·φ_i)² + λ₀ ‖β_{1..}‖²          (pooled over all rows)
 *   β_a      = argmin Σ_{i: a_i = a} (r_i − β·φ_i)² + λ ‖β − β₀‖²  (per item; β₀ for unseen items)
 *   q̂(x,k,a) = β_a · φ(x, k)
 * </pre>
 *
 * A linear probability model rather than a logistic one, so that the value of a context-free target
 * is exact and cheap: Σ_a π(a|k) q̂(x,k,a) = (Σ_a π(a|k) β_a) · φ(x,k), with the mixed coefficients
 * computed once per (target, position). Fitting costs O(n D²) and K solves of D×D.
 */
public final class RidgeRewardModel extends PerItemRewardModel implements RewardModel {
    /** Largest items × dim² the fit accumulates (each a double: 400 MB). */
    public static final long MAX_GRAM_ENTRIES = 50_000_000L;
    private final Map<TargetPolicy, double[][]> mixed = new IdentityHashMap<>();
    private LoggedFeedback mixedLog;

    private RidgeRewardModel(Layout layout, double[] beta) {
        super(layout, beta);
    }

    /** Fits on every shown entry of the log (its per-position reward, or the row total for single items); λ must be > 0. */
    public static RidgeRewardModel fit(LoggedFeedback log, double pooledLambda, double itemLambda) {
        return fit(log, pooledLambda, itemLambda, r -> true);
    }

    /** Fits on the rows {@code include} accepts. */
    public static RidgeRewardModel fit(LoggedFeedback log, double pooledLambda, double itemLambda,
            IntPredicate include) {
        Layout layout = Layout.of(log);
        int dim = layout.dim();
        int items = layout.items();
        if ((long) items * dim * dim > MAX_GRAM_ENTRIES) {
            throw new UserInputException("the reward model would need " + items + " items x " + dim
                    + "^2 coefficients' statistics (over " + MAX_GRAM_ENTRIES / 1_000_000 + " million numbers): use"
                    + " fewer context features (ope.csv.context) or only estimators without a model (ips,snips)");
        }
        double[] xtx = new double[items * dim * dim];
        double[] xty = new double[items * dim];
        accumulateNormalEquations(log, include, dim, xtx, xty);
        double[] pooled = pooledCoefficients(xtx, xty, items, dim, pooledLambda);
        double[] beta = stack(layout, a -> {
            double[] m = new double[dim * dim];
            System.arraycopy(xtx, a * dim * dim, m, 0, dim * dim);
            double[] b = new double[dim];
            for (int i = 0; i < dim; i++) {
                m[i * dim + i] += itemLambda;
                b[i] = xty[a * dim + i] + itemLambda * pooled[i];
            }
            solve(m, dim, b);
            return b;
        });
        return new RidgeRewardModel(layout, beta);
    }

    /**
     * Adds each included shown entry's φφᵀ (lower triangle) and φy to its item's blocks of
     * {@code xtx} (items × dim²) and {@code xty} (items × dim).
     */
    private static void accumulateNormalEquations(LoggedFeedback log, IntPredicate include, int dim, double[] xtx,
            double[] xty) {
        double[] phi = new double[dim];
        forEachEntry(log, include, phi, (r, k, a, y) -> {
            int base = a * dim * dim;
            for (int i = 0; i < dim; i++) {
                if (phi[i] == 0) {
                    continue;
                }
                for (int j = 0; j <= i; j++) {
                    xtx[base + i * dim + j] += phi[i] * phi[j];
                }
                xty[a * dim + i] += phi[i] * y;
            }
        });
    }

    /** β₀: the ridge solution of the items' summed normal equations (intercept barely penalised). */
    private static double[] pooledCoefficients(double[] xtx, double[] xty, int items, int dim, double pooledLambda) {
        double[] pooledXtx = new double[dim * dim];
        double[] pooledXty = new double[dim];
        for (int a = 0; a < items; a++) {
            for (int i = 0; i < dim * dim; i++) {
                pooledXtx[i] += xtx[a * dim * dim + i];
            }
            for (int i = 0; i < dim; i++) {
                pooledXty[i] += xty[a * dim + i];
            }
        }
        double[] pooled = pooledXty.clone();
        double[] a0 = pooledXtx.clone();
        for (int i = 0; i < dim; i++) {
            a0[i * dim + i] += i == 0 ? 1e-9 : pooledLambda;
        }
        solve(a0, dim, pooled);
        return pooled;
    }

    /**
     * A cross-fitted model ({@link CrossFitting}): each row of {@code log} is predicted by a model
     * fitted on the other folds; rows of any other log by a model fitted on all rows.
     */
    public static RewardModel crossFitted(LoggedFeedback log, double pooledLambda, double itemLambda, int folds) {
        return CrossFitting.of(log, folds, include -> fit(log, pooledLambda, itemLambda, include));
    }

    private static void solve(double[] a, int n, double[] b) {
        if (!Cholesky.factor(a, n)) {
            throw new IllegalStateException("ridge system not positive definite (lambda must be > 0)");
        }
        Cholesky.solve(a, n, b);
    }

    @Override
    public double predict(LoggedFeedback log, int row, int position, int item) {
        return score(log, row, position, item);
    }

    @Override
    public double expectedUnder(TargetPolicy target, LoggedFeedback log, int row, int position, double[] scratch) {
        if (!target.contextFree()) {
            return RewardModel.super.expectedUnder(target, log, row, position, scratch);
        }
        if (mixedLog != log) {
            mixed.clear();
            mixedLog = log;
        }
        double[][] byPos = mixed.computeIfAbsent(target, t -> new double[Math.max(positions, log.numPositions())][]);
        if (byPos[position] == null) {
            double[] m = new double[dim];
            double[] dist = new double[log.numItems()];
            target.distribution(log, row, position, dist);
            for (int a = 0; a < dist.length; a++) {
                if (dist[a] != 0) {
                    for (int i = 0; i < dim; i++) {
                        m[i] += dist[a] * beta[a * dim + i];
                    }
                }
            }
            byPos[position] = m;
        }
        return linear(byPos[position], 0, log, row, position);
    }
}
