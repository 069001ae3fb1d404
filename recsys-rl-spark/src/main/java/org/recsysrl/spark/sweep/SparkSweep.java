package org.recsysrl.spark.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import org.recsysrl.config.Presets;
import org.recsysrl.config.RunConfig;
import org.recsysrl.report.SweepOptions;
import org.recsysrl.report.SweepResult;
import org.recsysrl.report.Sweeps;
import org.recsysrl.util.UserInputException;
import org.recsysrl.workload.Algorithm;
import org.recsysrl.workload.Platforms;

/**
 * {@code SparkMain sweep}: the local {@code recsys-rl sweep}'s settings (preset, {@code --set},
 * {@code --grid}, seeds, evaluation episodes), its runs executed by {@link SparkSweepRunner}, and
 * the same report and files.
 */
public final class SparkSweep {
    private SparkSweep() {
    }

    /**
     * What to sweep, as the local command takes it.
     *
     * @param algo {@code ppo} or {@code a2c}
     * @param preset the starting settings' name
     * @param sets {@code group.field=value} assignments applied over the preset (and the platform's settings)
     * @param grid swept settings, each {@code group.field=v1;v2}
     * @param seeds seeds 1..N per configuration
     * @param episodes evaluation episodes (or users) per policy
     */
    public record Request(String algo, String preset, List<String> sets, List<String> grid, int seeds,
            int episodes) {
        /** Copies the lists. */
        public Request {
            sets = List.copyOf(sets);
            grid = List.copyOf(grid);
        }
    }

    /**
     * A finished sweep.
     *
     * @param text the report printed after the runs' own lines
     * @param files the result files, name → content, in the order they are written
     */
    public record Report(String text, Map<String, String> files) {
        /** Copies the files, keeping their order. */
        public Report {
            files = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(files));
        }
    }

    /**
     * Checks {@code request} (every mistake is found before the session starts), then runs its
     * runs as Spark tasks on {@code session}'s cluster.
     *
     * @param lines receives the platform settings' line, the header and one line per run
     * @throws UserInputException for an unknown algorithm or preset, a bad setting or grid, or a non-positive count
     */
    public static Report run(Request request, Supplier<SparkSession> session, Consumer<String> lines) {
        options(request, 1, line -> { });
        SparkSession spark = session.get();
        SweepOptions options = options(request, spark.sparkContext().defaultParallelism(), lines);
        try {
            SweepResult result = Sweeps.run(options, new SparkSweepRunner(spark), lines);
            return new Report(result.text(), result.files());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the sweep's runs went on", e);
        }
    }

    /**
     * {@code request} as the core's sweep options: the settings the local {@code recsys-rl sweep}
     * builds from the same flags.
     *
     * @param slots the runs the cluster trains at once (its default parallelism), for the header line
     */
    public static SweepOptions options(Request request, int slots, Consumer<String> lines) {
        Algorithm.actorCritic(request.algo());
        if (request.seeds() <= 0) {
            throw new UserInputException("--seeds must be a positive whole number (got " + request.seeds() + ")");
        }
        if (request.episodes() <= 0) {
            throw new UserInputException("--episodes must be a positive whole number (got " + request.episodes() + ")");
        }
        RunConfig base = Platforms.withSettings(Presets.get(request.preset()), new ArrayList<>(request.sets()), lines);
        return new SweepOptions(request.algo(), base, request.preset(), request.grid(), request.seeds(),
                request.episodes(), Math.max(1, slots));
    }
}
