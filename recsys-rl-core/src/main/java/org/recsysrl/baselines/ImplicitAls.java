package org.recsysrl.baselines;

import java.util.ArrayList;
import java.util.List;
import org.recsysrl.data.Cholesky;
import org.recsysrl.data.Interactions;
import org.recsysrl.nn.Kernels;
import org.recsysrl.recommend.FitContext;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Hyperparameters;
import org.recsysrl.recommend.MemoryNeed;
import org.recsysrl.recommend.ModelFamily;
import org.recsysrl.recommend.Recommender;
import org.recsysrl.util.Parallel;
import org.recsysrl.util.Rng;

/**
 * Implicit-feedback matrix factorisation by alternating least squares (Hu, Koren &amp; Volinsky,
 * ICDM 2008): minimises
 * {@code Σ_{u,i} c_ui (p_ui − x_u·y_i)² + λ (Σ_u ‖x_u‖² + Σ_i ‖y_i‖²)} over all user–item pairs,
 * with preference p_ui = 1 for observed pairs (else 0) and confidence c_ui = 1 + α·r_ui, r_ui the
 * summed weight of the user's interactions with the item (their count when unweighted). Each
 * half-sweep solves, per user (then per item), the d × d normal equations
 * {@code (YᵀY + Σ_{i∈I_u} (c_ui − 1) y_i y_iᵀ + λI) x_u = Σ_{i∈I_u} c_ui y_i} exactly (YᵀY is
 * shared, so a solve costs O(|I_u| d² + d³) rather than touching every item), so the objective
 * never increases. A user is scored by folding the history in with the same equations against
 * the final item factors (so new sessions work too), then {@code score_i = x·y_i}.
 *
 * <p>Solves are spread over threads by rows; the result does not depend on the thread count.
 */
public final class ImplicitAls implements ModelFamily {
    static final int DIM = 64;
    static final int SWEEPS = 8;
    private static final double[] ALPHAS = {20, 80};
    private static final double[] LAMBDAS = {1, 10};

    @Override
    public String name() {
        return "ials";
    }

    @Override
    public String description() {
        return "implicit ALS with confidence weights (Hu, Koren & Volinsky 2008), " + DIM + " factors";
    }

    /** The weighted matrix in both orientations, the two factor tables and the transposed item factors. */
    @Override
    public MemoryNeed memory(Interactions train, FitContext context) {
        long users = train.userCount();
        long n = train.itemCount();
        long factors = 4L * DIM * (users + 2 * n);
        return new MemoryNeed(factors, String.format(java.util.Locale.ROOT, "the %d-dimensional factors of %,d users"
                + " and %,d items", DIM, users, n)).plus(16L * train.totalCount() + 8L * (users + n)
                + context.threads() * (8L * DIM * DIM + 4L * n));
    }

    @Override
    public List<Hyperparameters> grid(Interactions train, FitContext context) {
        List<Hyperparameters> g = new ArrayList<>();
        for (double a : ALPHAS) {
            for (double l : LAMBDAS) {
                g.add(Hyperparameters.of("alpha", a, "lambda", l, "dim", DIM, "sweeps", SWEEPS));
            }
        }
        return g;
    }

    @Override
    public Fitter prepare(Interactions train, FitContext context) {
        WeightedMatrix r = WeightedMatrix.of(train);
        return hp -> {
            Factors f = new Factors(r, hp.getInt("dim"), hp.get("alpha"), hp.get("lambda"), context.seed(),
                    context.threads());
            for (int s = 0; s < hp.getInt("sweeps"); s++) {
                f.sweep();
            }
            return f.recommender();
        };
    }

    /**
     * The training part as summed weights per distinct (user, item) pair, in both orientations.
     */
    static final class WeightedMatrix {
        final int users;
        final int items;
        final int[] userOffsets;
        final int[] userItems;
        final float[] userWeights;
        final int[] itemOffsets;
        final int[] itemUsers;
        final float[] itemWeights;

        private WeightedMatrix(BinaryMatrix b, float[] uw, float[] iw) {
            users = b.users;
            items = b.items;
            userOffsets = b.userOffsets;
            userItems = b.userItems;
            itemOffsets = b.itemOffsets;
            itemUsers = b.itemUsers;
            userWeights = uw;
            itemWeights = iw;
        }

