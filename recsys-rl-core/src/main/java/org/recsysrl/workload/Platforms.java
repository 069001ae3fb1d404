package org.recsysrl.workload;

import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.RunConfig;
import org.recsysrl.setup.Platform;
import org.recsysrl.util.UserInputException;

/**
 * The registry of platform environments. A platform is registered by one line, its
 * {@link Platform} class, in {@code META-INF/services/org.recsysrl.setup.Platform} (the core's
 * resources), and read from there through {@link ServiceLoader} in the order listed; the config
 * layer's list of {@code env.type} values ({@code config.EnvConfig.platforms()}) comes from here
 * through {@link RegisteredPlatformNames}, so nothing else names a platform.
 */
public final class Platforms {
    private static final List<Platform> ALL = load();

    private Platforms() {
    }

    private static List<Platform> load() {
        List<Platform> all = ServiceLoader.load(Platform.class, Platforms.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList();
        Set<String> names = new HashSet<>();
        for (Platform p : all) {
            if (!names.add(p.name())) {
                throw new IllegalStateException("two registered platforms are named " + p.name());
            }
        }
        return all;
    }

    /** Every registered platform, in the order they are listed. */
    public static List<Platform> all() {
        return ALL;
    }

    /** The names of {@link #all()}. */
    public static List<String> names() {
        return ALL.stream().map(Platform::name).toList();
    }

    /**
     * {@code configured} (the preset and any config file) with {@code sets} applied, and, when that
     * selects a platform, the platform's {@link Platform#settings} applied in between, so that a
     * {@code --set} still overrides them. {@code announce} receives one line naming them, if any.
     */
    public static RunConfig withSettings(RunConfig configured, List<String> sets,
            java.util.function.Consumer<String> announce) {
        RunConfig cfg = ConfigJson.withOverrides(configured, sets);
        List<String> defaults = Workload.of(cfg).settings();
        if (defaults.isEmpty()) {
            return cfg;
        }
        announce.accept(cfg.env().type() + ": platform settings " + String.join(", ", defaults)
                + " (a --set overrides them)");
        return ConfigJson.withOverrides(ConfigJson.withOverrides(configured, defaults), sets);
    }

    /**
     * The platform named {@code name}.
     *
     * @throws UserInputException naming the known platforms
     */
    public static Platform get(String name) {
        for (Platform p : ALL) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new UserInputException("env.type=" + name + " is not a platform environment; known: "
                + String.join(", ", names()));
    }
}
