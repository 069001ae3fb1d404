package org.recsysrl.workload;

import java.util.List;
import org.recsysrl.config.PlatformNames;

/** Gives the config layer the names of {@link Platforms#all()} (found through {@link java.util.ServiceLoader}). */
public final class RegisteredPlatformNames implements PlatformNames {
    /** The service's constructor, called by {@link java.util.ServiceLoader}. */
    public RegisteredPlatformNames() {
    }

    @Override
    public List<String> names() {
        return Platforms.names();
    }
}
