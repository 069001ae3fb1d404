package org.recsysrl.agent;

import java.util.Arrays;
import org.recsysrl.config.PpoConfig;
import org.recsysrl.env.ActionMasks;
import org.recsysrl.nn.Adam;
import org.recsysrl.nn.GradClip;
import org.recsysrl.nn.Kernels;
import org.recsysrl.nn.Linear;
import org.recsysrl.nn.Mlp;
import org.recsysrl.util.NonFiniteException;

/**
 * One PPO minibatch step over T threads for the original network (an MLP actor with a
 * {@link LinearLogitsHead}, a separate MLP critic, no item history, single actions), split by the
 * logits layer's outputs instead of the minibatch's rows ({@link ParallelMinibatch}): what crosses
 * between the cores is small, and the large weight stays where it is used.
 *
 * <p>Share w owns the logits outputs {@code [o_w, o_{w+1})} (boundaries at multiples of
 * {@value #BLOCK}, as even as they go, the last share the fewest; 512 and 488 of 1,000 on two
 * threads): those columns of the layer's weight and bias, their gradient and their Adam
 * moments. Share 0 (the calling thread) also owns the actor's hidden layers, share T − 1 the
 * critic. Per minibatch:
 * <ol>
 *   <li>share 0 runs the actor's hidden layers into the features H while share T − 1 runs the
 *       critic; hand-off of H;</li>
 *   <li>each share computes its logits Z_w = H·W_w + b_w (the same fused multiply-adds, so the same
 *       bits, as the whole layer on one thread), masks them and takes the softmax of its slice of
 *       every row ({@link Kernels#softmax(float[], int, int, float[], float[], int, float[], int)}:
 *       the slice's log-probabilities, probabilities, entropy H_w and log-normaliser s_w); hand-off
 *       of (s_w, H_w, the chosen action's slice log-probability) per row;</li>
 *   <li>every share combines them in share order into the row's log-normaliser
 *       {@code l = log Σ_w exp(s_w)}, its entropy {@code H = Σ_w π_w (H_w + l − s_w)} with the
 *       slice masses {@code π_w = exp(s_w − l)} and the chosen action's log-probability, and so
 *       the row's PPO coefficients ({@link ActorCriticLoss#ppoPolicyRow}); its dL/dZ_w is the
 *       categorical gradient of its slice scaled by π_w; then dW_w, db_w and its part dH_w of the
 *       features' gradient; hand-off of dH_w;</li>
 *   <li>share 0 adds the dH_w in share order and runs the actor's hidden backward pass while share
 *       T − 1 runs the critic's (value loss); each sums the squares of its own gradient; hand-off;</li>
 *   <li>the calling thread adds the sums in share order into the norm, checks the loss terms and
 *       the norm (refusing the step before any parameter changes) and lets every share take the
 *       clipped Adam step of its own parameters ({@link Adam#beginStep} once).</li>
 * </ol>
 * Every sum is in a fixed order, so a run is bit-identical for a given T; the gradient is within
 * rounding of one thread's (the softmax and the features' gradient are summed by slices).
 */
final class OutputSplitMinibatch implements ThreadedMinibatch {
    /** Slices of the logits start at multiples of this many outputs (one 64-byte line of a weight row). */
    static final int BLOCK = 16;

    private final Adam adam;
    private final PpoConfig cfg;
    private final int threads;
    private final ShareThreads pool;
    private final Mlp actor;
    private final Mlp critic;
    private final Linear value;
    private final Linear logits;
    private final int actions;
    private final int featureSize;
    private final float[] params;
    private final float[] grad;
    private final int[] bounds;
    private final Mlp.Workspace actorWs;
    private final Mlp.Workspace criticWs;
    private final float[] features;
    private final float[] values;
    private final float[] valueGrads;
    private final float[] criticFeatureGrads;
    private final Share[] shares;
    private final ShareThreads.Signal featuresReady;
    /** Set to g when minibatch g may take its Adam step (a refused step aborts the minibatch instead). */
    private final ShareThreads.Signal permit;

    // the current minibatch, published by ShareThreads.publish
    private Minibatch job;
    private int jobRows;
    private volatile float coefficient;