        static WeightedMatrix of(Interactions train) {
            BinaryMatrix b = BinaryMatrix.of(train);
            float[] uw = new float[b.userItems.length];
            float[] iw = new float[b.itemUsers.length];
            float[] acc = new float[b.items];
            int[] list = train.items();
            for (int u = 0; u < b.users; u++) {
                for (int p = train.start(u); p < train.end(u); p++) {
                    acc[list[p]] += train.weight(p);
                }
                for (int q = b.userOffsets[u]; q < b.userOffsets[u + 1]; q++) {
                    uw[q] = acc[b.userItems[q]];
                }
                for (int p = train.start(u); p < train.end(u); p++) {
                    acc[list[p]] = 0f;
                }
            }
            // the item orientation lists users ascending, as the user loop visits them
            int[] next = java.util.Arrays.copyOf(b.itemOffsets, b.items);
            for (int u = 0; u < b.users; u++) {
                for (int q = b.userOffsets[u]; q < b.userOffsets[u + 1]; q++) {
                    iw[next[b.userItems[q]]++] = uw[q];
                }
            }
            return new WeightedMatrix(b, uw, iw);
        }
    }

    /** The factors of one fit and its sweeps. */
    static final class Factors {
        final WeightedMatrix r;
        final int d;
        final double alpha;
        final double lambda;
        final int threads;
        final float[] x; // users × d
        final float[] y; // items × d

        Factors(WeightedMatrix r, int d, double alpha, double lambda, long seed, int threads) {
            this.r = r;
            this.d = d;
            this.alpha = alpha;
            this.lambda = lambda;
            this.threads = threads;
            x = new float[r.users * d];
            y = new float[r.items * d];
            Rng ru = Rng.stream(seed, 61);
            Rng ri = Rng.stream(seed, 62);
            double std = 0.01;
            for (int k = 0; k < x.length; k++) {
                x[k] = (float) (std * ru.nextGaussian());
            }
            for (int k = 0; k < y.length; k++) {
                y[k] = (float) (std * ri.nextGaussian());
            }
        }

        /** Users, then items, each set to the exact minimiser with the other side fixed. */
        void sweep() {
            solveSide(r.users, r.userOffsets, r.userItems, r.userWeights, y, r.items, x);
            solveSide(r.items, r.itemOffsets, r.itemUsers, r.itemWeights, x, r.users, y);
        }

        private void solveSide(int rows, int[] ptr, int[] other, float[] w, float[] fixed, int fixedRows, float[] out) {
            double[] gram = gram(fixed, fixedRows, d);
            Parallel.forChunks((rows + 63) / 64, threads, (worker, next) -> {
                double[] a = new double[d * d];
                double[] b = new double[d];
                for (int c = next.getAsInt(); c >= 0; c = next.getAsInt()) {
                    for (int row = c * 64; row < Math.min(rows, (c + 1) * 64); row++) {
                        solveRow(gram, fixed, other, w, ptr[row], ptr[row + 1], a, b);
                        for (int k = 0; k < d; k++) {
                            out[row * d + k] = (float) b[k];
                        }
                    }
                }
            });
        }

        /**
         * Solves {@code (G + Σ_e α w_e f_e f_eᵀ + λI) s = Σ_e (1 + α w_e) f_e} over the entries
         * {@code [from, to)}; the solution is left in {@code b}.
         */
        void solveRow(double[] gram, float[] fixed, int[] other, float[] w, int from, int to, double[] a, double[] b) {
            System.arraycopy(gram, 0, a, 0, d * d);
            java.util.Arrays.fill(b, 0);
            for (int e = from; e < to; e++) {
                int off = other[e] * d;
                double cw = alpha * w[e];
                double c = 1.0 + cw;
                for (int i = 0; i < d; i++) {
                    double fi = fixed[off + i];
                    b[i] += c * fi;
                    double s = cw * fi;
                    int ai = i * d;
                    for (int j = 0; j <= i; j++) {
                        a[ai + j] += s * fixed[off + j];
                    }
                }
            }
            for (int i = 0; i < d; i++) {
                a[i * d + i] += lambda;
            }
            if (!Cholesky.factor(a, d)) {
                throw new IllegalStateException("iALS normal equations not positive definite");
            }
            Cholesky.solve(a, d, b);
        }

