package org.recsysrl.seq;

import java.util.ArrayList;
import java.util.List;
import org.recsysrl.data.Interactions;
import org.recsysrl.nn.Adam;
import org.recsysrl.nn.Embedding;
import org.recsysrl.nn.FusedSoftmaxCrossEntropy;
import org.recsysrl.nn.GradClip;
import org.recsysrl.nn.Kernels;
import org.recsysrl.recommend.Recommender;
import org.recsysrl.util.NonFiniteException;
import org.recsysrl.util.Parallel;
import org.recsysrl.util.Rng;

/**
 * Trains a {@link SequenceModel} on logged sequences: next-item prediction at every position of
 * every training window ({@link TrainingWindows}), optionally with an offline actor-critic term.
 *
 * <p><b>Supervised loss</b> (full softmax): at a position with state h and logged next item a,
 * {@code CE = −log softmax(s)_a} over the whole catalog, s_i = h·o_i + c_i; averaged over the
 * batch's target positions. <b>Sampled softmax</b>: the softmax runs over a and {@code negatives}
 * items drawn per batch from q ∝ count^0.75, each candidate's score corrected by −log(S·q_i)
 * (logQ correction, Bengio &amp; Senécal 2008; Yi et al. 2019); only the rows of the candidates and
 * of the input items get a gradient, and Adam updates only those rows ({@link Adam#updateRows}).
 *
 * <p><b>Offline actor-critic</b> (SQN/SA2C, Xin et al. 2020, 2022), on when {@code tdWeight > 0}: a
 * Q head on the same states, {@code Q(h, i) = h·q_i + d_i}, is trained by one-step TD on the
 * logged transitions, {@code (Q(h_t, a_t) − y_t)²/2} with {@code y_t = r_t + γ·max_i Q'(h'_{t+1}, i)},
 * where Q' and h' come from a target network (the whole model, Polyak-averaged with rate τ after
 * every step) and r_t is the logged interaction's weight (1 without weights). With
 * {@code acWeight > 0} each position's CE is weighted by {@code 1 + acWeight·Â_t}, where
 * {@code A_t = Q(h_t, a_t) − Σ_i π(i|h_t) Q(h_t, i)} is the advantage of the logged item under the
 * current policy π = softmax(s), divided by a running estimate of its standard deviation and
 * clipped to [−2, 2] (floored so the weight stays ≥ 0); A is not differentiated. With both
 * weights 0 this is exactly the supervised model.
 *
 * <p>After every epoch the caller's {@link Validator} scores the model (e.g. validation NDCG@10);
 * the best epoch's parameters are kept, and training stops after {@code patience} epochs without
 * improvement. Deterministic for a seed and a thread count: batches, dropout and negatives come
 * from seeded streams. On one thread a step encodes the batch, runs the output layer and
 * back-propagates through the encoder. With more threads training is data parallel over the
 * batch's windows: each worker takes a static share of the windows (so attention stays within a
 * worker) and runs the encoder forward, the output layer on their target positions and the
 * encoder backward with its own activations and gradients, which are added in worker order
 * before the one Adam step; each worker draws its dropout from its own stream.
 *
 * <p>The two objectives are strategies chosen once by the constructor: the output objective (the
 * full softmax or the sampled one) and the TD objective (a target network, or none). Each worker
 * holds its own share of each, with the buffers that objective needs and no others.
 */
public final class SequenceTrainer {
    /** Rows of the output layer processed together by one thread. */
    private static final int CHUNK = 64;
    /** Floats in a 64-byte cache line: the parameter ranges of the workers start at multiples of it. */
    private static final int CACHE_LINE_FLOATS = 16;

    /**
     * Training settings. Build them with {@link #builder()}, which holds every default in one place
     * and names each value at the call site:
     * <pre>{@code
     * SequenceTrainer.Settings.builder().epochs(40).batchSize(16).lr(1e-2).seed(7)
     *         .offlineActorCritic(1.0, 1.0, 0.5, 0.05).build();
     * }</pre>
     *
     * @param epochs at most this many passes over the windows
     * @param batchSize windows per step
     * @param lr Adam learning rate
     * @param maxGradNorm clip the global gradient norm to this (0 = no clipping)
     * @param patience stop after this many epochs without a better validation value
     * @param sampled sampled softmax instead of the full softmax
     * @param negatives sampled-softmax negatives per batch (read only with {@code sampled})
     * @param sparseAdam with the sampled softmax, update only the touched rows of the item tables
     * @param tdWeight weight of the TD loss (0 = no Q head training)
     * @param acWeight weight of the advantage term on the CE (0 = no actor-critic weighting; read only
     *     with {@code tdWeight > 0})
     * @param gamma discount of the TD target (read only with {@code tdWeight > 0})
     * @param tau Polyak rate of the target network (read only with {@code tdWeight > 0})
     * @param seed seed of batches, dropout, negatives
     * @param threads worker threads of a step (data parallel over the batch's windows when more than one)
     * @param excludeSeen leave the items of a position's input window (up to and including the
     *     position) out of its softmax, unless the item is the position's target
     * @param minEpochs never stop early before this epoch
     */
    public record Settings(int epochs, int batchSize, double lr, double maxGradNorm, int patience, boolean sampled,
            int negatives, boolean sparseAdam, double tdWeight, double acWeight, double gamma, double tau, long seed,
            int threads, boolean excludeSeen, int minEpochs) {

        /** A builder starting from the defaults listed on {@link Builder}. */
        public static Builder builder() {
            return new Builder();
        }

        /**
         * Builds {@link Settings}; every value not set keeps its default: 200 epochs, batches of 32,
         * learning rate 1e-3, gradient norm clipped to 5, patience 10, no early stop before epoch 0,
         * the full softmax (512 negatives and dense Adam should the sampled one be chosen), no TD
         * term and no actor-critic weighting (γ 0.5, τ 0.005 should they be chosen), seed 0, one
         * thread, and nothing left out of the softmax.
         */
        public static final class Builder {
            private int epochs = 200;
            private int batchSize = 32;
            private double lr = 1e-3;
            private double maxGradNorm = 5.0;
            private int patience = 10;
            private int minEpochs;
            private boolean sampled;
            private int negatives = 512;
            private boolean sparseAdam;
            private double tdWeight;
            private double acWeight;
            private double gamma = 0.5;
            private double tau = 0.005;
            private long seed;
            private int threads = 1;
            private boolean excludeSeen;

            private Builder() {
            }

            /** At most this many passes over the windows. */
            public Builder epochs(int epochs) {
                this.epochs = epochs;
                return this;
            }

            /** Windows per step. */
            public Builder batchSize(int batchSize) {
                this.batchSize = batchSize;
                return this;
            }

            /** Adam learning rate. */
            public Builder lr(double lr) {
                this.lr = lr;
                return this;
            }

            /** Clip the global gradient norm to this (0 = no clipping). */
            public Builder maxGradNorm(double maxGradNorm) {
                this.maxGradNorm = maxGradNorm;
                return this;
            }

            /** Stop after this many epochs without a better validation value. */
            public Builder patience(int patience) {
                this.patience = patience;
                return this;
            }

            /** Never stop early before this epoch. */
            public Builder minEpochs(int minEpochs) {
                this.minEpochs = minEpochs;
                return this;
            }

            /** The full softmax ({@code false}) or the sampled one ({@code true}). */
            public Builder sampled(boolean sampled) {
                this.sampled = sampled;
                return this;
            }

            /** Sampled-softmax negatives per batch. */
            public Builder negatives(int negatives) {
                this.negatives = negatives;
                return this;
            }

            /** With the sampled softmax, update only the touched rows of the item tables. */
            public Builder sparseAdam(boolean sparseAdam) {
                this.sparseAdam = sparseAdam;
                return this;
            }

            /** The sampled softmax with {@code negatives} per batch, sparse or dense Adam. */
            public Builder sampledSoftmax(int negatives, boolean sparseAdam) {
                return sampled(true).negatives(negatives).sparseAdam(sparseAdam);
            }

            /** Weight of the TD loss (0 = no Q head training). */
            public Builder tdWeight(double tdWeight) {
                this.tdWeight = tdWeight;
                return this;
            }

            /** Weight of the advantage term on the CE (0 = no actor-critic weighting). */
            public Builder acWeight(double acWeight) {
                this.acWeight = acWeight;
                return this;
            }

            /** Discount of the TD target. */
            public Builder gamma(double gamma) {
                this.gamma = gamma;
                return this;
            }

            /** Polyak rate of the target network. */
            public Builder tau(double tau) {
                this.tau = tau;
                return this;
            }

            /** The offline actor-critic: TD weight, advantage weight, discount and Polyak rate together. */
            public Builder offlineActorCritic(double tdWeight, double acWeight, double gamma, double tau) {
                return tdWeight(tdWeight).acWeight(acWeight).gamma(gamma).tau(tau);
            }

            /** Seed of batches, dropout, negatives. */
            public Builder seed(long seed) {
                this.seed = seed;
                return this;
            }

            /** Worker threads of a step (data parallel over the batch's windows when more than one). */
            public Builder threads(int threads) {
                this.threads = threads;
                return this;
            }

            /** Leave a position's input window out of its softmax, unless an item is its target. */
            public Builder excludeSeen(boolean excludeSeen) {
                this.excludeSeen = excludeSeen;
                return this;
            }

            /** The settings as set. */
            public Settings build() {
                return new Settings(epochs, batchSize, lr, maxGradNorm, patience, sampled, negatives, sparseAdam,
                        tdWeight, acWeight, gamma, tau, seed, threads, excludeSeen, minEpochs);
            }
        }
    }

