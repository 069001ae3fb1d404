import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Random;
import org.recsysrl.nn.FusedSoftmaxCrossEntropy;

/**
 * The fused output layer alone, in the thread CPU time of the calling thread (docs/performance.md):
 * ROWS positions of d = 64 against a Toys-sized catalogue of 11,924 items, ten excluded items per
 * position, CALLS calls per round, eight rounds (the first includes the JIT's warm-up). Prints per
 * round the CPU time and the rate counting the three products (3 · 2 · rows · items · d flops per
 * call), and the loss and two gradient entries, so that two builds can be compared for the same
 * bits as well as for speed.
 *
 * <pre>
 * javac -d /tmp/fscls -cp JAR scripts/FusedSoftmaxCpu.java
 * java -XX:+UseSerialGC --add-modules jdk.incubator.vector -cp /tmp/fscls:JAR FusedSoftmaxCpu [ROWS] [CALLS]
 * </pre>
 */
public class FusedSoftmaxCpu {
    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 640;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int d = 64;
        int n = 11_924;
        int excludedPerRow = 10;
        Random rnd = new Random(1);
        float[] h = gaussian(rnd, rows * d, 0.5);
        float[] table = gaussian(rnd, n * d, 0.3);
        float[] transposed = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                transposed[j * n + i] = table[i * d + j];
            }
        }
        float[] bias = new float[n];
        int[] targets = new int[rows];
        float[] weights = new float[rows];
        int[] excludedStart = new int[rows + 1];
        int[] excluded = new int[rows * excludedPerRow];
        for (int r = 0; r < rows; r++) {
            targets[r] = rnd.nextInt(n);
            weights[r] = 1f / rows;
            excludedStart[r] = r * excludedPerRow;
            for (int q = 0; q < excludedPerRow; q++) {
                int i = rnd.nextInt(n);
                excluded[r * excludedPerRow + q] = i == targets[r] ? (i + 1) % n : i;
            }
        }
        excludedStart[rows] = rows * excludedPerRow;
        float[] dh = new float[rows * d];
        float[] dTable = new float[n * d];
        float[] dBias = new float[n];
        FusedSoftmaxCrossEntropy kernel = new FusedSoftmaxCrossEntropy(d, n);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double flops = 3.0 * 2 * rows * (double) n * d * calls;
        for (int round = 0; round < 8; round++) {
            long start = mx.getCurrentThreadCpuTime();
            double loss = 0;
            for (int c = 0; c < calls; c++) {
                loss += kernel.lossAndGradient(h, rows, table, 0, transposed, bias, 0, targets, weights, excludedStart,
                        excluded, dh, dTable, 0, dBias, 0);
            }
            double seconds = (mx.getCurrentThreadCpuTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "round %d: %.3f s CPU, %.1f GFLOP/s; loss %.6f, dTable[5] %s, dh[7] %s%n",
                    round, seconds, flops / seconds / 1e9, loss, dTable[5], dh[7]);
        }
    }

    private static float[] gaussian(Random rnd, int n, double sd) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextGaussian() * sd);
        }
        return x;
    }
}
