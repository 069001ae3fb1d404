import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;
import org.recsysrl.nn.Kernels;

/**
 * Where a 100,000-item recommendation's CPU goes, kernel by kernel, on the calling thread: the
 * packed product of one query with a random 32 × 100,000 table, the same product for 8 queries in
 * one pass ({@code Kernels.multiplyPackedRows}, per row), the log-softmax and the top 10 of one row.
 * Three rounds of 400 calls each, the first warming the JIT.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -XX:+UseSerialGC -cp target/recsys-rl.jar scripts/ScoringPartsCpu.java
 * </pre>
 */
public class ScoringPartsCpu {
    public static void main(String[] args) {
        int n = 100_000;
        int k = 32;
        Random rnd = new Random(1);
        float[] table = new float[k * n];
        for (int i = 0; i < table.length; i++) {
            table[i] = (float) rnd.nextGaussian();
        }
        float[] packed = Kernels.packColumns(table, k, n);
        float[] bias = new float[n];
        float[] queries = new float[16 * k];
        for (int i = 0; i < queries.length; i++) {
            queries[i] = (float) rnd.nextGaussian() * 0.1f;
        }
        float[][] rows = new float[16][n];
        int[] top = new int[n];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int calls = 400;
        long sink = 0;
        for (int round = 0; round < 3; round++) {
            long c = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < calls; i++) {
                Kernels.multiplyPacked(queries, k, packed, n, 1.1f, bias, 0, rows[i % 16]);
            }
            long single = threads.getCurrentThreadCpuTime() - c;
            c = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < calls / 8; i++) {
                Kernels.multiplyPackedRows(queries, 8, k, packed, n, 1.1f, bias, 0, rows);
            }
            long shared = threads.getCurrentThreadCpuTime() - c;
            c = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < calls; i++) {
                Kernels.logSoftmax(rows[i % 16], 0, n, rows[i % 16], 0);
            }
            long softmax = threads.getCurrentThreadCpuTime() - c;
            c = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < calls; i++) {
                sink += Kernels.topK(rows[i % 16], n, 10, top);
            }
            long topK = threads.getCurrentThreadCpuTime() - c;
            System.out.printf("round %d: product %.1f µs, product of 8 rows in one pass %.1f µs per row,"
                    + " log-softmax %.1f µs, top 10 %.1f µs%n", round, single / 1e3 / calls, shared / 1e3 / calls,
                    softmax / 1e3 / calls, topK / 1e3 / calls);
        }
        System.out.println(sink == 42 ? "" : "done");
    }
}