    /** Scores a model after an epoch; higher is better. */
    public interface Validator {
        double validate(Recommender model);
    }

    /** One epoch's figures. */
    public record EpochStats(int epoch, double loss, double tdLoss, double validation, double trainSeconds,
            double validationSeconds, long targets, boolean best) {
    }

    /** Receives each epoch as it ends, and progress within an epoch. */
    public interface Listener {
        void epoch(EpochStats stats);

        default void progress(int epoch, long done, long total) {
        }
    }

    /**
     * The outcome: the best epoch's parameters (already copied into the model) and every epoch.
     *
     * @param bestEpoch 1-based epoch with the best validation value
     * @param bestValidation its value
     * @param history every epoch
     */
    public record Result(int bestEpoch, double bestValidation, List<EpochStats> history) {
    }

    private final SequenceModel model;
    private final Settings s;
    private final TrainingWindows windows;
    private final Adam adam;
    private final SequenceModel.Workspace ws;
    private final int[] targets;
    private final float[] rewards;
    private final int[] validRows;
    private final Worker[] workers;
    /** With more than one thread, each worker's share of the batch's windows; null on one thread. */
    private final WindowShare[] shares;
    /** The softmax over the output layer: the whole catalogue, or the target and sampled negatives. */
    private final OutputObjective output;
    /** The offline actor-critic's TD term, or {@link NoTemporalDifference} without it. */
    private final TdObjective td;
    private final Rng batchRng;
    private final Rng dropoutRng;
    /**
     * With more than one thread, where each worker's range of the parameters starts (T + 1
     * boundaries over the store): worker r adds the shares' gradients, sums the squares, runs Adam
     * and clears the gradient over {@code [paramFrom[r], paramFrom[r+1])}. Null on one thread.
     */
    private final int[] paramFrom;
    /** With more than one thread, each parameter range's sum of squared gradients. */
    private final double[] partialSquares;
    /** Whether {@link #partialSquares} holds the sums of the gradient {@link #gradient} left. */
    private boolean partialsFresh;

    /** Prepares training of {@code model} (already initialised) on {@code train}. */
    public SequenceTrainer(SequenceModel model, Interactions train, Settings settings) {
        this.model = model;
        this.s = settings;
        SequenceSpec spec = model.spec();
        if (settings.tdWeight() > 0 && !spec.qHead()) {
            throw new IllegalArgumentException("the TD term needs a model with a Q head");
        }
        this.windows = TrainingWindows.of(train, model.windowLength());
        this.adam = new Adam(model.store().size(), settings.lr(), 0.9, 0.999, 1e-8);
        this.ws = model.newWorkspace(settings.batchSize());
        int rows = settings.batchSize() * model.windowLength();
        this.targets = new int[rows];
        this.rewards = new float[rows];
        this.validRows = new int[rows];
        int n = spec.items();
        this.td = settings.tdWeight() > 0 ? new TargetNetwork(model, settings.batchSize()) : new NoTemporalDifference();
        this.output = settings.sampled()
                ? new SampledSoftmax(train.itemCounts(), settings.negatives(), spec.dim(), Rng.stream(settings.seed(), 73))
                : new FullSoftmax(n * spec.dim());
        int threads = Math.max(1, settings.threads());
        this.workers = new Worker[threads];
        for (int w = 0; w < threads; w++) {
            workers[w] = new Worker(w == 0);
        }
        if (threads > 1) {
            this.shares = new WindowShare[threads];
            int perShare = (settings.batchSize() + threads - 1) / threads;
            for (int w = 0; w < threads; w++) {
                shares[w] = new WindowShare(w, model.newWorkspace(perShare), perShare, w > 0);
            }
            this.paramFrom = new int[threads + 1];
            for (int r = 0; r <= threads; r++) {
                paramFrom[r] = Parallel.rangeStart(model.store().size(), threads, r, CACHE_LINE_FLOATS);
            }
            this.partialSquares = new double[threads];
        } else {
            this.shares = null;
            this.paramFrom = null;
            this.partialSquares = null;
        }
        this.batchRng = Rng.stream(settings.seed(), 71);
        this.dropoutRng = Rng.stream(settings.seed(), 72);
    }

    /** The windows trained on. */
    public TrainingWindows windows() {
        return windows;
    }

    /** Trains with early stopping; leaves the best epoch's parameters in the model. */
    public Result run(Validator validator, Listener listener) {
        advance(s.epochs(), true, validator, listener);
        return finish();
    }

    // the state of a run that may be advanced in steps (run, or a search's rungs)
    private final List<EpochStats> history = new ArrayList<>();
    private float[] best;
    private double bestValue = Double.NEGATIVE_INFINITY;
    private int bestEpoch;
    private int sinceBest;
    private int epochsDone;
    private boolean stopped;

    /**
     * Trains further, epoch by epoch, up to epoch {@code untilEpoch} (at most {@code epochs}), each
     * epoch validated as by {@link #run}; with {@code earlyStopping} it stops after
     * {@code patience} epochs without improvement (never before {@code minEpochs}), after which
     * the run is over ({@link #stopped}). Calling it again continues where it left off, so a run
     * advanced in steps is the run {@link #run} makes, epoch for epoch.
     *
     * @return epochs trained by this call
     */
    public int advance(int untilEpoch, boolean earlyStopping, Validator validator, Listener listener) {
        int trained = 0;
        while (!stopped && epochsDone < Math.min(untilEpoch, s.epochs())) {
            int epoch = ++epochsDone;
            trained++;
            long t0 = System.nanoTime();
            double[] losses;
            try {
                losses = trainEpoch(epoch, listener);
            } catch (NonFiniteException e) {
                throw e.withContext("training diverged in epoch " + epoch, "lower seq.lr (now " + plain(s.lr()) + ")"
                        + td.divergenceHint()
                        + " or seq.max_grad_norm (now " + plain(s.maxGradNorm()) + ")");
            }
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            long v0 = System.nanoTime();
            double value = validator.validate(new SequenceRecommender(model));
            double validationSeconds = (System.nanoTime() - v0) / 1e9;
            boolean improved = value > bestValue;
            if (improved) {
                bestValue = value;
                bestEpoch = epoch;
                best = model.store().data().clone();
                sinceBest = 0;
            } else {
                sinceBest++;
            }
            EpochStats stats = new EpochStats(epoch, losses[0], losses[1], value, trainSeconds, validationSeconds,
                    windows.targetCount(), improved);
            history.add(stats);
            listener.epoch(stats);
            if (earlyStopping && sinceBest >= s.patience() && epoch >= s.minEpochs()) {
                stopped = true;
            }
        }
        if (epochsDone >= s.epochs()) {
            stopped = true;
        }
        return trained;
    }

