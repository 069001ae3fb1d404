package org.recsysrl.util;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Runs independent chunks of work on a few threads. Each worker pulls chunk numbers
 * {@code 0..chunks-1} from a shared counter until they run out; the first exception of any worker
 * is rethrown in the caller once all have stopped. Callers keep results deterministic by writing
 * each chunk's output to its own place (or per-worker totals combined in a fixed order).
 */
public final class Parallel {
    private Parallel() {
    }

    /** The work of one worker thread. */
    @FunctionalInterface
    public interface Worker {
        /**
         * @param worker this worker's number, {@code 0..workers-1}
         * @param nextChunk gives the next chunk number, or -1 when none is left
         */
        void run(int worker, IntSupplier nextChunk);
    }

    /** {@code configured} threads, or every core when it is 0 or less. */
    public static int threads(int configured) {
        return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
    }

    /**
     * Daemon threads kept between calls (created on demand, idle ones end after a minute), so that
     * many short parallel sections do not each pay for starting threads.
     */
    private static final java.util.concurrent.ExecutorService POOL = java.util.concurrent.Executors.newCachedThreadPool(
            r -> {
                Thread t = new Thread(r, "recsys-rl-worker");
                t.setDaemon(true);
                return t;
            });

    /**
     * Runs {@code worker} on {@code workers} threads (the caller's thread is one of them; alone
     * when 1) over {@code chunks} chunks, and returns when all are done.
     */
    public static void forChunks(int chunks, int workers, Worker worker) {
        AtomicInteger next = new AtomicInteger();
        IntSupplier source = () -> {
            int c = next.getAndIncrement();
            return c < chunks ? c : -1;
        };
        int n = Math.max(1, Math.min(workers, chunks));
        if (n == 1) {
            worker.run(0, source);
            return;
        }
        Throwable[] failure = new Throwable[1];
        java.util.concurrent.CountDownLatch helpers = new java.util.concurrent.CountDownLatch(n - 1);
        for (int w = 1; w < n; w++) {
            final int id = w;
            POOL.execute(() -> {
                try {
                    worker.run(id, source);
                } catch (Throwable e) {
                    record(failure, e);
                    next.set(chunks); // the others stop at their next chunk
                } finally {
                    helpers.countDown();
                }
            });
        }
        try {
            worker.run(0, source);
        } catch (Throwable e) {
            record(failure, e);
            next.set(chunks);
        }
        boolean interrupted = false;
        while (true) {
            try {
                helpers.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the helpers write into the caller's arrays: wait for them regardless
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure[0] instanceof RuntimeException re) {
            throw re;
        }
        if (failure[0] instanceof Error err) {
            throw err;
        }
        if (failure[0] != null) {
            throw new IllegalStateException(failure[0]);
        }
    }

    private static void record(Throwable[] failure, Throwable e) {
        synchronized (failure) {
            if (failure[0] == null) {
                failure[0] = e;
            }
        }
    }

    /**
     * Runs {@code body(w)} for every worker {@code w < workers}, each on its own thread (worker 0
     * on the caller's), and returns when all are done. For work split statically by worker number,
     * where which worker does what must not depend on timing (e.g. per-worker sums that are then
     * combined in worker order).
     */
    public static void forEachWorker(int workers, java.util.function.IntConsumer body) {
        int n = Math.max(1, workers);
        forChunks(n, n, (w, next) -> {
            for (int c = next.getAsInt(); c >= 0; c = next.getAsInt()) {
                body.accept(c);
            }
        });
    }

    /**
     * Where part {@code part} of {@code [0, size)} split into {@code parts} contiguous parts starts:
     * {@code size·part/parts} rounded down to a multiple of {@code align} (0 for part 0, and
     * {@code size} for part {@code parts}). Aligning the boundaries to a cache line's worth of
     * floats (16) keeps two threads from writing into the same line.
     */
    public static int rangeStart(int size, int parts, int part, int align) {
        if (part >= parts) {
            return size;
        }
        int at = (int) ((long) size * part / parts);
        return at - at % Math.max(1, align);
    }

    /** Runs {@code body(i)} for i in {@code [0, n)} on {@code workers} threads, in chunks of {@code chunk}. */
    public static void forRange(int n, int chunk, int workers, java.util.function.IntConsumer body) {
        int chunks = (n + chunk - 1) / chunk;
        forChunks(chunks, workers, (w, next) -> {
            for (int c = next.getAsInt(); c >= 0; c = next.getAsInt()) {
                int to = Math.min(n, (c + 1) * chunk);
                for (int i = c * chunk; i < to; i++) {
                    body.accept(i);
                }
            }
        });
    }
}
