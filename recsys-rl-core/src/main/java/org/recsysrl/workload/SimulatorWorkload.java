package org.recsysrl.workload;

import java.util.function.Consumer;
import org.recsysrl.config.EnvConfig;
import org.recsysrl.config.RunConfig;
import org.recsysrl.env.SimulatorSpec;
import org.recsysrl.env.SimulatorWorld;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.setup.Setup;

/** The original simulator ({@code env.type=simulator}): catalogue and users of {@code env.seed}. */
public record SimulatorWorkload(RunConfig config) implements EnvironmentWorkload {

    /** The simulator's parameters. */
    public static SimulatorSpec spec(EnvConfig e) {
        return new SimulatorSpec(e.numItems(), e.numUsers(), e.userFeatureDim(), e.itemFeatureDim(),
                e.maxEpisodeSteps(), e.rewardDecay(), e.interestDrift(), e.seed());
    }

    /** The catalog and user population of {@code env.seed}. */
    public SimulatorWorld world() {
        return new SimulatorWorld(spec(config.env()));
    }

    /** The setup of a world. */
    public static Setup setup(SimulatorWorld world) {
        return new Setup(world.spec().observationSize(), world.spec().numItems(), world.catalog().embeddings(),
                world.catalog().dim(), world.spec().numUsers(), world::newEnvironment, null);
    }

    @Override
    public String name() {
        return "simulator";
    }

    @Override
    public Setup setup(Consumer<String> log) {
        return setup(world());
    }

    @Override
    public void requireMemoryBeforeSetup(Algorithm algorithm, long heap) {
        MemoryEstimate.require(MemoryEstimate.forSimulator(config, algorithm), heap);
    }

    @Override
    public Serving serving(Setup setup, Checkpoint.Loaded checkpoint) {
        return new Serving(EnvironmentWorkload.numbered(config.env().numItems()),
                EnvironmentWorkload.numbered(config.env().numUsers()), config.env().maxEpisodeSteps());
    }

    @Override
    public SimulatorWorkload requireSimulator() {
        return this;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.simulator(this);
    }
}
