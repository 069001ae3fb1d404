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
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.recsysrl.util.UserInputException;

/**
 * The impression log: one JSON line per answered recommendation, written by a background thread so
 * that a request never waits for the disk.
 *
 * <ul>
 *   <li><b>Bounded buffer</b>: {@link #offer} never blocks; when {@code capacity} lines wait
 *   already, the line is dropped and counted.</li>
 *   <li><b>Whole lines only</b>: the writer takes what waits (up to {@value #MAX_BATCH} lines),
 *   writes it as one buffer of complete lines (with a linger, a batch of fewer than
 *   {@value #LINGER_BELOW} lines first waits that long for more, so that a busy server makes one
 *   write per many lines, at the price of lines a kill can catch in the buffer), and if a write fails (a full disk) it truncates the
 *   file back to where the batch began, counts the batch as dropped and keeps serving. A process
 *   killed mid-write can leave a torn last line; the next open truncates the file to its last
 *   newline before appending (and logs how many bytes it cut).</li>
 *   <li><b>Batched fsync</b>: a second thread calls {@code force} every {@code syncMillis}, or
 *   sooner once {@code syncLines} lines were written, and on close; the writer never waits for it.</li>
 *   <li><b>Rotation by size</b>: when the next batch would take the file past {@code maxBytes},
 *   the file is synced, renamed to {@code FILE.N} (the next free number, so {@code .1} is the
 *   oldest) and a new {@code FILE} is started.</li>
 *   <li>Dropping is said once in the server's log when it starts and once when writes succeed
 *   again, and counted on {@code /metrics}.</li>
 * </ul>
 */
final class ImpressionLog implements AutoCloseable {
    /** Most lines written in one batch. */
    static final int MAX_BATCH = 4096;
    /** With a linger, a batch smaller than this waits for more lines before it is written. */
    static final int LINGER_BELOW = 64;

    private final Path file;
    private final long maxBytes;
    private final long syncNanos;
    private final int syncLines;
    private final long lingerNanos;
    private final Consumer<String> log;
    private final ArrayBlockingQueue<String> queue;
    private final int capacity;
    private final Thread writer;
    private final AtomicBoolean dropping = new AtomicBoolean();
    private volatile boolean closing;
    private FileChannel channel;
    private final Object channelLock = new Object();
    private final Thread syncer;
    /** Lines written since the last fsync (guarded by channelLock). */
    private long unsynced;
    private long size;
    final LongAdder written = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder rotations = new LongAdder();
    final LongAdder syncs = new LongAdder();

    /**
     * Opens {@code file} for appending (repairing a torn tail) and starts the writer.
     *
     * @param maxBytes size at which the file is rotated
     * @param capacity lines that may wait for the writer at most
     * @param syncMillis the longest time between fsyncs while lines arrive
     * @param syncLines fsync at the latest after this many lines
     * @param lingerMicros how long a small batch waits for more lines (0: written at once)
     */
    ImpressionLog(Path file, long maxBytes, int capacity, long syncMillis, int syncLines, long lingerMicros,
            Consumer<String> log) {
        this.lingerNanos = lingerMicros * 1000;
        this.file = file;
        this.maxBytes = maxBytes;
        this.syncNanos = syncMillis * 1_000_000L;
        this.syncLines = syncLines;
        this.log = log;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.capacity = capacity;
        try {
            open();
        } catch (IOException | RuntimeException e) {
            throw new UserInputException("cannot open the impression log " + file + " for appending (" + e.getMessage()
                    + "): give a writable file");
        }
        this.writer = new Thread(this::run, "recsys-rl-impression-log");
        writer.setDaemon(true);
        this.syncer = new Thread(this::sync, "recsys-rl-impression-sync");
        syncer.setDaemon(true);
        writer.start();
        syncer.start();
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
        if (!closing && queue.offer(json)) {
            return true;
        }
        dropped.increment();
        if (dropping.compareAndSet(false, true)) {
            log.accept("impression log " + file + ": " + (closing ? "closing" : "the buffer of " + capacity + " lines is full") + "; dropping impressions (counted in"
                    + " recsysrl_impressions_dropped_total) until the writer catches up");
        }
        return false;
    }

    /** Lines waiting for the writer. */
    int pending() {
        return queue.size();
    }

    /** The file. */
    Path file() {
        return file;
    }

    private void run() {
        List<String> batch = new ArrayList<>(MAX_BATCH);
        StringBuilder sb = new StringBuilder(1 << 16);
        while (true) {
            try {
                String first = queue.poll(Math.max(1, syncNanos), TimeUnit.NANOSECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                    if (lingerNanos > 0 && batch.size() < LINGER_BELOW && !closing) {
                        // a moment for more lines to arrive: one write for many instead of one each
                        LockSupport.parkNanos(lingerNanos);
                        queue.drainTo(batch, MAX_BATCH - batch.size());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // never interrupted by this class (it would close the channel)
                closing = true;
            }
            if (!batch.isEmpty()) {
                sb.setLength(0);
                for (String line : batch) {
                    sb.append(line).append('\n');
                }
                byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
                boolean wake = false;
                synchronized (channelLock) {
                    if (write(bytes, batch.size())) {
                        unsynced += batch.size();
                        wake = unsynced >= syncLines;
                    }
                }
                if (wake) {
                    LockSupport.unpark(syncer);
                }
                batch.clear();
            }
            if (closing && queue.isEmpty()) {
                return;
            }
        }
    }

    /**
     * The syncer: fsyncs every {@code syncMillis} (or sooner when the writer has written
     * {@code syncLines} lines) if anything was written since. It runs beside the writer, so a slow
     * fsync never holds lines in the buffer (a killed process loses only what was not yet written;
     * the operating system keeps what was).
     */
    private void sync() {
        while (true) {
            LockSupport.parkNanos(syncNanos);
            boolean last = closing && !writer.isAlive();
            FileChannel ch = null;
            synchronized (channelLock) { // only to read the channel: the fsync itself runs beside the writer
                if (unsynced > 0) {
                    unsynced = 0;
                    ch = channel;
                }
            }
            if (ch != null) {
                try {
                    ch.force(false);
                    syncs.increment();
                } catch (java.nio.channels.ClosedChannelException e) {
                    // rotated meanwhile: rotation synced the old file before closing it
                } catch (IOException e) {
                    log.accept("impression log " + file + ": fsync failed: " + e);
                }
            }
            if (last) {
                return;
            }
        }
    }

    /** Writes whole lines; on failure the file is cut back to where they began. */
    private boolean write(byte[] bytes, int lines) {
        try {
            if (size > 0 && size + bytes.length > maxBytes) {
                rotate();
            }
            ByteBuffer buf = ByteBuffer.wrap(bytes);
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
            size = start + bytes.length;
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

    private void rotate() throws IOException {
        channel.force(false);
        channel.close();
        int n = 1;
        while (Files.exists(file.resolveSibling(file.getFileName() + "." + n))) {
            n++;
        }
        Files.move(file, file.resolveSibling(file.getFileName() + "." + n), StandardCopyOption.ATOMIC_MOVE);
        rotations.increment();
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        size = channel.size();
        channel.position(size);
    }

    /** Writes and syncs every queued line, then closes the file. */
    @Override
    public void close() {
        closing = true; // the writer sees it within syncMillis, writes what is left, syncs and stops
        try {
            writer.join(10_000);
            LockSupport.unpark(syncer);
            syncer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // every line was synced by the writer's last round
        }
    }
}
