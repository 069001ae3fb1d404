package org.recsysrl.agent;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
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
 * <p>Hand-offs are volatile generation counters: the threads spin (then yield) between the
 * steps of a minibatch, and helpers park between updates ({@link #begin}, {@link #end}), leaving the core to
 * the rollout. A helper that has been idle for {@value #IDLE_EXIT_MS} ms ends; the next
 * {@link #begin} starts a new one, so an abandoned learner leaves no thread behind.
 */
final class ParallelMinibatch {
    private static final int IDLE = 0;
    private static final int ACTIVE = 1;
    private static final int EXITED = 2;
    /** How long an idle helper waits for the next update before it ends. */
    static final long IDLE_EXIT_MS = 2000;
    /**
     * With {@code -Drecsysrl.ppo.phaseCpu=true} every share adds up the CPU time of its three
     * phases ({@link #phaseCpuNanos}): what each would take on a host of its own, whatever the
     * waits on a shared one. Off, the JIT folds the checks away.
     */
    private static final boolean PHASE_CPU = Boolean.getBoolean("recsysrl.ppo.phaseCpu");
    private static final java.lang.management.ThreadMXBean THREAD_CPU =
            java.lang.management.ManagementFactory.getThreadMXBean();
    /** Parameter ranges start at multiples of 16 floats (64 bytes): no cache line is shared. */
    private static final int LINE = 16;

    private final ActorCritic model;
    private final Adam adam;
    private final PpoConfig cfg;
    private final int threads;
    private final Share[] shares;
    private final int[] rangeStart;
    private final long idleExitNanos;
    private final float[] grad;
    private final float[] params;

    // the current minibatch, published by the volatile write of startGeneration
    private Minibatch job;
    private int jobRows;
    private long generation;
    private volatile long startGeneration;
    /** {@code g} when minibatch g may take its Adam step, {@code −g} when it was refused. */
    private volatile long stepGeneration;
    private volatile float coefficient;
    private volatile Throwable failure;

    /**
     * @param shape a minibatch of the shape to expect (its rows are not read)
     * @param capacity the largest minibatch
     * @param threads T ≥ 2, the calling thread included
     */
    ParallelMinibatch(ActorCritic model, Adam adam, PpoConfig cfg, Minibatch shape, int capacity, int threads) {
        this(model, adam, cfg, shape, capacity, threads, IDLE_EXIT_MS);
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
        this.idleExitNanos = idleExitMillis * 1_000_000L;
        ParameterStore store = model.parameters();
        this.grad = store.grad();
        this.params = store.data();
        int size = store.size();
        this.rangeStart = new int[threads + 1];
        for (int w = 1; w < threads; w++) {
            rangeStart[w] = Math.min(size, (int) ((long) size * w / threads) / LINE * LINE);
        }
        rangeStart[threads] = size;
        int shareCapacity = (capacity + threads - 1) / threads;
        this.shares = new Share[threads];
        for (int w = 0; w < threads; w++) {
            shares[w] = new Share(w, w == 0 ? grad : new float[size], shape, shareCapacity);
        }
    }

    /** Whether helper w (1 ≤ w < T) has a live thread (false before the first {@link #begin} and after an idle end). */
    boolean helperAlive(int w) {
        Thread t = shares[w].thread;
        return t != null && t.isAlive();
    }

    /** Threads of a minibatch, the calling thread included. */
    int threads() {
        return threads;
    }

    /** Wakes (or starts) the helpers for an update's minibatches; call {@link #end} after them. */
    void begin() {
        for (int w = 1; w < threads; w++) {
            Share s = shares[w];
            if (s.state.compareAndSet(IDLE, ACTIVE)) {
                LockSupport.unpark(s.thread);
            } else if (s.state.get() == EXITED) {
                s.state.set(ACTIVE);
                s.start(startGeneration);
            }
        }
    }

    /** Lets the helpers park until the next {@link #begin}. */
    void end() {
        for (int w = 1; w < threads; w++) {
            shares[w].state.compareAndSet(ACTIVE, IDLE); // a helper that failed stays EXITED
        }
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
    double step(Minibatch mb, int rows, ActorCriticLoss.Terms terms) {
        long g = ++generation;
        job = mb;
        jobRows = rows;
        startGeneration = g;
        Share own = shares[0];
        own.backward(mb, rows);
        own.backwardDone = g;
        awaitBackward(g);
        own.reduce();
        own.reduced = g;
        double squares = 0;
        terms.clear();
        for (Share s : shares) {
            awaitShare(s, g, Phase.REDUCED);
            terms.add(s.terms);
            squares += s.gradSquares;
        }
        double norm = Math.sqrt(squares);
        try {
            NonFiniteException.requireFinite("the value loss", terms.valueLoss);
            NonFiniteException.requireFinite("the policy loss", terms.policyLoss);
            NonFiniteException.requireFinite("the entropy", terms.entropy);
            NonFiniteException.requireFinite("the gradient norm", norm);
        } catch (RuntimeException e) {
            stepGeneration = -g;
            throw e;
        }
        adam.beginStep();
        float coef = GradClip.coefficient(norm, cfg.maxGradNorm());
        coefficient = coef;
        stepGeneration = g;
        own.step(coef);
        double paramSquares = own.paramSquares;
        for (int w = 1; w < threads; w++) {
            awaitShare(shares[w], g, Phase.STEPPED);
            paramSquares += shares[w].paramSquares;
        }
        NonFiniteException.requireFinite("a parameter after the optimiser step", paramSquares);
        return norm;
    }

    /**
     * Share w's CPU nanoseconds in its forward and backward passes, its reduction and its Adam
     * step (row w: {@code [backward, reduce, step, minibatches]}) since the last call, which
     * resets them; all zero unless {@code -Drecsysrl.ppo.phaseCpu=true}. Call between updates.
     */
    long[][] phaseCpuNanos() {
        long[][] out = new long[threads][];
        for (int w = 0; w < threads; w++) {
            out[w] = shares[w].phaseCpu.clone();
            Arrays.fill(shares[w].phaseCpu, 0);
        }
        return out;
    }

    private static long threadCpu() {
        return PHASE_CPU ? THREAD_CPU.getCurrentThreadCpuTime() : 0;
    }

    private enum Phase { BACKWARD, REDUCED, STEPPED }

    private void awaitBackward(long g) {
        for (Share s : shares) {
            awaitShare(s, g, Phase.BACKWARD);
        }
    }

    /** Spins until share s has finished {@code phase} of minibatch g (or a helper failed). */
    private void awaitShare(Share s, long g, Phase phase) {
        int spins = 0;
        while (s.done(phase) != g) {
            Throwable t = failure;
            if (t != null) {
                throw new IllegalStateException("a thread of the data-parallel minibatch failed: " + t, t);
            }
            spins = pause(spins);
        }
    }

    /**
     * Thread.onSpinWait for the first {@value #SPINS_BEFORE_YIELD} spins of a wait, then a yield on
     * every spin: a wait that long means the other thread is not running (a shared host has
     * descheduled it), and the yield lets the scheduler run it, here if it waits for this core.
     */
    private static int pause(int spins) {
        if (++spins > SPINS_BEFORE_YIELD) {
            Thread.yield();
        } else {
            Thread.onSpinWait();
        }
        return spins;
    }

    /**
     * Spins of a wait before {@link #pause} yields (about a microsecond). Measured at load average
     * 3 (docs/performance.md, "The second core"): yielding after 64 spins gave 127–130 ms per PPO
     * iteration on 2 threads, after 512 spins 144–145 ms, and a yield every 4,096 spins 255–268 ms.
     */
    private static final int SPINS_BEFORE_YIELD = 64;

    /** One thread's share: its rows' workspace and gradient, its parameter range, its progress. */
    private final class Share {
        final int index;
        final float[] gradient;
        final ActorCritic.Workspace ws;
        /** Share w > 0 copies its rows' inputs here (share 0 reads the minibatch from row 0). */
        final Minibatch rows;
        final ActorCriticLoss.Terms terms = new ActorCriticLoss.Terms();
        final AtomicInteger state = new AtomicInteger(IDLE);
        volatile Thread thread;
        volatile long backwardDone;
        volatile long reduced;
        volatile long stepped;
        double gradSquares;
        double paramSquares;
        /** [backward, reduce, step] CPU nanoseconds and minibatches, with {@link #PHASE_CPU}. */
        final long[] phaseCpu = new long[4];

        Share(int index, float[] gradient, Minibatch shape, int capacity) {
            this.index = index;
            this.gradient = gradient;
            this.ws = model.newWorkspace(capacity);
            this.rows = index == 0 ? null : shape.like(capacity);
            if (index > 0) {
                state.set(EXITED); // started by the first begin()
            }
        }

        long done(Phase phase) {
            return switch (phase) {
                case BACKWARD -> backwardDone;
                case REDUCED -> reduced;
                case STEPPED -> stepped;
            };
        }

        /** Forward pass, loss and backward pass of this share's rows of the first {@code b} rows of mb. */
        void backward(Minibatch mb, int b) {
            long start = threadCpu();
            forwardAndBackward(mb, b);
            if (PHASE_CPU) {
                phaseCpu[0] += threadCpu() - start;
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
            long start = threadCpu();
            int lo = rangeStart[index];
            int hi = rangeStart[index + 1];
            for (int w = 1; w < threads; w++) {
                float[] other = shares[w].gradient;
                for (int i = lo; i < hi; i++) {
                    grad[i] += other[i];
                }
            }
            gradSquares = Kernels.sumOfSquares(grad, lo, hi);
            if (PHASE_CPU) {
                phaseCpu[1] += threadCpu() - start;
            }
        }

        /** The clipped Adam step of this share's parameter range, and the squares of the new values. */
        void step(float coef) {
            long start = threadCpu();
            int lo = rangeStart[index];
            int hi = rangeStart[index + 1];
            adam.updateRange(params, grad, coef, lo, hi);
            paramSquares = Kernels.sumOfSquares(params, lo, hi);
            if (PHASE_CPU) {
                phaseCpu[2] += threadCpu() - start;
            }
        }

        /** Starts this helper's thread; it waits for minibatches after {@code seen}. */
        void start(long seen) {
            Thread t = new Thread(() -> model.parameters().withGradient(gradient, () -> serve(seen)),
                    "recsys-rl-ppo-share-" + index);
            t.setDaemon(true);
            thread = t;
            t.start();
        }

        /** A helper's loop: each published minibatch's share, until it has been idle too long. */
        private void serve(long seen) {
            try {
                long last = seen;
                while (true) {
                    long g = awaitStart(last);
                    if (g < 0) {
                        return;
                    }
                    last = g;
                    backward(job, jobRows);
                    backwardDone = g;
                    awaitBackward(g);
                    reduce();
                    reduced = g;
                    long permitted;
                    int spins = 0;
                    while ((permitted = stepGeneration) != g && permitted != -g) {
                        spins = pause(spins);
                    }
                    if (permitted == g) {
                        step(coefficient);
                        stepped = g;
                    }
                }
            } catch (Throwable t) {
                failure = t;
                state.set(EXITED);
            }
        }

        /** The next published generation after {@code last}, or −1 once idle for the idle limit. */
        private long awaitStart(long last) {
            int spins = 0;
            long idleSince = 0;
            while (true) {
                long g = startGeneration;
                if (g != last) {
                    return g;
                }
                if (state.get() == ACTIVE) {
                    spins = pause(spins);
                    idleSince = 0;
                    continue;
                }
                long now = System.nanoTime();
                if (idleSince == 0) {
                    idleSince = now;
                } else if (now - idleSince > idleExitNanos && state.compareAndSet(IDLE, EXITED)) {
                    return -1;
                }
                LockSupport.parkNanos(this, Math.min(50_000_000L, idleExitNanos));
            }
        }
    }
}