    /** True once early stopping or the epoch limit ended the run. */
    public boolean stopped() {
        return stopped;
    }

    /** The best validation value so far (−∞ before the first epoch). */
    public double bestValue() {
        return bestValue;
    }

    /** Epochs trained so far. */
    public int epochsDone() {
        return epochsDone;
    }

    /** Ends the run: copies the best epoch's parameters into the model and returns the outcome. */
    public Result finish() {
        stopped = true;
        if (best != null) {
            System.arraycopy(best, 0, model.store().data(), 0, best.length);
        }
        return new Result(bestEpoch, bestValue, List.copyOf(history));
    }

    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** One pass over the windows without validation (for timing); returns {mean CE, mean TD loss}. */
    public double[] trainOneEpoch(int epoch) {
        return trainEpoch(epoch, e -> { });
    }

    /** One pass over the windows; returns {mean CE, mean TD loss}. */
    double[] trainEpoch(int epoch, Listener listener) {
        int[][] batches = windows.batches(s.batchSize(), batchRng);
        double ce = 0;
        double tdLoss = 0;
        long positions = 0;
        long done = 0;
        for (int[] batch : batches) {
            double[] l = step(batch);
            ce += l[0];
            tdLoss += l[1];
            positions += (long) l[2];
            done += batch.length;
            listener.progress(epoch, done, windows.size());
        }
        return new double[] {ce / Math.max(1, positions), tdLoss / Math.max(1, positions)};
    }

    /** One gradient step on a batch of windows; returns {Σ CE, Σ TD loss, target positions}. */
    double[] step(int[] batch) {
        double[] out = gradient(batch, true, dropoutRng);
        NonFiniteException.requireFinite("the cross-entropy", out[0]);
        NonFiniteException.requireFinite("the TD loss", out[1]);
        apply();
        return out;
    }

    /**
     * The loss of a batch and its gradient in {@code store().grad()} (which must be zero on entry),
     * without changing any parameter: {Σ CE, Σ TD loss, target positions}. The loss whose gradient
     * this is, is (1/V)·Σ_t w_t·CE_t + tdWeight·(1/V)·Σ_t δ_t²/2, with the actor-critic weights w_t
     * and the TD targets held fixed. {@code newNegatives} draws the sampled softmax's negatives
     * (false reuses the last ones); {@code rng} draws dropout (null: none).
     */
    double[] gradient(int[] batch, boolean newNegatives, Rng rng) {
        SequenceSpec spec = model.spec();
        int d = spec.dim();
        int length = windows.fill(batch, ws, targets, rewards);
        int b = batch.length;
        if (shares == null) {
            model.encode(ws, b, length, true, rng);
        }
        int v = 0;
        for (int r = 0; r < b * length; r++) {
            if (targets[r] >= 0) {
                validRows[v++] = r;
            }
        }
        final int valid = v;
        float[] g = model.store().grad();
        java.util.Arrays.fill(ws.dStates(), 0, b * length * d, 0f);
        td.prepare(b, length);
        output.prepare(newNegatives);
        validRowsCount = valid;
        if (shares == null) {
            // one thread: the output layer over every target position, then the encoder's backward
            workers[0].run(0, valid, valid, length);
        } else {
            runShares(b, length, valid, rng);
        }
        double ce = 0;
        double tdl = 0;
        double aSum = 0;
        double aSq = 0;
        for (Worker w : workers) {
            ce += w.output.ce;
            tdl += w.td.loss;
            aSum += w.td.advantageSum;
            aSq += w.td.advantageSquares;
        }
        td.endBatch(valid, aSum, aSq);
        if (shares == null) {
            workers[0].addInto(g, 0, g.length);
            workers[0].endAdd();
            model.backward(ws, output.backwardRows());
        } else {
            addShares(g);
        }
        return new double[] {ce, tdl, valid};
    }

    /**
     * The workers' gradients added into the store's {@code g}, split by parameter range: worker r
     * adds, for the values in its range {@code [paramFrom[r], paramFrom[r+1])}, every worker's
     * output-layer and Q-table gradients (in worker order), then every other share's encoder and
     * item-row gradients (in share order): for each value the additions of the one-thread
     * reduction, in its order, so the same bits. Then it sums its range's squares for the
     * gradient norm ({@link #partialSquares}).
     */
    private void addShares(float[] g) {
        Parallel.forEachWorker(shares.length, r -> {
            int lo = paramFrom[r];
            int hi = paramFrom[r + 1];
            for (Worker w : workers) {
                w.addInto(g, lo, hi);
            }
            for (int w = 1; w < shares.length; w++) {
                shares[w].addInto(g, lo, hi);
            }
            partialSquares[r] = Kernels.sumOfSquares(g, lo, hi);
        });
        for (Worker w : workers) {
            w.endAdd();
        }
        for (int w = 1; w < shares.length; w++) {
            shares[w].recordTouched(touchedRows);
        }
        partialsFresh = true;
    }

    /**
     * Data parallel over the batch's windows: share w takes a contiguous run of whole windows
     * chosen by {@link #balancedShares} (so attention stays within a share) and runs the encoder forward, the output layer over their
     * target positions (a contiguous run of {@link #validRows}) and the encoder backward. Share 0
     * accumulates into the store's gradient, the others into their own, added afterwards in share
     * order. With {@code rng} non-null, each share's dropout comes from its own stream seeded by one
     * draw of {@code rng} per batch.
     */
    private void runShares(int b, int length, int valid, Rng rng) {
        int threads = shares.length;
        int[] windowFrom = new int[threads + 1];
        int[] validFrom = new int[threads + 1];
        balancedShares(validRows, valid, b, length, windowFrom, validFrom);
        long dropoutSeed = rng == null ? 0 : rng.nextLong();
        touchedRows = output.backwardRows();
        Parallel.forEachWorker(threads, w -> shares[w].run(windowFrom[w], windowFrom[w + 1], length, validFrom[w],
                validFrom[w + 1], valid, rng == null ? null : Rng.stream(dropoutSeed, w)));
    }

    /**
     * Splits a batch's {@code b} windows of {@code length} positions into {@code T =
     * windowFrom.length - 1} contiguous shares of whole windows whose target-position counts are as
     * equal as possible: boundary w (0 &lt; w &lt; T) is the window index j ≥ boundary w−1 whose
     * count of target positions before it is nearest to {@code valid·w/T} (the lower j on a tie).
     * {@code validRows[0..valid)} are the target positions (row = window·length + position), in
     * ascending order; {@code validFrom[w]} receives the index of share w's first one. A fixed rule,
     * so a thread count gives fixed bits.
     */
    static void balancedShares(int[] validRows, int valid, int b, int length, int[] windowFrom, int[] validFrom) {
        int threads = windowFrom.length - 1;
        int[] before = new int[b + 1];
        int k = 0;
        for (int j = 0; j <= b; j++) {
            while (k < valid && validRows[k] < (long) j * length) {
                k++;
            }
            before[j] = k;
        }
        before[b] = valid;
        int from = 0;
        for (int w = 1; w < threads; w++) {
            double target = (double) valid * w / threads;
            int best = from;
            for (int j = from + 1; j <= b; j++) {
                if (Math.abs(before[j] - target) < Math.abs(before[best] - target)) {
                    best = j;
                }
            }
            windowFrom[w] = best;
            validFrom[w] = before[best];
            from = best;
        }
        windowFrom[0] = 0;
        validFrom[0] = 0;
        windowFrom[threads] = b;
        validFrom[threads] = valid;
    }

