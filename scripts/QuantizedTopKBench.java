import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.recsysrl.api.RecommendRequest;
import org.recsysrl.api.Recommender;
import org.recsysrl.api.ScoredItem;

/**
 * Top-k of a large sequence checkpoint: the float scan against the int8 table (docs/scale.md).
 * Loads the checkpoint three times: with {@code -Drecsysrl.topk=float} in effect (every item scored
 * from the float table, the path before nn.QuantizedTopK), with {@code serial} (the int8 table
 * scanned by the calling thread alone) and as a user gets it (the int8 table, its scan split over
 * two threads from 500k items). Checks that all three give the same items and score bits for every
 * user timed, and prints per user, for each path side by side in each round: the CPU time of the
 * calling thread, the CPU time of the whole process (the helper thread included) and the wall time
 * (users 0 … U−1, ROUNDS rounds; the first round includes the JIT's warm-up).
 *
 * <pre>
 * javac -d /tmp/qtcls -cp JAR --add-modules jdk.incubator.vector scripts/QuantizedTopKBench.java
 * java -Xmx6g -XX:+UseSerialGC --add-modules jdk.incubator.vector -cp /tmp/qtcls:JAR QuantizedTopKBench CHECKPOINT [K] [USERS] [ROUNDS]
 * </pre>
 */
public class QuantizedTopKBench {
    static final String[] PATHS = {"float", "serial", "int8"};

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().substring(0, 14);
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** One path's answers for the users; {calling thread CPU, process CPU, wall} in nanoseconds. */
    static long[] run(Recommender model, int k, int users, List<List<ScoredItem>> answers) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long wall = System.nanoTime();
        long process = processCpu();
        long cpu = threads.getCurrentThreadCpuTime();
        for (int u = 0; u < users; u++) {
            answers.add(model.recommend(RecommendRequest.forUser(Integer.toString(u), k)));
        }
        return new long[] {threads.getCurrentThreadCpuTime() - cpu, processCpu() - process, System.nanoTime() - wall};
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        int k = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int users = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Recommender[] models = new Recommender[PATHS.length];
        for (int p = 0; p < PATHS.length; p++) {
            System.setProperty("recsysrl.topk", PATHS[p]);
            models[p] = Recommender.load(file);
        }
        System.clearProperty("recsysrl.topk");
        System.out.printf(Locale.ROOT, "%,d items; CPU: %s; load %s%n", models[0].itemCount(), cpuModel(), load());
        for (int round = 1; round <= rounds; round++) {
            List<List<List<ScoredItem>>> answers = new ArrayList<>();
            StringBuilder line = new StringBuilder();
            for (int p = 0; p < PATHS.length; p++) {
                List<List<ScoredItem>> a = new ArrayList<>();
                long[] t = run(models[p], k, users, a);
                answers.add(a);
                line.append(String.format(Locale.ROOT, " | %s: %.2f ms thread, %.2f ms process, %.2f ms wall", PATHS[p],
                        t[0] / 1e6 / users, t[1] / 1e6 / users, t[2] / 1e6 / users));
            }
            int differ = 0;
            for (int u = 0; u < users; u++) {
                if (!same(answers.get(0).get(u), answers.get(1).get(u)) || !same(answers.get(0).get(u), answers.get(2).get(u))) {
                    differ++;
                }
            }
            System.out.printf(Locale.ROOT, "round %d, top-%d, per user%s | answers differing: %d | load %s%n", round, k,
                    line, differ, load());
            if (differ > 0) {
                System.exit(1);
            }
        }
    }

    static String cpuModel() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (java.io.IOException e) {
            // no /proc
        }
        return "?";
    }

    /** Same ids and the same score bits, in the same order. */
    static boolean same(List<ScoredItem> x, List<ScoredItem> y) {
        if (x.size() != y.size()) {
            return false;
        }
        for (int r = 0; r < x.size(); r++) {
            if (!x.get(r).id().equals(y.get(r).id())
                    || Float.floatToRawIntBits(x.get(r).score()) != Float.floatToRawIntBits(y.get(r).score())) {
                return false;
            }
        }
        return true;
    }
}
