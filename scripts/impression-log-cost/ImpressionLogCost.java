package org.recsysrl.serve;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongConsumer;

/**
 * The impression log's CPU per line in one JVM, without the server's noise: THREADS threads each
 * spin WORK_US µs (a request's work) and then log one impression line like a 1,000-item policy's
 * (a 64-float observation, half of it zeros, 10 items and propensities), LINES times; the process's
 * CPU time over all lines, per line, for each mode, ROUNDS times in turn, and the medians minus
 * {@code none}'s. Modes: {@code none} (the work only), {@code string} (the line built as a
 * {@code String}, as before), {@code bytes} (built by {@link JsonBytes}), {@code log} (bytes and
 * {@link ImpressionLog#offer}), and {@code previous} (the {@code String} handed to {@code
 * PreviousImpressionLog}, an older version of the class compiled beside it by
 * scripts/impression-log-cost.sh --against COMMIT). Run by scripts/impression-log-cost.sh.
 */
public final class ImpressionLogCost {
    private static final float[] CONTEXT = new float[64];
    private static final String[] ITEMS = {"506", "502", "946", "972", "892", "979", "325", "37", "251", "327"};
    private static final String MODEL = "07195c8a28d3084dde809b8bafad95f650cd901b50584491296c902324cb38d1";

    static {
        Random r = new Random(1);
        for (int i = 0; i < 32; i++) {
            CONTEXT[i] = (float) (r.nextGaussian() * 0.15);
        }
    }

    private ImpressionLogCost() {
    }

    /** The line as Endpoints built it before JsonBytes: a StringBuilder and the JDK's number formatting. */
    static String asString(long id) {
        StringBuilder sb = new StringBuilder(1200);
        sb.append("{\"time\":").append(System.currentTimeMillis()).append(",\"request_id\":");
        Json.quote(sb, "mxbue4ph-hwoky-" + Long.toString(id, 36));
        sb.append(",\"user\":");
        Json.quote(sb, "3");
        sb.append(",\"context\":[");
        for (int j = 0; j < CONTEXT.length; j++) {
            sb.append(j > 0 ? "," : "").append(CONTEXT[j]);
        }
        sb.append("],\"items\":[");
        for (int i = 0; i < ITEMS.length; i++) {
            sb.append(i > 0 ? "," : "");
            Json.quote(sb, ITEMS[i]);
        }
        sb.append("],\"propensities\":[");
        for (int i = 0; i < ITEMS.length; i++) {
            sb.append(i > 0 ? "," : "").append(0.95005);
        }
        sb.append("],\"slate_propensity\":").append(0.95).append(",\"policy\":");
        Json.quote(sb, "epsilon=0.05");
        return sb.append(",\"model\":\"").append(MODEL).append("\"}").toString();
    }

    /** The same line written by JsonBytes, as Endpoints writes it now. */
    static JsonBytes asBytes(long id) {
        JsonBytes line = JsonBytes.forThisThread();
        line.ascii("{\"time\":").number(System.currentTimeMillis()).ascii(",\"request_id\":")
                .quoted("mxbue4ph-hwoky-" + Long.toString(id, 36)).ascii(",\"user\":").quoted("3").ascii(",\"context\":[");
        for (int j = 0; j < CONTEXT.length; j++) {
            (j > 0 ? line.ascii(',') : line).number(CONTEXT[j]);
        }
        line.ascii("],\"items\":[");
        for (int i = 0; i < ITEMS.length; i++) {
            (i > 0 ? line.ascii(',') : line).quoted(ITEMS[i]);
        }
        line.ascii("],\"propensities\":[");
        for (int i = 0; i < ITEMS.length; i++) {
            (i > 0 ? line.ascii(',') : line).number(0.95005);
        }
        line.ascii("],\"slate_propensity\":").number(0.95).ascii(",\"policy\":").quoted("epsilon=0.05");
        return line.ascii(",\"model\":\"").ascii(MODEL).ascii("\"}");
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        long workNanos = Long.parseLong(args[1]) * 1000;
        int lines = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        String[] modes = args[4].split(",");
        String noTime = "\"time\":\\d+,";
        if (!asString(7).replaceFirst(noTime, "").equals(asBytes(7).toString().replaceFirst(noTime, ""))) {
            throw new IllegalStateException("the two ways of building the line differ");
        }
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Path dir = Files.createTempDirectory("impression-log-cost");
        Map<String, List<Double>> perLine = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (String mode : modes) {
                Path file = dir.resolve(mode + ".jsonl");
                AutoCloseable log = null;
                LongConsumer oneLine;
                switch (mode) {
                    case "none" -> oneLine = id -> { };
                    case "string" -> oneLine = id -> Blackhole.consume(asString(id).length());
                    case "bytes" -> oneLine = id -> Blackhole.consume(asBytes(id).length());
                    case "log" -> {
                        // as on a busy server: the writer gathers each batch for the default window (or 64 lines)
                        ImpressionLog l = new ImpressionLog(file, 256L << 20, 65_536, 100, 1000,
                                RecommendServer.Loop.DEFAULT_BATCH_MICROS, System.err::println);
                        l.watch(() -> true);
                        log = l;
                        oneLine = id -> l.offer(asBytes(id));
                    }
                    case "previous" -> {
                        PreviousImpressionLog l = new PreviousImpressionLog(file, 256L << 20, 65_536, 100, 1000, 0,
                                System.err::println);
                        log = l;
                        oneLine = id -> l.offer(asString(id));
                    }
                    default -> throw new IllegalArgumentException("unknown mode " + mode
                            + ": give none, string, bytes, log or previous");
                }
                double cpu = run(os, threads, workNanos, lines, oneLine, log);
                perLine.computeIfAbsent(mode, k -> new ArrayList<>()).add(cpu);
                System.out.printf("impression-log-cost: round %d %-8s CPU %6.2f µs per line%s%n", round, mode, cpu,
                        Files.exists(file) ? "  (" + Files.size(file) / 1024 + " KiB written)" : "");
                Files.deleteIfExists(file);
            }
        }
        double none = median(perLine.getOrDefault("none", List.of(0.0)));
        for (Map.Entry<String, List<Double>> e : perLine.entrySet()) {
            System.out.printf("impression-log-cost: %-8s median %6.2f µs per line, %+.2f µs over none%n", e.getKey(),
                    median(e.getValue()), median(e.getValue()) - none);
        }
    }

    /** The process's CPU time per line while the threads run (and the log closes). */
    private static double run(OperatingSystemMXBean os, int threads, long workNanos, int lines, LongConsumer oneLine,
            AutoCloseable log) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long first = (long) t * lines;
            Thread w = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < lines; i++) {
                    long until = System.nanoTime() + workNanos;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                    oneLine.accept(first + i);
                }
            });
            w.start();
            workers.add(w);
        }
        Thread.sleep(50);
        long before = os.getProcessCpuTime();
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }
        if (log != null) {
            log.close();
        }
        return (os.getProcessCpuTime() - before) / 1e3 / ((double) threads * lines);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Keeps the JIT from dropping a computed value. */
    private static final class Blackhole {
        static volatile long sink;

        static void consume(long v) {
            sink += v;
        }
    }
}
