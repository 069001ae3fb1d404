package org.recsysrl.workload;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.recsysrl.config.DataConfig;
import org.recsysrl.config.EvalConfig;
import org.recsysrl.eval.ModelRunCodec;
import org.recsysrl.eval.OfflineBenchmark;
import org.recsysrl.io.AtomicFiles;

/**
 * Baseline runs kept beside the data, so that {@code benchmark} and {@code evaluate} on the same
 * log fit and rank each baseline once. A run is stored under a key that is the SHA-256 of
 * everything it depends on: the data's SHA-256, the reading and protocol settings
 * ({@code data.*}, {@code eval.*} except the path and the thread count, which change nothing), the
 * model's name and grid, and the code ({@link #codeVersion}). Any change gives another key, so an
 * old file is simply not found; the file also holds its key, and one that does not match or
 * cannot be read is ignored (and overwritten by the next run).
 *
 * <p>What is stored is the finished run (the tuning, the chosen point, every per-user validation
 * and test value, the intervals), not the fitted model: that is all the benchmark needs, and it
 * skips both the fits and the rankings.
 */
public final class BaselineCache implements OfflineBenchmark.RunStore {
    private static final Map<Path, String> JAR_DIGESTS = new ConcurrentHashMap<>();

    private final Path dir;
    private final String context;
    private final java.util.function.Function<Class<?>, String> code;
    private final Consumer<String> warnings;

    /**
     * @param dir where the files go (created when the first run is stored)
     * @param dataSha256 the data's SHA-256
     * @param code the code version of a model family's implementation ({@link #codeVersion} in use)
     * @param warnings receives one line when a file cannot be written (the run goes on)
     */
    public BaselineCache(Path dir, String dataSha256, DataConfig data, EvalConfig eval,
            java.util.function.Function<Class<?>, String> code, Consumer<String> warnings) {
        this.dir = dir;
        EvalConfig anyThreads = new EvalConfig(eval.protocol(), eval.cutoffFraction(), eval.cutoffTime(),
                eval.targets(), eval.coldUsers(), eval.k(), eval.ks(), eval.tuneMetric(), eval.excludeKnown(),
                eval.bootstrap(), eval.seed(), 0);
        this.context = "data " + dataSha256 + "\n" + data.withPath("") + "\n" + anyThreads;
        this.code = code;
        this.warnings = warnings;
    }

    /** The cache beside {@code dataPath}: {@code <data path>.recsys-rl-cache/}, with the real code version. */
    public static BaselineCache beside(Path dataPath, String dataSha256, DataConfig data, EvalConfig eval,
            Consumer<String> warnings) {
        Path abs = dataPath.toAbsolutePath().normalize();
        Path dir = abs.resolveSibling(abs.getFileName() + ".recsys-rl-cache");
        return new BaselineCache(dir, dataSha256, data, eval, BaselineCache::codeVersion, warnings);
    }

    /** The directory the files go to. */
    public Path directory() {
        return dir;
    }

    /**
     * The version of the code that produced a run of {@code implementation}: the SHA-256 of the
     * jar it was loaded from (any rebuild changes it), or, run from class directories (tests, an
     * IDE), of every class file in its package and in the evaluation package.
     */
    public static String codeVersion(Class<?> implementation) {
        try {
            Path where = Path.of(implementation.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(where)) {
                return JAR_DIGESTS.computeIfAbsent(where, BaselineCache::digestFile);
            }
            MessageDigest d = sha256();
            for (Class<?> c : new Class<?>[] {implementation, OfflineBenchmark.class}) {
                Path pkg = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI())
                        .resolve(c.getPackageName().replace('.', '/'));
                try (var files = Files.list(pkg)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                        d.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                        d.update(Files.readAllBytes(f));
                    }
                }
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
            // unknown code: a key no later run repeats, so nothing stale is ever used
            return "unknown-" + System.nanoTime();
        }
    }

    private static String digestFile(Path file) {
        MessageDigest d = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                d.update(buf, 0, n);
            }
        } catch (IOException e) {
            return "unreadable-" + System.nanoTime();
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The full key of a run: everything it depends on, hashed. */
    String key(String model, Class<?> implementation, String grid) {
        String material = context + "\nmodel " + model + "\ngrid " + grid + "\ncode " + code.apply(implementation);
        return HexFormat.of().formatHex(sha256().digest(material.getBytes(StandardCharsets.UTF_8)));
    }

    /** The file of a run. */
    Path file(String model, String key) {
        return dir.resolve(model.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + key.substring(0, 16) + ".run");
    }

    @Override
    public OfflineBenchmark.ModelRun load(String model, Class<?> implementation, String grid) {
        String key = key(model, implementation, grid);
        Path f = file(model, key);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f), 1 << 16))) {
            if (!in.readUTF().equals(key)) {
                return null;
            }
            OfflineBenchmark.ModelRun run = ModelRunCodec.read(in);
            return run.name().equals(model) && run.test() != null ? run : null;
        } catch (IOException | RuntimeException e) {
            return null; // damaged or of another version: fitted again and rewritten
        }
    }

    @Override
    public void save(String model, Class<?> implementation, String grid, OfflineBenchmark.ModelRun run) {
        String key = key(model, implementation, grid);
        Path f = file(model, key);
        try {
            AtomicFiles.write(f, stream -> {
                DataOutputStream out = new DataOutputStream(stream);
                out.writeUTF(key);
                ModelRunCodec.write(run, out);
                out.flush();
            });
        } catch (IOException | RuntimeException e) {
            warnings.accept(String.format(Locale.ROOT, "could not store the %s run in %s (%s): it will be fitted"
                    + " again next time; pass --cache-dir to choose a writable place, or --no-cache", model, dir,
                    e.getMessage()));
        }
    }
}
