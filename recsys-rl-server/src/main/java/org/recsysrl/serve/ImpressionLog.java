package org.recsysrl.serve;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.recsysrl.util.UserInputException;

/**
 * The impression log: one JSON line per answered recommendation, handed over as bytes and written
 * in whole lines by one writer thread in batches, each answer leaving only once its line is written.
 *
 * <ul>
 *   <li><b>Bounded buffer</b>: {@link #offer} copies the line's bytes into a buffer shared by the
 *   request threads and returns its ticket (its number in the order of lines); it never blocks on
 *   the disk. When {@code capacity} lines wait already, the line is dropped and counted (ticket 0),
 *   and its answer leaves without waiting.</li>
 *   <li><b>Answers wait for their lines (group commit)</b>: {@link #hold} takes the finished answer
 *   with its line's ticket and runs it on its executor once the line has been written
 *   ({@code write(2)}, into the page cache), or at once if it has been already. The writer thread
 *   takes every waiting line and writes them in one {@code write}, then hands the batch's answers to
 *   their executors: one task per executor per batch. So a {@code kill -9} can only catch lines whose
 *   answers have not left.</li>
 *   <li><b>Batching window</b>: woken by the first line, the writer gathers lines for up to
 *   {@code windowMicros} (counted from that line's arrival) or until {@value #BATCH_LINES} wait,
 *   but only while other requests are still being answered ({@link #watch}); when none is, it
 *   writes at once ({@link #othersDone} wakes it), so a lone request does not wait for the window.</li>
 *   <li><b>Whole lines only</b>: a write that fails (a full disk) is cut back to where its lines
 *   began; they are counted as dropped, their answers leave, and the server keeps serving. A process
 *   killed mid-write can leave a torn last line; the next open truncates the file to its last newline
 *   before appending (and logs how many bytes it cut).</li>
 *   <li><b>Batched fsync</b>: a second thread calls {@code force} every {@code syncMillis}, or
 *   sooner once {@code syncLines} lines were written, and on close; neither the writer nor an answer
 *   waits for it.</li>
 *   <li><b>Rotation by size</b>: when the next write would take the file past {@code maxBytes}, the
 *   file is renamed to {@code FILE.N} (the next free number, so {@code .1} is the oldest) and a new
 *   {@code FILE} is started; the sync thread syncs and closes the old one.</li>
 *   <li>Dropping is said once in the server's log when it starts and once when writes succeed
 *   again, and counted on {@code /metrics}.</li>
 * </ul>
 */
final class ImpressionLog implements AutoCloseable {
    /** The writer stops gathering once this many lines wait. */
    static final int BATCH_LINES = 64;
    /** An emptied buffer larger than this is given back rather than kept (after a burst or a stall). */
    private static final int KEEP_BYTES = 4 << 20;

    /** An answer waiting for its line: run on {@code executor} once line {@code ticket} is written. */
    private record Held(long ticket, Executor executor, Runnable answer) {
    }

    private final Path file;
    private final long maxBytes;
    private final long syncNanos;
    private final int syncLines;
    private final long windowNanos;
    private final Consumer<String> log;
    private final int capacity;
    private final AtomicBoolean dropping = new AtomicBoolean();
    private volatile boolean closing;
    /** True while requests other than those whose lines wait are being answered (set by {@link #watch}). */
    private volatile BooleanSupplier othersBusy = () -> false;

    /** Guards the buffer the request threads append to. */
    private final Object bufferLock = new Object();
    private byte[] buffer = new byte[1 << 16];
    private int bufferBytes;
    private int bufferLines;
    /** The ticket of the last line accepted (guarded by bufferLock). */
    private long offered;
    /** Lines in the buffer, readable without the lock. */
    private volatile int waiting;
    /** When the oldest line in the buffer arrived ({@link System#nanoTime}). */
    private volatile long oldestNanos;

    /** Held while the file is written, rotated or its channel read; never while waiting for the disk's fsync. */
    private final ReentrantLock fileLock = new ReentrantLock();
    /** The buffer being written (swapped with {@link #buffer}; only the writer thread uses it). */
    private byte[] spare = new byte[1 << 16];
    private FileChannel channel;
    /** Channels rotated out, for the sync thread to sync and close (guarded by fileLock). */
    private final List<FileChannel> retired = new ArrayList<>();
    /** Lines written since the last fsync (guarded by fileLock). */
    private long unsynced;
    private long size;
    private volatile boolean syncAsked;

    /** Guards {@link #held} and {@link #done}. */
    private final Object holdLock = new Object();
    private final List<Held> held = new ArrayList<>();
    /** Every line up to this ticket has been written (or dropped by a failed write). */
    private long done;

