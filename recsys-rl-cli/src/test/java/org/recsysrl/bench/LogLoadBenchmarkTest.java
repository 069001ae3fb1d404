package org.recsysrl.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.LogReader;

class LogLoadBenchmarkTest {
    @Test
    void generatesAReadableLogOfTheRequestedSizeAndReusesIt(@TempDir Path dir) throws Exception {
        Path file = LogLoadBenchmark.generate(dir, 5000);
        assertThat(Files.readAllLines(file)).hasSize(5001).first().isEqualTo("user_id,item_id,timestamp,event");
        long modified = Files.getLastModifiedTime(file).toMillis();
        assertThat(LogLoadBenchmark.generate(dir, 5000)).isEqualTo(file);
        assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(modified);
        InteractionLog log = LogReader.read(file, LogLoadBenchmark.spec());
        // every event weighs 1, 3 or 5, so every line is kept and the log is weighted
        assertThat(log.size()).isEqualTo(5000);
        assertThat(log.weights()).isNotNull().containsOnly(1f, 3f, 5f);
        LogLoadBenchmark.Result r = LogLoadBenchmark.measure(file);
        assertThat(r.interactions()).isEqualTo(5000);
        assertThat(r.seconds()).isPositive();
    }
}
