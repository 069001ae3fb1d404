package org.recsysrl.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.recsysrl.config.RunConfig;
import org.recsysrl.report.SweepOptions;
import org.recsysrl.report.SweepResult;
import org.recsysrl.report.Sweeps;
import org.recsysrl.util.UserInputException;
import org.recsysrl.workload.Algorithm;
import org.recsysrl.workload.Platforms;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code recsys-rl sweep}: one configuration (or a grid of them) over several seeds, evaluated. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Train a configuration (or every combination of --grid values) over several seeds on"
                + " the simulator, evaluate each run against the reference policies, and print mean ± std of"
                + " the personalisation score P and the return per configuration. Runs are independent and"
                + " deterministic per seed; they share the cores."})
final class SweepCommand implements Callable<Integer> {
    @Option(names = "--algo", defaultValue = "ppo", description = "ppo or a2c (default: ${DEFAULT-VALUE})")
    String algo;

    @Mixin
    RunOptions run;

    @Mixin
    SettingsOptions settings;

    @Option(names = "--grid", paramLabel = "group.field=v1;v2",
            description = "values to sweep, separated by ';' (repeatable: every combination is run)")
    List<String> grid = new ArrayList<>();

    @Option(names = "--seeds", defaultValue = "5", description = "seeds 1..N per configuration (default: ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--episodes", defaultValue = "200", description = "evaluation episodes per policy (default: ${DEFAULT-VALUE})")
    int episodes;

    @Option(names = "--threads", description = "runs in parallel (default: the number of cores)")
    Integer threads;

    @Option(names = "--out", defaultValue = "sweep", description = "directory of runs.csv, summary.csv, curves.csv"
            + " and curves.svg (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws InterruptedException {
        Algorithm.actorCritic(algo);
        if (seeds <= 0 || episodes <= 0 || (threads != null && threads <= 0)) {
            throw new UserInputException("--seeds, --episodes and --threads must be positive");
        }
        List<String> sets = settings.sets();
        run.addTo(sets);
        RunConfig base = Platforms.withSettings(settings.withFile(run.preset()), sets, System.out::println);
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        SweepResult result = Sweeps.run(new SweepOptions(algo, base, run.preset, grid, seeds, episodes, t),
                System.out::println);
        System.out.print(result.text());
        for (Map.Entry<String, String> file : result.files().entrySet()) {
            OutputFiles.writeString(out.resolve(file.getKey()), file.getValue(), "--out");
        }
        List<String> names = new ArrayList<>(result.files().keySet());
        System.out.println("wrote " + out.resolve(names.get(0)) + ", " + String.join(", ", names.subList(1, names.size())));
        return 0;
    }
}
