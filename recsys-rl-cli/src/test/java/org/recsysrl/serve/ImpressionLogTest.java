package org.recsysrl.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
        ImpressionLog il = new ImpressionLog(f, 1L << 30, 2, 5, 100, 0, log::add);
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
}
