package org.recsysrl.workload;

import java.util.List;
import org.recsysrl.config.RunConfig;

/**
 * What a run is, resolved once from its config ({@code env.type}): the simulator, the
 * {@code movielens} sessions over real ratings, one of the platform environments, or a sequence
 * model trained offline on an interaction log. {@link #of} is the only place that reads
 * {@code env.type}; every entry point (train, evaluate, sweep, bench, the library's
 * {@code Recommender.load}) asks the workload for what differs: the algorithms it trains, its
 * environment setup and memory estimate ({@link EnvironmentWorkload}), its serving ids, its log
 * ({@link LogWorkload}), its own settings.
 *
 * <p>Adding a workload means a new record here and a case in {@link #of}; the compiler then names
 * every {@link Visitor} (the evaluation and sweep workflows) that must say what to do with it.
 */
public sealed interface Workload permits EnvironmentWorkload, LogWorkload {

    /** The workload {@code cfg.env().type()} names. */
    static Workload of(RunConfig cfg) {
        String type = cfg.env().type();
        if (cfg.env().logs()) {
            return new LogWorkload(cfg);
        }
        if (cfg.env().ratingLog()) {
            return new MovieLensWorkload(cfg);
        }
        if (cfg.env().platform()) {
            return new PlatformWorkload(cfg, Platforms.get(type));
        }
        return new SimulatorWorkload(cfg);
    }

    /** The run's settings. */
    RunConfig config();

    /** Its name as models report it: {@code simulator}, {@code movielens}, {@code logs} or the platform's. */
    String name();

    /** Whether it reads a data set ({@code data.path}): {@code movielens} and {@code logs}. */
    default boolean readsData() {
        return false;
    }

    /** What it trains: an actor-critic in an environment, or a sequence model on a log. */
    Algorithm.Family family();

    /**
     * The algorithm {@code id} if this workload trains it.
     *
     * @throws org.recsysrl.util.UserInputException naming the algorithms it trains
     */
    Algorithm algorithm(String id);

    /**
     * Settings ({@code group.field=value}) this workload trains with unless the user sets them:
     * applied after the preset and before {@code --set} ({@link Platforms#withSettings}).
     */
    default List<String> settings() {
        return List.of();
    }

    /**
     * The simulator workload a command that runs only the simulator (bench's training runs, the
     * simulator sweep) uses for this config.
     *
     * @throws org.recsysrl.util.UserInputException naming env.type, where the simulator does not apply
     */
    SimulatorWorkload requireSimulator();

    /** Calls the visitor's method for this workload's kind. */
    <R> R accept(Visitor<R> visitor);

    /** One method per kind of workload: an exhaustive switch the compiler checks. */
    interface Visitor<R> {
        R simulator(SimulatorWorkload w);

        R movieLens(MovieLensWorkload w);

        R platform(PlatformWorkload w);

        R logs(LogWorkload w);
    }
}
