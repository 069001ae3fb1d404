package org.recsysrl.agent;

import java.util.Arrays;
import org.recsysrl.config.PpoConfig;
import org.recsysrl.nn.Adam;
import org.recsysrl.nn.GradClip;
import org.recsysrl.nn.Kernels;
import org.recsysrl.nn.ParameterStore;
import org.recsysrl.util.NonFiniteException;

/**
 * One PPO minibatch step (forward pass, loss, gradient, gradient norm, clipped Adam step) spread
 * over T threads, data parallel: the calling thread and T − 1 long-lived helper threads.
 *
 * <p>Share w takes the minibatch rows {@code [b·w/T, b·(w+1)/T)}: its own forward pass, loss
 * terms and backward pass, into its own gradient (share 0, on the calling thread, into the store's
 * gradient; every helper into an array of its own). Then a reduce-scatter: share w owns the
 * parameter range {@code [P·w/T, P·(w+1)/T)} (rounded to whole cache lines), adds the T gradients
 * there in share order (g₀ + g₁ + … into the store's gradient) and sums their squares; the calling
 * thread adds the T partial sums in share order into the global norm, checks the terms and the
 * norm, and every share takes the clipped Adam step of its range. Every sum is in a fixed order,
 * so a run is bit-identical for a given T; the gradient equals the one-thread gradient within
 * rounding (the rows' contributions are added in another order).
 *
 * <p>The threads, their hand-offs and their life between updates are {@link ShareThreads}'. Used
 * for every network that {@link OutputSplitMinibatch} does not take.
 */
final class ParallelMinibatch implements ThreadedMinibatch {
    /** Parameter ranges start at multiples of 16 floats (64 bytes): no cache line is shared. */
    private static final int LINE = 16;

    private final ActorCritic model;
    private final Adam adam;
    private final PpoConfig cfg;
    private final int threads;
    private final ShareThreads pool;
    private final Share[] shares;
    private final int[] rangeStart;
    private final float[] grad;
    private final float[] params;
    /** Set to g when minibatch g may take its Adam step (a refused step aborts the minibatch instead). */
    private final ShareThreads.Signal permit;

    // the current minibatch, published by ShareThreads.publish
    private Minibatch job;
    private int jobRows;
    private volatile float coefficient;

    /**
     * @param shape a minibatch of the shape to expect (its rows are not read)
     * @param capacity the largest minibatch
     * @param threads T ≥ 2, the calling thread included
     */
    ParallelMinibatch(ActorCritic model, Adam adam, PpoConfig cfg, Minibatch shape, int capacity, int threads) {
        this(model, adam, cfg, shape, capacity, threads, ShareThreads.IDLE_EXIT_MS);
    }

    /** As above, an idle helper ending after {@code idleExitMillis} (tests shorten it). */
    ParallelMinibatch(ActorCritic model, Adam adam, PpoConfig cfg, Minibatch shape, int capacity, int threads,
            long idleExitMillis) {
        if (threads < 2) {
            throw new IllegalArgumentException("a data-parallel minibatch needs at least 2 threads, got " + threads);
        }
        this.model = model;
        this.adam = adam;
        this.cfg = cfg;
        this.threads = threads;
        ParameterStore store = model.parameters();
        this.grad = store.grad();
        this.params = store.data();
        int size = store.size();
        this.rangeStart = new int[threads + 1];
        for (int w = 1; w < threads; w++) {
            rangeStart[w] = Math.min(size, (int) ((long) size * w / threads) / LINE * LINE);
        }
        rangeStart[threads] = size;
        this.pool = new ShareThreads(threads, this::helperShare,
                (w, loop) -> model.parameters().withGradient(gradientOf(w), loop), idleExitMillis);
        this.permit = pool.signal();
        int shareCapacity = (capacity + threads - 1) / threads;
        this.shares = new Share[threads];
        for (int w = 0; w < threads; w++) {
            shares[w] = new Share(w, w == 0 ? grad : new float[size], shape, shareCapacity);
        }
    }

    /** Share w's gradient array (the store's for share 0). */
    private float[] gradientOf(int w) {
        return shares[w].gradient;
    }

    @Override
    public ShareThreads threadPool() {
        return pool;
    }

