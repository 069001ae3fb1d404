import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.List;
import org.recsysrl.bench.SequenceEpochBenchmark;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.LogReader;
import org.recsysrl.data.LogSpec;

/**
 * Where a data-parallel sequence epoch's CPU goes (docs/performance.md, "Both cores"): trains
 * EPOCHS epochs as {@code bench --only seq} does ({@link SequenceEpochBenchmark#run}, batches of
 * BATCH windows, THREADS threads) and prints the CPU time of the calling thread, of the
 * {@code recsys-rl-worker} threads and of the whole process over all epochs, with each epoch's
 * wall and process CPU time. On a loaded host the calling thread's CPU time is the figure that
 * predicts an unloaded host's epoch: it holds worker 0's share and every pass that is not split.
 *
 * <pre>
 * javac -d /tmp/stc -cp JAR scripts/SeqThreadCpu.java
 * java --add-modules jdk.incubator.vector -XX:+UseSerialGC -XX:MaxNewSize=32m -cp /tmp/stc:JAR SeqThreadCpu LOG [EPOCHS] [THREADS] [BATCH]
 * </pre>
 */
public class SeqThreadCpu {
    /** CPU seconds of the live threads named {@code recsys-rl-worker}. */
    static double workerSeconds(ThreadMXBean mx) {
        double seconds = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("recsys-rl-worker")) {
                long ns = mx.getThreadCpuTime(t.getId());
                if (ns > 0) {
                    seconds += ns / 1e9;
                }
            }
        }
        return seconds;
    }

    static double processSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    public static void main(String[] args) throws Exception {
        InteractionLog log = LogReader.read(Path.of(args[0]), LogSpec.DEFAULT);
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 128;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double calling0 = mx.getCurrentThreadCpuTime() / 1e9;
        double workers0 = workerSeconds(mx);
        double process0 = processSeconds();
        long t0 = System.nanoTime();
        List<SequenceEpochBenchmark.Epoch> timed = SequenceEpochBenchmark.run(log, epochs, threads, batch);
        double wall = (System.nanoTime() - t0) / 1e9;
        StringBuilder each = new StringBuilder();
        for (SequenceEpochBenchmark.Epoch e : timed) {
            each.append(String.format(" epoch %d: wall %.2f s, process CPU %.2f s;", e.epoch(), e.seconds(),
                    e.cpuSeconds()));
        }
        System.out.printf("threads %d, %d epochs, batch %d: calling thread CPU %.2f s, worker threads CPU %.2f s,"
                + " process CPU %.2f s, wall %.2f s |%s%n", threads, epochs, batch,
                mx.getCurrentThreadCpuTime() / 1e9 - calling0, workerSeconds(mx) - workers0,
                processSeconds() - process0, wall, each);
    }
}