    /**
     * Whether the output split applies to {@code model} on {@code threads} threads: a
     * {@link LinearLogitsHead}, no history encoder, single actions, and at least {@value #BLOCK}
     * actions per thread.
     */
    static boolean supports(ActorCritic model, int threads) {
        return threads >= 2 && model.actorHead() instanceof LinearLogitsHead && model.historyLength() == 0
                && model.slateSize() == 1 && model.actionCount() >= BLOCK * threads;
    }

    /**
     * @param capacity the largest minibatch
     * @param threads T ≥ 2, the calling thread included
     * @throws IllegalArgumentException if {@link #supports} is false
     */
    OutputSplitMinibatch(ActorCritic model, Adam adam, PpoConfig cfg, int capacity, int threads) {
        this(model, adam, cfg, capacity, threads, ShareThreads.IDLE_EXIT_MS);
    }

    /** As above, an idle helper ending after {@code idleExitMillis} (tests shorten it). */
    OutputSplitMinibatch(ActorCritic model, Adam adam, PpoConfig cfg, int capacity, int threads,
            long idleExitMillis) {
        if (!supports(model, threads)) {
            throw new IllegalArgumentException("the output split needs T >= 2, a logits head, no history, single"
                    + " actions and " + BLOCK + " actions per thread; got " + threads + " threads, "
                    + model.actionCount() + " actions");
        }
        this.adam = adam;
        this.cfg = cfg;
        this.threads = threads;
        this.actor = model.actorBackbone();
        this.critic = model.criticBackbone();
        this.value = model.valueLayer();
        this.logits = ((LinearLogitsHead) model.actorHead()).linear();
        this.actions = model.actionCount();
        this.featureSize = logits.in();
        this.params = model.parameters().data();
        this.grad = model.parameters().grad();
        this.bounds = new int[threads + 1];
        for (int w = 1; w < threads; w++) {
            // rounded up, so that the last share (the critic's, and the one with a partial vector) gets
            // the fewest outputs, but leaving every later share at least one block
            int even = (int) (((long) actions * w / threads + BLOCK - 1) / BLOCK * BLOCK);
            bounds[w] = Math.min(even, (actions - BLOCK * (threads - w)) / BLOCK * BLOCK);
        }
        bounds[threads] = actions;
        this.actorWs = actor.newWorkspace(capacity);
        this.criticWs = critic.newWorkspace(capacity);
        this.features = actorWs.output();
        this.values = new float[capacity];
        this.valueGrads = new float[capacity];
        this.criticFeatureGrads = new float[capacity * critic.outputSize()];
        this.pool = new ShareThreads(threads, this::helperShare, (w, loop) -> loop.run(), idleExitMillis);
        this.featuresReady = pool.signal();
        this.permit = pool.signal();
        this.shares = new Share[threads];
        for (int w = 0; w < threads; w++) {
            shares[w] = new Share(w, capacity);
        }
        checkPartition(model.parameters().size());
    }

    /** The first output of share w's slice of the logits (w = T: the number of actions). */
    int sliceStart(int w) {
        return bounds[w];
    }

    /** Share w's parameter ranges as {@code [from, to)} pairs: the parameters it steps. */
    int[] ownedRanges(int w) {
        Share s = shares[w];
        int[] all = Arrays.copyOf(s.logitRanges, s.logitRanges.length + s.hiddenRanges.length);
        System.arraycopy(s.hiddenRanges, 0, all, s.logitRanges.length, s.hiddenRanges.length);
        return all;
    }

    /** Every parameter belongs to exactly one share: else a parameter would be stepped twice or never. */
    private void checkPartition(int size) {
        int[] owners = new int[size];
        for (int w = 0; w < threads; w++) {
            int[] r = ownedRanges(w);
            for (int k = 0; k < r.length; k += 2) {
                for (int i = r[k]; i < r[k + 1]; i++) {
                    owners[i]++;
                }
            }
        }
        for (int i = 0; i < size; i++) {
            if (owners[i] != 1) {
                throw new IllegalStateException("parameter " + i + " belongs to " + owners[i] + " shares");
            }
        }
    }

