package org.recsysrl.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.recsysrl.util.Rng;
import org.recsysrl.util.UserInputException;

/**
 * Fits the explicit-feedback matrix factorisation of {@link FactorizationSpec} by alternating least
 * squares: a sweep first solves, for every user, the ridge regression of the user's training ratings
 * on the (fixed) item vectors — the {@code (k+1)×(k+1)} normal equations
 * {@code (Σ_i z_i z_iᵀ + λ w_u I) x_u = Σ_i z_i (r_ui − μ − b_i)} with {@code z_i = (q_i, 1)} and
 * {@code x_u = (p_u, b_u)} (without biases: {@code z_i = q_i}), solved by {@link Cholesky} — and then
 * does the same for every item with the user side fixed. Each solve minimises the objective exactly
 * over one block of parameters, so the objective never increases from one sweep to the next.
 *
 * <p>Users are independent of each other within a half-sweep (and items likewise), so the solves
 * run on several threads, each writing only its own rows: the result is bit-identical for a given
 * seed whatever the thread count. Storage: the training ratings twice in compressed-sparse-row form
 * (by user and by item, 8 bytes per rating each) plus the factors; a sweep allocates only a
 * {@code (k+1)²} scratch matrix per thread.
 *
 * <p>Lifecycle: the constructor indexes the training data and draws the initial vectors;
 * {@link #updateUsers()} / {@link #updateItems()} (or {@link #sweep}) modify the factors;
 * {@link #model()} copies them out. Not thread-safe.
 */
public final class AlsTrainer {
    private static final int CHUNK = 64;

    private final RatingDataset data;
    private final FactorizationSpec spec;
    private final int d;
    private final int m; // d + 1 with biases, else d
    private final int userCount;
    private final int itemCount;
    private final int trainSize;
    private final double mu;
    private final float[] p;
    private final float[] q;
    private final float[] bu;
    private final float[] bi;
    // training ratings by user and by item (the ratings as read, μ is subtracted in double precision)
    private final int[] uPtr;
    private final int[] uItem;
    private final float[] uVal;
    private final int[] iPtr;
    private final int[] iUser;
    private final float[] iVal;
    private int sweeps;

    /**
     * Indexes the training interactions {@code train} of {@code data} and initialises the vectors
     * with {@code N(0, initStd²)} entries (users from stream 1, items from stream 2 of the seed);
     * biases start at 0 and μ is the mean training rating.
     *
     * @throws IllegalArgumentException if {@code train} is empty
     */
    public AlsTrainer(RatingDataset data, int[] train, FactorizationSpec spec) {
        this.data = Objects.requireNonNull(data, "data");
        this.spec = Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(train, "train");
        if (train.length == 0) {
            throw new IllegalArgumentException("no training interactions");
        }
        this.d = spec.dim();
        this.m = spec.biases() ? d + 1 : d;
        this.userCount = data.userCount();
        this.itemCount = data.itemCount();
        this.trainSize = train.length;
        if ((long) userCount * d > Integer.MAX_VALUE - 8 || (long) itemCount * d > Integer.MAX_VALUE - 8) {
            throw new UserInputException("mf.dim " + d + " is too large for " + userCount
                    + " users and " + itemCount + " items; reduce mf.dim");
        }

        double sum = 0;
        for (int k : train) {
            sum += data.rating(k);
        }
        this.mu = sum / train.length;

        uPtr = new int[userCount + 1];
        iPtr = new int[itemCount + 1];
        for (int k : train) {
            uPtr[data.user(k) + 1]++;
            iPtr[data.item(k) + 1]++;
        }
        for (int u = 0; u < userCount; u++) {
            uPtr[u + 1] += uPtr[u];
        }
        for (int i = 0; i < itemCount; i++) {
            iPtr[i + 1] += iPtr[i];
        }
        uItem = new int[train.length];
        uVal = new float[train.length];
        iUser = new int[train.length];
        iVal = new float[train.length];
        int[] uNext = Arrays.copyOf(uPtr, userCount);
        int[] iNext = Arrays.copyOf(iPtr, itemCount);
        for (int k : train) {
            int u = data.user(k);
            int i = data.item(k);
            float y = data.rating(k);
            int a = uNext[u]++;
            uItem[a] = i;
            uVal[a] = y;
            int b = iNext[i]++;
            iUser[b] = u;
            iVal[b] = y;
        }

        p = new float[userCount * d];
        q = new float[itemCount * d];
        bu = new float[userCount];
        bi = new float[itemCount];
        fillGaussian(p, Rng.stream(spec.seed(), 1), spec.initStd());
        fillGaussian(q, Rng.stream(spec.seed(), 2), spec.initStd());
    }

