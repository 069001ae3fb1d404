package org.recsysrl.baselines;

import java.util.ArrayList;
import java.util.List;
import org.recsysrl.data.Interactions;
import org.recsysrl.nn.SymmetricInverse;
import org.recsysrl.recommend.FitContext;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Hyperparameters;
import org.recsysrl.recommend.MemoryNeed;
import org.recsysrl.recommend.ModelFamily;
import org.recsysrl.recommend.Recommender;
import org.recsysrl.util.Parallel;
import org.recsysrl.util.UserInputException;

/**
 * EASE (Steck, WWW 2019): a linear item-to-item model with a zero diagonal, fitted in closed form
 * on the binary user–item matrix X (m users × n items):
 * {@code P = (XᵀX + λI)⁻¹}, {@code B = I − P·diag(1/diag(P))}, and a user's scores are
 * {@code x·B} for the user's binary history x.
 *
 * <p>Two exact ways to compute it, whichever inverts the smaller matrix:
 * <ul>
 *   <li><b>primal</b> (n ≤ m): P by {@link SymmetricInverse} (double precision, SIMD, all cores),
 *       then B stored as n × n floats; a score is a sum of rows of B;</li>
 *   <li><b>dual</b> (m &lt; n): by the Woodbury identity P = (I − Xᵀ K⁻¹ X)/λ with the m × m
 *       matrix K = XXᵀ + λI, so {@code x·P = (x − (xXᵀ) K⁻¹ X)/λ} and
 *       {@code λ·P_ii = 1 − Σ_{u,v ∈ users(i)} K⁻¹_uv}; a score for an item i outside the history
 *       is then {@code z_i / (λ P_ii)} with {@code z = (xXᵀ) K⁻¹ X}.</li>
 * </ul>
 * The Gram matrix (counts) is built once per training part and reused for every λ of the grid.
 */
public final class Ease implements ModelFamily {
    private static final double[] LAMBDAS = {10, 50, 200, 500, 2000};
    /** With more items than this, the primal solve takes seconds per λ: the grid keeps three points. */
    private static final int LARGE = 5000;
    private static final double[] LAMBDAS_LARGE = {25, 100, 400};

    @Override
    public String name() {
        return "ease";
    }

    @Override
    public String description() {
        return "EASE, closed-form linear item-item model with zero diagonal (Steck 2019)";
    }

    /**
     * Five values of λ from 10 to 2000; three (25, 100, 400) when a primal solve on more than 5,000
     * items is needed. When the whole catalog does not fit {@link FitContext#memoryBudget()}, every
     * point also names the number of most popular items EASE restricts itself to
     * ({@code items=N}, which the report's "chosen" column shows).
     */
    @Override
    public List<Hyperparameters> grid(Interactions train, FitContext context) {
        int items = itemsWithin(train, context);
        boolean restricted = items < train.itemCount();
        double[] lambdas = !restricted && usesDual(train) || items <= LARGE ? LAMBDAS : LAMBDAS_LARGE;
        List<Hyperparameters> g = new ArrayList<>();
        for (double l : lambdas) {
            g.add(restricted ? Hyperparameters.of("lambda", l, "items", items) : Hyperparameters.of("lambda", l));
        }
        return g;
    }

    /** Fewest items worth a restricted EASE; below this it refuses instead. */
    static final int MIN_ITEMS = 1000;
    /** Most items a primal solve can hold: an n × n Java array has at most 2³¹ − 9 entries. */
    static final int MAX_PRIMAL_ITEMS = 46_340;
    /** Share of the memory budget EASE's own matrices may take (scoring and evaluation need the rest). */
    private static final double BUDGET_SHARE = 0.7;

    /** Heap of a primal solve on n items: the Gram matrix (float), P and W (double), B of this and of the best λ (float). */
    static long primalBytes(long n) {
        return 28L * n * n;
    }

    /** Heap of a dual solve with m active users: K and its inverse (double), each thread's scoring vectors. */
    static long dualBytes(long m, long n, int threads) {
        return 16L * m * m + threads * 8L * (2 * m + n) + 4L * n;
    }

    private static long fullBytes(Interactions train, int threads) {
        int n = train.itemCount();
        return usesDual(train) ? dualBytes(activeUsers(train), n, threads)
                : (long) n * n > Integer.MAX_VALUE - 8 ? Long.MAX_VALUE : primalBytes(n);
    }

