package org.recsysrl.cli;

import java.util.concurrent.Callable;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.Presets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code recsys-rl presets [NAME]}: lists the presets, or prints one preset's settings as JSON. */
@Command(name = "presets", mixinStandardHelpOptions = true,
        description = "List the named presets of train, or print every setting of one of them as JSON.")
final class PresetsCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "NAME", description = "a preset to print in full")
    String name;

    @Override
    public Integer call() {
        if (name != null) {
            System.out.println(ConfigJson.toJson(Presets.get(name)));
            return 0;
        }
        for (Presets.Preset p : Presets.all()) {
            System.out.println(p.name() + (p.name().equals("default") ? " (the defaults of train)" : ""));
            System.out.println("    " + p.description());
        }
        System.out.println("Use one with `recsys-rl train --preset NAME`; print its settings with `recsys-rl presets NAME`.");
        return 0;
    }
}
