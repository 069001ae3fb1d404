package org.recsysrl.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link Admission} without a server: the cap of threads + queue, the predicted wait, the verdict
 * after a stop, and the bookkeeping of requests in flight. Tasks block on latches, so no verdict
 * depends on how fast the machine is (only "at least" figures are read from the clock).
 */
class AdmissionTest {
    private static final long FOREVER = TimeUnit.HOURS.toNanos(1);

    /** A task that waits until {@code release} opens, counting down {@code started} first. */
    private static Runnable blocking(CountDownLatch started, CountDownLatch release) {
        return () -> {
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    private static void awaitInFlight(Admission a, int n) throws InterruptedException {
        for (int i = 0; i < 1000 && a.inFlight() != n; i++) {
            Thread.sleep(5);
        }
        assertThat(a.inFlight()).isEqualTo(n);
    }

    @Test
    void requestsBeyondThreadsPlusQueueAreRefusedAsFull() throws Exception {
        Admission a = new Admission(2, 1, FOREVER, 1, 0);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(2);
        try {
            assertThat(a.submit(blocking(started, release))).isEqualTo(Admission.Verdict.ADMITTED);
            assertThat(a.submit(blocking(started, release))).isEqualTo(Admission.Verdict.ADMITTED);
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            // both workers busy: the third waits in the queue, the fourth is over the cap of 2 + 1
            assertThat(a.submit(blocking(new CountDownLatch(1), release))).isEqualTo(Admission.Verdict.ADMITTED);
            assertThat(a.inFlight()).isEqualTo(3);
            assertThat(a.submit(() -> { })).isEqualTo(Admission.Verdict.FULL);
            assertThat(a.submit(() -> { })).isEqualTo(Admission.Verdict.FULL);
            assertThat(a.inFlight()).as("a refused request holds no place").isEqualTo(3);
            release.countDown();
            awaitInFlight(a, 0);
            assertThat(a.started.sum()).isEqualTo(3);
            assertThat(a.submit(() -> { })).isEqualTo(Admission.Verdict.ADMITTED);
            awaitInFlight(a, 0);
            assertThat(a.started.sum()).isEqualTo(4);
        } finally {
            release.countDown();
            a.stop(1000);
        }
    }

    @Test
    void aRequestBehindOneThatHasWaitedTooLongIsRefusedAsTooSlow() throws Exception {
        long maxWait = TimeUnit.MILLISECONDS.toNanos(20);
        long begin = System.nanoTime();
        Admission a = new Admission(1, 100, maxWait, 1, 0);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        try {
            assertThat(a.submit(blocking(started, release))).isEqualTo(Admission.Verdict.ADMITTED);
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            // nothing queued and no service time measured yet: the predicted wait is 0
            assertThat(a.predictedWaitNanos(1)).isZero();
            assertThat(a.submit(() -> { })).isEqualTo(Admission.Verdict.ADMITTED);
            Thread.sleep(40); // the queued request has now waited at least 40 ms > 20 ms
            assertThat(a.predictedWaitNanos(1)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(40));
            assertThat(a.submit(() -> { })).isEqualTo(Admission.Verdict.TOO_SLOW);
            assertThat(a.inFlight()).isEqualTo(2);
            release.countDown();
            awaitInFlight(a, 0);
            // waits are summed: the queued request waited at least the 40 ms
            assertThat(a.waitedNanos.sum()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(40))
                    .as("two waits, each within the test's own duration").isLessThanOrEqualTo(2 * (System.nanoTime() - begin));
            assertThat(a.started.sum()).isEqualTo(2);
        } finally {
            release.countDown();
            a.stop(1000);
        }
    }

    @Test
    void theWaitByLengthIsTheQueueTimesTheMeanServiceTimeOverTheWorkers() throws Exception {
        long begin = System.nanoTime();
        Admission a = new Admission(2, 10, FOREVER, 1, 0);
        try {
            CountDownLatch done = new CountDownLatch(1);
            assertThat(a.submit(() -> {
                try {
                    Thread.sleep(30);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                done.countDown();
            })).isEqualTo(Admission.Verdict.ADMITTED);
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            awaitInFlight(a, 0);
            // one sample of at least 30 ms, weighted 0.01 into an average that started at 0
            double mean = a.meanServiceNanos();
            assertThat(mean).isGreaterThanOrEqualTo(0.01 * TimeUnit.MILLISECONDS.toNanos(30))
                    .as("a hundredth of a task that took less than the whole test").isLessThanOrEqualTo(
                            0.01 * (System.nanoTime() - begin));
            // an empty queue: the prediction is the length term alone
            assertThat(a.predictedWaitNanos(6)).isEqualTo((long) (6 * mean / 2));
            assertThat(a.predictedWaitNanos(1)).isEqualTo((long) (mean / 2));
        } finally {
            a.stop(1000);
        }
    }

    @Test
    void withNoWaitAllowedAQueuedRequestIsAdmittedOnlyWhileItsPredictedWaitIsZero() throws Exception {
        Admission a = new Admission(1, 100, 0, 1, 0);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        try {
            assertThat(a.submit(blocking(started, release))).isEqualTo(Admission.Verdict.ADMITTED);
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            // no queue and no measured service time: a predicted wait of 0 is within a bound of 0
            assertThat(a.submit(() -> { })).isEqualTo(Admission.Verdict.ADMITTED);
        } finally {
            release.countDown();
            a.stop(1000);
        }
    }

    @Test
    void aWaitWithinTheBoundIsAdmitted() throws Exception {
        Admission a = new Admission(1, 100, FOREVER, 1, 0);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        try {
            assertThat(a.submit(blocking(started, release))).isEqualTo(Admission.Verdict.ADMITTED);
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 5; i++) {
                assertThat(a.submit(ran::incrementAndGet)).isEqualTo(Admission.Verdict.ADMITTED);
            }
            assertThat(a.inFlight()).isEqualTo(6);
            release.countDown();
            awaitInFlight(a, 0);
            assertThat(ran.get()).isEqualTo(5);
        } finally {
            release.countDown();
            a.stop(1000);
        }
    }

    @Test
    void afterStopEveryRequestIsRefusedAndTheAdmittedOnesFinish() throws Exception {
        Admission a = new Admission(1, 10, FOREVER, 1, 0);
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        assertThat(a.submit(() -> {
            started.countDown();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finished.incrementAndGet();
        })).isEqualTo(Admission.Verdict.ADMITTED);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        a.stop(10_000);
        assertThat(finished.get()).as("stop waits for the admitted request").isEqualTo(1);
        assertThat(a.submit(() -> { })).isEqualTo(Admission.Verdict.STOPPING);
        assertThat(a.inFlight()).isZero();
    }
}
