package org.recsysrl.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.LogReader;
import org.recsysrl.data.LogSpec;
import org.recsysrl.util.Rng;

/**
 * Times reading a large generated interaction log: a CSV file with a header,
 * {@code user_id,item_id,timestamp,event}, users and items drawn with a skew (a few popular items,
 * many rare ones), times increasing with noise, and three event types weighted
 * {@code view=1,cart=3,purchase=5}. Reports the wall time of {@link LogReader#read}, the heap the
 * finished log keeps per interaction, and the peak heap of the read.
 */
public final class LogLoadBenchmark {
    private LogLoadBenchmark() {
    }

    /**
     * One measurement.
     *
     * @param interactions interactions read
     * @param seconds wall time of the read
     * @param retainedBytesPerInteraction heap held by the log afterwards, per interaction
     * @param peakBytesPerInteraction the heap's peak during the read above the heap before it, per interaction
     */
    public record Result(long interactions, double seconds, double retainedBytesPerInteraction,
            double peakBytesPerInteraction) {
    }

    /** The spec of the generated file's columns and weights. */
    public static LogSpec spec() {
        return new LogSpec(LogSpec.Format.CSV, "user_id", "item_id", "timestamp", "event", "",
                LogSpec.parseEventWeights("view=1,cart=3,purchase=5"), 0.0, 0, 0, LogSpec.Repeats.KEEP);
    }

    /** Writes (or reuses, if it exists with the same size request) a generated log of {@code n} lines. */
    public static Path generate(Path dir, long n) throws IOException {
        Path file = dir.resolve("recsys-rl-bench-log-" + n + ".csv");
        if (Files.isRegularFile(file) && Files.size(file) > n * 10) {
            return file;
        }
        Path tmp = dir.resolve(file.getFileName() + ".part");
        Rng rng = new Rng(20261202L);
        int users = (int) Math.max(10, n / 50);
        int items = (int) Math.max(10, Math.min(2_000_000, n / 20));
        String[] events = {"view", "view", "view", "view", "view", "view", "cart", "cart", "purchase"};
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII)) {
            w.write("user_id,item_id,timestamp,event\n");
            long time = 1_500_000_000L;
            StringBuilder line = new StringBuilder(48);
            for (long k = 0; k < n; k++) {
                time += rng.nextInt(3);
                int user = rng.nextInt(users);
                // skewed items: the square of a uniform in [0, 1) puts most draws on low ids
                double u = rng.nextDouble();
                int item = (int) (u * u * items);
                line.setLength(0);
                line.append(user).append(',').append(item).append(',').append(time).append(',')
                        .append(events[rng.nextInt(events.length)]).append('\n');
                w.append(line);
            }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    /** Reads {@code file} once and measures it. */
    public static Result measure(Path file) {
        long before = usedAfterGc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
        long start = System.nanoTime();
        InteractionLog log = LogReader.read(file, spec());
        double seconds = (System.nanoTime() - start) / 1e9;
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                peak += p.getPeakUsage().getUsed();
            }
        }
        long after = usedAfterGc();
        long n = log.size();
        double retained = (double) (after - before) / n;
        java.lang.ref.Reference.reachabilityFence(log);
        return new Result(n, seconds, retained, (double) (peak - before) / n);
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