    /** Zeroes the whole gradient (after {@link #gradient} without {@link #apply}). */
    void clearGradient() {
        java.util.Arrays.fill(model.store().grad(), 0f);
        partialsFresh = false;
    }

    /** Clips, takes the Adam step on the gradient of {@link #gradient}, clears it, moves the target network. */
    void apply() {
        float[] p = model.store().data();
        float[] g = model.store().grad();
        double norm = gradientNorm(g);
        NonFiniteException.requireFinite("the gradient norm", norm);
        float scale = s.maxGradNorm() > 0 ? GradClip.coefficient(norm, s.maxGradNorm()) : 1f;
        output.update(p, g, scale);
        td.follow(p);
    }

    /**
     * The global norm of {@code g}: on one thread {@link GradClip#globalNorm}; with T threads the
     * sums of squares of the T parameter ranges added in range order ({@link GradClip#normOfPartials}),
     * as {@link #addShares} left them (so {@code apply} must follow {@link #gradient} with the
     * gradient as it left it, as {@link #step} does) or, when no {@code gradient} came since the
     * last step or {@link #clearGradient}, summed again here: a thread count gives one fixed double.
     */
    private double gradientNorm(float[] g) {
        if (paramFrom == null) {
            return GradClip.globalNorm(g);
        }
        if (!partialsFresh) {
            for (int r = 0; r < partialSquares.length; r++) {
                partialSquares[r] = Kernels.sumOfSquares(g, paramFrom[r], paramFrom[r + 1]);
            }
        }
        partialsFresh = false;
        return GradClip.normOfPartials(partialSquares);
    }

    /**
     * Adam on every parameter, then the whole gradient cleared; with T threads each worker steps
     * and clears its parameter range (Adam is elementwise: the same bits as one pass).
     */
    private void denseStep(float[] p, float[] g, float scale) {
        adam.beginStep();
        if (paramFrom == null) {
            adam.updateRangeAndClear(p, g, scale, 0, p.length);
            return;
        }
        Parallel.forEachWorker(paramFrom.length - 1,
                r -> adam.updateRangeAndClear(p, g, scale, paramFrom[r], paramFrom[r + 1]));
    }

    private int validRowsCount;
    /** The item rows the backward passes of the current batch touched (null: kept densely). */
    private Embedding.RowSet touchedRows;

    // ------------------------------------------------------------------ the output objective

    /**
     * The output layer's objective, chosen once by the constructor: the softmax over the whole
     * catalogue, or over the target and sampled negatives. It readies the output table for a batch,
     * gives each worker its share ({@link OutputShard}), and takes the parameter step.
     */
    private sealed interface OutputObjective permits FullSoftmax, SampledSoftmax {
        /** Readies the output table for this batch; {@code newNegatives} draws new negatives (sampled only). */
        void prepare(boolean newNegatives);

        /**
         * A worker's share of this objective, with its own buffers, beside the worker's share
         * {@code td} of the TD term; {@code first} for worker 0, which may add its output-layer
         * gradients straight into the store's gradient (no other worker writes it meanwhile).
         */
        OutputShard newShard(TdShard td, boolean first);

        /**
         * The set in which the backward pass records the item rows it touches (cleared), or null to
         * have the item tables' gradients kept densely.
         */
        Embedding.RowSet backwardRows();

        /** The Adam step on the gradient {@code g} scaled by {@code scale}, after which {@code g} is zero. */
        void update(float[] p, float[] g, float scale);
    }

    /** Softmax cross-entropy over the whole catalogue: the output table transposed once per batch. */
    private final class FullSoftmax implements OutputObjective {
        final float[] transposedOut;
        /**
         * With T threads and the fused kernel keeping its scores: Oᵀ packed into the kernel's
         * panels once per step, read by every worker's kernel (else null, and each packs its own).
         */
        float[] sharedPanels;

        FullSoftmax(int size) {
            this.transposedOut = new float[size];
        }

        /**
         * With T threads each worker transposes a range of the items, or, when the workers' fused
         * kernels keep their scores (no TD term), packs a range of them into the shared panels.
         */
        @Override
        public void prepare(boolean newNegatives) {
            if (shares == null) {
                model.transposedOutput(transposedOut);
                return;
            }
            int threads = shares.length;
            int items = model.spec().items();
            if (!td.active() && FusedSoftmaxCrossEntropy.keepsScores(items)) {
                int d = model.spec().dim();
                if (sharedPanels == null) {
                    sharedPanels = new float[FusedSoftmaxCrossEntropy.packedLength(d, items)];
                }
                float[] p = model.store().data();
                int align = FusedSoftmaxCrossEntropy.PANEL;
                Parallel.forEachWorker(threads, r -> FusedSoftmaxCrossEntropy.packPanels(p, model.outputOffset(), d,
                        items, sharedPanels, Parallel.rangeStart(items, threads, r, align),
                        Parallel.rangeStart(items, threads, r + 1, align)));
                return;
            }
            sharedPanels = null;
            Parallel.forEachWorker(threads, r -> model.transposedOutput(transposedOut,
                    Parallel.rangeStart(items, threads, r, CACHE_LINE_FLOATS),
                    Parallel.rangeStart(items, threads, r + 1, CACHE_LINE_FLOATS)));
        }

        /** Without the TD term the fused kernel (no rows × items buffers); with it the dense path, whose probabilities the TD term reads. */
        @Override
        public OutputShard newShard(TdShard tdShard, boolean first) {
            return td.active() ? new DenseShard(this, tdShard) : new FusedShard(this, first);
        }

        @Override
        public Embedding.RowSet backwardRows() {
            return null;
        }

        @Override
        public void update(float[] p, float[] g, float scale) {
            denseStep(p, g, scale);
        }
    }

    /**
     * Sampled softmax with logQ correction: a batch's negatives drawn from q ∝ (count + 1)^0.75, and
     * their output rows transposed; with {@code sparseAdam}, Adam updates only the touched rows of
     * the item tables.
     */
    private final class SampledSoftmax implements OutputObjective {
        final float[] proposal; // cumulative sampling distribution of negatives
        final float[] logProposal;
        final int[] ids;
        final float[] transposedNegatives;
        final Rng rng;
        final Embedding.RowSet touched;

        SampledSoftmax(int[] counts, int negatives, int d, Rng rng) {
            int n = counts.length;
            this.rng = rng;
            proposal = new float[n];
            logProposal = new float[n];
            double total = 0;
            for (int c : counts) {
                total += Math.pow(c + 1, 0.75);
            }
            double acc = 0;
            for (int i = 0; i < n; i++) {
                double q = Math.pow(counts[i] + 1, 0.75) / total;
                acc += q;
                proposal[i] = (float) acc;
                logProposal[i] = (float) Math.log(negatives * q);
            }
            ids = new int[negatives];
            transposedNegatives = new float[d * negatives];
            touched = new Embedding.RowSet(n);
        }

        @Override
        public void prepare(boolean newNegatives) {
            if (newNegatives) {
                draw();
            } else {
                refresh();
            }
        }

        @Override
        public OutputShard newShard(TdShard tdShard, boolean first) {
            return new SampledShard(this, tdShard);
        }

        @Override
        public Embedding.RowSet backwardRows() {
            touched.clear();
            return touched;
        }

