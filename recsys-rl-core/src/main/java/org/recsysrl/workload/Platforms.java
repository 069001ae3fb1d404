package org.recsysrl.workload;

import java.util.List;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.RunConfig;
import org.recsysrl.env.platform.ecommerce.EcommercePlatform;
import org.recsysrl.env.platform.education.EducationPlatform;
import org.recsysrl.env.platform.interestevolution.InterestEvolutionPlatform;
import org.recsysrl.env.platform.longvideo.LongVideoPlatform;
import org.recsysrl.env.platform.shortvideo.ShortVideoPlatform;
import org.recsysrl.env.platform.socialfeed.SocialFeedPlatform;
import org.recsysrl.setup.Platform;
import org.recsysrl.util.UserInputException;

/**
 * The registry of platform environments: adding one means writing its {@link Platform} and
 * listing it here (and its name in {@code config.EnvConfig.PLATFORMS}, which a test keeps equal to
 * this list; the config layer imports nothing, so it cannot read this one).
 */
public final class Platforms {
    private static final List<Platform> ALL = List.of(new ShortVideoPlatform(), new EducationPlatform(),
            new EcommercePlatform(), new InterestEvolutionPlatform(), new SocialFeedPlatform(),
            new LongVideoPlatform());
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