    @Override
    public ShareThreads threadPool() {
        return pool;
    }

    @Override
    public double step(Minibatch mb, int rows, ActorCriticLoss.Terms terms) {
        job = mb;
        jobRows = rows;
        long g = pool.publish();
        double norm;
        try {
            compute(0, g);
            shares[0].squaresReady.set(g);
            double squares = 0;
            terms.clear();
            for (Share s : shares) {
                s.squaresReady.await(g);
                terms.add(s.terms);
                squares += s.squares;
            }
            norm = Math.sqrt(squares);
            OnPolicyLearner.requireFiniteTerms(terms, norm);
        } catch (RuntimeException e) {
            pool.abort(g);
            throw e;
        }
        adam.beginStep();
        coefficient = GradClip.coefficient(norm, cfg.maxGradNorm());
        permit.set(g);
        double paramSquares = shares[0].step(coefficient);
        for (int w = 1; w < threads; w++) {
            shares[w].stepped.await(g);
            paramSquares += shares[w].paramSquares;
        }
        NonFiniteException.requireFinite("a parameter after the optimiser step", paramSquares);
        return norm;
    }

    /** Helper w's part of minibatch g. */
    private void helperShare(int w, long g) {
        Share s = shares[w];
        compute(w, g);
        s.squaresReady.set(g);
        permit.await(g);
        s.paramSquares = s.step(coefficient);
        s.stepped.set(g);
    }

    /** Share w's forward pass, loss and backward pass of minibatch g, up to the sum of its gradient's squares. */
    private void compute(int w, long g) {
        Share s = shares[w];
        Minibatch mb = job;
        int b = jobRows;
        long mark = ShareThreads.threadCpu();
        s.terms.clear();
        if (w == 0) {
            actor.forward(actorWs, mb.observations, b);
            featuresReady.set(g);
        }
        if (w == threads - 1) {
            value.forward(critic.forward(criticWs, mb.observations, b), values, b);
        }
        if (w != 0) {
            mark = s.lap(mark);
            featuresReady.await(g);
            mark = ShareThreads.threadCpu();
        }
        s.logitsForward(mb, b);
        s.statsReady.set(g);
        mark = s.lap(mark);
        for (Share other : shares) {
            other.statsReady.await(g);
        }
        mark = ShareThreads.threadCpu();
        s.logitsBackward(mb, b);
        s.featureGradsReady.set(g);
        s.squares = s.sumOfSquares(s.logitRanges);
        if (w == threads - 1) {
            criticBackward(mb, b, s.terms);
        }
        if (w == 0) {
            mark = s.lap(mark);
            for (int v = 1; v < threads; v++) {
                shares[v].featureGradsReady.await(g);
            }
            mark = ShareThreads.threadCpu();
            float[] dFeatures = shares[0].featureGrads;
            for (int v = 1; v < threads; v++) {
                float[] part = shares[v].featureGrads;
                for (int i = 0; i < b * featureSize; i++) {
                    dFeatures[i] += part[i];
                }
            }
            actor.backward(actorWs, mb.observations, dFeatures, null, b, false);
        }
        s.squares += s.sumOfSquares(s.hiddenRanges);
        s.lap(mark);
    }

    /** The value loss of the first b rows, and the critic's backward pass (share T − 1). */
    private void criticBackward(Minibatch mb, int b, ActorCriticLoss.Terms terms) {
        float invB = 1f / b;
        float eps = (float) cfg.clipEps();
        float vf = (float) cfg.vfCoef();
        for (int r = 0; r < b; r++) {
            valueGrads[r] = ActorCriticLoss.valueTerm(values[r], mb.returns[r],
                    mb.oldValues == null ? 0f : mb.oldValues[r], cfg.clipValueLoss(), eps, vf, invB, terms);
        }
        value.backward(criticWs.output(), valueGrads, criticFeatureGrads, b, false);
        critic.backward(criticWs, mb.observations, criticFeatureGrads, null, b, false);
    }

