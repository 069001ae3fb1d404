package org.recsysrl.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.RunConfig;
import picocli.CommandLine.Option;

/**
 * The options that change settings, shared by the commands that run on a {@link RunConfig}
 * ({@code train}, {@code sweep}, {@code benchmark}): a JSON file of settings and single
 * {@code --set group.field=value} overrides. A command's own flags (e.g. {@code --seed}) are added
 * to {@link #sets()} after these, so they win.
 */
final class SettingsOptions {
    @Option(names = "--config", paramLabel = "FILE.json", description = "JSON file of settings, e.g. {\"ppo\": {\"lr\": 0.001}}")
    Path config;

    @Option(names = "--set", paramLabel = "group.field=value", description = "override one setting (repeatable)")
    List<String> overrides = new ArrayList<>();

    /** {@code base} with the {@code --config} file applied, if one was given. */
    RunConfig withFile(RunConfig base) {
        return config == null ? base : ConfigJson.load(base, config);
    }

    /** A fresh, modifiable list of the {@code --set} assignments, in the order given. */
    List<String> sets() {
        return new ArrayList<>(overrides);
    }
}
