package org.recsysrl.workload;

import org.recsysrl.config.RunConfig;

/**
 * A sequence model trained offline on an interaction log ({@code env.type=logs}): {@code data.*},
 * {@code eval.*}, {@code seq.*} and the encoder settings of {@code model.*}.
 */
public record LogWorkload(RunConfig config) implements Workload {

    @Override
    public boolean readsData() {
        return true;
    }

    @Override
    public String name() {
        return "logs";
    }

    @Override
    public Algorithm.Family family() {
        return Algorithm.Family.SEQUENCE;
    }

    @Override
    public Algorithm algorithm(String id) {
        return Algorithm.sequence(id);
    }

    /** Reads {@code data.path} and splits it by {@code eval.protocol}. */
    public LogData load() {
        return LogData.load(config.data(), config.eval());
    }

    /** A log has no environment: commands that run only the simulator run it with the rest of the config. */
    @Override
    public SimulatorWorkload requireSimulator() {
        return new SimulatorWorkload(config);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.logs(this);
    }
}
