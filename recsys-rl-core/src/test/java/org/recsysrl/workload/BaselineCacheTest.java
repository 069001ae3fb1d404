package org.recsysrl.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.baselines.Baselines;
import org.recsysrl.config.DataConfig;
import org.recsysrl.config.EvalConfig;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.Interactions;
import org.recsysrl.data.Layout;
import org.recsysrl.data.TinyLog;
import org.recsysrl.eval.OfflineBenchmark;
import org.recsysrl.eval.OfflineSplit;
import org.recsysrl.eval.ProtocolSpec;
import org.recsysrl.recommend.FitContext;
import org.recsysrl.recommend.Hyperparameters;
import org.recsysrl.recommend.ModelFamily;

/** Stored baseline runs: found again with the same data, settings and code, and with nothing else. */
class BaselineCacheTest {
    @TempDir
    Path dir;

    /** Markov, counting how often it is prepared (a fit). */
    private static final class Counted implements ModelFamily {
        final ModelFamily inner = Baselines.select("markov").get(0);
        final AtomicInteger fits = new AtomicInteger();

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public String description() {
            return inner.description();
        }

        @Override
        public List<Hyperparameters> grid(Interactions train, FitContext context) {
            return inner.grid(train, context);
        }

        @Override
        public Fitter prepare(Interactions train, FitContext context) {
            fits.incrementAndGet();
            return inner.prepare(train, context);
        }
    }

    private final InteractionLog log = TinyLog.random(41, 120, 30, 10, Layout.LOG_CSV);
    private final OfflineSplit split = OfflineSplit.of(log, ProtocolSpec.LOO);
    private final OfflineBenchmark.Settings settings = new OfflineBenchmark.Settings(new int[] {5, 10}, 10, "ndcg", true,
            100, 100, 3, 1);

    private BaselineCache cache(String sha, EvalConfig eval, String code, List<String> warnings) {
        return new BaselineCache(dir.resolve("cache"), sha, DataConfig.defaults(), eval, c -> code, warnings::add);
    }

    private OfflineBenchmark.Report run(Counted family, OfflineBenchmark.RunStore store, List<String> lines) {
        return OfflineBenchmark.run(split, List.of(family), List.of(), settings, lines::add, store);
    }

    @Test
    void aStoredRunIsTakenAgainOnlyForTheSameDataSettingsAndCode() throws Exception {
        Counted family = new Counted();
        List<String> warnings = new ArrayList<>();
        EvalConfig eval = EvalConfig.defaults();
        List<String> lines = new ArrayList<>();
        OfflineBenchmark.Report first = run(family, cache("aaa", eval, "v1", warnings), lines);
        assertThat(family.fits).hasValue(1);
        try (var files = Files.list(dir.resolve("cache"))) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).singleElement().asString()
                    .startsWith("markov-").endsWith(".run");
        }

        lines.clear();
        OfflineBenchmark.Report again = run(family, cache("aaa", eval, "v1", warnings), lines);
        assertThat(family.fits).as("same data, settings and code: not fitted again").hasValue(1);
        assertThat(lines).anyMatch(l -> l.startsWith("markov: stored run"));
        OfflineBenchmark.ModelRun a = first.model("markov");
        OfflineBenchmark.ModelRun b = again.model("markov");
        assertThat(b.test().values()).containsExactly(a.test().values());
        assertThat(b.test().users()).containsExactly(a.test().users());
        assertThat(b.validation().values()).containsExactly(a.validation().values());
        assertThat(b.chosen()).isEqualTo(a.chosen());
        assertThat(b.tuning()).isEqualTo(a.tuning());
        assertThat(b.intervals()).containsExactly(a.intervals());
        assertThat(b.test().catalog()).isEqualTo(a.test().catalog());
        assertThat(b.fitSeconds()).isEqualTo(a.fitSeconds());

        // threads and the data's path change nothing
        EvalConfig twoThreads = new EvalConfig(eval.protocol(), eval.cutoffFraction(), eval.cutoffTime(),
                eval.targets(), eval.coldUsers(), eval.k(), eval.ks(), eval.tuneMetric(), eval.excludeKnown(),
                eval.bootstrap(), eval.seed(), 2);
        run(family, cache("aaa", twoThreads, "v1", warnings), lines);
        assertThat(family.fits).hasValue(1);

        // other data, other settings, other code: fitted again
        run(family, cache("bbb", eval, "v1", warnings), lines);
        assertThat(family.fits).as("other data").hasValue(2);
        EvalConfig otherSeed = new EvalConfig(eval.protocol(), eval.cutoffFraction(), eval.cutoffTime(),
                eval.targets(), eval.coldUsers(), eval.k(), eval.ks(), eval.tuneMetric(), eval.excludeKnown(),
                eval.bootstrap(), 99L, eval.threads());
        run(family, cache("aaa", otherSeed, "v1", warnings), lines);
        assertThat(family.fits).as("other eval.seed").hasValue(3);
        run(family, cache("aaa", eval, "v2", warnings), lines);
        assertThat(family.fits).as("other code").hasValue(4);
        // no store: always fitted
        run(family, OfflineBenchmark.RunStore.NONE, lines);
        assertThat(family.fits).hasValue(5);
        assertThat(warnings).isEmpty();
    }

    @Test
    void aDamagedFileIsIgnoredAndRewritten() throws Exception {
        Counted family = new Counted();
        List<String> warnings = new ArrayList<>();
        run(family, cache("aaa", EvalConfig.defaults(), "v1", warnings), new ArrayList<>());
        Path file;
        try (var files = Files.list(dir.resolve("cache"))) {
            file = files.findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        run(family, cache("aaa", EvalConfig.defaults(), "v1", warnings), new ArrayList<>());
        assertThat(family.fits).hasValue(2);
        assertThat(Files.size(file)).isEqualTo(bytes.length);
        run(family, cache("aaa", EvalConfig.defaults(), "v1", warnings), new ArrayList<>());
        assertThat(family.fits).hasValue(2);
    }

    @Test
    void aStoreThatCannotBeWrittenWarnsAndTheRunGoesOn() throws Exception {
        Path blocker = dir.resolve("file");
        Files.writeString(blocker, "not a directory");
        List<String> warnings = new ArrayList<>();
        BaselineCache cache = new BaselineCache(blocker.resolve("cache"), "aaa", DataConfig.defaults(),
                EvalConfig.defaults(), c -> "v1", warnings::add);
        Counted family = new Counted();
        OfflineBenchmark.Report r = run(family, cache, new ArrayList<>());
        assertThat(r.model("markov").test()).isNotNull();
        assertThat(warnings).singleElement().asString().startsWith("could not store the markov run in ")
                .contains("--no-cache");
    }

    @Test
    void theCodeVersionOfClassDirectoriesIsAHashOfTheirClassFiles() {
        String v = BaselineCache.codeVersion(Baselines.class);
        assertThat(v).hasSize(64).isEqualTo(BaselineCache.codeVersion(Baselines.class))
                .isNotEqualTo(BaselineCache.codeVersion(BaselineCacheTest.class));
    }
}
