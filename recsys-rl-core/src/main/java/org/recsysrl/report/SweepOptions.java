package org.recsysrl.report;

import java.util.List;
import org.recsysrl.config.RunConfig;

/**
 * What {@code sweep} was asked for.
 *
 * @param algo the algorithm's name ({@code ppo} or {@code a2c})
 * @param base the settings every run starts from (preset, platform settings, {@code --set}s)
 * @param baseLabel the configuration's label when there is no grid (the preset's name)
 * @param grid the swept settings, each {@code group.field=v1;v2}; every combination is run
 * @param seeds seeds 1..N per configuration
 * @param episodes evaluation episodes (or users) per policy
 * @param threads runs in parallel
 */
public record SweepOptions(String algo, RunConfig base, String baseLabel, List<String> grid, int seeds, int episodes,
        int threads) {
    /** Copies {@code grid}. */
    public SweepOptions {
        grid = List.copyOf(grid);
    }
}