    @Override
    public long[][] phaseCpuNanos() {
        long[][] out = new long[threads][];
        for (int w = 0; w < threads; w++) {
            out[w] = shares[w].phaseCpu.clone();
            Arrays.fill(shares[w].phaseCpu, 0);
        }
        return out;
    }

    /** The share whose slice holds output {@code a}. */
    private Share owner(int a) {
        int w = threads - 1;
        while (bounds[w] > a) {
            w--;
        }
        return shares[w];
    }

    /** {@code [from, to)} pairs of every weight and bias of {@code layers}. */
    private static int[] layerRanges(Iterable<Linear> layers) {
        int[] out = new int[0];
        for (Linear l : layers) {
            int n = out.length;
            out = Arrays.copyOf(out, n + 4);
            out[n] = l.weightOffset();
            out[n + 1] = l.weightOffset() + l.in() * l.out();
            out[n + 2] = l.biasOffset();
            out[n + 3] = l.biasOffset() + l.out();
        }
        return out;
    }

    /** One thread's share: its slice of the logits, their buffers, its parameters, its progress. */
    private final class Share {
        final int index;
        final int lo;
        final int hi;
        final int width;
        /** Columns computed by whole vectors; the rest come from the last {@value #BLOCK} columns into {@link #tail}. */
        final int whole;
        /** The slice's logits, then (in place) their log-probabilities. */
        final float[] logp;
        /** The slice's probabilities, then (in place) dL/dZ. */
        final float[] probs;
        final float[] tail;
        final float[] shift;
        final float[] entropy;
        final float[] actionLogp;
        /** This share's part of dL/dH (share 0: the sum of all parts, after the hand-off). */
        final float[] featureGrads;
        final int[] logitRanges;
        final int[] hiddenRanges;
        final ActorCriticLoss.Terms terms = new ActorCriticLoss.Terms();
        /** The policy terms of a share other than 0, which computes the same values and reports them. */
        final ActorCriticLoss.Terms discarded = new ActorCriticLoss.Terms();
        final ShareThreads.Signal statsReady = pool.signal();
        final ShareThreads.Signal featureGradsReady = pool.signal();
        final ShareThreads.Signal squaresReady = pool.signal();
        final ShareThreads.Signal stepped = pool.signal();
        /** Per row of the combination: every slice's exp(s_v − max), then its mass π_v. */
        final double[] masses;
        double squares;
        double paramSquares;
        /** [compute, reduce (unused), Adam] CPU nanoseconds and minibatches, with {@link ShareThreads#PHASE_CPU}. */
        final long[] phaseCpu = new long[4];

        Share(int index, int capacity) {
            this.index = index;
            this.lo = bounds[index];
            this.hi = bounds[index + 1];
            this.width = hi - lo;
            this.whole = width / BLOCK * BLOCK;
            this.logp = new float[capacity * width];
            this.probs = new float[capacity * width];
            this.masses = new double[threads];
            this.tail = whole < width ? new float[Math.max(capacity, featureSize) * BLOCK] : null;
            this.shift = new float[capacity];
            this.entropy = new float[capacity];
            this.actionLogp = new float[capacity];
            this.featureGrads = new float[capacity * featureSize];
            this.logitRanges = new int[2 * featureSize + 2];
            for (int i = 0; i < featureSize; i++) {
                int row = logits.weightOffset() + i * actions; // the stored [in, out] weight: row i, columns lo..hi
                logitRanges[2 * i] = row + lo;
                logitRanges[2 * i + 1] = row + hi;
            }
            logitRanges[2 * featureSize] = logits.biasOffset() + lo;
            logitRanges[2 * featureSize + 1] = logits.biasOffset() + hi;
            java.util.List<Linear> hidden = new java.util.ArrayList<>();
            if (index == 0) {
                hidden.addAll(actor.layers());
            }
            if (index == threads - 1) {
                hidden.addAll(critic.layers());
                hidden.add(value);
            }
            this.hiddenRanges = layerRanges(hidden);
        }

        /** Adds the CPU time since {@code mark} to the compute phase; returns the new mark. */
        long lap(long mark) {
            if (!ShareThreads.PHASE_CPU) {
                return 0;
            }
            long now = ShareThreads.threadCpu();
            phaseCpu[0] += now - mark;
            return now;
        }

