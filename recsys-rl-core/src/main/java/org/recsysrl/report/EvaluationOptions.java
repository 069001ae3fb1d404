package org.recsysrl.report;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code evaluate} was asked for: plain values, read from the command line or built by a
 * caller of the library.
 *
 * @param checkpoint the {@code .safetensors} file written by training
 * @param episodes episodes (or users) per policy
 * @param sample sample the agent's actions instead of taking the most probable
 * @param seed seed of the users drawn and of the policies' randomness
 * @param algo when not null, the algorithm the checkpoint must have been trained with
 * @param data for a checkpoint trained on a data set: that data set, or null for the recorded path
 * @param k length of the ranked lists (MovieLens)
 * @param models for a checkpoint trained on logs: the baselines beside it ({@code all} or a list)
 * @param compare for a checkpoint trained on logs: other checkpoints evaluated beside it
 * @param stored for a checkpoint trained on logs: where the baselines' finished runs are kept
 */
public record EvaluationOptions(Path checkpoint, int episodes, boolean sample, long seed, String algo, Path data,
        int k, String models, List<Path> compare, StoredRuns stored) {
    /** Copies {@code compare}. */
    public EvaluationOptions {
        compare = List.copyOf(compare);
    }

    /** As above, with the baselines' runs stored beside the data. */
    public EvaluationOptions(Path checkpoint, int episodes, boolean sample, long seed, String algo, Path data,
            int k, String models, List<Path> compare) {
        this(checkpoint, episodes, sample, seed, algo, data, k, models, compare, StoredRuns.BESIDE_DATA);
    }
}
