package org.recsysrl.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The impression log's writer: torn tails, rotation, the bounded buffer and a full disk. */
class ImpressionLogTest {
    @TempDir
    Path dir;

    @Test
    void aTornTailIsCutBeforeAppending() throws Exception {
        Path f = dir.resolve("imp.jsonl");
        Files.writeString(f, "{\"a\":1}\n{\"a\":2}\n{\"a\":", StandardCharsets.UTF_8);
        List<String> log = new CopyOnWriteArrayList<>();
        try (ImpressionLog il = new ImpressionLog(f, 1 << 20, 16, 5, 100, 0, log::add)) {
            il.offer("{\"a\":3}");
        }
        assertThat(Files.readAllLines(f)).containsExactly("{\"a\":1}", "{\"a\":2}", "{\"a\":3}");
        assertThat(log).anyMatch(l -> l.contains("cut a torn last line of 5 bytes"));
        // a file without any newline is all torn
        Files.writeString(f, "{\"half", StandardCharsets.UTF_8);
        try (ImpressionLog il = new ImpressionLog(f, 1 << 20, 16, 5, 100, 0, log::add)) {
            il.offer("{\"b\":1}");
        }
        assertThat(Files.readAllLines(f)).containsExactly("{\"b\":1}");
    }

    @Test
    void rotatesBySizeKeepingWholeLines() throws Exception {
        Path f = dir.resolve("imp.jsonl");
        try (ImpressionLog il = new ImpressionLog(f, 100, 1000, 5, 100, 500, l -> { })) {
            for (int i = 0; i < 40; i++) {
                il.offer("{\"i\":" + i + ",\"pad\":\"xxxxxxxxxx\"}"); // 29 bytes with the newline
                Thread.sleep(1); // small batches, so the files stay near the bound
            }
        }
        List<String> all = new ArrayList<>();
        int n = 1;
        while (Files.exists(dir.resolve("imp.jsonl." + n))) {
            assertThat(Files.readString(dir.resolve("imp.jsonl." + n))).endsWith("\n");
            all.addAll(Files.readAllLines(dir.resolve("imp.jsonl." + n)));
            n++;
        }
        all.addAll(Files.readAllLines(f));
        assertThat(n).isGreaterThan(2);
        assertThat(all).hasSize(40);
        for (int i = 0; i < 40; i++) {
            assertThat(all.get(i)).isEqualTo("{\"i\":" + i + ",\"pad\":\"xxxxxxxxxx\"}");
        }
    }

    @Test
    void aFullBufferDropsAndCounts() throws Exception {
        Path f = dir.resolve("imp.jsonl");
        List<String> log = new CopyOnWriteArrayList<>();
        long offered = 20_000;
        long accepted = 0;
        // with a linger of a second, fewer than LINGER_BELOW lines are left to the background thread,
        // which comes every 5 ms: the two-line buffer fills between its rounds
        ImpressionLog il = new ImpressionLog(f, 1L << 30, 2, 5, 100, 1_000_000, log::add);
        for (int i = 0; i < offered; i++) {
            if (il.offer("{\"i\":" + i + "}")) {
                accepted++;
            }
        }
        il.close();
        assertThat(il.dropped.sum()).isEqualTo(offered - accepted).isPositive();
        assertThat(il.written.sum()).isEqualTo(accepted);
        assertThat(Files.readAllLines(f)).hasSize((int) accepted);
        assertThat(log.stream().filter(l -> l.contains("dropping impressions")).count()).isBetween(1L, accepted);
    }