    /** The writer parks without a deadline: the next line must wake it. */
    private volatile boolean writerIdle;
    /** The writer gathers lines while others are busy: the admission emptying must wake it. */
    private volatile boolean gathering;
    private volatile boolean stopSyncing;
    private final Thread writer;
    private final Thread syncer;

    final LongAdder written = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder rotations = new LongAdder();
    final LongAdder syncs = new LongAdder();
    /** Batches written (each one {@code write}); written lines divided by them is the mean batch. */
    final LongAdder batches = new LongAdder();

    /**
     * Opens {@code file} for appending (repairing a torn tail) and starts the writer and sync threads.
     *
     * @param maxBytes size at which the file is rotated
     * @param capacity lines that may wait in the buffer at most
     * @param syncMillis the longest time between fsyncs while lines arrive
     * @param syncLines fsync at the latest after this many lines
     * @param windowMicros how long the writer gathers lines while other requests are being answered
     *     (0: it writes what waits as soon as it is woken)
     */
    ImpressionLog(Path file, long maxBytes, int capacity, long syncMillis, int syncLines, long windowMicros,
            Consumer<String> log) {
        this.windowNanos = windowMicros * 1000;
        this.file = file;
        this.maxBytes = maxBytes;
        this.syncNanos = Math.max(1, syncMillis * 1_000_000L);
        this.syncLines = syncLines;
        this.log = log;
        this.capacity = capacity;
        try {
            open();
        } catch (IOException | RuntimeException e) {
            throw new UserInputException("cannot open the impression log " + file + " for appending (" + e.getMessage()
                    + "): give a writable file");
        }
        this.writer = new Thread(this::writeLoop, "impression-writer");
        writer.setDaemon(true);
        this.syncer = new Thread(this::syncLoop, "impression-sync");
        syncer.setDaemon(true);
        writer.start();
        syncer.start();
    }

    /**
     * Tells the writer whether other requests are still being answered (whose lines could join the
     * batch); while {@code busy} says no, it writes at once. Call {@link #othersDone} when it turns false.
     */
    void watch(BooleanSupplier busy) {
        this.othersBusy = busy;
    }

    /** No other request is being answered any more: a writer gathering lines writes them now. */
    void othersDone() {
        if (gathering) {
            LockSupport.unpark(writer);
        }
    }

