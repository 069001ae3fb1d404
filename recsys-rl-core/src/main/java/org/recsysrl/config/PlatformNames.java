package org.recsysrl.config;

import java.util.List;

/**
 * The names of the registered platform environments, for the config layer's {@code env.type}
 * check. The config layer imports nothing above it, so the registry ({@code workload.Platforms})
 * supplies them through {@link java.util.ServiceLoader}; a new platform is then one registry line
 * and never an edit here.
 */
public interface PlatformNames {
    /** The names, in the registry's order (e.g. {@code short-video}). */
    List<String> names();
}
