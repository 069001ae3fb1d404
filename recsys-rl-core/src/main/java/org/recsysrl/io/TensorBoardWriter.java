package org.recsysrl.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import java.util.zip.CRC32C;
import org.recsysrl.util.UserInputException;

/**
 * Writes TensorBoard event files ({@code events.out.tfevents.*}) with scalar summaries, so that
 * {@code tensorboard --logdir logs} shows the training curves. No TensorFlow or protobuf library is
 * needed: the file format is small and is written here directly.
 *
 * <p>An event file is a sequence of records, each
 * <pre>
 *   uint64 length            (little-endian)
 *   uint32 masked CRC-32C of the 8 length bytes
 *   byte[length] data        (a serialized tensorflow.Event protocol buffer)
 *   uint32 masked CRC-32C of the data
 * </pre>
 * where {@code masked(c) = ((c >>> 15) | (c << 17)) + 0xa282ead8}. The first event carries
 * {@code file_version = "brain.Event:2"}; each later one a wall time (seconds since the epoch), a
 * step and a {@code Summary} of {@code (tag, simple_value)} pairs. The protocol buffer fields used
 * are: {@code Event.wall_time} (1, double), {@code step} (2, int64), {@code file_version} (3,
 * string), {@code summary} (5), {@code session_log} (6); {@code Summary.value} (1);
 * {@code Summary.Value.tag} (1, string), {@code simple_value} (2, float); {@code SessionLog.status}
 * (1, enum; 1 = START).
 *
 * <p>A resumed run starts a new file whose second event is a {@code SessionLog START} at the
 * resumed step: TensorBoard then drops the points that an earlier file holds at or after that step
 * (those written after the checkpoint being resumed), as the CSV log does. Every record is flushed
 * as it is written, so a crash loses at most the record being written. Methods are thread-safe.
 */
public final class TensorBoardWriter implements AutoCloseable {
    /** The {@code file_version} of the first event, as TensorFlow writes it. */
    public static final String FILE_VERSION = "brain.Event:2";
    private static final int MASK_DELTA = 0xa282ead8;

    private final Path file;
    private final OutputStream out;
    private final DoubleSupplier clock;
    private boolean closed;

    /**
     * Creates a new event file in {@code dir} (created as needed), named
     * {@code events.out.tfevents.<seconds>.recsys-rl.<pid>[.<n>]}, and writes the file-version
     * event; with {@code resumedAtStep >= 0} it also writes a {@code SessionLog START} at that step.
     *
     * @throws UserInputException if the directory or file cannot be created
     */
    public static TensorBoardWriter create(Path dir, long resumedAtStep) {
        return create(dir, resumedAtStep, () -> System.currentTimeMillis() / 1000.0);
    }

    /**
     * The event directory of a training CSV log: {@code logs/ppo.csv} gives {@code logs/ppo}, so
     * that {@code tensorboard --logdir logs} shows one run per algorithm.
     */
    public static Path dirBeside(Path csvLog) {
        String name = csvLog.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return csvLog.resolveSibling(dot > 0 ? name.substring(0, dot) : name + ".tb");
    }