    @Test
    void aFullDiskDropsCountsAndSaysSoOnce() throws Exception {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full));
        List<String> log = new CopyOnWriteArrayList<>();
        ImpressionLog il = new ImpressionLog(full, 1L << 30, 100, 5, 100, 0, log::add);
        for (int i = 0; i < 10; i++) {
            assertThat(il.offer("{\"i\":" + i + "}")).isTrue();
            Thread.sleep(2);
        }
        il.close();
        assertThat(il.dropped.sum()).isEqualTo(10);
        assertThat(il.written.sum()).isZero();
        assertThat(log.stream().filter(l -> l.contains("write failed")).count()).isEqualTo(1);
    }

    @Test
    void aLineIsWrittenBeforeOfferReturnsWhenNoOtherThreadWrites() throws Exception {
        Path f = dir.resolve("imp.jsonl");
        // fsync and the background thread's rounds an hour apart: only the offering thread can write
        try (ImpressionLog il = new ImpressionLog(f, 1L << 30, 16, 3_600_000, 1_000_000, 0, l -> { })) {
            JsonBytes line = JsonBytes.forThisThread().ascii("{\"request_id\":").quoted("r-é").ascii('}');
            assertThat(il.offer(line)).isTrue();
            assertThat(Files.readString(f, StandardCharsets.UTF_8)).isEqualTo("{\"request_id\":\"r-é\"}\n");
            assertThat(il.offer("{\"a\":2}")).isTrue();
            assertThat(Files.readAllLines(f)).containsExactly("{\"request_id\":\"r-é\"}", "{\"a\":2}");
            assertThat(il.written.sum()).isEqualTo(2);
            assertThat(il.pending()).isZero();
        }
    }

    @Test
    void concurrentOffersAreAllWrittenWholeWithoutTheBackgroundThread() throws Exception {
        Path f = dir.resolve("imp.jsonl");
        int threads = 4;
        int perThread = 5_000;
        // the background thread comes once an hour: a line left behind by the group writes would stay
        // in the buffer, and written would never reach the number offered
        ImpressionLog il = new ImpressionLog(f, 1L << 30, 1 << 20, 3_600_000, 1_000_000, 0, l -> { });
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers.add(new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    il.offer(JsonBytes.forThisThread().ascii("{\"t\":").number(id).ascii(",\"i\":").number(i)
                            .ascii(",\"pad\":").quoted("x".repeat(i % 200)).ascii('}'));
                }
            }));
        }
        workers.forEach(Thread::start);
        for (Thread w : workers) {
            w.join();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (il.written.sum() < (long) threads * perThread && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(il.written.sum()).isEqualTo((long) threads * perThread);
        assertThat(il.dropped.sum()).isZero();
        List<String> lines = Files.readAllLines(f);
        il.close();
        assertThat(lines).hasSize(threads * perThread);
        int[] next = new int[threads];
        for (String line : lines) { // every line whole, each thread's in the order offered
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{\"t\":(\\d),\"i\":(\\d+),\"pad\":\"(x*)\"}")
                    .matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            int t = Integer.parseInt(m.group(1));
            int i = Integer.parseInt(m.group(2));
            assertThat(i).isEqualTo(next[t]++);
            assertThat(m.group(3)).hasSize(i % 200);
        }
    }

    @Test
    void rotationByARequestThreadLeavesTheOldFileWholeAndClosed() throws Exception {
        Path f = dir.resolve("imp.jsonl");
        try (ImpressionLog il = new ImpressionLog(f, 100, 1000, 5, 100, 0, l -> { })) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            for (int i = 0; i < 12; i++) {
                il.offer("{\"i\":" + i + ",\"pad\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}"); // 49 bytes with the newline
                // one line per write, so that two lines fill each part: a line that found the file held by the
                // background thread is written by it, and the next would otherwise join it in one write
                while (il.pending() > 0 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
            }
            while (il.written.sum() < 12 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(il.written.sum()).isEqualTo(12);
            assertThat(il.rotations.sum()).isEqualTo(5);
        }
        List<String> all = new ArrayList<>();
        for (int n = 1; n <= 5; n++) {
            List<String> part = Files.readAllLines(dir.resolve("imp.jsonl." + n));
            assertThat(part).hasSize(2);
            all.addAll(part);
        }
        all.addAll(Files.readAllLines(f));
        assertThat(all).hasSize(12);
        for (int i = 0; i < 12; i++) {
            assertThat(all.get(i)).startsWith("{\"i\":" + i + ",");
        }
    }
}
