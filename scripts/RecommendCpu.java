import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.List;
import org.recsysrl.api.RecommendRequest;
import org.recsysrl.api.Recommender;
import org.recsysrl.api.ScoredItem;

/**
 * CPU time of the library call on a shared host, where wall time says little: loads a checkpoint,
 * asks for the top 10 of users 0 … 99 in turn, and prints, for three rounds of CALLS calls, the
 * wall and the calling thread's CPU time per call (the first round includes the JIT's work).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp target/recsys-rl.jar scripts/RecommendCpu.java CHECKPOINT [CALLS]
 * </pre>
 */
public class RecommendCpu {
    public static void main(String[] args) {
        Recommender model = Recommender.load(Path.of(args[0]));
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int users = Math.max(1, Math.min(100, model.info().users()));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int round = 0; round < 3; round++) {
            long wall = System.nanoTime();
            long cpu = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < calls; i++) {
                List<ScoredItem> top = model.recommend(RecommendRequest.forUser(Integer.toString(i % users), 10));
                sink += top.get(0).id().hashCode();
            }
            cpu = threads.getCurrentThreadCpuTime() - cpu;
            wall = System.nanoTime() - wall;
            System.out.printf("round %d: %.1f µs wall, %.1f µs CPU per call (%d items)%n", round, wall / 1e3 / calls,
                    cpu / 1e3 / calls, model.itemCount());
        }
        System.out.println(sink == 42 ? "" : "done");
    }
}