        @Override
        public void update(float[] p, float[] g, float scale) {
            if (s.sparseAdam()) {
                sparseStep(p, g, scale);
            } else {
                denseStep(p, g, scale);
            }
        }

        /** Re-reads the current negatives' vectors (after a parameter changed), keeping the same items. */
        private void refresh() {
            int d = model.spec().dim();
            int negatives = ids.length;
            float[] p = model.store().data();
            int outOff = model.outputOffset();
            for (int k = 0; k < negatives; k++) {
                for (int j = 0; j < d; j++) {
                    transposedNegatives[j * negatives + k] = p[outOff + ids[k] * d + j];
                }
            }
        }

        private void draw() {
            int d = model.spec().dim();
            int negatives = ids.length;
            float[] p = model.store().data();
            int outOff = model.outputOffset();
            for (int k = 0; k < negatives; k++) {
                float u = (float) rng.nextDouble() * proposal[proposal.length - 1];
                int i = java.util.Arrays.binarySearch(proposal, u);
                i = i < 0 ? -i - 1 : i;
                ids[k] = Math.min(i, proposal.length - 1);
                for (int j = 0; j < d; j++) {
                    transposedNegatives[j * negatives + k] = p[outOff + ids[k] * d + j];
                }
            }
        }

        /**
         * Adam on the touched rows of the item tables and biases only, dense on everything else, then
         * clears exactly the gradients it used: no sweep over the tables.
         */
        private void sparseStep(float[] p, float[] g, float scale) {
            SequenceSpec spec = model.spec();
            int d = spec.dim();
            int n = spec.items();
            for (int k = 0; k < ids.length; k++) {
                touched.add(ids[k]);
            }
            for (int k = 0; k < validRowsCount; k++) {
                touched.add(targets[validRows[k]]);
            }
            adam.beginStep();
            int itemsOff = model.itemEmbedding().offset();
            int outOff = model.outputOffset();
            int biasOff = model.outputBiasOffset();
            adam.updateRows(p, g, scale, itemsOff, d, touched);
            if (outOff != itemsOff) {
                adam.updateRows(p, g, scale, outOff, d, touched);
            }
            adam.updateRows(p, g, scale, biasOff, 1, touched);
            // every other parameter (the encoder) densely; the tables and biases are excluded ranges
            int[][] excluded = outOff != itemsOff
                    ? new int[][] {{itemsOff, itemsOff + n * d}, {outOff, outOff + n * d}, {biasOff, biasOff + n}}
                    : new int[][] {{itemsOff, itemsOff + n * d}, {biasOff, biasOff + n}};
            java.util.Arrays.sort(excluded, (x, y) -> Integer.compare(x[0], y[0]));
            int at = 0;
            for (int[] ex : excluded) {
                if (ex[0] > at) {
                    adam.updateRange(p, g, scale, at, ex[0]);
                    java.util.Arrays.fill(g, at, ex[0], 0f);
                }
                at = ex[1];
            }
            if (at < p.length) {
                adam.updateRange(p, g, scale, at, p.length);
                java.util.Arrays.fill(g, at, p.length, 0f);
            }
            for (int k = 0; k < touched.size(); k++) {
                int row = touched.get(k);
                java.util.Arrays.fill(g, itemsOff + row * d, itemsOff + (row + 1) * d, 0f);
                java.util.Arrays.fill(g, outOff + row * d, outOff + (row + 1) * d, 0f);
                g[biasOff + row] = 0f;
            }
        }
    }

    // ------------------------------------------------------------------ the TD objective

    /** The optional TD objective of the offline actor-critic, chosen once by the constructor. */
    private sealed interface TdObjective permits NoTemporalDifference, TargetNetwork {
        /** Whether the TD term (and the advantage weights) take part. */
        boolean active();

        /** Readies the batch's next-state values (the target network's pass, the transposed Q tables). */
        void prepare(int batch, int length);

        /** A worker's share of the term, with its own buffers and accumulators. */
        TdShard newShard();

        /** After the workers: the batch's advantages ({@code valid} of them, their sum and sum of squares). */
        void endBatch(int valid, double advantageSum, double advantageSquares);

        /** After a parameter step: moves the target network towards the parameters {@code p}. */
        void follow(float[] p);

        /** The settings of the term to name when training diverges ({@code ", seq.td_weight (now …)"} or nothing). */
        String divergenceHint();
    }

    /** No TD term: supervised next-item training. */
    private final class NoTemporalDifference implements TdObjective {
        @Override
        public boolean active() {
            return false;
        }

        @Override
        public void prepare(int batch, int length) {
        }

        @Override
        public TdShard newShard() {
            return new TdShard();
        }

        @Override
        public void endBatch(int valid, double advantageSum, double advantageSquares) {
        }

        @Override
        public void follow(float[] p) {
        }

        @Override
        public String divergenceHint() {
            return "";
        }
    }

    /**
     * The TD term against a target network: a copy of the model, Polyak-averaged with rate τ after
     * each step; and the running variance of the advantages that scales the actor-critic weights.
     */
    private final class TargetNetwork implements TdObjective {
        final SequenceModel target;
        final SequenceModel.Workspace targetWs;
        final float[] transposedQ;
        final float[] transposedTargetQ;
        double advantageVar = 1.0;
        boolean advantageSeen;

        TargetNetwork(SequenceModel model, int batchSize) {
            SequenceSpec spec = model.spec();
            this.target = new SequenceModel(spec);
            System.arraycopy(model.store().data(), 0, target.store().data(), 0, model.store().size());
            this.targetWs = target.newWorkspace(batchSize);
            this.transposedQ = new float[spec.items() * spec.dim()];
            this.transposedTargetQ = new float[spec.items() * spec.dim()];
        }

        @Override
        public boolean active() {
            return true;
        }

        @Override
        public void prepare(int b, int length) {
            System.arraycopy(ws.ids(), 0, targetWs.ids(), 0, b * length);
            System.arraycopy(ws.firstValid(), 0, targetWs.firstValid(), 0, b);
            target.encode(targetWs, b, length, true, null);
            model.transposedQ(transposedQ);
            target.transposedQ(transposedTargetQ);
        }

        @Override
        public TdShard newShard() {
            return new TargetNetworkShard(this);
        }

        @Override
        public void endBatch(int valid, double aSum, double aSq) {
            if (valid > 0) {
                double mean = aSum / valid;
                double var = Math.max(0, aSq / valid - mean * mean);
                advantageVar = advantageSeen ? 0.99 * advantageVar + 0.01 * var : Math.max(var, 1e-12);
                advantageSeen = true;
            }
        }

        @Override
        public void follow(float[] p) {
            float[] tp = target.store().data();
            float tau = (float) s.tau();
            for (int i = 0; i < tp.length; i++) {
                tp[i] += tau * (p[i] - tp[i]);
            }
        }

        @Override
        public String divergenceHint() {
            return ", seq.td_weight (now " + plain(s.tdWeight()) + ")";
        }
    }

    // ------------------------------------------------------------------ one worker's shares

    /**
     * One worker's share of a batch's windows in data-parallel training: its own encoder workspace
     * and, except for share 0 (which accumulates into the store's gradient), its own gradient of the
     * encoder and the input item table, whose touched rows it records.
     */
    private final class WindowShare {
        final int index;
        /** This share's workspace, grown when a balanced share has more windows than it holds. */
        SequenceModel.Workspace shareWs;
        private int capacity;
        /** Laid out like the store's gradient; only the encoder's range and touched item rows are used. */
        final float[] gradient;
        final Embedding.RowSet touched;

        WindowShare(int index, SequenceModel.Workspace shareWs, int capacity, boolean ownGradient) {
            this.capacity = capacity;
            this.index = index;
            this.shareWs = shareWs;
            this.gradient = ownGradient ? new float[model.store().size()] : null;
            this.touched = ownGradient ? new Embedding.RowSet(model.spec().items()) : null;
        }