        /** FᵀF (lower triangle) of the first {@code rows} rows of F (rows × d), in double. */
        static double[] gram(float[] f, int rows, int d) {
            double[] g = new double[d * d];
            for (int row = 0; row < rows; row++) {
                int off = row * d;
                for (int i = 0; i < d; i++) {
                    double fi = f[off + i];
                    int gi = i * d;
                    for (int j = 0; j <= i; j++) {
                        g[gi + j] += fi * f[off + j];
                    }
                }
            }
            return g;
        }

        /**
         * The objective {@code Σ_{u,i} c_ui (p_ui − x_u·y_i)² + λ(‖X‖² + ‖Y‖²)}, computed as
         * {@code Σ_u x_uᵀ(YᵀY)x_u + Σ_observed [c (1 − s)² − s²] + λ(‖X‖² + ‖Y‖²)}, s = x_u·y_i.
         */
        double objective() {
            double[] g = gram(y, r.items, d);
            double total = 0;
            for (int u = 0; u < r.users; u++) {
                int off = u * d;
                for (int i = 0; i < d; i++) {
                    double xi = x[off + i];
                    for (int j = 0; j < d; j++) {
                        double gij = j <= i ? g[i * d + j] : g[j * d + i];
                        total += xi * gij * x[off + j];
                    }
                }
                for (int q = r.userOffsets[u]; q < r.userOffsets[u + 1]; q++) {
                    double s = 0;
                    int yo = r.userItems[q] * d;
                    for (int k = 0; k < d; k++) {
                        s += (double) x[off + k] * y[yo + k];
                    }
                    double c = 1.0 + alpha * r.userWeights[q];
                    total += c * (1 - s) * (1 - s) - s * s;
                }
            }
            double reg = 0;
            for (float v : x) {
                reg += (double) v * v;
            }
            for (float v : y) {
                reg += (double) v * v;
            }
            return total + lambda * reg;
        }

        Recommender recommender() {
            return new Model(this);
        }
    }

    /** Scores by folding the history in against the item factors. */
    private static final class Model implements Recommender {
        private final Factors f;
        private final double[] gram;
        private final float[] yt; // d × items

        Model(Factors f) {
            this.f = f;
            this.gram = Factors.gram(f.y, f.r.items, f.d);
            int n = f.r.items;
            int d = f.d;
            yt = new float[d * n];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < d; k++) {
                    yt[k * n + i] = f.y[i * d + k];
                }
            }
        }

        @Override
        public String name() {
            return "ials";
        }

        @Override
        public int itemCount() {
            return f.r.items;
        }

        @Override
        public Scorer newScorer() {
            return new FoldIn();
        }

        /** One thread's workspace: the distinct history items with their summed weights, the system, the factor. */
        private final class FoldIn implements Scorer {
            private final double[] a = new double[f.d * f.d];
            private final double[] b = new double[f.d];
            private final float[] xu = new float[f.d];
            private final int[] seen = new int[f.r.items];
            private final float[] acc = new float[f.r.items];
            private int stamp;
            private int[] distinct = new int[16];
            private float[] weights = new float[16];

            @Override
            public void score(History h, float[] out) {
                int s = ++stamp;
                int m = 0;
                for (int p = h.from(); p < h.to(); p++) {
                    int i = h.items()[p];
                    if (seen[i] != s) {
                        seen[i] = s;
                        acc[i] = 0f;
                        if (m == distinct.length) {
                            distinct = java.util.Arrays.copyOf(distinct, 2 * m);
                            weights = java.util.Arrays.copyOf(weights, 2 * m);
                        }
                        distinct[m++] = i;
                    }
                    acc[i] += h.weight(p);
                }
                for (int q = 0; q < m; q++) {
                    weights[q] = acc[distinct[q]];
                }
                f.solveRow(gram, f.y, distinct, weights, 0, m, a, b);
                for (int k = 0; k < f.d; k++) {
                    xu[k] = (float) b[k];
                }
                Kernels.multiply(xu, 1, f.d, yt, 0, f.r.items, null, 0, out);
            }
        }
    }
}