    private void open() throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        long end = channel.size();
        long keep = lastNewlineEnd(channel, end);
        if (keep < end) {
            channel.truncate(keep);
            channel.force(true);
            log.accept("impression log " + file + ": cut a torn last line of " + (end - keep)
                    + " bytes (left by a crash) before appending");
        }
        size = keep;
        channel.position(size);
    }

    /** The length of the file up to and including its last newline (0 if it has none). */
    static long lastNewlineEnd(FileChannel ch, long end) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        long pos = end;
        while (pos > 0) {
            int len = (int) Math.min(buf.capacity(), pos);
            buf.clear().limit(len);
            long from = pos - len;
            while (buf.hasRemaining()) {
                if (ch.read(buf, from + buf.position()) < 0) {
                    break;
                }
            }
            for (int i = len - 1; i >= 0; i--) {
                if (buf.get(i) == '\n') {
                    return from + i + 1;
                }
            }
            pos = from;
        }
        return 0;
    }

    /** Queues one line (without its newline); false if the buffer was full and the line was dropped. */
    boolean offer(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return offer(bytes, bytes.length) > 0;
    }

    /**
     * Queues one line (without its newline): the first {@code length} bytes of {@code line}, copied.
     *
     * @return the line's ticket for {@link #hold}, or 0 if the buffer was full and the line was dropped
     */
    long offer(JsonBytes line) {
        return offer(line.array(), line.length());
    }

    private long offer(byte[] line, int length) {
        long ticket = 0;
        int lines = 0;
        synchronized (bufferLock) {
            if (!closing && bufferLines < capacity) {
                if (bufferBytes + length + 1 > buffer.length) {
                    buffer = Arrays.copyOf(buffer, Math.max(2 * buffer.length, bufferBytes + length + 1));
                }
                System.arraycopy(line, 0, buffer, bufferBytes, length);
                bufferBytes += length;
                buffer[bufferBytes++] = '\n';
                lines = ++bufferLines;
                if (lines == 1) {
                    oldestNanos = System.nanoTime();
                }
                waiting = lines;
                ticket = ++offered;
            }
        }
        if (ticket == 0) {
            dropped.increment();
            if (dropping.compareAndSet(false, true)) {
                log.accept("impression log " + file + ": " + (closing ? "closing" : "the buffer of " + capacity
                        + " lines is full") + "; dropping impressions (counted in recsysrl_impressions_dropped_total)"
                        + " until the writer catches up");
            }
            return 0;
        }
        if ((lines == 1 && writerIdle) || lines == BATCH_LINES) {
            LockSupport.unpark(writer);
        }
        return ticket;
    }

    /**
     * Runs {@code answer} on {@code executor} once the line of {@code ticket} (from {@link #offer})
     * has been written, or at once if it has been already (or if the ticket is 0: a dropped line).
     * Answers held by one batch are handed to each executor as one task, in ticket order.
     */
    void hold(long ticket, Executor executor, Runnable answer) {
        if (ticket > 0) {
            synchronized (holdLock) {
                if (ticket > done) {
                    held.add(new Held(ticket, executor, answer));
                    return;
                }
            }
        }
        executor.execute(answer);
    }

    /** Lines waiting to be written. */
    int pending() {
        return waiting;
    }

    /** Answers waiting for their lines to be written. */
    int held() {
        synchronized (holdLock) {
            return held.size();
        }
    }

    /** The file. */
    Path file() {
        return file;
    }

    /**
     * The writer thread: waits for a batch, writes it in one {@code write}, releases its answers;
     * on close, writes what waits and releases every answer still held.
     */
    private void writeLoop() {
        while (true) {
            awaitBatch();
            boolean last = closing;
            long upTo = writeBuffered();
            if (upTo > 0) {
                release(upTo);
            }
            if (last && waiting == 0) {
                release(Long.MAX_VALUE);
                return;
            }
        }
    }

    /**
     * Returns once lines wait and the window is over: {@value #BATCH_LINES} lines wait, the oldest
     * has waited {@code windowNanos}, no other request is being answered, or the log is closing.
     */
    private void awaitBatch() {
        while (waiting == 0 && !closing) {
            writerIdle = true;
            if (waiting == 0 && !closing) {
                LockSupport.park(this);
            }
            writerIdle = false;
        }
        if (windowNanos == 0) {
            return;
        }
        while (!closing && waiting < BATCH_LINES) {
            long left = oldestNanos + windowNanos - System.nanoTime();
            if (left <= 0) {
                return;
            }
            gathering = true;
            if (!othersBusy.getAsBoolean()) {
                gathering = false;
                return;
            }
            LockSupport.parkNanos(this, left);
            gathering = false;
        }
    }

    /**
     * Takes the buffer's lines and writes them; asks for an fsync when enough lines were written.
     *
     * @return the ticket of the last line taken (written, or dropped by a failed write), 0 if none waited
     */
    private long writeBuffered() {
        fileLock.lock();
        try {
            int bytes;
            int lines;
            long upTo;
            synchronized (bufferLock) {
                bytes = bufferBytes;
                lines = bufferLines;
                if (lines == 0) {
                    return 0;
                }
                upTo = offered;
                byte[] full = buffer;
                buffer = spare;
                spare = full;
                bufferBytes = 0;
                bufferLines = 0;
                waiting = 0;
            }
            if (write(spare, bytes, lines)) {
                batches.increment();
                unsynced += lines;
                if (unsynced >= syncLines && !syncAsked) {
                    syncAsked = true;
                    LockSupport.unpark(syncer);
                }
            }
            if (spare.length > KEEP_BYTES) {
                spare = new byte[1 << 16];
            }
            return upTo;
        } finally {
            fileLock.unlock();
        }
    }

    /** Marks every line up to {@code upTo} written and hands their held answers to their executors, one task each. */
    private void release(long upTo) {
        List<Held> ready = new ArrayList<>();
        synchronized (holdLock) {
            done = Math.max(done, upTo);
            if (held.isEmpty()) {
                return;
            }
            int kept = 0;
            for (int i = 0; i < held.size(); i++) {
                Held h = held.get(i);
                if (h.ticket() <= upTo) {
                    ready.add(h);
                } else {
                    held.set(kept++, h);
                }
            }
            held.subList(kept, held.size()).clear();
        }
        ready.sort(java.util.Comparator.comparingLong(Held::ticket));
        List<Executor> executors = new ArrayList<>(2);
        for (Held h : ready) {
            if (!executors.contains(h.executor())) {
                executors.add(h.executor());
            }
        }
        for (Executor e : executors) {
            List<Runnable> answers = new ArrayList<>(ready.size());
            for (Held h : ready) {
                if (h.executor() == e) {
                    answers.add(h.answer());
                }
            }
            runAll(e, answers);
        }
    }

    /** Runs {@code answers} on {@code executor} as one task; one that fails does not keep the others. */
    private void runAll(Executor executor, List<Runnable> answers) {
        try {
            executor.execute(() -> {
                for (Runnable a : answers) {
                    try {
                        a.run();
                    } catch (RuntimeException ex) {
                        log.accept("impression log " + file + ": releasing an answer failed: " + ex);
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException ex) {
            // the executor is shutting down: its connections are closing anyway
        }
    }

    /**
     * The sync thread: every {@code syncMillis}, or when asked, fsyncs what was written since the
     * last fsync (and closes rotated-out files). It runs without the file's lock, so the writer goes
     * on writing meanwhile.
     */
    private void syncLoop() {
        long lastSync = System.nanoTime();
        while (true) {
            LockSupport.parkNanos(this, syncNanos);
            boolean last = stopSyncing;
            if (last || syncAsked || System.nanoTime() - lastSync >= syncNanos) {
                syncAsked = false;
                sync();
                lastSync = System.nanoTime();
            }
            if (last) {
                return;
            }
        }
    }

    /** Syncs the rotated-out files (and closes them) and the current one if lines were written since the last sync. */
    private void sync() {
        FileChannel current = null;
        List<FileChannel> old;
        fileLock.lock();
        try { // only to read the channels: the fsync itself runs beside the writers
            if (unsynced > 0) {
                unsynced = 0;
                current = channel;
            }
            old = retired.isEmpty() ? List.of() : new ArrayList<>(retired);
            retired.clear();
        } finally {
            fileLock.unlock();
        }
        for (FileChannel ch : old) {
            force(ch);
            try {
                ch.close();
            } catch (IOException e) {
                log.accept("impression log " + file + ": closing a rotated part failed: " + e);
            }
        }
        if (current != null && current.isOpen()) {
            force(current);
        }
    }

    private void force(FileChannel ch) {
        try {
            ch.force(false);
            syncs.increment();
        } catch (java.nio.channels.ClosedChannelException e) {
            // closed by close() meanwhile, which synced it
        } catch (IOException e) {
            log.accept("impression log " + file + ": fsync failed: " + e);
        }
    }

    /** Writes the first {@code length} bytes of {@code bytes} (whole lines); on failure the file is cut back to where they began. */
    private boolean write(byte[] bytes, int length, int lines) {
        try {
            if (size > 0 && size + length > maxBytes) {
                rotate();
            }
            ByteBuffer buf = ByteBuffer.wrap(bytes, 0, length);
            long start = size;
            try {
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
            } catch (IOException e) {
                try {
                    channel.truncate(start);
                    channel.position(start);
                } catch (IOException again) {
                    log.accept("impression log " + file + ": could not cut a failed write back (" + again
                            + "); the torn line is cut when the server starts again");
                }
                throw e;
            }
            size = start + length;
            written.add(lines);
            if (dropping.compareAndSet(true, false)) {
                log.accept("impression log " + file + ": writing again; " + dropped.sum() + " impressions dropped so far");
            }
            return true;
        } catch (IOException e) {
            dropped.add(lines);
            if (dropping.compareAndSet(false, true)) {
                log.accept("impression log " + file + ": write failed (" + e.getMessage() + "); dropping impressions"
                        + " (counted in recsysrl_impressions_dropped_total) while the server keeps serving");
            }
            return false;
        }
    }

    /**
     * Renames the file to the next free {@code FILE.N} and starts a new one; the old channel is left
     * to the sync thread to sync and close, so the writer never waits for an fsync.
     */
    private void rotate() throws IOException {
        if (Files.exists(file)) { // else renamed already by a rotation whose new file could not be opened
            int n = 1;
            while (Files.exists(file.resolveSibling(file.getFileName() + "." + n))) {
                n++;
            }
            Files.move(file, file.resolveSibling(file.getFileName() + "." + n), StandardCopyOption.ATOMIC_MOVE);
            rotations.increment();
        }
        FileChannel next = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        retired.add(channel);
        channel = next;
        size = channel.size();
        channel.position(size);
        syncAsked = true;
        LockSupport.unpark(syncer);
    }

    /** Writes every waiting line (releasing its answers), syncs, then closes the file. */
    @Override
    public void close() {
        synchronized (bufferLock) {
            closing = true; // no line is accepted after this; the writer writes the rest
        }
        LockSupport.unpark(writer);
        join(writer);
        release(Long.MAX_VALUE); // had the writer not finished, its answers still leave
        stopSyncing = true;
        LockSupport.unpark(syncer);
        join(syncer);
        fileLock.lock();
        try {
            for (FileChannel ch : retired) {
                ch.close();
            }
            channel.close();
        } catch (IOException e) {
            // every line was synced by the sync thread's last round
        } finally {
            fileLock.unlock();
        }
    }

    private static void join(Thread t) {
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
