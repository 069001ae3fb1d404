package org.recsysrl.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.recsysrl.report.CheckpointEvaluation;
import org.recsysrl.report.EvaluationOptions;
import org.recsysrl.report.StoredRuns;
import org.recsysrl.report.EvaluationResult;
import org.recsysrl.util.UserInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code recsys-rl evaluate}: plays episodes with a checkpoint and the reference policies. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a checkpoint against random, best-constant and greedy-oracle policies"
                + " on the same users, in the exact environment it was trained on.")
final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    CheckpointOption checkpoint;

    @Option(names = "--episodes", defaultValue = "10", description = "episodes per policy (default: ${DEFAULT-VALUE})")
    int episodes;

    @Option(names = "--sample", description = "sample actions from the policy instead of taking the most probable")
    boolean sample;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the users drawn (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--algo", description = "optional check that the checkpoint was trained with this algorithm")
    String algo;

    @Mixin
    JsonOption output;

    @Option(names = "--data", paramLabel = "DIR", description = "for a checkpoint trained on real data: the data"
            + " set (default: the path recorded in the checkpoint); it must be the same data")
    Path data;

    @Option(names = "--k", defaultValue = "10", description = "length K of the ranked lists (default: ${DEFAULT-VALUE})")
    int k;

    @Option(names = "--models", defaultValue = "all", description = "for a checkpoint trained on logs: the baselines"
            + " beside it, all or a comma-separated list (default: ${DEFAULT-VALUE})")
    String models;

    @Option(names = "--compare", split = ",", paramLabel = "CHECKPOINT", description = "for a checkpoint trained on"
            + " logs: other checkpoints trained on the same data and protocol (e.g. another algorithm or seed), evaluated"
            + " beside it and compared with it, paired, on the same test users")
    List<Path> compare = List.of();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ProgressOptions progress;

    @Option(names = "--no-cache", description = "for a checkpoint trained on logs: fit and rank every baseline again"
            + " instead of taking its stored run (docs/scale.md)")
    boolean noCache;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "for a checkpoint trained on logs: where baseline"
            + " runs are stored (default: beside the data, <data>.recsys-rl-cache)")
    Path cacheDir;

    /** Upper bound of {@code --episodes}. */
    static final int MAX_EPISODES = 1_000_000;

    @Override
    public Integer call() {
        EvaluationOptions options = options();
        EvaluationResult result = CheckpointEvaluation.run(options, progress.to(output.statusStream()));
        System.out.print(output.json ? result.json() : result.text());
        return 0;
    }

    /** The flags as the workflow's options, refusing values that cannot be right in one line each. */
    private EvaluationOptions options() {
        if (episodes <= 0 || episodes > MAX_EPISODES) {
            throw new UserInputException("--episodes must be in [1, " + MAX_EPISODES + "] (got " + episodes + ")");
        }
        if (k <= 0) {
            throw new UserInputException("--k must be at least 1 (got " + k + ")");
        }
        if (checkpoint.checkpoint.toString().isBlank()) {
            throw new UserInputException("--checkpoint is empty: give the path of a .safetensors file");
        }
        boolean compareGiven = spec != null && spec.commandLine() != null
                && spec.commandLine().getParseResult().hasMatchedOption("--compare");
        for (Path other : compareGiven && compare.isEmpty() ? List.of(Path.of("")) : compare) {
            if (other.toString().isBlank()) {
                throw new UserInputException("--compare has an empty checkpoint path (--compare '" + String.join(",",
                        compare.stream().map(Path::toString).toList()) + "'): give the .safetensors files to compare,"
                        + " separated by ','");
            }
        }
        return new EvaluationOptions(checkpoint.checkpoint, episodes, sample, seed, algo, data, k, models, compare,
                new StoredRuns(noCache, cacheDir));
    }
}
