package org.recsysrl.agent;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import org.recsysrl.util.NonFiniteException;

/**
 * The threads of a PPO minibatch step spread over T threads: the calling thread (share 0) and
 * T − 1 long-lived helper threads (shares 1 … T − 1), with the hand-offs between them. What
 * {@link ParallelMinibatch} (a split of the rows) and {@link OutputSplitMinibatch} (a split of the
 * logits layer's outputs) share.
 *
 * <p>The calling thread publishes minibatch g ({@link #publish}); each helper runs its share of it
 * ({@link Work#share}) and goes back to waiting. Inside a minibatch the threads hand results to each
 * other through {@link Signal}s, volatile generation counters: a wait spins about a microsecond,
 * then yields on every spin. Between updates ({@link #begin}, {@link #end}) the helpers park,
 * leaving the core to the rollout; a helper idle for the idle limit ends, and the next
 * {@link #begin} starts a new one, so an abandoned learner leaves no thread behind.
 *
 * <p>When the calling thread gives up minibatch g (a non-finite loss or norm, or a failure of its
 * own share) it calls {@link #abort}: a helper waiting inside minibatch g then leaves it and waits
 * for the next one, taking no optimiser step. A helper that fails ends; every later wait of the
 * calling thread rethrows its failure.
 */
final class ShareThreads {
    private static final int IDLE = 0;
    private static final int ACTIVE = 1;
    private static final int EXITED = 2;
    /** How long an idle helper waits for the next update before it ends. */
    static final long IDLE_EXIT_MS = 2000;
    /**
     * With {@code -Drecsysrl.ppo.phaseCpu=true} the shares add up the CPU time of their phases
     * ({@link #threadCpu}): what each would take on a host of its own, whatever the waits on a
     * shared one. Off, the JIT folds the checks away.
     */
    static final boolean PHASE_CPU = Boolean.getBoolean("recsysrl.ppo.phaseCpu");
    private static final java.lang.management.ThreadMXBean THREAD_CPU =
            java.lang.management.ManagementFactory.getThreadMXBean();
    /** The name of helper w's thread is this prefix and w (benchmarks find the helpers by it). */
    static final String THREAD_NAME = "recsys-rl-ppo-share-";

    /**
     * Spins of a wait before {@link #pause} yields (about a microsecond). Measured at load average
     * 3 (docs/performance.md, "The second core"): yielding after 64 spins gave 127–130 ms per PPO
     * iteration on 2 threads, after 512 spins 144–145 ms, and a yield every 4,096 spins 255–268 ms.
     */
    private static final int SPINS_BEFORE_YIELD = 64;

    /** A helper's part of a published minibatch. */
    interface Work {
        /** Runs share {@code share}'s part of minibatch {@code generation} on its helper thread. */
        void share(int share, long generation);
    }

    private final int threads;
    private final Work work;
    private final BiConsumer<Integer, Runnable> around;
    private final long idleExitNanos;
    private final AtomicInteger[] state;
    private final Thread[] helper;

    private long generation;
    private volatile long startGeneration;
    private volatile long abortedGeneration;
    private volatile Throwable failure;

    /**
     * @param threads T ≥ 2, the calling thread included
     * @param work each helper's part of a minibatch
     * @param around runs a helper's loop (the second argument) on its thread, for instance inside
     *     a thread-local binding of share w (the first); {@code (w, loop) -> loop.run()} for none
     * @param idleExitMillis how long an idle helper waits before it ends
     */
    ShareThreads(int threads, Work work, BiConsumer<Integer, Runnable> around, long idleExitMillis) {
        if (threads < 2) {
            throw new IllegalArgumentException("a minibatch on several threads needs at least 2, got " + threads);
        }
        this.threads = threads;
        this.work = work;
        this.around = around;
        this.idleExitNanos = idleExitMillis * 1_000_000L;
        this.state = new AtomicInteger[threads];
        this.helper = new Thread[threads];
        for (int w = 1; w < threads; w++) {
            state[w] = new AtomicInteger(EXITED); // started by the first begin()
        }
    }

    /** Threads of a minibatch, the calling thread included. */
    int threads() {
        return threads;
    }

    /** Whether helper w (1 ≤ w < T) has a live thread (false before the first {@link #begin} and after an idle end). */
    boolean helperAlive(int w) {
        Thread t;
        synchronized (helper) {
            t = helper[w];
        }
        return t != null && t.isAlive();
    }

    /** Wakes (or starts) the helpers for an update's minibatches; call {@link #end} after them. */
    void begin() {
        for (int w = 1; w < threads; w++) {
            if (state[w].compareAndSet(IDLE, ACTIVE)) {
                Thread t;
                synchronized (helper) {
                    t = helper[w];
                }
                LockSupport.unpark(t);
            } else if (state[w].get() == EXITED) {
                state[w].set(ACTIVE);
                start(w, startGeneration);
            }
        }
    }