    /**
     * The number of items EASE is fitted on: the whole catalog if its solve fits
     * {@link #BUDGET_SHARE} of the budget, otherwise the most popular items whose primal solve
     * does (never more than {@link #MAX_PRIMAL_ITEMS}; fewer than {@link #MIN_ITEMS} means it does not fit).
     */
    static int itemsWithin(Interactions train, FitContext context) {
        int n = train.itemCount();
        double budget = BUDGET_SHARE * context.memoryBudget() - BinaryMatrix.bytes(train);
        if (fullBytes(train, context.threads()) <= budget) {
            return n;
        }
        long fit = budget <= 0 ? 0 : (long) Math.sqrt(budget / 28.0);
        return (int) Math.min(Math.min(fit, MAX_PRIMAL_ITEMS), n);
    }

    /** The solve's matrices: of the whole catalog, or of the most popular items that fit the budget. */
    @Override
    public MemoryNeed memory(Interactions train, FitContext context) {
        int items = itemsWithin(train, context);
        long matrix = BinaryMatrix.bytes(train);
        if (items == train.itemCount()) {
            return usesDual(train)
                    ? new MemoryNeed(dualBytes(activeUsers(train), items, context.threads()), String.format(
                            java.util.Locale.ROOT, "the %,d × %,d user-user matrices of the dual solve",
                            activeUsers(train), activeUsers(train))).plus(matrix)
                    : new MemoryNeed(primalBytes(items), String.format(java.util.Locale.ROOT,
                            "the %,d × %,d item-item matrices", items, items)).plus(matrix);
        }
        if (items >= MIN_ITEMS) {
            return new MemoryNeed(primalBytes(items), String.format(java.util.Locale.ROOT,
                    "the %,d × %,d item-item matrices of the most popular items", items, items))
                    .plus(2 * matrix + 4L * train.itemCount() * context.threads());
        }
        long n = Math.min(train.itemCount(), MAX_PRIMAL_ITEMS);
        return new MemoryNeed(primalBytes(n), String.format(java.util.Locale.ROOT,
                "the %,d × %,d item-item matrices (fewer than %,d items fit)", n, n, MIN_ITEMS)).plus(matrix);
    }

    static boolean usesDual(Interactions train) {
        return activeUsers(train) < train.itemCount();
    }

    private static int activeUsers(Interactions train) {
        int m = 0;
        for (int u = 0; u < train.userCount(); u++) {
            if (train.end(u) > train.start(u)) {
                m++;
            }
        }
        return m;
    }

    @Override
    public Fitter prepare(Interactions train, FitContext context) {
        BinaryMatrix x = BinaryMatrix.of(train);
        int items = itemsWithin(train, context);
        if (items < train.itemCount() && items >= MIN_ITEMS) {
            int[] keep = mostPopular(train, items);
            BinaryMatrix restricted = x.restrictedTo(keep);
            Fitter inner = activeUsers(restricted) < items ? dual(restricted, context.threads())
                    : primal(restricted, context.threads());
            return hp -> new Restricted(inner.fit(hp), keep, train.itemCount());
        }
        if (usesDual(train)) {
            return dual(x, context.threads());
        }
        return primal(x, context.threads());
    }

    private static int activeUsers(BinaryMatrix x) {
        int m = 0;
        for (int u = 0; u < x.users; u++) {
            if (x.userOffsets[u + 1] > x.userOffsets[u]) {
                m++;
            }
        }
        return m;
    }

