package org.recsysrl.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The impression log's writer: answers after their lines, batches, torn tails, rotation, the bounded buffer and a full disk. */
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
        // other requests always busy and a window of a second: the writer gathers (fewer than BATCH_LINES
        // lines fit the buffer) until the window ends, and the two-line buffer fills meanwhile
        ImpressionLog il = new ImpressionLog(f, 1L << 30, 2, 5, 100, 1_000_000, log::add);
        il.watch(() -> true);
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
    void anAnswerLeavesOnlyOnceItsLineIsWritten() throws Exception {
        Path f = dir.resolve("imp.jsonl");
        AtomicBoolean busy = new AtomicBoolean(true);
        // a window of an hour while others are busy: the writer gathers until the test says nobody is
        try (ImpressionLog il = new ImpressionLog(f, 1L << 30, 16, 3_600_000, 1_000_000, 3_600_000_000L, l -> { })) {
            il.watch(busy::get);
            JsonBytes line = JsonBytes.forThisThread().ascii("{\"request_id\":").quoted("r-é").ascii('}');
            long ticket = il.offer(line);
            assertThat(ticket).isEqualTo(1);
            CompletableFuture<String> seen = new CompletableFuture<>();
            il.hold(ticket, Runnable::run, () -> seen.complete(read(f)));
            Thread.sleep(50);
            assertThat(seen).isNotDone();
            assertThat(il.held()).isEqualTo(1);
            assertThat(il.pending()).isEqualTo(1);
            assertThat(Files.size(f)).isZero();
            busy.set(false);
            il.othersDone();
            // the answer ran after the line was in the file
            assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("{\"request_id\":\"r-é\"}\n");
            assertThat(il.written.sum()).isEqualTo(1);
            assertThat(il.held()).isZero();
            // a ticket written already: its answer leaves at once, on the caller's thread here
            List<String> ran = new ArrayList<>();
            il.hold(ticket, Runnable::run, () -> ran.add("late"));
            assertThat(ran).containsExactly("late");
            // with nobody else busy, a new line is written without waiting for the window
            long second = il.offer(JsonBytes.forThisThread().ascii("{\"a\":2}"));
            CompletableFuture<String> next = new CompletableFuture<>();
            il.hold(second, Runnable::run, () -> next.complete(read(f)));
            assertThat(next.get(10, TimeUnit.SECONDS)).endsWith("{\"a\":2}\n");
        }
    }

    @Test
    void theAnswersOfABatchGoToEachExecutorAsOneTaskInOrder() throws Exception {
        Path f = dir.resolve("imp.jsonl");
        AtomicBoolean busy = new AtomicBoolean(true);
        try (ImpressionLog il = new ImpressionLog(f, 1L << 30, 100, 3_600_000, 1_000_000, 3_600_000_000L, l -> { })) {
            il.watch(busy::get);
            CountingExecutor[] loops = {new CountingExecutor(), new CountingExecutor()};
            List<Integer> order = new CopyOnWriteArrayList<>();
            List<Long> linesSeen = new CopyOnWriteArrayList<>();
            CountDownLatch all = new CountDownLatch(10);
            for (int i = 0; i < 10; i++) {
                int id = i;
                long ticket = il.offer(JsonBytes.forThisThread().ascii("{\"i\":").number(i).ascii('}'));
                il.hold(ticket, loops[i % 2], () -> {
                    order.add(id);
                    linesSeen.add(il.written.sum());
                    all.countDown();
                });
            }
            assertThat(il.held()).isEqualTo(10);
            busy.set(false);
            il.othersDone();
            assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
            // one write for the ten lines, then one task per executor, each running its answers in ticket order
            assertThat(il.batches.sum()).isEqualTo(1);
            assertThat(loops[0].tasks.get()).isEqualTo(1);
            assertThat(loops[1].tasks.get()).isEqualTo(1);
            assertThat(order.stream().filter(i -> i % 2 == 0).toList()).containsExactly(0, 2, 4, 6, 8);
            assertThat(order.stream().filter(i -> i % 2 == 1).toList()).containsExactly(1, 3, 5, 7, 9);
            assertThat(linesSeen).allMatch(n -> n == 10);
            assertThat(Files.readAllLines(f)).hasSize(10);
        }
    }

    @Test
    void aDroppedLineDoesNotHoldItsAnswerAndCloseReleasesTheHeldOnes() throws Exception {
        Path f = dir.resolve("imp.jsonl");
        ImpressionLog il = new ImpressionLog(f, 1L << 30, 1, 3_600_000, 1_000_000, 3_600_000_000L, l -> { });
        il.watch(() -> true); // the writer gathers for an hour: only close writes
        long first = il.offer(JsonBytes.forThisThread().ascii("{\"a\":1}"));
        long full = il.offer(JsonBytes.forThisThread().ascii("{\"a\":2}"));
        assertThat(first).isPositive();
        assertThat(full).isZero();
        assertThat(il.dropped.sum()).isEqualTo(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        il.hold(full, Runnable::run, () -> ran.add("dropped"));
        il.hold(first, Runnable::run, () -> ran.add("first:" + il.written.sum()));
        assertThat(ran).containsExactly("dropped");
        il.close();
        assertThat(ran).containsExactly("dropped", "first:1");
        assertThat(Files.readAllLines(f)).containsExactly("{\"a\":1}");
    }

    @Test
    void concurrentOffersAreAllWrittenWholeAndEachAnswerAfterItsLine() throws Exception {
        Path f = dir.resolve("imp.jsonl");
        int threads = 4;
        int perThread = 5_000;
        AtomicInteger early = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        // fsync an hour apart; others always busy, so the writer gathers BATCH_LINES lines or 200 µs
        ImpressionLog il = new ImpressionLog(f, 1L << 30, 1 << 20, 3_600_000, 1_000_000, 200, l -> { });
        il.watch(() -> true);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers.add(new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    long ticket = il.offer(JsonBytes.forThisThread().ascii("{\"t\":").number(id).ascii(",\"i\":")
                            .number(i).ascii(",\"pad\":").quoted("x".repeat(i % 200)).ascii('}'));
                    il.hold(ticket, Runnable::run, () -> { // lines are written in ticket order
                        if (il.written.sum() < ticket) {
                            early.incrementAndGet();
                        }
                        answered.incrementAndGet();
                    });
                }
            }));
        }
        workers.forEach(Thread::start);
        for (Thread w : workers) {
            w.join();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (answered.get() < threads * perThread && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(answered.get()).isEqualTo(threads * perThread);
        assertThat(early.get()).isZero();
        assertThat(il.written.sum()).isEqualTo((long) threads * perThread);
        assertThat(il.dropped.sum()).isZero();
        assertThat(il.batches.sum()).isLessThan((long) threads * perThread); // lines were written together
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

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Runs each task at once and counts the tasks. */
    private static final class CountingExecutor implements Executor {
        final AtomicInteger tasks = new AtomicInteger();

        @Override
        public void execute(Runnable task) {
            tasks.incrementAndGet();
            task.run();
        }
    }

    @Test
    void rotationLeavesTheOldFileWholeAndClosed() throws Exception {
        Path f = dir.resolve("imp.jsonl");
        try (ImpressionLog il = new ImpressionLog(f, 100, 1000, 5, 100, 0, l -> { })) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            for (int i = 0; i < 12; i++) {
                il.offer("{\"i\":" + i + ",\"pad\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}"); // 49 bytes with the newline
                // one line per write, so that two lines fill each part: the next line would otherwise join it
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