    /** Lets the helpers park until the next {@link #begin}. */
    void end() {
        for (int w = 1; w < threads; w++) {
            state[w].compareAndSet(ACTIVE, IDLE); // a helper that failed stays EXITED
        }
    }

    /**
     * Publishes the next minibatch to the helpers (the caller has stored what they read before,
     * which the volatile write makes visible to them) and returns its generation.
     */
    long publish() {
        long g = ++generation;
        startGeneration = g;
        return g;
    }

    /** Gives up minibatch g: helpers waiting inside it return to waiting for the next one. */
    void abort(long g) {
        abortedGeneration = g;
    }

    /** A new hand-off counter. */
    Signal signal() {
        return new Signal();
    }

    /** The CPU time of the current thread in nanoseconds with {@link #PHASE_CPU}, else 0. */
    static long threadCpu() {
        return PHASE_CPU ? THREAD_CPU.getCurrentThreadCpuTime() : 0;
    }

    /**
     * Thread.onSpinWait for the first {@value #SPINS_BEFORE_YIELD} spins of a wait, then a yield on
     * every spin: a wait that long means the other thread is not running (a shared host has
     * descheduled it), and the yield lets the scheduler run it, here if it waits for this core.
     */
    static int pause(int spins) {
        if (++spins > SPINS_BEFORE_YIELD) {
            Thread.yield();
        } else {
            Thread.onSpinWait();
        }
        return spins;
    }

    /** Thrown inside a helper's share when the calling thread gave up the minibatch; caught by its loop. */
    private static final class Aborted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Aborted() {
            super(null, null, false, false);
        }
    }

    private static final Aborted ABORTED = new Aborted();

    /** Throws a helper's failure, or (on a helper, inside minibatch g) leaves a minibatch that was given up. */
    private void check(long g) {
        Throwable t = failure;
        if (t != null) {
            if (t instanceof NonFiniteException nonFinite) {
                throw nonFinite; // a diverged run is reported as on one thread
            }
            throw new IllegalStateException("a thread of the data-parallel minibatch failed: " + t, t);
        }
        if (abortedGeneration == g) { // only helpers wait inside a minibatch after it was given up
            throw ABORTED;
        }
    }

    /**
     * A hand-off: one thread {@link #set}s it to a minibatch's generation when a result of that
     * minibatch is ready; others {@link #await} it. Padded so that two signals written by different
     * threads do not share a cache line.
     */
    final class Signal {
        @SuppressWarnings("unused")
        private long p1, p2, p3, p4, p5, p6, p7;
        private volatile long value;
        @SuppressWarnings("unused")
        private long q1, q2, q3, q4, q5, q6, q7;

        /** Publishes {@code g} (a generation, or −g for a refusal), making every earlier write visible. */
        void set(long g) {
            value = g;
        }

        /** Spins until the signal is {@code g}. */
        void await(long g) {
            int spins = 0;
            while (value != g) {
                check(g);
                spins = pause(spins);
            }
        }
    }

    /** Starts helper w's thread; it waits for minibatches after {@code seen}. */
    private void start(int w, long seen) {
        Thread t = new Thread(() -> around.accept(w, () -> serve(w, seen)), THREAD_NAME + w);
        t.setDaemon(true);
        synchronized (helper) {
            helper[w] = t;
        }
        t.start();
    }

    /** A helper's loop: its share of each published minibatch, until it has been idle too long. */
    private void serve(int w, long seen) {
        try {
            long last = seen;
            while (true) {
                long g = awaitStart(w, last);
                if (g < 0) {
                    return;
                }
                last = g;
                try {
                    work.share(w, g);
                } catch (Aborted given) {
                    // the calling thread gave this minibatch up: wait for the next
                }
            }
        } catch (Throwable t) {
            failure = t;
            state[w].set(EXITED);
        }
    }

    /** The next published generation after {@code last}, or −1 once idle for the idle limit. */
    private long awaitStart(int w, long last) {
        int spins = 0;
        long idleSince = 0;
        while (true) {
            long g = startGeneration;
            if (g != last) {
                return g;
            }
            if (state[w].get() == ACTIVE) {
                spins = pause(spins);
                idleSince = 0;
                continue;
            }
            long now = System.nanoTime();
            if (idleSince == 0) {
                idleSince = now;
            } else if (now - idleSince > idleExitNanos && state[w].compareAndSet(IDLE, EXITED)) {
                return -1;
            }
            LockSupport.parkNanos(this, Math.min(50_000_000L, idleExitNanos));
        }
    }
}