    private static void fillGaussian(float[] a, Rng rng, double std) {
        for (int k = 0; k < a.length; k++) {
            a[k] = (float) (std * rng.nextGaussian());
        }
    }

    /**
     * Fits on the split's training part for {@code spec.iterations()} sweeps and measures the
     * held-out RMSE on its test part after every sweep.
     *
     * @param progress receives each sweep's statistics as it completes (may be null)
     */
    public static FactorizationResult fit(Split split, FactorizationSpec spec, Consumer<IterationStats> progress) {
        return fit(split.data(), split.train(), split.test(), spec, progress);
    }

    /**
     * Fits on the slices of {@code train} with their weights as ratings (e.g. a protocol's training
     * part of a MovieLens log), without a test set. User and item indices are those of {@code train}.
     *
     * @throws IllegalArgumentException if {@code train} has no interactions
     */
    public static FactorizationModel fit(Interactions train, FactorizationSpec spec) {
        int n = (int) train.totalCount();
        int[] users = new int[n];
        int[] items = new int[n];
        float[] ratings = new float[n];
        int k = 0;
        for (int u = 0; u < train.userCount(); u++) {
            for (int p = train.start(u); p < train.end(u); p++) {
                users[k] = u;
                items[k] = train.items()[p];
                ratings[k] = train.weight(p);
                k++;
            }
        }
        IdMap.Builder ub = new IdMap.Builder();
        for (int u = 0; u < train.userCount(); u++) {
            ub.intern(Integer.toString(u));
        }
        IdMap.Builder ib = new IdMap.Builder();
        for (int i = 0; i < train.itemCount(); i++) {
            ib.intern(Integer.toString(i));
        }
        IdMap um = ub.build();
        IdMap im = ib.build();
        RatingDataset data = new RatingDataset(users, items, ratings, new long[n], false, um, im,
                ItemMetadata.empty(im.size()), new DataIdentity(Layout.IN_MEMORY, "<training part>", "", 0, n,
                        um.size(), im.size()));
        int[] all = new int[n];
        for (int j = 0; j < n; j++) {
            all[j] = j;
        }
        return fit(data, all, new int[0], spec, null).model();
    }

    /** As {@link #fit(Split, FactorizationSpec, Consumer)} with explicit training and test interaction indices. */
    public static FactorizationResult fit(RatingDataset data, int[] train, int[] test, FactorizationSpec spec,
            Consumer<IterationStats> progress) {
        AlsTrainer t = new AlsTrainer(data, train, spec);
        List<IterationStats> history = new ArrayList<>(spec.iterations());
        for (int it = 0; it < spec.iterations(); it++) {
            IterationStats s = t.sweep(test);
            history.add(s);
            if (progress != null) {
                progress.accept(s);
            }
        }
        FactorizationModel model = t.model();
        return new FactorizationResult(model, spec, history, model.rmse(data, test), test.length);
    }

    /**
     * One ALS sweep ({@link #updateUsers()} then {@link #updateItems()}), followed by the objective,
     * the training RMSE and the RMSE on {@code test} (interaction indices; may be empty).
     */
    public IterationStats sweep(int[] test) {
        updateUsers();
        updateItems();
        sweeps++;
        double se = squaredError();
        return new IterationStats(sweeps, se + regularization(), Math.sqrt(se / trainSize), testRmse(test));
    }

    /** Sets every user's {@code (p_u, b_u)} to the exact minimiser of the objective with the items fixed. */
    public void updateUsers() {
        solveAll(userCount, uPtr, uItem, uVal, q, bi, p, bu);
    }

    /** Sets every item's {@code (q_i, b_i)} to the exact minimiser of the objective with the users fixed. */
    public void updateItems() {
        solveAll(itemCount, iPtr, iUser, iVal, p, bu, q, bi);
    }