    /** Like {@link #create(Path, long)} with {@code clock} giving the wall time in seconds (for tests). */
    static TensorBoardWriter create(Path dir, long resumedAtStep, DoubleSupplier clock) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw IoMessages.cannot("create directory", dir, e, "choose a writable --log-dir");
        }
        String base = "events.out.tfevents." + (long) clock.getAsDouble() + ".recsys-rl." + ProcessHandle.current().pid();
        Path file = dir.resolve(base);
        for (int n = 1; Files.exists(file); n++) {
            file = dir.resolve(base + "." + n);
        }
        OutputStream stream;
        try {
            stream = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw IoMessages.cannot("write TensorBoard events", file, e, "choose a writable --log-dir");
        }
        TensorBoardWriter w = new TensorBoardWriter(file, stream, clock);
        w.record(fileVersionEvent(clock.getAsDouble()));
        if (resumedAtStep >= 0) {
            w.record(sessionStartEvent(clock.getAsDouble(), resumedAtStep));
        }
        return w;
    }

    private TensorBoardWriter(Path file, OutputStream out, DoubleSupplier clock) {
        this.file = file;
        this.out = out;
        this.clock = clock;
    }

    /** The file being written. */
    public Path file() {
        return file;
    }

    /**
     * Writes one event at {@code step} holding a scalar per tag; values that are NaN or infinite
     * (a column with nothing to report in this row) are left out, and nothing is written if none
     * remains.
     *
     * @throws IllegalArgumentException if the tags and values differ in number
     */
    public synchronized void scalars(long step, List<String> tags, double[] values) {
        if (tags.size() != values.length) {
            throw new IllegalArgumentException(tags.size() + " tags but " + values.length + " values");
        }
        ByteArrayOutputStream summary = new ByteArrayOutputStream();
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                continue;
            }
            ByteArrayOutputStream value = new ByteArrayOutputStream();
            writeBytesField(value, 1, Objects.requireNonNull(tags.get(i), "tag").getBytes(StandardCharsets.UTF_8));
            writeTag(value, 2, 5);
            writeFixed32(value, Float.floatToIntBits((float) values[i]));
            writeBytesField(summary, 1, value.toByteArray());
        }
        if (summary.size() == 0) {
            return;
        }
        ByteArrayOutputStream event = new ByteArrayOutputStream();
        writeTimeAndStep(event, clock.getAsDouble(), step);
        writeBytesField(event, 5, summary.toByteArray());
        record(event.toByteArray());
    }

    /** Closes the file; calling it again does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close TensorBoard events " + file, e);
        }
    }

    private synchronized void record(byte[] data) {
        if (closed) {
            throw new IllegalStateException("TensorBoard events " + file + " are closed");
        }
        try {
            out.write(frame(data));
            out.flush();
        } catch (IOException e) {
            throw IoMessages.cannot("write TensorBoard events", file, e, "free space on its disk or choose another --log-dir");
        }
    }

    /** One record: length, its masked CRC, the data, its masked CRC. */
    static byte[] frame(byte[] data) {
        byte[] len = new byte[8];
        long n = data.length;
        for (int i = 0; i < 8; i++) {
            len[i] = (byte) (n >>> (8 * i));
        }
        ByteArrayOutputStream r = new ByteArrayOutputStream(data.length + 16);
        r.writeBytes(len);
        writeFixed32(r, maskedCrc32c(len));
        r.writeBytes(data);
        writeFixed32(r, maskedCrc32c(data));
        return r.toByteArray();
    }

    /** CRC-32C (Castagnoli) of {@code bytes}, masked as TFRecord files store it. */
    static int maskedCrc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }

    /** The first event of every file: wall time and {@code file_version}. */
    static byte[] fileVersionEvent(double wallTime) {
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        writeTag(e, 1, 1);
        writeFixed64(e, Double.doubleToLongBits(wallTime));
        writeBytesField(e, 3, FILE_VERSION.getBytes(StandardCharsets.UTF_8));
        return e.toByteArray();
    }

    /** A {@code SessionLog START} event at {@code step}. */
    static byte[] sessionStartEvent(double wallTime, long step) {
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        writeTimeAndStep(e, wallTime, step);
        writeBytesField(e, 6, new byte[] {0x08, 0x01}); // SessionLog.status = START
        return e.toByteArray();
    }

    private static void writeTimeAndStep(ByteArrayOutputStream e, double wallTime, long step) {
        writeTag(e, 1, 1);
        writeFixed64(e, Double.doubleToLongBits(wallTime));
        if (step != 0) {
            writeTag(e, 2, 0);
            writeVarint(e, step);
        }
    }

    private static void writeTag(ByteArrayOutputStream o, int field, int wireType) {
        writeVarint(o, ((long) field << 3) | wireType);
    }

    private static void writeBytesField(ByteArrayOutputStream o, int field, byte[] bytes) {
        writeTag(o, field, 2);
        writeVarint(o, bytes.length);
        o.writeBytes(bytes);
    }

    private static void writeVarint(ByteArrayOutputStream o, long v) {
        while ((v & ~0x7FL) != 0) {
            o.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        o.write((int) v);
    }

    private static void writeFixed32(ByteArrayOutputStream o, int v) {
        for (int i = 0; i < 4; i++) {
            o.write(v >>> (8 * i));
        }
    }

    private static void writeFixed64(ByteArrayOutputStream o, long v) {
        for (int i = 0; i < 8; i++) {
            o.write((int) (v >>> (8 * i)));
        }
    }
}
