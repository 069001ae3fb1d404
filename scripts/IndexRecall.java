import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.recsysrl.api.ItemIndex;
import org.recsysrl.api.RecommendRequest;
import org.recsysrl.api.Recommender;
import org.recsysrl.api.ScoredItem;
import org.recsysrl.serve.HnswItemIndex;

/**
 * The approximate index against the exact path, in one JVM: loads a checkpoint, builds the HNSW
 * index as {@code serve --index SETTINGS} does (build wall time and this thread's CPU time), then
 * for REQUESTS random requests (a random known user and a random history of 0 to 3 items, so the
 * states differ even with few users) compares the index's top 10 with the exact path's (recall@10),
 * and times both (this thread's CPU per call, three rounds over the same requests; the first
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
        HnswItemIndex built = HnswItemIndex.build(model.logitVectors(), settings, threads);
        System.out.printf("build %s: %.1f s wall, %.1f s of this thread's CPU, %d threads (%d items)%n", settings,
                (System.nanoTime() - wall) / 1e9, (cpu.getCurrentThreadCpuTime() - cpu0) / 1e9, threads,
                model.itemCount());
        for (String ef : (args.length > 4 ? args[4] : "0").split(",")) {
            measure(model, Integer.parseInt(ef) > 0 ? built.searchingWith(Integer.parseInt(ef)) : built, requests, cpu);
        }
    }

    private static void measure(Recommender model, HnswItemIndex index, int requests, ThreadMXBean cpu) {
        System.out.println("searching with " + index.settings());
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
        for (RecommendRequest q : asked) {
            Set<String> exact = new HashSet<>();
            for (ScoredItem s : model.recommend(q)) {
                exact.add(s.id());
            }
            int found = 0;
            for (ScoredItem s : model.recommend(q, index)) {
                found += exact.contains(s.id()) ? 1 : 0;
            }
            hits += found / 10.0;
            worst = Math.min(worst, found / 10.0);
        }
        System.out.printf("recall@10 over %d requests: %.4f (worst request %.1f), exact-path fallbacks %d,"
                + " items visited per search %.0f%n", requests, hits / requests, worst,
                model.indexFallbacks() - fallbacks, index.meanVisited());
        for (int round = 0; round < 3; round++) {
            System.out.printf("round %d: exact %.1f µs CPU per call, index %.1f µs CPU per call%n", round,
                    cpuPerCall(cpu, () -> asked.forEach(model::recommend), requests),
                    cpuPerCall(cpu, () -> asked.forEach(q -> model.recommend(q, index)), requests));
        }
    }

    private static double cpuPerCall(ThreadMXBean cpu, Runnable calls, int count) {
        long start = cpu.getCurrentThreadCpuTime();
        calls.run();
        return (cpu.getCurrentThreadCpuTime() - start) / 1e3 / count;
    }
}
