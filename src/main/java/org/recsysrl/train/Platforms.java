package org.recsysrl.train;

import java.util.List;
import org.recsysrl.util.UserInputException;

/**
 * The registry of platform environments: adding one means writing its {@link Platform} and
 * listing it here (and its name in {@code config.EnvConfig.PLATFORMS}, which a test keeps equal to
 * this list; the config layer imports nothing, so it cannot read this one).
 */
public final class Platforms {
    private static final List<Platform> ALL = List.of(new ShortVideoPlatform());

    private Platforms() {
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