    /**
     * The PPO step of the first {@code rows} rows of {@code mb}: the loss terms (the sum of the
     * shares' terms, in share order) into {@code terms}, the gradient into the store's gradient,
     * the clipped Adam step on the parameters.
     *
     * @return the gradient's global norm (before clipping)
     * @throws NonFiniteException as {@link OnPolicyLearner#checkedStep}, before any parameter
     *     changes (for a non-finite term or norm) or after the step (for a non-finite parameter)
     */
    @Override
    public double step(Minibatch mb, int rows, ActorCriticLoss.Terms terms) {
        job = mb;
        jobRows = rows;
        long g = pool.publish();
        Share own = shares[0];
        double norm;
        try {
            own.backward(mb, rows);
            own.backwardDone.set(g);
            awaitBackward(g);
            own.reduce();
            own.reduced.set(g);
            double squares = 0;
            terms.clear();
            for (Share s : shares) {
                s.reduced.await(g);
                terms.add(s.terms);
                squares += s.gradSquares;
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
        own.step(coefficient);
        double paramSquares = own.paramSquares;
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
        s.backward(job, jobRows);
        s.backwardDone.set(g);
        awaitBackward(g);
        s.reduce();
        s.reduced.set(g);
        permit.await(g);
        s.step(coefficient);
        s.stepped.set(g);
    }

    /**
     * Share w's CPU nanoseconds in its forward and backward passes, its reduction and its Adam
     * step (row w: {@code [backward, reduce, step, minibatches]}) since the last call, which
     * resets them; all zero unless {@code -Drecsysrl.ppo.phaseCpu=true}. Call between updates.
     */
    @Override
    public long[][] phaseCpuNanos() {
        long[][] out = new long[threads][];
        for (int w = 0; w < threads; w++) {
            out[w] = shares[w].phaseCpu.clone();
            Arrays.fill(shares[w].phaseCpu, 0);
        }
        return out;
    }

    private void awaitBackward(long g) {
        for (Share s : shares) {
            s.backwardDone.await(g);
        }
    }

    /** One thread's share: its rows' workspace and gradient, its parameter range, its progress. */
    private final class Share {
        final int index;
        final float[] gradient;
        final ActorCritic.Workspace ws;
        /** Share w > 0 copies its rows' inputs here (share 0 reads the minibatch from row 0). */
        final Minibatch rows;
        final ActorCriticLoss.Terms terms = new ActorCriticLoss.Terms();
        final ShareThreads.Signal backwardDone = pool.signal();
        final ShareThreads.Signal reduced = pool.signal();
        final ShareThreads.Signal stepped = pool.signal();
        double gradSquares;
        double paramSquares;
        /** [backward, reduce, step] CPU nanoseconds and minibatches, with {@link ShareThreads#PHASE_CPU}. */
        final long[] phaseCpu = new long[4];

        Share(int index, float[] gradient, Minibatch shape, int capacity) {
            this.index = index;
            this.gradient = gradient;
            this.ws = model.newWorkspace(capacity);
            this.rows = index == 0 ? null : shape.like(capacity);
        }

        /** Forward pass, loss and backward pass of this share's rows of the first {@code b} rows of mb. */
        void backward(Minibatch mb, int b) {
            long start = ShareThreads.threadCpu();
            forwardAndBackward(mb, b);
            if (ShareThreads.PHASE_CPU) {
                phaseCpu[0] += ShareThreads.threadCpu() - start;
                phaseCpu[3]++;
            }
        }

        private void forwardAndBackward(Minibatch mb, int b) {
            int from = (int) ((long) b * index / threads);
            int to = (int) ((long) b * (index + 1) / threads);
            int n = to - from;
            terms.clear();
            if (n == 0) {
                Arrays.fill(gradient, 0f); // a minibatch with fewer rows than threads
                return;
            }
            Minibatch in = mb;
            if (rows != null) {
                rows.copyInputs(mb, from, n);
                in = rows;
            }
            model.policy(ws, in.observations, in.histories, n, in.masks);
            model.value(ws, in.observations, in.histories, n);
            ActorCriticLoss.ppoRows(ws, n, from, 1f / b, model.actionCount(), mb.slateSize, mb.actions,
                    mb.oldLogProbs, mb.advantages, mb.returns, mb.oldValues, cfg.clipEps(), cfg.clipValueLoss(),
                    cfg.entCoef(), cfg.vfCoef(), terms);
            model.backward(ws, in.observations, in.histories, n, false); // overwrites this share's gradient
        }

        /** Adds the shares' gradients over this share's parameter range, in share order, and sums their squares. */
        void reduce() {
            long start = ShareThreads.threadCpu();
            int lo = rangeStart[index];
            int hi = rangeStart[index + 1];
            for (int w = 1; w < threads; w++) {
                float[] other = shares[w].gradient;
                for (int i = lo; i < hi; i++) {
                    grad[i] += other[i];
                }
            }
            gradSquares = Kernels.sumOfSquares(grad, lo, hi);
            if (ShareThreads.PHASE_CPU) {
                phaseCpu[1] += ShareThreads.threadCpu() - start;
            }
        }

        /** The clipped Adam step of this share's parameter range, and the squares of the new values. */
        void step(float coef) {
            long start = ShareThreads.threadCpu();
            int lo = rangeStart[index];
            int hi = rangeStart[index + 1];
            adam.updateRange(params, grad, coef, lo, hi);
            paramSquares = Kernels.sumOfSquares(params, lo, hi);
            if (ShareThreads.PHASE_CPU) {
                phaseCpu[2] += ShareThreads.threadCpu() - start;
            }
        }
    }
}
