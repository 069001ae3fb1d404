import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.recsysrl.api.RecommendRequest;
import org.recsysrl.api.Recommender;
import org.recsysrl.api.ScoredItem;

/**
 * CPU time per request of {@code Recommender.recommendAll} with groups of 1, 2, 4, 8 and 16
 * requests (top 10 for users 0 … 99 in turn), against {@code recommend} one by one, on the calling
 * thread; and a check that every grouped answer equals the single call's, bit for bit. Three rounds
 * of about CALLS requests per group size, the last printed (the first ones warm the JIT).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -XX:+UseSerialGC -cp target/recsys-rl.jar scripts/SharedPassCpu.java CHECKPOINT [CALLS]
 * </pre>
 */
public class SharedPassCpu {
    public static void main(String[] args) {
        Recommender model = Recommender.load(Path.of(args[0]));
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 1600;
        int users = Math.max(1, Math.min(100, model.info().users()));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sink = 0;
        int mismatches = 0;
        for (int group : new int[] {0, 1, 2, 4, 8, 16}) { // 0: recommend, one call each
            double last = 0;
            for (int round = 0; round < 3; round++) {
                long cpu = threads.getCurrentThreadCpuTime();
                int done = 0;
                while (done < calls) {
                    if (group == 0) {
                        sink += model.recommend(request(done++, users)).get(0).id().hashCode();
                        continue;
                    }
                    List<RecommendRequest> batch = new ArrayList<>(group);
                    for (int b = 0; b < group; b++) {
                        batch.add(request(done++, users));
                    }
                    for (Recommender.Answer a : model.recommendAll(batch)) {
                        sink += a.items().get(0).id().hashCode();
                    }
                }
                last = (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / done;
            }
            if (group > 1) {
                mismatches += compare(model, group, users);
            }
            System.out.printf("%s: %.1f µs CPU per request (%d items)%n",
                    group == 0 ? "recommend, one by one" : "recommendAll, groups of " + group, last, model.itemCount());
        }
        System.out.println("answers different from recommend's: " + mismatches + (sink == 42 ? "" : ""));
    }

    private static RecommendRequest request(int i, int users) {
        return RecommendRequest.forUser(Integer.toString(i % users), 10);
    }

    /** How many of 2 × group grouped answers differ from the single calls' (ids or score bits). */
    private static int compare(Recommender model, int group, int users) {
        int differ = 0;
        for (int start = 0; start < 2 * group; start += group) {
            List<RecommendRequest> batch = new ArrayList<>();
            for (int b = 0; b < group; b++) {
                batch.add(request(start + 7 * b + 3, users));
            }
            List<Recommender.Answer> together = model.recommendAll(batch);
            for (int b = 0; b < group; b++) {
                List<ScoredItem> alone = model.recommend(batch.get(b));
                if (!same(alone, together.get(b).items())) {
                    differ++;
                }
            }
        }
        return differ;
    }

    private static boolean same(List<ScoredItem> a, List<ScoredItem> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).id().equals(b.get(i).id())
                    || Float.floatToRawIntBits(a.get(i).score()) != Float.floatToRawIntBits(b.get(i).score())) {
                return false;
            }
        }
        return true;
    }
}
