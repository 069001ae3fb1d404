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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.recsysrl.util.UserInputException;

/**
 * The impression log: one JSON line per answered recommendation, handed over as bytes and written
 * in whole lines, with fsync off the request path.
 *
 * <ul>
 *   <li><b>Bounded buffer</b>: {@link #offer} copies the line's bytes into a buffer shared by the
 *   request threads and never blocks on the disk; when {@code capacity} lines wait already, the
 *   line is dropped and counted.</li>
 *   <li><b>Group writes</b>: the request thread that finds the file free writes everything that
 *   waits (its own line and any others) in one {@code write}; a thread that finds another one
 *   writing leaves its line to it (the writer looks again after letting go of the file), so no thread
 *   waits for another's write, and nobody has to be woken for a line. A thread writes at most
 *   {@value #OWN_ROUNDS} rounds, then leaves the rest to the background thread. With a linger,
 *   request threads write only once {@value #LINGER_BELOW} lines wait; the background thread writes
 *   the rest every linger period (fewer {@code write} calls, at the price of lines a kill can catch in
 *   the buffer).</li>
 *   <li><b>Whole lines only</b>: a write that fails (a full disk) is cut back to where its lines
 *   began; they are counted as dropped and the server keeps serving. A process killed mid-write can
 *   leave a torn last line; the next open truncates the file to its last newline before appending
 *   (and logs how many bytes it cut).</li>
 *   <li><b>Batched fsync</b>: the background thread calls {@code force} every {@code syncMillis}, or
 *   sooner once {@code syncLines} lines were written, and on close; nobody waits for it.</li>
 *   <li><b>Rotation by size</b>: when the next write would take the file past {@code maxBytes}, the
 *   file is renamed to {@code FILE.N} (the next free number, so {@code .1} is the oldest) and a new
 *   {@code FILE} is started; the background thread syncs and closes the old one.</li>
 *   <li>Dropping is said once in the server's log when it starts and once when writes succeed
 *   again, and counted on {@code /metrics}.</li>
 * </ul>
 */
final class ImpressionLog implements AutoCloseable {
    /** With a linger, request threads leave fewer waiting lines than this to the background thread. */
    static final int LINGER_BELOW = 64;
    /** Rounds of writing a request thread does before it leaves what keeps arriving to the background thread. */
    static final int OWN_ROUNDS = 2;
    /** An emptied buffer larger than this is given back rather than kept (after a burst or a stall). */
    private static final int KEEP_BYTES = 4 << 20;

    private final Path file;
    private final long maxBytes;
    private final long syncNanos;
    private final int syncLines;
    private final long lingerNanos;
    private final Consumer<String> log;
    private final int capacity;
    private final AtomicBoolean dropping = new AtomicBoolean();
    private volatile boolean closing;

    /** Guards the buffer the request threads append to. */
    private final Object bufferLock = new Object();
    private byte[] buffer = new byte[1 << 16];
    private int bufferBytes;
    private int bufferLines;
    /** Lines in the buffer, readable without the lock. */
    private volatile int waiting;

    /** Held while the file is written, rotated or its channel read; never while waiting for the disk's fsync. */
    private final ReentrantLock fileLock = new ReentrantLock();
    /** The buffer being written (swapped with {@link #buffer}; guarded by fileLock). */
    private byte[] spare = new byte[1 << 16];
    private FileChannel channel;
    /** Channels rotated out, for the background thread to sync and close (guarded by fileLock). */
    private final List<FileChannel> retired = new ArrayList<>();
    /** Lines written since the last fsync (guarded by fileLock). */
    private long unsynced;
    private long size;
    private volatile boolean syncAsked;
    private final Thread background;

    final LongAdder written = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder rotations = new LongAdder();
    final LongAdder syncs = new LongAdder();

    /**
     * Opens {@code file} for appending (repairing a torn tail) and starts the background thread.
     *
     * @param maxBytes size at which the file is rotated
     * @param capacity lines that may wait in the buffer at most
     * @param syncMillis the longest time between fsyncs while lines arrive
     * @param syncLines fsync at the latest after this many lines
     * @param lingerMicros how long fewer than {@value #LINGER_BELOW} lines may wait for more (0: written at once)
     */
    ImpressionLog(Path file, long maxBytes, int capacity, long syncMillis, int syncLines, long lingerMicros,
            Consumer<String> log) {
        this.lingerNanos = lingerMicros * 1000;
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
        this.background = new Thread(this::background, "recsys-rl-impression-log");
        background.setDaemon(true);
        background.start();
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
        return offer(bytes, bytes.length);
    }