    /** The {@code count} items with the most training interactions (ties: lower index), ascending by index. */
    static int[] mostPopular(Interactions train, int count) {
        int[] counts = train.itemCounts();
        long[] keys = new long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            keys[i] = ((long) (Integer.MAX_VALUE - counts[i]) << 32) | i;
        }
        java.util.Arrays.sort(keys);
        int[] keep = new int[count];
        for (int r = 0; r < count; r++) {
            keep[r] = (int) keys[r];
        }
        java.util.Arrays.sort(keep);
        return keep;
    }

    /** EASE on the most popular items: the others are never recommended (score −∞). */
    private static final class Restricted implements Recommender {
        private final Recommender inner;
        private final int[] keep;
        private final int n;
        private final int[] newOf;

        Restricted(Recommender inner, int[] keep, int n) {
            this.inner = inner;
            this.keep = keep;
            this.n = n;
            this.newOf = new int[n];
            java.util.Arrays.fill(newOf, -1);
            for (int j = 0; j < keep.length; j++) {
                newOf[keep[j]] = j;
            }
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public int itemCount() {
            return n;
        }

        @Override
        public Scorer newScorer() {
            Scorer scorer = inner.newScorer();
            float[] small = new float[keep.length];
            return (History h, float[] out) -> {
                int[] mapped = new int[h.length()];
                int m = 0;
                for (int p = h.from(); p < h.to(); p++) {
                    int j = newOf[h.items()[p]];
                    if (j >= 0) {
                        mapped[m++] = j;
                    }
                }
                scorer.score(new History(h.user(), mapped, null, 0, m), small);
                java.util.Arrays.fill(out, 0, n, Float.NEGATIVE_INFINITY);
                for (int j = 0; j < keep.length; j++) {
                    out[keep[j]] = small[j];
                }
            };
        }
    }

    // ---- primal: n × n ----------------------------------------------------------------------

    private static Fitter primal(BinaryMatrix x, int threads) {
        int n = x.items;
        long bytes = 28L * n * n; // Gram (float), P and W (double), B of this and of the best λ so far (float)
        if ((long) n * n > Integer.MAX_VALUE - 8 || bytes > Runtime.getRuntime().maxMemory() * 0.9) {
            throw new UserInputException(String.format(java.util.Locale.ROOT,
                    "ease on %,d items needs about %.1f GiB of heap (this JVM has %.1f GiB): raise it with "
                            + "RECSYS_RL_JAVA_OPTS=-Xmx..., filter rare items (data.item_core), or leave ease out of --models",
                    n, bytes / 1073741824.0, Runtime.getRuntime().maxMemory() / 1073741824.0));
        }
        float[] gram = gram(x, threads);
        return hp -> {
            double lambda = hp.get("lambda");
            double[] p = new double[n * n];
            for (int k = 0; k < p.length; k++) {
                p[k] = gram[k];
            }
            for (int i = 0; i < n; i++) {
                p[i * n + i] += lambda;
            }
            SymmetricInverse.invertInPlace(p, n, threads);
            // B[j][i] = −P[j][i] / P[i][i] for j ≠ i, B[i][i] = 0; stored as floats, row j = what item j adds
            float[] b = new float[n * n];
            Parallel.forRange(n, 64, threads, j -> {
                int row = j * n;
                for (int i = 0; i < n; i++) {
                    b[row + i] = i == j ? 0f : (float) (-p[row + i] / p[i * n + i]);
                }
            });
            return new Primal(n, b);
        };
    }

    /** XᵀX as a dense n × n matrix of co-occurrence counts (exact in float up to 2²⁴ users). */
    static float[] gram(BinaryMatrix x, int threads) {
        int n = x.items;
        float[] g = new float[n * n];
        // row i of G: Σ over i's users of their item indicators; each row written by one thread
        Parallel.forRange(n, 32, threads, i -> {
            int row = i * n;
            for (int a = x.itemOffsets[i]; a < x.itemOffsets[i + 1]; a++) {
                int u = x.itemUsers[a];
                for (int b = x.userOffsets[u]; b < x.userOffsets[u + 1]; b++) {
                    g[row + x.userItems[b]] += 1f;
                }
            }
        });
        return g;
    }

    private static final class Primal implements Recommender {
        private final int n;
        private final float[] b;

        Primal(int n, float[] b) {
            this.n = n;
            this.b = b;
        }

        @Override
        public String name() {
            return "ease";
        }

        @Override
        public int itemCount() {
            return n;
        }

        @Override
        public Scorer newScorer() {
            int[] seen = new int[n];
            int[] stamp = {0};
            return (History h, float[] out) -> {
                java.util.Arrays.fill(out, 0, n, 0f);
                int s = ++stamp[0];
                for (int p = h.from(); p < h.to(); p++) {
                    int j = h.items()[p];
                    if (seen[j] == s) {
                        continue;
                    }
                    seen[j] = s;
                    int row = j * n;
                    for (int i = 0; i < n; i++) {
                        out[i] += b[row + i];
                    }
                }
            };
        }
    }

    // ---- dual: m × m ------------------------------------------------------------------------

    private static Fitter dual(BinaryMatrix x, int threads) {
        // the users with training interactions, renumbered 0..m-1
        int[] active = new int[x.users];
        int m = 0;
        for (int u = 0; u < x.users; u++) {
            active[u] = x.userOffsets[u + 1] > x.userOffsets[u] ? m++ : -1;
        }
        final int users = m;
        int[] activeList = new int[users];
        for (int u = 0; u < x.users; u++) {
            if (active[u] >= 0) {
                activeList[active[u]] = u;
            }
        }
        // XXᵀ: |I_u ∩ I_v| for active users u, v
        double[] k0 = new double[users * users];
        Parallel.forRange(users, 16, threads, a -> {
            int u = activeList[a];
            int row = a * users;
            for (int q = x.userOffsets[u]; q < x.userOffsets[u + 1]; q++) {
                int i = x.userItems[q];
                for (int r = x.itemOffsets[i]; r < x.itemOffsets[i + 1]; r++) {
                    k0[row + active[x.itemUsers[r]]] += 1.0;
                }
            }
        });
        return hp -> {
            double lambda = hp.get("lambda");
            double[] kinv = k0.clone();
            for (int a = 0; a < users; a++) {
                kinv[a * users + a] += lambda;
            }
            SymmetricInverse.invertInPlace(kinv, users, threads);
            // λ·P_ii = 1 − Σ_{u,v ∈ users(i)} K⁻¹_uv
            float[] lambdaPii = new float[x.items];
            Parallel.forRange(x.items, 64, threads, i -> {
                double s = 0;
                for (int r = x.itemOffsets[i]; r < x.itemOffsets[i + 1]; r++) {
                    int row = active[x.itemUsers[r]] * users;
                    for (int q = x.itemOffsets[i]; q < x.itemOffsets[i + 1]; q++) {
                        s += kinv[row + active[x.itemUsers[q]]];
                    }
                }
                lambdaPii[i] = (float) (1.0 - s);
            });
            return new Dual(x, active, activeList, users, kinv, lambdaPii);
        };
    }

    private static final class Dual implements Recommender {
        private final BinaryMatrix x;
        private final int[] active;
        private final int[] activeList;
        private final int users;
        private final double[] kinv;
        private final float[] lambdaPii;

        Dual(BinaryMatrix x, int[] active, int[] activeList, int users, double[] kinv, float[] lambdaPii) {
            this.x = x;
            this.active = active;
            this.activeList = activeList;
            this.users = users;
            this.kinv = kinv;
            this.lambdaPii = lambdaPii;
        }

        @Override
        public String name() {
            return "ease";
        }

        @Override
        public int itemCount() {
            return x.items;
        }

        @Override
        public Scorer newScorer() {
            int n = x.items;
            int[] seen = new int[n];
            int[] stamp = {0};
            double[] g = new double[users];
            double[] y = new double[users];
            double[] z = new double[n];
            return (History h, float[] out) -> {
                int s = ++stamp[0];
                java.util.Arrays.fill(g, 0);
                // g = x·Xᵀ: how many history items each training user shares
                for (int p = h.from(); p < h.to(); p++) {
                    int j = h.items()[p];
                    if (seen[j] == s) {
                        continue;
                    }
                    seen[j] = s;
                    for (int r = x.itemOffsets[j]; r < x.itemOffsets[j + 1]; r++) {
                        g[active[x.itemUsers[r]]] += 1.0;
                    }
                }
                // y = K⁻¹ g (K⁻¹ symmetric: a combination of its rows)
                java.util.Arrays.fill(y, 0);
                for (int a = 0; a < users; a++) {
                    double ga = g[a];
                    if (ga != 0) {
                        int row = a * users;
                        for (int b = 0; b < users; b++) {
                            y[b] += ga * kinv[row + b];
                        }
                    }
                }
                // z = y·X
                java.util.Arrays.fill(z, 0);
                for (int a = 0; a < users; a++) {
                    double ya = y[a];
                    int u = activeList[a];
                    for (int q = x.userOffsets[u]; q < x.userOffsets[u + 1]; q++) {
                        z[x.userItems[q]] += ya;
                    }
                }
                // (x·B)_i = x_i − (x·P)_i / P_ii with x·P = (x − z)/λ: for i outside the history z_i/(λP_ii);
                // history items get their exact value too (x_i = 1: 1 − (1 − z_i)/(λP_ii))
                for (int i = 0; i < n; i++) {
                    double xi = seen[i] == s ? 1.0 : 0.0;
                    out[i] = (float) (xi - (xi - z[i]) / lambdaPii[i]);
                }
            };
        }
    }
}