        /**
         * Windows {@code [w0, w1)} of the batch in {@code ws}: encodes them, copies their states into
         * {@code ws}, runs this worker's output layer on target positions {@code validRows[from..to)},
         * and back-propagates the state gradients it left in {@code ws} through the encoder.
         */
        void run(int w0, int w1, int length, int from, int to, int valid, Rng dropout) {
            Worker worker = workers[index];
            if (touched != null) {
                touched.clear();
            }
            int windows = w1 - w0;
            if (windows == 0) {
                worker.run(from, from, valid, length);
                return;
            }
            int d = model.spec().dim();
            int at = w0 * length * d;
            int size = windows * length * d;
            if (windows > capacity) {
                shareWs = model.newWorkspace(windows);
                capacity = windows;
            }
            System.arraycopy(ws.ids(), w0 * length, shareWs.ids(), 0, windows * length);
            System.arraycopy(ws.firstValid(), w0, shareWs.firstValid(), 0, windows);
            model.encode(shareWs, windows, length, true, dropout);
            System.arraycopy(shareWs.states(), 0, ws.states(), at, size);
            worker.run(from, to, valid, length);
            System.arraycopy(ws.dStates(), at, shareWs.dStates(), 0, size);
            if (gradient == null) {
                model.backward(shareWs, touchedRows);
            } else {
                model.store().withGradient(gradient, () -> model.backward(shareWs, touched));
            }
        }

        /**
         * Adds the values in {@code [lo, hi)} of this share's encoder gradient and of its touched
         * item rows into {@code g}, and clears what it added.
         */
        void addInto(float[] g, int lo, int hi) {
            int from = model.encoderOffset();
            addSlice(gradient, from, g, from, model.encoderEnd() - from, lo, hi, true);
            int d = model.spec().dim();
            int itemsOff = model.itemEmbedding().offset();
            for (int t = 0; t < touched.size(); t++) {
                int o = itemsOff + touched.get(t) * d;
                addSlice(gradient, o, g, o, d, lo, hi, true);
            }
        }

        /** Records the item rows this share's backward touched in {@code rows} (if not null), in the order touched. */
        void recordTouched(Embedding.RowSet rows) {
            if (rows == null) {
                return;
            }
            for (int t = 0; t < touched.size(); t++) {
                rows.add(touched.get(t));
            }
        }
    }

    /** One thread's output layer: its share of the output objective and of the TD term. */
    private final class Worker {
        final TdShard td = SequenceTrainer.this.td.newShard();
        final OutputShard output;

        /** {@code first}: worker 0, see {@link OutputObjective#newShard}. */
        Worker(boolean first) {
            output = SequenceTrainer.this.output.newShard(td, first);
        }

        void run(int from, int to, int valid, int length) {
            output.ce = 0;
            td.clear();
            float inv = valid == 0 ? 0f : 1f / valid;
            output.dirty = to > from;
            if (output.dirty) {
                output.run(from, to, inv, length, model.store().data());
            }
        }

        /**
         * Adds the values in {@code [lo, hi)} of this worker's accumulated output-layer and
         * Q-table gradients into {@code g} and clears them.
         */
        void addInto(float[] g, int lo, int hi) {
            if (output.dirty) {
                output.addInto(g, lo, hi);
                td.addInto(g, lo, hi);
            }
        }

        /** After {@link #addInto} over every range: the accumulators start empty for the next batch. */
        void endAdd() {
            output.endAdd();
        }
    }

    /** A worker's share of the output objective: the CE of some target positions and its gradients. */
    private abstract class OutputShard {
        final int n = model.spec().items();
        final int d = model.spec().dim();
        double ce;
        boolean dirty;

        /**
         * Adds the CE of positions {@code validRows[from..to)} (each weighted {@code inv}, or by the
         * TD term's actor-critic weights) to {@link #ce}, their state gradients to
         * {@code ws.dStates()} and their output-layer gradients to this share's accumulators.
         */
        abstract void run(int from, int to, float inv, int length, float[] p);

        /** Adds the values in {@code [lo, hi)} of the accumulated output-layer gradients into {@code g} and clears them. */
        abstract void addInto(float[] g, int lo, int hi);

        /** After {@link #addInto} over every range. */
        void endAdd() {
        }
    }

    /**
     * {@code g[gOff + k] += src[srcOff + k]} for the k < {@code length} with {@code gOff + k} in
     * {@code [lo, hi)}, and with {@code clear} those source values set to 0.
     */
    private static void addSlice(float[] src, int srcOff, float[] g, int gOff, int length, int lo, int hi,
            boolean clear) {
        int from = Math.max(lo, gOff);
        int to = Math.min(hi, gOff + length);
        if (from >= to) {
            return;
        }
        int shift = srcOff - gOff;
        for (int i = from; i < to; i++) {
            g[i] += src[i + shift];
        }
        if (clear) {
            java.util.Arrays.fill(src, from + shift, to + shift, 0f);
        }
    }

    /** Dense gradient accumulators of an item table and its bias (the output layer's, or the Q head's). */
    private static final class TableGradient {
        final float[] table;
        final float[] bias;

        TableGradient(int n, int d) {
            table = new float[n * d];
            bias = new float[n];
        }

        /**
         * Adds the accumulators' values that land in {@code [lo, hi)} of {@code g} (the table at
         * {@code tableOff}, the bias at {@code biasOff}) and clears them.
         */
        void addInto(float[] g, int tableOff, int biasOff, int lo, int hi) {
            addSlice(table, 0, g, tableOff, table.length, lo, hi, true);
            addSlice(bias, 0, g, biasOff, bias.length, lo, hi, true);
        }
    }

    /** The full softmax without the TD term, through the fused kernel: no (rows × items) buffers. */
    private final class FusedShard extends OutputShard {
        final FullSoftmax objective;
        /**
         * This worker's own accumulators; null for worker 0, which adds into the store's gradient
         * directly: its output table and bias are zero when the kernel runs (the gradient is zero
         * on entry and the encoder's backward comes after), so on one thread the bits are those of
         * adding an accumulator that started at zero, and a whole pass over the table is saved.
         */
        final TableGradient grad;
        final FusedSoftmaxCrossEntropy fused = new FusedSoftmaxCrossEntropy(d, n);
        // the gathered rows (grown on demand)
        float[] fusedStates = new float[0];
        float[] fusedDStates = new float[0];
        int[] fusedTargets = new int[0];
        float[] fusedWeights = new float[0];
        int[] excludedStart = new int[1];
        int[] excluded = new int[0];

        FusedShard(FullSoftmax objective, boolean intoStore) {
            this.objective = objective;
            this.grad = intoStore ? null : new TableGradient(n, d);
        }

        /** The states gathered, each row's seen items listed (with {@code excludeSeen}), the state gradients scattered back. */
        @Override
        void run(int from, int to, float inv, int length, float[] p) {
            int rows = to - from;
            if (fusedTargets.length < rows) {
                fusedStates = new float[rows * d];
                fusedDStates = new float[rows * d];
                fusedTargets = new int[rows];
                fusedWeights = new float[rows];
                excludedStart = new int[rows + 1];
                excluded = new int[s.excludeSeen() ? rows * length : 0];
            }
            float[] all = ws.states();
            int[] ids = ws.ids();
            int[] firstValid = ws.firstValid();
            int e = 0;
            for (int r = 0; r < rows; r++) {
                int row = validRows[from + r];
                System.arraycopy(all, row * d, fusedStates, r * d, d);
                int a = targets[row];
                fusedTargets[r] = a;
                fusedWeights[r] = inv;
                excludedStart[r] = e;
                if (s.excludeSeen()) {
                    int window = row / length;
                    for (int t = window * length + firstValid[window]; t <= row; t++) {
                        if (ids[t] != a) {
                            excluded[e++] = ids[t];
                        }
                    }
                }
            }
            excludedStart[rows] = e;
            float[] dTable = grad == null ? model.store().grad() : grad.table;
            float[] dBias = grad == null ? dTable : grad.bias;
            ce += fused.lossAndGradient(fusedStates, rows, p, model.outputOffset(), objective.transposedOut,
                    objective.sharedPanels, p,
                    model.outputBiasOffset(), fusedTargets, fusedWeights, s.excludeSeen() ? excludedStart : null,
                    excluded, fusedDStates, dTable, grad == null ? model.outputOffset() : 0, dBias,
                    grad == null ? model.outputBiasOffset() : 0);
            float[] dAll = ws.dStates();
            for (int r = 0; r < rows; r++) {
                int at = validRows[from + r] * d;
                for (int j = 0; j < d; j++) {
                    dAll[at + j] += fusedDStates[r * d + j];
                }
            }
        }