    /** Queues one line (without its newline): the first {@code length} bytes of {@code line}, copied. */
    boolean offer(JsonBytes line) {
        return offer(line.array(), line.length());
    }

    private boolean offer(byte[] line, int length) {
        boolean accepted;
        synchronized (bufferLock) {
            accepted = !closing && bufferLines < capacity;
            if (accepted) {
                if (bufferBytes + length + 1 > buffer.length) {
                    buffer = Arrays.copyOf(buffer, Math.max(2 * buffer.length, bufferBytes + length + 1));
                }
                System.arraycopy(line, 0, buffer, bufferBytes, length);
                bufferBytes += length;
                buffer[bufferBytes++] = '\n';
                waiting = ++bufferLines;
            }
        }
        if (!accepted) {
            dropped.increment();
            if (dropping.compareAndSet(false, true)) {
                log.accept("impression log " + file + ": " + (closing ? "closing" : "the buffer of " + capacity
                        + " lines is full") + "; dropping impressions (counted in recsysrl_impressions_dropped_total)"
                        + " until the writer catches up");
            }
            return false;
        }
        if (lingerNanos == 0 || waiting >= LINGER_BELOW) {
            writeWaiting();
        }
        return true;
    }

    /**
     * A request thread's share of the writing: if no other thread holds the file, writes what waits,
     * and looks again after letting go (a line added meanwhile by a thread that found the file busy is
     * this thread's to write); after {@value #OWN_ROUNDS} rounds the background thread takes over.
     */
    private void writeWaiting() {
        for (int round = 0; round < OWN_ROUNDS; round++) {
            if (!fileLock.tryLock()) {
                return; // its holder looks again after letting go
            }
            try {
                writeBuffered();
            } finally {
                fileLock.unlock();
            }
            if (waiting == 0) {
                return;
            }
        }
        LockSupport.unpark(background);
    }

    /** Lines waiting to be written. */
    int pending() {
        return waiting;
    }

    /** The file. */
    Path file() {
        return file;
    }

    /** Takes the buffer's lines and writes them (fileLock held); asks for an fsync when enough lines were written. */
    private void writeBuffered() {
        int bytes;
        int lines;
        synchronized (bufferLock) {
            bytes = bufferBytes;
            lines = bufferLines;
            if (lines == 0) {
                return;
            }
            byte[] full = buffer;
            buffer = spare;
            spare = full;
            bufferBytes = 0;
            bufferLines = 0;
            waiting = 0;
        }
        if (write(spare, bytes, lines)) {
            unsynced += lines;
            if (unsynced >= syncLines && !syncAsked) {
                syncAsked = true;
                LockSupport.unpark(background);
            }
        }
        if (spare.length > KEEP_BYTES) {
            spare = new byte[1 << 16];
        }
    }

    /**
     * The background thread: every {@code syncMillis} (every linger period when lingering), or when
     * asked, writes what waits and fsyncs what was written since the last fsync. The fsync runs
     * without the file's lock, so request threads go on writing meanwhile.
     */
    private void background() {
        long lastSync = System.nanoTime();
        while (true) {
            LockSupport.parkNanos(lingerNanos > 0 ? Math.min(lingerNanos, syncNanos) : syncNanos);
            boolean last = closing;
            do {
                fileLock.lock();
                try {
                    writeBuffered();
                } finally {
                    fileLock.unlock();
                }
            } while (waiting > 0);
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
     * to the background thread to sync and close, so the writing thread never waits for an fsync.
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
        LockSupport.unpark(background);
    }

    /** Writes and syncs every waiting line, then closes the file. */
    @Override
    public void close() {
        synchronized (bufferLock) {
            closing = true; // no line is accepted after this; the background thread writes the rest and syncs
        }
        LockSupport.unpark(background);
        try {
            background.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        fileLock.lock();
        try {
            for (FileChannel ch : retired) {
                ch.close();
            }
            channel.close();
        } catch (IOException e) {
            // every line was synced by the background thread's last round
        } finally {
            fileLock.unlock();
        }
    }
}