        /** The logits of this slice for the first b rows, masked, and their softmax. */
        void logitsForward(Minibatch mb, int b) {
            for (int r = 0; r < b; r++) {
                System.arraycopy(params, logits.biasOffset() + lo, logp, r * width, width);
            }
            if (whole > 0) {
                Kernels.blockProduct(features, 0, featureSize, 1, b, params, logits.weightOffset() + lo, actions,
                        whole, featureSize, logp, 0, width, true);
            }
            if (tail != null) {
                // the last columns through one more whole vector, ending at hi, into the tail buffer
                int from = hi - BLOCK;
                for (int r = 0; r < b; r++) {
                    System.arraycopy(params, logits.biasOffset() + from, tail, r * BLOCK, BLOCK);
                }
                Kernels.blockProduct(features, 0, featureSize, 1, b, params, logits.weightOffset() + from, actions,
                        BLOCK, featureSize, tail, 0, BLOCK, true);
                int rest = width - whole;
                for (int r = 0; r < b; r++) {
                    System.arraycopy(tail, r * BLOCK + BLOCK - rest, logp, r * width + whole, rest);
                }
            }
            for (int r = 0; r < b; r++) {
                int row = r * width;
                if (mb.masks != null && !maskRow(mb.masks, r)) {
                    Arrays.fill(logp, row, row + width, Float.NEGATIVE_INFINITY);
                    Arrays.fill(probs, row, row + width, 0f);
                    shift[r] = Float.NEGATIVE_INFINITY;
                    entropy[r] = 0f;
                } else {
                    entropy[r] = Kernels.softmax(logp, row, width, logp, probs, row, shift, r); // in place
                }
                int a = mb.actions[r];
                actionLogp[r] = a >= lo && a < hi ? logp[row + a - lo] : 0f;
            }
        }

        /** Sets the forbidden logits of row r of this slice to −∞; returns whether any stays allowed. */
        private boolean maskRow(long[] masks, int r) {
            int words = ActionMasks.words(actions);
            int row = r * width;
            boolean any = false;
            for (int k = lo >> 6; k <= (hi - 1) >> 6; k++) {
                int base = k << 6;
                long inSlice = -1L;
                if (base < lo) {
                    inSlice &= -1L << (lo - base);
                }
                if (hi - base < 64) {
                    inSlice &= (1L << (hi - base)) - 1;
                }
                long allowed = masks[r * words + k];
                any |= (allowed & inSlice) != 0;
                long forbidden = ~allowed & inSlice;
                while (forbidden != 0) {
                    logp[row + base + Long.numberOfTrailingZeros(forbidden) - lo] = Float.NEGATIVE_INFINITY;
                    forbidden &= forbidden - 1;
                }
            }
            return any;
        }

        /**
         * Combines the slices' statistics of the first b rows (every share the same way, in share
         * order), adds the policy terms (share 0), and writes this slice's dL/dZ, the gradient of its
         * weight columns and bias and its part of dL/dH.
         */
        void logitsBackward(Minibatch mb, int b) {
            float invB = 1f / b;
            double clipEps = cfg.clipEps();
            float clipLo = (float) (1 - clipEps);
            float clipHi = (float) (1 + clipEps);
            float gEntropy = (float) (-cfg.entCoef()) * invB;
            ActorCriticLoss.Terms policyTerms = index == 0 ? terms : discarded;
            for (int r = 0; r < b; r++) {
                double lse = combine(r);
                double h = 0;
                for (int v = 0; v < threads; v++) {
                    Share s = shares[v];
                    if (masses[v] > 0) {
                        h += masses[v] * (s.entropy[r] + (lse - s.shift[r]));
                    }
                }
                int a = mb.actions[r];
                Share owner = owner(a);
                float logpA = (float) (owner.actionLogp[r] - (lse - owner.shift[r]));
                float gLogp = ActorCriticLoss.ppoPolicyRow(logpA, mb.oldLogProbs[r], mb.advantages[r], (float) h,
                        clipLo, clipHi, clipEps, invB, policyTerms);
                sliceGradient(r, masses[index], lse, h, gLogp, gEntropy, a);
            }
            logitsProducts(b);
        }

