import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.recsysrl.api.Int8ItemIndex;
import org.recsysrl.api.ItemIndex;
import org.recsysrl.api.RecommendRequest;
import org.recsysrl.api.Recommender;
import org.recsysrl.api.ScoredItem;
import org.recsysrl.serve.HnswItemIndex;

/**
 * An index against the exact path, in one JVM: loads a checkpoint, builds the HNSW index (or, with
 * SETTINGS {@code int8}, the exact int8 index) as {@code serve --index SETTINGS} does (build wall
 * time and this thread's CPU time), then
 * for REQUESTS random requests (a random known user and a random history of 0 to 3 items, so the
 * states differ even with few users) compares the index's top 10 with the exact path's (recall@10,
 * and how many answers have the same items in the same order), and times both (this thread's CPU per call, three rounds over the same requests; the first
 * includes the JIT's work).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -XX:+UseSerialGC -cp target/recsys-rl.jar scripts/IndexRecall.java \
 *     CHECKPOINT [SETTINGS=hnsw] [REQUESTS=1000] [BUILD_THREADS=cores] [EF,EF,...]
 *
 * (the last argument searches the one graph with each ef in turn)
 * </pre>
 */
public class IndexRecall {
    public static void main(String[] args) {
        Recommender model = Recommender.load(Path.of(args[0]));
        String settings = args.length > 1 ? args[1] : "hnsw";
        int requests = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long wall = System.nanoTime();
        long cpu0 = cpu.getCurrentThreadCpuTime();
        if (settings.equals("int8")) {
            Int8ItemIndex int8 = Int8ItemIndex.of(model.logitVectors());
            System.out.printf("build int8 (%s scan): %.1f s wall, %.1f s of this thread's CPU (%d items)%n",
                    int8.backend(), (System.nanoTime() - wall) / 1e9, (cpu.getCurrentThreadCpuTime() - cpu0) / 1e9,
                    model.itemCount());
            measure(model, int8, "int8", requests, cpu);
            return;
        }
        HnswItemIndex built = HnswItemIndex.build(model.logitVectors(), settings, threads);
        System.out.printf("build %s: %.1f s wall, %.1f s of this thread's CPU, %d threads (%d items)%n", settings,
                (System.nanoTime() - wall) / 1e9, (cpu.getCurrentThreadCpuTime() - cpu0) / 1e9, threads,
                model.itemCount());
        for (String ef : (args.length > 4 ? args[4] : "0").split(",")) {
            HnswItemIndex index = Integer.parseInt(ef) > 0 ? built.searchingWith(Integer.parseInt(ef)) : built;
            measure(model, index, index.settings().toString(), requests, cpu);
            System.out.printf("items visited per search %.0f%n", index.meanVisited());
        }
    }

    private static void measure(Recommender model, ItemIndex index, String name, int requests, ThreadMXBean cpu) {
        System.out.println("searching with " + name);
        long fallbacks = model.indexFallbacks();
        Random rng = new Random(42);
        int users = Math.max(1, model.info().users());
        List<RecommendRequest> asked = new ArrayList<>();
        for (int r = 0; r < requests; r++) {
            List<String> history = new ArrayList<>();
            for (int h = rng.nextInt(4); h > 0; h--) {
                history.add(Integer.toString(rng.nextInt(model.itemCount())));
            }
            asked.add(new RecommendRequest(Integer.toString(rng.nextInt(users)), history, null, null, 10));
        }
        double hits = 0;
        double worst = 1;
        int sameList = 0;
        int shown = 0;
        long rescored = 0; // int8: items scored exactly
        for (RecommendRequest q : asked) {
            List<String> exactIds = model.recommend(q).stream().map(ScoredItem::id).toList();
            Set<String> exact = new HashSet<>(exactIds);
            List<String> got = model.recommend(q, index).stream().map(ScoredItem::id).toList();
            if (index instanceof Int8ItemIndex int8) {
                rescored += int8.lastCandidates();
            }
            int found = 0;
            for (String id : got) {
                found += exact.contains(id) ? 1 : 0;
            }
            if (got.equals(exactIds)) {
                sameList++;
            } else if (shown++ < 3) { // show the first few differences
                System.out.println("differs: " + q + "\n  exact " + model.recommend(q) + "\n  index "
                        + model.recommend(q, index));
            }
            hits += found / 10.0;
            worst = Math.min(worst, found / 10.0);
        }
        System.out.printf("recall@10 over %d requests: %.4f (worst request %.1f), the same items in the same order"
                + " %d, exact-path fallbacks %d%n", requests, hits / requests, worst, sameList,
                model.indexFallbacks() - fallbacks);
        if (index instanceof Int8ItemIndex) {
            System.out.printf("int8: items scored exactly per request %.1f%n", rescored / (double) requests);
        }
        for (int round = 0; round < 3; round++) {
            double[] exact = cpuPerCall(cpu, () -> asked.forEach(model::recommend), requests);
            double[] indexed = cpuPerCall(cpu, () -> asked.forEach(q -> model.recommend(q, index)), requests);
            System.out.printf("round %d: exact %.1f µs CPU per call (process %.1f), index %.1f µs CPU per call"
                    + " (process %.1f)%n", round, exact[0], exact[1], indexed[0], indexed[1]);
        }
    }

    /**
     * CPU µs per call of the calling thread and of the whole process (which counts a helper thread
     * that scans half of a large int8 table, and also the JIT's and the collector's threads).
     */
    private static double[] cpuPerCall(ThreadMXBean cpu, Runnable calls, int count) {
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                ManagementFactory.getOperatingSystemMXBean();
        long start = cpu.getCurrentThreadCpuTime();
        long process = os.getProcessCpuTime();
        calls.run();
        return new double[] {(cpu.getCurrentThreadCpuTime() - start) / 1e3 / count,
                (os.getProcessCpuTime() - process) / 1e3 / count};
    }
}