    private void solveAll(int rows, int[] ptr, int[] other, float[] val, float[] fixed, float[] fixedBias,
            float[] out, float[] outBias) {
        int threads = Math.min(spec.effectiveThreads(), (rows + CHUNK - 1) / CHUNK);
        if (threads <= 1) {
            double[] a = new double[m * m];
            double[] b = new double[m];
            solveRange(0, rows, ptr, other, val, fixed, fixedBias, out, outBias, a, b, new double[4 * m]);
            return;
        }
        AtomicInteger nextChunk = new AtomicInteger();
        Throwable[] failure = new Throwable[1];
        Thread[] workers = new Thread[threads];
        for (int w = 0; w < threads; w++) {
            workers[w] = new Thread(() -> {
                double[] a = new double[m * m];
                double[] b = new double[m];
                double[] z = new double[4 * m];
                try {
                    for (int c = nextChunk.getAndIncrement(); c * CHUNK < rows; c = nextChunk.getAndIncrement()) {
                        int from = c * CHUNK;
                        solveRange(from, Math.min(rows, from + CHUNK), ptr, other, val, fixed, fixedBias, out,
                                outBias, a, b, z);
                    }
                } catch (Throwable e) {
                    synchronized (failure) {
                        if (failure[0] == null) {
                            failure[0] = e;
                        }
                    }
                }
            }, "als-" + w);
            workers[w].start();
        }
        for (Thread t : workers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while fitting the factorisation", e);
            }
        }
        if (failure[0] instanceof RuntimeException re) {
            throw re;
        }
        if (failure[0] instanceof Error err) {
            throw err;
        }
    }

    /** Solves the rows {@code [from, to)}; {@code a}, {@code b}, {@code z} are scratch of m², m, 4m doubles. */
    private void solveRange(int from, int to, int[] ptr, int[] other, float[] val, float[] fixed, float[] fixedBias,
            float[] out, float[] outBias, double[] a, double[] b, double[] z) {
        final int d = this.d;
        final int m = this.m;
        final boolean biases = spec.biases();
        for (int r = from; r < to; r++) {
            int start = ptr[r];
            int end = ptr[r + 1];
            int row = r * d;
            if (start == end) {
                Arrays.fill(out, row, row + d, 0f);
                outBias[r] = 0f;
                continue;
            }
            Arrays.fill(a, 0.0);
            Arrays.fill(b, 0.0);
            // b += Σ t_e z_e and (lower triangle) a += Σ z_e z_eᵀ, with z_e = (fixed row, 1) and
            // t_e = r − μ − fixedBias; four ratings per pass over a to halve its loads and stores.
            int e = start;
            for (; e + 4 <= end; e += 4) {
                double t0 = gather(e, other, val, fixed, fixedBias, z, 0);
                double t1 = gather(e + 1, other, val, fixed, fixedBias, z, m);
                double t2 = gather(e + 2, other, val, fixed, fixedBias, z, 2 * m);
                double t3 = gather(e + 3, other, val, fixed, fixedBias, z, 3 * m);
                for (int x = 0; x < m; x++) {
                    double z0 = z[x];
                    double z1 = z[m + x];
                    double z2 = z[2 * m + x];
                    double z3 = z[3 * m + x];
                    b[x] += z0 * t0 + z1 * t1 + z2 * t2 + z3 * t3;
                    int ax = x * m;
                    for (int y = 0; y <= x; y++) {
                        a[ax + y] += z0 * z[y] + z1 * z[m + y] + z2 * z[2 * m + y] + z3 * z[3 * m + y];
                    }
                }
            }
            for (; e < end; e++) {
                double t0 = gather(e, other, val, fixed, fixedBias, z, 0);
                for (int x = 0; x < m; x++) {
                    double z0 = z[x];
                    b[x] += z0 * t0;
                    int ax = x * m;
                    for (int y = 0; y <= x; y++) {
                        a[ax + y] += z0 * z[y];
                    }
                }
            }
            double reg = spec.lambda() * (spec.weightedLambda() ? end - start : 1);
            for (int x = 0; x < m; x++) {
                a[x * m + x] += reg;
            }
            if (!Cholesky.factor(a, m)) {
                throw new IllegalStateException("normal equations not positive definite (row " + r + ")");
            }
            Cholesky.solve(a, m, b);
            for (int x = 0; x < d; x++) {
                out[row + x] = (float) b[x];
            }
            outBias[r] = biases ? (float) b[d] : 0f;
        }
    }

    /** Copies (fixed row of rating e, 1) into z[at, at+m) and returns its target r − μ − fixedBias. */
    private double gather(int e, int[] other, float[] val, float[] fixed, float[] fixedBias, double[] z, int at) {
        int j = other[e];
        int off = j * d;
        for (int x = 0; x < d; x++) {
            z[at + x] = fixed[off + x];
        }
        if (m > d) {
            z[at + d] = 1.0;
            return val[e] - mu - fixedBias[j];
        }
        return val[e] - mu;
    }

    /**
     * The regularised training loss of the current parameters,
     * {@code Σ (r − r̂)² + λ Σ_u w_u (‖p_u‖² + b_u²) + λ Σ_i w_i (‖q_i‖² + b_i²)}, in double precision.
     */
    public double objective() {
        return squaredError() + regularization();
    }

    /** λ Σ_u w_u (‖p_u‖² + b_u²) + λ Σ_i w_i (‖q_i‖² + b_i²). */
    private double regularization() {
        double reg = 0;
        boolean weighted = spec.weightedLambda();
        for (int u = 0; u < userCount; u++) {
            int n = uPtr[u + 1] - uPtr[u];
            if (n > 0 || !weighted) {
                reg += (weighted ? n : 1) * (norm2(p, u * d) + (double) bu[u] * bu[u]);
            }
        }
        for (int i = 0; i < itemCount; i++) {
            int n = iPtr[i + 1] - iPtr[i];
            if (n > 0 || !weighted) {
                reg += (weighted ? n : 1) * (norm2(q, i * d) + (double) bi[i] * bi[i]);
            }
        }
        return spec.lambda() * reg;
    }

    /** Root-mean-square error of the unclamped predictions on the training interactions. */
    public double trainRmse() {
        return Math.sqrt(squaredError() / trainSize);
    }

    /** RMSE of the clamped predictions on the interactions {@code test} of the data; NaN if empty. */
    public double testRmse(int[] test) {
        if (test.length == 0) {
            return Double.NaN;
        }
        double lo = data.minRating();
        double hi = data.maxRating();
        double se = 0;
        for (int k : test) {
            double pred = Math.max(lo, Math.min(hi, predictRaw(data.user(k), data.item(k))));
            double e = data.rating(k) - pred;
            se += e * e;
        }
        return Math.sqrt(se / test.length);
    }

    private double squaredError() {
        double se = 0;
        for (int u = 0; u < userCount; u++) {
            int pu = u * d;
            double base = mu + bu[u];
            for (int e = uPtr[u]; e < uPtr[u + 1]; e++) {
                int i = uItem[e];
                int qi = i * d;
                double dot = 0;
                for (int x = 0; x < d; x++) {
                    dot += (double) p[pu + x] * q[qi + x];
                }
                double err = uVal[e] - base - bi[i] - dot;
                se += err * err;
            }
        }
        return se;
    }

    private double predictRaw(int u, int i) {
        double dot = 0;
        for (int x = 0; x < d; x++) {
            dot += (double) p[u * d + x] * q[i * d + x];
        }
        return mu + bu[u] + bi[i] + dot;
    }

    private double norm2(float[] a, int off) {
        double s = 0;
        for (int x = 0; x < d; x++) {
            s += (double) a[off + x] * a[off + x];
        }
        return s;
    }

    /** Number of sweeps done so far. */
    public int sweeps() {
        return sweeps;
    }

    /** The mean training rating μ. */
    public double globalMean() {
        return mu;
    }

    /** The current user vectors, {@code userCount × dim} row-major (live view: do not modify). */
    float[] userFactorsView() {
        return p;
    }

    /** The current item vectors (live view). */
    float[] itemFactorsView() {
        return q;
    }

    float[] userBiasView() {
        return bu;
    }

    float[] itemBiasView() {
        return bi;
    }

    /** A snapshot of the current parameters (arrays copied). */
    public FactorizationModel model() {
        return new FactorizationModel(d, p.clone(), q.clone(), bu.clone(), bi.clone(), mu, data.minRating(),
                data.maxRating());
    }
}
