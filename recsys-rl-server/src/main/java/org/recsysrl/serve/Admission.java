package org.recsysrl.serve;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Admission by waiting time in front of a fixed pool of worker threads.
 *
 * <p>A request is admitted when a worker is free, or when the time it would wait for one stays
 * within {@code maxWaitNanos}. The wait is predicted as the larger of two figures: how long the
 * oldest queued request has waited already (the queue is first in, first out, so a newcomer waits
 * at least as long), and the queue's length times the mean service time (an exponentially weighted
 * average of the last few hundred requests) divided by the workers. A hard cap of
 * {@code threads + queue} requests in flight bounds memory whatever the prediction says. A request
 * once admitted is always served.
 *
 * <p>A {@link Joinable} task is run together with the joinable tasks queued right behind it (up to
 * {@code maxBatch} in all): a worker that takes one from the queue also takes those, and runs them
 * as one call. A worker never waits for more: when nothing else is queued, the task runs alone.
 * Each task counts as served in the batch's time divided by its size. Tasks are joined only while
 * the mean service time is at least {@code joinMinNanos}: for cheap tasks, a worker that empties
 * the queue leaves the other workers to park and be woken again, which costs more than the shared
 * work saves.
 */
final class Admission {
    /** A task that may be run together with others of its kind queued behind it. */
    interface Joinable extends Runnable {
        /**
         * Runs {@code batch} (this task first, then those that were queued behind it, in order) as
         * one; the tasks' own {@link #run} is not called.
         */
        void runTogether(java.util.List<Joinable> batch);
    }

    /** Why a request was not admitted. */
    enum Verdict {
        ADMITTED, TOO_SLOW, FULL, STOPPING
    }

    private final int threads;
    private final int cap;
    private final long maxWaitNanos;
    private final int maxBatch;
    private final long joinMinNanos;
    private final ThreadPoolExecutor pool;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Told each time the last request in flight has been served (null: nobody listens). */
    private volatile Runnable onIdle;
    private volatile double meanServiceNanos;
    private volatile boolean stopping;
    final LongAdder waitedNanos = new LongAdder();
    final LongAdder started = new LongAdder();
    /** Runs of joinable tasks (a run alone included) and the tasks in them: their ratio is the mean batch. */
    final LongAdder joinedRuns = new LongAdder();
    final LongAdder joinedTasks = new LongAdder();

    /** A task with the time it was queued. */
    private final class Timed implements Runnable {
        final long queued = System.nanoTime();
        final Runnable task;

        Timed(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            if (maxBatch > 1 && task instanceof Joinable && meanServiceNanos >= joinMinNanos) {
                runJoined(this);
                return;
            }
            long start = System.nanoTime();
            waitedNanos.add(start - queued);
            started.increment();
            try {
                task.run();
            } finally {
                served(System.nanoTime() - start, 1);
            }
        }
    }

    /** Counts {@code tasks} tasks served in {@code took} nanoseconds together. */
    private void served(long took, int tasks) {
        double each = (double) took / tasks;
        for (int t = 0; t < tasks; t++) {
            // a racy update loses an occasional sample, which an average of hundreds does not miss
            meanServiceNanos = meanServiceNanos * 0.99 + each * 0.01;
            if (inFlight.decrementAndGet() == 0) {
                Runnable idle = onIdle;
                if (idle != null) {
                    idle.run();
                }
            }
        }
    }

    /**
     * Runs {@code first} with the joinable tasks queued right behind it (up to {@code maxBatch} in
     * all; never waiting for more), then the first other task it took from the queue, if any.
     */
    private void runJoined(Timed first) {
        java.util.List<Joinable> batch = new java.util.ArrayList<>(Math.min(maxBatch, 16));
        batch.add((Joinable) first.task);
        int taken = 1;
        Timed other = null;
        long start = System.nanoTime();
        waitedNanos.add(start - first.queued);
        while (taken < maxBatch) {
            Runnable next = pool.getQueue().poll();
            if (!(next instanceof Timed t)) {
                break; // empty (nothing else is queued)
            }
            if (!(t.task instanceof Joinable j)) {
                other = t; // runs after the batch: it was queued behind it
                break;
            }
            waitedNanos.add(start - t.queued);
            batch.add(j);
            taken++;
        }
        started.add(taken);
        joinedRuns.increment();
        joinedTasks.add(taken);
        try {
            batch.get(0).runTogether(batch);
        } finally {
            served(System.nanoTime() - start, taken);
            if (other != null) {
                other.run();
            }
        }
    }

    /**
     * @param threads worker threads (at least 1)
     * @param queue requests that may wait beyond the busy workers at most (a memory bound)
     * @param maxWaitNanos the longest predicted wait at which a request is still admitted
     * @param maxBatch the most {@link Joinable} tasks a worker runs together (1: each alone)
     * @param joinMinNanos the mean service time from which joinable tasks are joined
     */
    Admission(int threads, int queue, long maxWaitNanos, int maxBatch, long joinMinNanos) {
        this.threads = threads;
        this.maxBatch = maxBatch;
        this.joinMinNanos = joinMinNanos;
        this.cap = threads + queue;
        this.maxWaitNanos = maxWaitNanos;
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "recsys-rl-worker");
            t.setDaemon(true);
            return t;
        });
        this.pool.prestartAllCoreThreads();
    }

    /** Runs {@code task} on a worker if the verdict is {@link Verdict#ADMITTED}; otherwise does nothing. */
    Verdict submit(Runnable task) {
        if (stopping) {
            return Verdict.STOPPING;
        }
        int n = inFlight.incrementAndGet();
        if (n > cap) {
            inFlight.decrementAndGet();
            return Verdict.FULL;
        }
        if (n > threads && predictedWaitNanos(n - threads) > maxWaitNanos) {
            inFlight.decrementAndGet();
            return Verdict.TOO_SLOW;
        }
        try {
            pool.execute(new Timed(task));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            inFlight.decrementAndGet();
            return Verdict.STOPPING;
        }
        return Verdict.ADMITTED;
    }

    /** The wait a newcomer behind {@code ahead} queued requests can expect. */
    long predictedWaitNanos(int ahead) {
        long byLength = (long) (ahead * meanServiceNanos / threads);
        Runnable head = pool.getQueue().peek();
        long byAge = head instanceof Timed t ? System.nanoTime() - t.queued : 0;
        return Math.max(byLength, byAge);
    }

    /** Calls {@code listener} on the worker that served the last request in flight, each time there is none left. */
    void onIdle(Runnable listener) {
        this.onIdle = listener;
    }

    /** Requests queued or running. */
    int inFlight() {
        return inFlight.get();
    }

    /** The current estimate of one request's service time, in nanoseconds. */
    double meanServiceNanos() {
        return meanServiceNanos;
    }

    /** New requests are refused from now on; the admitted ones finish (up to {@code graceMillis}). */
    void stop(long graceMillis) {
        stopping = true;
        pool.shutdown();
        try {
            pool.awaitTermination(graceMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