        /**
         * Row r's log-normaliser {@code log Σ_v exp(s_v)} over the slices, in share order; leaves
         * every slice's mass {@code π_v = exp(s_v − l)} in {@link #masses} (0 for a slice masked whole).
         */
        private double combine(int r) {
            double top = Double.NEGATIVE_INFINITY;
            for (Share s : shares) {
                top = Math.max(top, s.shift[r]);
            }
            double sum = 0;
            for (int v = 0; v < threads; v++) {
                float sv = shares[v].shift[r];
                masses[v] = sv == Float.NEGATIVE_INFINITY ? 0 : Math.exp(sv - top);
                sum += masses[v];
            }
            for (int v = 0; v < threads; v++) {
                masses[v] /= sum;
            }
            return top + Math.log(sum);
        }

        /**
         * Row r's dL/dZ over this slice (written over its probabilities): the categorical gradient
         * with this slice's mass and log-normaliser.
         */
        private void sliceGradient(int r, double mass, double lse, double h, float gLogp, float gEntropy, int a) {
            int row = r * width;
            if (mass == 0) {
                Arrays.fill(probs, row, row + width, 0f);
            } else {
                Kernels.categoricalBackward(probs, logp, row, width, -1, (float) (mass * gLogp),
                        (float) (mass * gEntropy), (float) (h - (lse - shift[r])), probs, row);
            }
            if (a >= lo && a < hi) {
                probs[row + a - lo] += gLogp;
            }
        }

        /** dW of the slice's columns = Hᵀ·dZ, db = Σ_r dZ, and this share's dL/dH = dZ·W_sliceᵀ. */
        private void logitsProducts(int b) {
            int weights = logits.weightOffset();
            if (whole > 0) {
                Kernels.blockProduct(features, 0, 1, featureSize, featureSize, probs, 0, width, whole, b, grad,
                        weights + lo, actions, false);
            }
            if (tail != null) {
                int rest = width - whole;
                Kernels.blockProduct(features, 0, 1, featureSize, featureSize, probs, width - BLOCK, width, BLOCK, b,
                        tail, 0, BLOCK, false);
                for (int i = 0; i < featureSize; i++) {
                    System.arraycopy(tail, i * BLOCK + BLOCK - rest, grad, weights + i * actions + lo + whole, rest);
                }
            }
            Kernels.columnSums(probs, b, width, grad, logits.biasOffset() + lo);
            Kernels.multiplyTransposedStrided(probs, 0, width, b, width, params, weights + lo, actions, featureSize,
                    featureGrads);
        }

        /** Σ g² of the gradient over {@code ranges}, range by range in order. */
        double sumOfSquares(int[] ranges) {
            return sumOfSquares(grad, ranges);
        }

        private double sumOfSquares(float[] values, int[] ranges) {
            double s = 0;
            for (int k = 0; k < ranges.length; k += 2) {
                s += Kernels.sumOfSquares(values, ranges[k], ranges[k + 1]);
            }
            return s;
        }

        /** The clipped Adam step of this share's parameters; returns the squares of their new values. */
        double step(float coef) {
            long start = ShareThreads.threadCpu();
            // the weight's columns lo..hi of every row in one call, then the bias and the hidden layers
            adam.updateStrided(params, grad, coef, logits.weightOffset() + lo, width, actions, featureSize);
            int bias = 2 * featureSize;
            adam.updateRange(params, grad, coef, logitRanges[bias], logitRanges[bias + 1]);
            for (int k = 0; k < hiddenRanges.length; k += 2) {
                adam.updateRange(params, grad, coef, hiddenRanges[k], hiddenRanges[k + 1]);
            }
            double s = sumOfSquares(params, logitRanges) + sumOfSquares(params, hiddenRanges);
            if (ShareThreads.PHASE_CPU) {
                phaseCpu[2] += ShareThreads.threadCpu() - start;
                phaseCpu[3]++;
            }
            return s;
        }
    }
}
