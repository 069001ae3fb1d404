package org.recsysrl.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** Chunked parallel loops: every chunk exactly once, worker numbers in range, failures rethrown. */
class ParallelTest {

    @Test
    void everyChunkRunsExactlyOnceOnWorkersNumberedFromZero() {
        int chunks = 37;
        AtomicIntegerArray runs = new AtomicIntegerArray(chunks);
        AtomicIntegerArray workerSeen = new AtomicIntegerArray(4);
        Parallel.forChunks(chunks, 3, (worker, next) -> {
            workerSeen.incrementAndGet(worker);
            for (int c = next.getAsInt(); c >= 0; c = next.getAsInt()) {
                runs.incrementAndGet(c);
            }
        });
        for (int c = 0; c < chunks; c++) {
            assertThat(runs.get(c)).as("chunk %d", c).isEqualTo(1);
        }
        // exactly 3 workers ran (numbers 0, 1, 2), each once
        assertThat(workerSeen.get(0) + workerSeen.get(1) + workerSeen.get(2)).isEqualTo(3);
        assertThat(workerSeen.get(3)).isZero();
    }

    @Test
    void neverMoreWorkersThanChunks() {
        AtomicIntegerArray workerSeen = new AtomicIntegerArray(8);
        Parallel.forChunks(2, 8, (worker, next) -> workerSeen.incrementAndGet(worker));
        assertThat(workerSeen.get(0) + workerSeen.get(1)).isEqualTo(2);
        for (int w = 2; w < 8; w++) {
            assertThat(workerSeen.get(w)).isZero();
        }
        // no chunks: one worker is told at once that there is nothing to do
        int[] first = {99};
        Parallel.forChunks(0, 4, (worker, next) -> first[0] = next.getAsInt());
        assertThat(first[0]).isEqualTo(-1);
    }

    @Test
    void forRangeVisitsEachIndexOnce() {
        int n = 1000;
        AtomicIntegerArray hits = new AtomicIntegerArray(n);
        Parallel.forRange(n, 7, 3, hits::incrementAndGet);
        long total = 0;
        for (int i = 0; i < n; i++) {
            assertThat(hits.get(i)).isEqualTo(1);
            total += i * (long) hits.get(i);
        }
        assertThat(total).isEqualTo(999L * 1000 / 2);
    }

    @Test
    void theFirstFailureIsRethrownInTheCaller() {
        IllegalStateException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> Parallel.forRange(500, 10, 3, i -> {
            if (i == 321) {
                throw boom;
            }
        })).isSameAs(boom);
        assertThatThrownBy(() -> Parallel.forChunks(4, 2, (w, next) -> {
            throw new AssertionError("error");
        })).isInstanceOf(AssertionError.class).hasMessage("error");
    }

    @Test
    void threadsZeroMeansEveryCore() {
        assertThat(Parallel.threads(3)).isEqualTo(3);
        assertThat(Parallel.threads(0)).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(Parallel.threads(-1)).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void rangeStartsSplitEvenlyOnAlignedBoundaries() {
        assertThat(Parallel.rangeStart(1000, 2, 0, 16)).isZero();
        assertThat(Parallel.rangeStart(1000, 2, 1, 16)).isEqualTo(496); // 500 rounded down to 16
        assertThat(Parallel.rangeStart(1000, 2, 2, 16)).isEqualTo(1000);
        assertThat(Parallel.rangeStart(10, 3, 1, 1)).isEqualTo(3);
        assertThat(Parallel.rangeStart(10, 3, 2, 1)).isEqualTo(6);
        assertThat(Parallel.rangeStart(10, 4, 1, 16)).isZero(); // too small to split: the first range is empty
        int previous = 0;
        for (int part = 0; part <= 7; part++) {
            int at = Parallel.rangeStart(123_457, 7, part, 16);
            assertThat(at).isGreaterThanOrEqualTo(previous);
            assertThat(part == 7 || at % 16 == 0).isTrue();
            previous = at;
        }
        assertThat(previous).isEqualTo(123_457);
    }
}