        @Override
        void addInto(float[] g, int lo, int hi) {
            if (grad != null) {
                grad.addInto(g, model.outputOffset(), model.outputBiasOffset(), lo, hi);
            }
        }
    }

    /**
     * A share scored {@link #CHUNK} rows at a time with explicit logits and probabilities (which the
     * TD term reads): gather the states, score, leave out the seen items, softmax, weight, the TD
     * term, the CE gradient, the output layer's backward, scatter the state gradients.
     */
    private abstract class ChunkedShard extends OutputShard {
        final int width;
        final TdShard td;
        final float[] states = new float[CHUNK * d];
        final float[] logits;
        final float[] logp;
        final float[] probs;
        final float[] dStates = new float[CHUNK * d];
        final float[] weightOf = new float[CHUNK];

        ChunkedShard(int width, TdShard td) {
            this.width = width;
            this.td = td;
            logits = new float[CHUNK * width];
            logp = new float[CHUNK * width];
            probs = new float[CHUNK * width];
        }

        @Override
        void run(int from, int to, float inv, int length, float[] p) {
            float[] all = ws.states();
            float[] dAll = ws.dStates();
            beginBatch(p);
            for (int c0 = from; c0 < to; c0 += CHUNK) {
                int rows = Math.min(CHUNK, to - c0);
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(all, validRows[c0 + r] * d, states, r * d, d);
                }
                logits(c0, rows, p);
                if (s.excludeSeen()) {
                    leaveOutSeen(c0, rows, length);
                }
                for (int r = 0; r < rows; r++) {
                    Kernels.softmax(logits, r * width, width, logp, probs, r * width);
                }
                for (int r = 0; r < rows; r++) {
                    weightOf[r] = inv;
                }
                td.chunk(c0, rows, inv, p, this);
                for (int r = 0; r < rows; r++) {
                    int a = targetColumn(c0 + r);
                    ce -= logp[r * width + a];
                    float w = weightOf[r];
                    int o = r * width;
                    for (int i = 0; i < width; i++) {
                        probs[o + i] *= w;
                    }
                    probs[o + a] -= w;
                }
                // probs now holds dLoss/dlogits
                backward(c0, rows, p);
                float[] tdStates = td.stateGradients;
                for (int r = 0; r < rows; r++) {
                    int at = validRows[c0 + r] * d;
                    for (int j = 0; j < d; j++) {
                        dAll[at + j] += dStates[r * d + j] + tdStates[r * d + j];
                    }
                }
            }
        }

        /** Before the batch's first chunk. */
        void beginBatch(float[] p) {
        }

        /** The logits of a chunk's rows into {@link #logits} ({@link #width} per row). */
        abstract void logits(int c0, int rows, float[] p);

        /**
         * Sets to −∞ the logit of every item in each row's input window up to its position (its
         * history as far as the model sees it), except its target: the softmax then spreads its
         * mass over the items evaluation can rank.
         */
        final void leaveOutSeen(int c0, int rows, int length) {
            int[] firstValid = ws.firstValid();
            for (int r = 0; r < rows; r++) {
                int row = validRows[c0 + r];
                int window = row / length;
                leaveOutSeenInRow(r * width, window * length + firstValid[window], row, targets[row]);
            }
        }

        /** In the row whose logits start at {@code o}: leaves out the items {@code ws.ids()[from..row]} other than {@code target}. */
        abstract void leaveOutSeenInRow(int o, int from, int row, int target);

        /** The column of the logits that holds the target of position {@code validRows[at]}. */
        abstract int targetColumn(int at);

        /** The output layer's backward from the logits' gradients in {@link #probs}: {@link #dStates} and the accumulators. */
        abstract void backward(int c0, int rows, float[] p);

