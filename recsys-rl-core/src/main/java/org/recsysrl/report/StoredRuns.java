package org.recsysrl.report;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.recsysrl.config.RunConfig;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.eval.OfflineBenchmark;
import org.recsysrl.workload.BaselineCache;

/**
 * Where {@code benchmark} and {@code evaluate} keep the baselines' finished runs (docs/scale.md).
 *
 * @param disabled {@code --no-cache}: fit and rank every baseline again
 * @param directory {@code --cache-dir}, or null for {@code <data>.recsys-rl-cache} beside the data
 */
public record StoredRuns(boolean disabled, Path directory) {
    /** The default: runs stored beside the data. */
    public static final StoredRuns BESIDE_DATA = new StoredRuns(false, null);

    /** The store for {@code data} read with {@code cfg}; says on {@code log} where it is. */
    public OfflineBenchmark.RunStore open(RunConfig cfg, InteractionLog data, PrintStream log) {
        if (disabled) {
            return OfflineBenchmark.RunStore.NONE;
        }
        Consumer<String> warn = line -> log.println("warning: " + line);
        BaselineCache cache = directory != null
                ? new BaselineCache(directory, data.identity().sha256(), cfg.data(), cfg.eval(),
                        BaselineCache::codeVersion, warn)
                : BaselineCache.beside(Path.of(data.identity().path()), data.identity().sha256(), cfg.data(),
                        cfg.eval(), warn);
        log.println("baseline runs are stored in " + cache.directory() + " (--no-cache fits them again)");
        return cache;
    }
}
