package org.recsysrl.workload;

import java.util.List;
import java.util.function.Consumer;
import org.recsysrl.config.RunConfig;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.setup.Platform;
import org.recsysrl.setup.Setup;
import org.recsysrl.util.UserInputException;

/** A platform environment ({@code env.type=short-video}, …; {@link Platforms}), seeded by {@code env.seed}. */
public record PlatformWorkload(RunConfig config, Platform platform) implements EnvironmentWorkload {
    /** Items of a session history replayed into a platform environment, at most. */
    public static final int REPLAY_STEPS = 1000;

    @Override
    public String name() {
        return platform.name();
    }

    @Override
    public Setup setup(Consumer<String> log) {
        return platform.setup(config.env().seed());
    }

    @Override
    public List<String> settings() {
        return platform.settings();
    }

    @Override
    public Serving serving(Setup setup, Checkpoint.Loaded checkpoint) {
        if (setup.slateSize() > 1) {
            throw new UserInputException(name() + " checkpoints cannot be served: their actions are slots of"
                    + " candidates the simulator draws each step, not catalogue items; use evaluate");
        }
        return new Serving(EnvironmentWorkload.numbered(setup.actionCount()),
                EnvironmentWorkload.numbered(setup.userCount()), REPLAY_STEPS);
    }

    @Override
    public SimulatorWorkload requireSimulator() {
        throw new UserInputException("env.type=" + name() + ": bench trains on the simulator; it times"
                + " this platform's stepping with --only env-" + name());
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.platform(this);
    }
}