        /** The policy's expectation of {@code values[o..o+n)} at chunk row {@code r}. */
        abstract double expected(int r, float[] values, int o);
    }

    /** The full softmax with the TD term: logits over the whole catalogue, one chunk at a time. */
    private final class DenseShard extends ChunkedShard {
        final FullSoftmax objective;
        final TableGradient grad = new TableGradient(n, d);

        DenseShard(FullSoftmax objective, TdShard td) {
            super(model.spec().items(), td);
            this.objective = objective;
        }

        @Override
        void logits(int c0, int rows, float[] p) {
            model.score(states, rows, objective.transposedOut, logits);
        }

        @Override
        void leaveOutSeenInRow(int o, int from, int row, int a) {
            int[] ids = ws.ids();
            for (int t = from; t <= row; t++) {
                int i = ids[t];
                if (i != a) {
                    logits[o + i] = Float.NEGATIVE_INFINITY;
                }
            }
        }

        @Override
        int targetColumn(int at) {
            return targets[validRows[at]];
        }

        @Override
        void backward(int c0, int rows, float[] p) {
            Kernels.multiply(probs, rows, n, p, model.outputOffset(), d, null, 0, dStates);
            Kernels.addTransposedProduct(probs, n, states, d, rows, grad.table, 0);
            Kernels.addColumnSums(probs, rows, n, grad.bias, 0);
        }

        /** Σ_i π(i|h)·values_i over the whole catalogue. */
        @Override
        double expected(int r, float[] values, int o) {
            double expected = 0;
            for (int i = 0; i < n; i++) {
                expected += (double) probs[r * width + i] * values[o + i];
            }
            return expected;
        }

        @Override
        void addInto(float[] g, int lo, int hi) {
            grad.addInto(g, model.outputOffset(), model.outputBiasOffset(), lo, hi);
        }
    }

    /**
     * The sampled softmax: column 0 the target, then the batch's negatives; gradients into the
     * negatives' rows and one row per target position of this worker.
     */
    private final class SampledShard extends ChunkedShard {
        final SampledSoftmax objective;
        final int[] negativeIds;
        final int negatives;
        final float[] negScores;
        final float[] dNeg;
        final float[] negRows;
        final float[] gradNeg;
        final float[] gradNegBias;
        float[] gradTargets = new float[CHUNK * d];
        float[] gradTargetBias = new float[CHUNK];
        int[] targetIds = new int[CHUNK];
        int targetCount;
        /** With excludeSeen: seenStamp[i] == stamp marks the current row's window items. */
        final int[] seenStamp;
        int stamp;

        SampledShard(SampledSoftmax objective, TdShard td) {
            super(s.negatives() + 1, td);
            this.objective = objective;
            this.negativeIds = objective.ids;
            this.negatives = s.negatives();
            negScores = new float[CHUNK * negatives];
            dNeg = new float[CHUNK * negatives];
            negRows = new float[negatives * d];
            gradNeg = new float[negatives * d];
            gradNegBias = new float[negatives];
            seenStamp = s.excludeSeen() ? new int[n] : null;
        }

        /** The negatives' output rows, read once per batch. */
        @Override
        void beginBatch(float[] p) {
            targetCount = 0;
            int outOff = model.outputOffset();
            for (int k = 0; k < negatives; k++) {
                System.arraycopy(p, outOff + negativeIds[k] * d, negRows, k * d, d);
            }
        }

        /** Each candidate's score minus log(S·q_i); a negative equal to the target is masked (−∞). */
        @Override
        void logits(int c0, int rows, float[] p) {
            int outOff = model.outputOffset();
            int biasOff = model.outputBiasOffset();
            Kernels.multiply(states, rows, d, objective.transposedNegatives, 0, negatives, null, 0, negScores);
            float[] logProposal = objective.logProposal;
            for (int r = 0; r < rows; r++) {
                int a = targets[validRows[c0 + r]];
                float t = p[biasOff + a];
                for (int j = 0; j < d; j++) {
                    t += states[r * d + j] * p[outOff + a * d + j];
                }
                int o = r * width;
                logits[o] = t - logProposal[a];
                for (int k = 0; k < negatives; k++) {
                    int i = negativeIds[k];
                    logits[o + 1 + k] = i == a ? Float.NEGATIVE_INFINITY
                            : negScores[r * negatives + k] + p[biasOff + i] - logProposal[i];
                }
            }
        }

        /** A negative that is one of the row's seen items (other than its target) is masked. */
        @Override
        void leaveOutSeenInRow(int o, int from, int row, int a) {
            int[] ids = ws.ids();
            stamp++;
            for (int t = from; t <= row; t++) {
                seenStamp[ids[t]] = stamp;
            }
            for (int k = 0; k < negatives; k++) {
                int i = negativeIds[k];
                if (i != a && seenStamp[i] == stamp) {
                    logits[o + 1 + k] = Float.NEGATIVE_INFINITY;
                }
            }
        }

        @Override
        int targetColumn(int at) {
            return 0;
        }

        @Override
        void backward(int c0, int rows, float[] p) {
            int outOff = model.outputOffset();
            for (int r = 0; r < rows; r++) {
                System.arraycopy(probs, r * width + 1, dNeg, r * negatives, negatives);
            }
            Kernels.multiply(dNeg, rows, negatives, negRows, 0, d, null, 0, dStates);
            Kernels.addTransposedProduct(dNeg, negatives, states, d, rows, gradNeg, 0);
            Kernels.addColumnSums(dNeg, rows, negatives, gradNegBias, 0);
            if (targetCount + rows > targetIds.length) {
                int cap = Math.max(targetIds.length * 2, targetCount + rows);
                targetIds = java.util.Arrays.copyOf(targetIds, cap);
                gradTargets = java.util.Arrays.copyOf(gradTargets, cap * d);
                gradTargetBias = java.util.Arrays.copyOf(gradTargetBias, cap);
            }
            for (int r = 0; r < rows; r++) {
                int a = targets[validRows[c0 + r]];
                float g0 = probs[r * width];
                int t = targetCount++;
                targetIds[t] = a;
                gradTargetBias[t] = g0;
                for (int j = 0; j < d; j++) {
                    dStates[r * d + j] += g0 * p[outOff + a * d + j];
                    gradTargets[t * d + j] = g0 * states[r * d + j];
                }
            }
        }

        /** The sampled softmax has no distribution over all items: the plain mean of {@code values}. */
        @Override
        double expected(int r, float[] values, int o) {
            double expected = 0;
            for (int i = 0; i < n; i++) {
                expected += values[o + i];
            }
            expected /= n;
            return expected;
        }

        /** The negatives' rows and biases (in draw order), then the target rows and biases (in position order). */
        @Override
        void addInto(float[] g, int lo, int hi) {
            int outOff = model.outputOffset();
            int biasOff = model.outputBiasOffset();
            for (int k = 0; k < negatives; k++) {
                addSlice(gradNeg, k * d, g, outOff + negativeIds[k] * d, d, lo, hi, true);
                addSlice(gradNegBias, k, g, biasOff + negativeIds[k], 1, lo, hi, true);
            }
            for (int t = 0; t < targetCount; t++) {
                addSlice(gradTargets, t * d, g, outOff + targetIds[t] * d, d, lo, hi, false);
                addSlice(gradTargetBias, t, g, biasOff + targetIds[t], 1, lo, hi, false);
            }
        }

        @Override
        void endAdd() {
            targetCount = 0;
        }
    }

    /**
     * A worker's share of the TD term. This base is the share of {@link NoTemporalDifference}: it
     * leaves the CE weights as they are and adds nothing (its state gradients are zeros).
     */
    private class TdShard {
        final float[] stateGradients;
        double loss;
        double advantageSum;
        double advantageSquares;

        TdShard() {
            stateGradients = new float[CHUNK * model.spec().dim()];
        }

        void clear() {
            loss = 0;
            advantageSum = 0;
            advantageSquares = 0;
        }

        /**
         * The chunk's Q values, TD targets and the TD loss's gradients (into {@link #stateGradients}
         * and the Q accumulators), and the actor-critic weights of its CE terms (into
         * {@code out.weightOf}).
         */
        void chunk(int c0, int rows, float inv, float[] p, ChunkedShard out) {
        }

        /** Adds the values in {@code [lo, hi)} of the accumulated Q-table gradients into {@code g} and clears them. */
        void addInto(float[] g, int lo, int hi) {
        }
    }

    /** The TD term's share against the target network. */
    private final class TargetNetworkShard extends TdShard {
        final TargetNetwork net;
        final int n = model.spec().items();
        final int d = model.spec().dim();
        final float[] q = new float[CHUNK * n];
        final float[] nextStates = new float[CHUNK * d];
        final float[] targetQ = new float[CHUNK * n];
        final TableGradient gradQ = new TableGradient(n, d);

        TargetNetworkShard(TargetNetwork net) {
            this.net = net;
        }

        @Override
        void chunk(int c0, int rows, float inv, float[] p, ChunkedShard out) {
            float[] states = out.states;
            float[] nextAll = net.targetWs.states();
            for (int r = 0; r < rows; r++) {
                System.arraycopy(nextAll, (validRows[c0 + r] + 1) * d, nextStates, r * d, d);
            }
            model.qValues(states, rows, net.transposedQ, q);
            net.target.qValues(nextStates, rows, net.transposedTargetQ, targetQ);
            float gamma = (float) s.gamma();
            float tdW = (float) s.tdWeight();
            float acW = (float) s.acWeight();
            float sd = (float) Math.sqrt(net.advantageVar) + 1e-6f;
            int qOff = model.qOffset();
            for (int r = 0; r < rows; r++) {
                int row = validRows[c0 + r];
                int a = targets[row];
                int o = r * n;
                float max = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    max = Math.max(max, targetQ[o + i]);
                }
                double expected = out.expected(r, q, o);
                float y = rewards[row] + gamma * max;
                float delta = q[o + a] - y;
                loss += 0.5 * delta * delta;
                float advantage = (float) (q[o + a] - expected);
                advantageSum += advantage;
                advantageSquares += (double) advantage * advantage;
                if (acW > 0) {
                    float z = Math.max(-2f, Math.min(2f, advantage / sd));
                    out.weightOf[r] = inv * Math.max(0f, 1f + acW * z);
                }
                // dTD/dQ(h, a) = tdWeight·δ/V: into the Q row of a, its bias, and the state
                float dq = tdW * delta * inv;
                int qa = qOff + a * d;
                for (int j = 0; j < d; j++) {
                    gradQ.table[a * d + j] += dq * states[r * d + j];
                    stateGradients[r * d + j] = dq * p[qa + j];
                }
                gradQ.bias[a] += dq;
            }
        }

        @Override
        void addInto(float[] g, int lo, int hi) {
            gradQ.addInto(g, model.qOffset(), model.qBiasOffset(), lo, hi);
        }
    }
}
