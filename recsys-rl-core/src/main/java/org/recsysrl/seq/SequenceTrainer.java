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
 * from seeded streams, and the output layer's work is split statically between threads, whose
 * gradients are added in thread order.
 */
public final class SequenceTrainer {
    /** Rows of the output layer processed together by one thread. */
    private static final int CHUNK = 64;

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
     * @param threads threads of the output layer
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

            /** Threads of the output layer. */
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
    /** The softmax over the output layer: the whole catalogue, or the target and sampled negatives. */
    private final OutputObjective output;
    /** The offline actor-critic's TD term, or {@link NoTemporalDifference} without it. */
    private final TdObjective td;
    private final Embedding.RowSet touched;
    private final Rng batchRng;
    private final Rng dropoutRng;
    private double advantageVar = 1.0;
    private boolean advantageSeen;

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
            workers[w] = new Worker();
        }
        this.touched = new Embedding.RowSet(n);
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
                        + (s.tdWeight() > 0 ? ", seq.td_weight (now " + plain(s.tdWeight()) + ")" : "")
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
        model.encode(ws, b, length, true, rng);
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
        // the output layer: a static split of the target positions between threads
        validRowsCount = valid;
        int threads = workers.length;
        Parallel.forEachWorker(threads, w -> {
            int from = (int) ((long) valid * w / threads);
            int to = (int) ((long) valid * (w + 1) / threads);
            workers[w].run(from, to, valid, length);
        });
        double ce = 0;
        double tdl = 0;
        double aSum = 0;
        double aSq = 0;
        for (Worker w : workers) {
            ce += w.ce;
            tdl += w.tdLoss;
            aSum += w.advSum;
            aSq += w.advSq;
            w.addInto(g);
        }
        if (td.active() && valid > 0) {
            double mean = aSum / valid;
            double var = Math.max(0, aSq / valid - mean * mean);
            advantageVar = advantageSeen ? 0.99 * advantageVar + 0.01 * var : Math.max(var, 1e-12);
            advantageSeen = true;
        }
        touched.clear();
        model.backward(ws, output instanceof SampledSoftmax ? touched : null);
        return new double[] {ce, tdl, valid};
    }

    /** Zeroes the whole gradient (after {@link #gradient} without {@link #apply}). */
    void clearGradient() {
        java.util.Arrays.fill(model.store().grad(), 0f);
    }

    /** Clips, takes the Adam step on the gradient of {@link #gradient}, clears it, moves the target network. */
    void apply() {
        float[] p = model.store().data();
        float[] g = model.store().grad();
        double norm = GradClip.globalNorm(g);
        NonFiniteException.requireFinite("the gradient norm", norm);
        float scale = s.maxGradNorm() > 0 ? GradClip.coefficient(norm, s.maxGradNorm()) : 1f;
        if (output instanceof SampledSoftmax sampled && s.sparseAdam()) {
            sparseStep(p, g, scale, sampled.ids);
        } else {
            adam.step(p, g, scale);
            java.util.Arrays.fill(g, 0f);
        }
        td.follow(p);
    }

    /**
     * Adam on the touched rows of the item tables and biases only, dense on everything else, then
     * clears exactly the gradients it used: no sweep over the tables.
     */
    private void sparseStep(float[] p, float[] g, float scale, int[] negativeIds) {
        SequenceSpec spec = model.spec();
        int d = spec.dim();
        int n = spec.items();
        for (int k = 0; k < negativeIds.length; k++) {
            touched.add(negativeIds[k]);
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

    private int validRowsCount;

    /** The output layer's objective: what a batch prepares before the workers score its positions. */
    private sealed interface OutputObjective permits FullSoftmax, SampledSoftmax {
        /** Readies the output table for this batch; {@code newNegatives} draws new negatives (sampled only). */
        void prepare(boolean newNegatives);
    }

    /** Softmax cross-entropy over the whole catalogue: the output table transposed once per batch. */
    private final class FullSoftmax implements OutputObjective {
        final float[] transposedOut;

        FullSoftmax(int size) {
            this.transposedOut = new float[size];
        }

        @Override
        public void prepare(boolean newNegatives) {
            model.transposedOutput(transposedOut);
        }
    }

    /**
     * Sampled softmax with logQ correction: a batch's negatives drawn from q ∝ (count + 1)^0.75, and
     * their output rows transposed.
     */
    private final class SampledSoftmax implements OutputObjective {
        final float[] proposal; // cumulative sampling distribution of negatives
        final float[] logProposal;
        final int[] ids;
        final float[] transposedNegatives;
        final Rng rng;

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
        }

        @Override
        public void prepare(boolean newNegatives) {
            if (newNegatives) {
                draw();
            } else {
                refresh();
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
    }

    /** The optional TD objective of the offline actor-critic. */
    private sealed interface TdObjective permits NoTemporalDifference, TargetNetwork {
        /** Whether the TD term (and the advantage weights) take part. */
        boolean active();

        /** Readies the batch's next-state values (the target network's pass, the transposed Q tables). */
        void prepare(int batch, int length);

        /** After a parameter step: moves the target network towards the parameters {@code p}. */
        void follow(float[] p);
    }

    /** No TD term: supervised next-item training. */
    private static final class NoTemporalDifference implements TdObjective {
        @Override
        public boolean active() {
            return false;
        }

        @Override
        public void prepare(int batch, int length) {
        }

        @Override
        public void follow(float[] p) {
        }
    }

    /** The TD term against a target network: a copy of the model, Polyak-averaged with rate τ after each step. */
    private final class TargetNetwork implements TdObjective {
        final SequenceModel target;
        final SequenceModel.Workspace targetWs;
        final float[] transposedQ;
        final float[] transposedTargetQ;

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
        public void follow(float[] p) {
            float[] tp = target.store().data();
            float tau = (float) s.tau();
            for (int i = 0; i < tp.length; i++) {
                tp[i] += tau * (p[i] - tp[i]);
            }
        }
    }

    /** One thread's share of the output layer, with its own buffers and gradient accumulators. */
    private final class Worker {
        final int n = model.spec().items();
        final int d = model.spec().dim();
        // the objectives this worker serves (null: not in use)
        final SampledSoftmax sampledOut = output instanceof SampledSoftmax x ? x : null;
        final FullSoftmax fullOut = output instanceof FullSoftmax x ? x : null;
        final TargetNetwork tdNet = td instanceof TargetNetwork x ? x : null;
        final int[] negativeIds = sampledOut == null ? null : sampledOut.ids;
        final boolean sampled = sampledOut != null;
        final int negatives = sampled ? s.negatives() : 0;
        final int width = sampled ? negatives + 1 : n;
        final float[] states = new float[CHUNK * d];
        /** Full softmax without the TD term goes through the fused kernel: no (rows × items) buffers. */
        final boolean fusedPath = fullOut != null && tdNet == null;
        final float[] logits = new float[fusedPath ? 0 : CHUNK * width];
        final float[] logp = new float[fusedPath ? 0 : CHUNK * width];
        final float[] probs = new float[fusedPath ? 0 : CHUNK * width];
        final float[] dStates = new float[CHUNK * d];
        final float[] tdStates = s.tdWeight() > 0 ? new float[CHUNK * d] : null;
        final float[] q = s.tdWeight() > 0 ? new float[CHUNK * n] : null;
        final float[] nextStates = s.tdWeight() > 0 ? new float[CHUNK * d] : null;
        final float[] targetQ = s.tdWeight() > 0 ? new float[CHUNK * n] : null;
        // full softmax: dense accumulators of the output table and bias
        final float[] gradOut = sampled ? null : new float[n * d];
        final float[] gradBias = sampled ? null : new float[n];
        // sampled softmax: the negatives' rows, and one row per target position of this worker
        final float[] negScores = sampled ? new float[CHUNK * negatives] : null;
        final float[] dNeg = sampled ? new float[CHUNK * negatives] : null;
        final float[] negRows = sampled ? new float[negatives * d] : null;
        final float[] gradNeg = sampled ? new float[negatives * d] : null;
        final float[] gradNegBias = sampled ? new float[negatives] : null;
        float[] gradTargets = sampled ? new float[CHUNK * d] : null;
        float[] gradTargetBias = sampled ? new float[CHUNK] : null;
        int[] targetIds = sampled ? new int[CHUNK] : null;
        int targetCount;
        final float[] gradQ = s.tdWeight() > 0 ? new float[n * d] : null;
        final float[] gradQBias = s.tdWeight() > 0 ? new float[n] : null;
        final float[] weightOf = new float[CHUNK];
        /** Sampled softmax with excludeSeen: seenStamp[i] == stamp marks the current row's window items. */
        final int[] seenStamp = sampled && s.excludeSeen() ? new int[n] : null;
        int stamp;
        /** Full softmax without the TD term: the fused kernel and its gathered rows (grown on demand). */
        final FusedSoftmaxCrossEntropy fused = fusedPath ? new FusedSoftmaxCrossEntropy(d, n) : null;
        float[] fusedStates = new float[0];
        float[] fusedDStates = new float[0];
        int[] fusedTargets = new int[0];
        float[] fusedWeights = new float[0];
        int[] excludedStart = new int[1];
        int[] excluded = new int[0];
        double ce;
        double tdLoss;
        double advSum;
        double advSq;
        boolean dirty;

        void run(int from, int to, int valid, int length) {
            ce = 0;
            tdLoss = 0;
            advSum = 0;
            advSq = 0;
            targetCount = 0;
            float[] all = ws.states();
            float[] dAll = ws.dStates();
            float[] p = model.store().data();
            float inv = valid == 0 ? 0f : 1f / valid;
            dirty = to > from;
            if (fused != null) {
                if (dirty) {
                    runFused(from, to, length, inv, p);
                }
                return;
            }
            if (sampled && dirty) {
                int outOff = model.outputOffset();
                for (int k = 0; k < negatives; k++) {
                    System.arraycopy(p, outOff + negativeIds[k] * d, negRows, k * d, d);
                }
            }
            for (int c0 = from; c0 < to; c0 += CHUNK) {
                int rows = Math.min(CHUNK, to - c0);
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(all, validRows[c0 + r] * d, states, r * d, d);
                }
                if (sampled) {
                    sampledLogits(c0, rows, p);
                } else {
                    model.score(states, rows, fullOut.transposedOut, logits);
                }
                if (s.excludeSeen()) {
                    leaveOutSeen(c0, rows, length);
                }
                for (int r = 0; r < rows; r++) {
                    Kernels.softmax(logits, r * width, width, logp, probs, r * width);
                }
                for (int r = 0; r < rows; r++) {
                    weightOf[r] = inv;
                }
                if (s.tdWeight() > 0) {
                    temporalDifference(c0, rows, inv, p);
                }
                for (int r = 0; r < rows; r++) {
                    int a = sampled ? 0 : targets[validRows[c0 + r]];
                    ce -= logp[r * width + a];
                    float w = weightOf[r];
                    int o = r * width;
                    for (int i = 0; i < width; i++) {
                        probs[o + i] *= w;
                    }
                    probs[o + a] -= w;
                }
                // probs now holds dLoss/dlogits
                if (sampled) {
                    sampledBackward(c0, rows, p);
                } else {
                    Kernels.multiply(probs, rows, n, p, model.outputOffset(), d, null, 0, dStates);
                    Kernels.addTransposedProduct(probs, n, states, d, rows, gradOut, 0);
                    Kernels.addColumnSums(probs, rows, n, gradBias, 0);
                }
                for (int r = 0; r < rows; r++) {
                    int at = validRows[c0 + r] * d;
                    for (int j = 0; j < d; j++) {
                        dAll[at + j] += dStates[r * d + j] + (tdStates == null ? 0f : tdStates[r * d + j]);
                    }
                }
            }
        }

        /**
         * The full softmax of rows {@code from..to} through the fused kernel: the states gathered,
         * each row's seen items listed (with {@code excludeSeen}), the state gradients scattered back.
         */
        private void runFused(int from, int to, int length, float inv, float[] p) {
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
            ce += fused.lossAndGradient(fusedStates, rows, p, model.outputOffset(), fullOut.transposedOut, p,
                    model.outputBiasOffset(), fusedTargets, fusedWeights, s.excludeSeen() ? excludedStart : null,
                    excluded, fusedDStates, gradOut, 0, gradBias, 0);
            float[] dAll = ws.dStates();
            for (int r = 0; r < rows; r++) {
                int at = validRows[from + r] * d;
                for (int j = 0; j < d; j++) {
                    dAll[at + j] += fusedDStates[r * d + j];
                }
            }
        }

        /**
         * Sets to −∞ the logit of every item in a position's input window up to the position (its
         * history as far as the model sees it), except its target: the softmax then spreads its
         * mass over the items evaluation can rank. Sampled softmax: a negative that is such an item.
         */
        private void leaveOutSeen(int c0, int rows, int length) {
            int[] ids = ws.ids();
            int[] firstValid = ws.firstValid();
            for (int r = 0; r < rows; r++) {
                int row = validRows[c0 + r];
                int window = row / length;
                int base = window * length;
                int a = targets[row];
                int o = r * width;
                if (sampled) {
                    stamp++;
                    for (int t = base + firstValid[window]; t <= row; t++) {
                        seenStamp[ids[t]] = stamp;
                    }
                    for (int k = 0; k < negatives; k++) {
                        int i = negativeIds[k];
                        if (i != a && seenStamp[i] == stamp) {
                            logits[o + 1 + k] = Float.NEGATIVE_INFINITY;
                        }
                    }
                } else {
                    for (int t = base + firstValid[window]; t <= row; t++) {
                        int i = ids[t];
                        if (i != a) {
                            logits[o + i] = Float.NEGATIVE_INFINITY;
                        }
                    }
                }
            }
        }

        /**
         * Candidate logits of the sampled softmax: column 0 the target, then the batch's negatives,
         * each minus log(S·q_i); a negative equal to the target is masked (−∞).
         */
        private void sampledLogits(int c0, int rows, float[] p) {
            int outOff = model.outputOffset();
            int biasOff = model.outputBiasOffset();
            Kernels.multiply(states, rows, d, sampledOut.transposedNegatives, 0, negatives, null, 0, negScores);
            float[] logProposal = sampledOut.logProposal;
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

        /** Gradients of the sampled softmax into the states, the negatives' rows and the targets' rows. */
        private void sampledBackward(int c0, int rows, float[] p) {
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

        /**
         * Q values, TD targets and the TD loss's gradients for a chunk (into {@code tdStates} and the
         * Q accumulators), and the actor-critic weights of its CE terms.
         */
        private void temporalDifference(int c0, int rows, float inv, float[] p) {
            float[] nextAll = tdNet.targetWs.states();
            for (int r = 0; r < rows; r++) {
                System.arraycopy(nextAll, (validRows[c0 + r] + 1) * d, nextStates, r * d, d);
            }
            model.qValues(states, rows, tdNet.transposedQ, q);
            tdNet.target.qValues(nextStates, rows, tdNet.transposedTargetQ, targetQ);
            float gamma = (float) s.gamma();
            float tdW = (float) s.tdWeight();
            float acW = (float) s.acWeight();
            float sd = (float) Math.sqrt(advantageVar) + 1e-6f;
            int qOff = model.qOffset();
            for (int r = 0; r < rows; r++) {
                int row = validRows[c0 + r];
                int a = targets[row];
                int o = r * n;
                float max = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    max = Math.max(max, targetQ[o + i]);
                }
                // the policy's expected Q (full softmax only: the sampled one has no distribution over all items)
                double expected = 0;
                if (!sampled) {
                    for (int i = 0; i < n; i++) {
                        expected += (double) probs[r * width + i] * q[o + i];
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        expected += q[o + i];
                    }
                    expected /= n;
                }
                float y = rewards[row] + gamma * max;
                float delta = q[o + a] - y;
                tdLoss += 0.5 * delta * delta;
                float advantage = (float) (q[o + a] - expected);
                advSum += advantage;
                advSq += (double) advantage * advantage;
                if (acW > 0) {
                    float z = Math.max(-2f, Math.min(2f, advantage / sd));
                    weightOf[r] = inv * Math.max(0f, 1f + acW * z);
                }
                // dTD/dQ(h, a) = tdWeight·δ/V: into the Q row of a, its bias, and the state
                float dq = tdW * delta * inv;
                int qa = qOff + a * d;
                for (int j = 0; j < d; j++) {
                    gradQ[a * d + j] += dq * states[r * d + j];
                    tdStates[r * d + j] = dq * p[qa + j];
                }
                gradQBias[a] += dq;
            }
        }

        /** Adds this worker's accumulated output-layer gradients into {@code g} and clears them. */
        void addInto(float[] g) {
            if (!dirty) {
                return;
            }
            int outOff = model.outputOffset();
            int biasOff = model.outputBiasOffset();
            if (sampled) {
                for (int k = 0; k < negatives; k++) {
                    int row = outOff + negativeIds[k] * d;
                    for (int j = 0; j < d; j++) {
                        g[row + j] += gradNeg[k * d + j];
                    }
                    g[biasOff + negativeIds[k]] += gradNegBias[k];
                }
                java.util.Arrays.fill(gradNeg, 0f);
                java.util.Arrays.fill(gradNegBias, 0f);
                for (int t = 0; t < targetCount; t++) {
                    int row = outOff + targetIds[t] * d;
                    for (int j = 0; j < d; j++) {
                        g[row + j] += gradTargets[t * d + j];
                    }
                    g[biasOff + targetIds[t]] += gradTargetBias[t];
                }
                targetCount = 0;
            } else {
                for (int k = 0; k < gradOut.length; k++) {
                    g[outOff + k] += gradOut[k];
                }
                java.util.Arrays.fill(gradOut, 0f);
                for (int k = 0; k < n; k++) {
                    g[biasOff + k] += gradBias[k];
                }
                java.util.Arrays.fill(gradBias, 0f);
            }
            if (gradQ != null) {
                int qOff = model.qOffset();
                int qBiasOff = model.qBiasOffset();
                for (int k = 0; k < gradQ.length; k++) {
                    g[qOff + k] += gradQ[k];
                }
                java.util.Arrays.fill(gradQ, 0f);
                for (int k = 0; k < n; k++) {
                    g[qBiasOff + k] += gradQBias[k];
                }
                java.util.Arrays.fill(gradQBias, 0f);
            }
        }
    }
}
