package org.recsysrl.workload;

import java.util.List;
import java.util.function.Consumer;
import org.recsysrl.config.EnvConfig;
import org.recsysrl.config.RunConfig;
import org.recsysrl.env.ItemCatalog;
import org.recsysrl.env.RecommendationEnv;
import org.recsysrl.env.SimulatorSpec;
import org.recsysrl.env.SimulatorWorld;
import org.recsysrl.env.UserPopulation;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.io.Tensor;
import org.recsysrl.setup.Setup;
import org.recsysrl.util.UserInputException;

/**
 * The original simulator ({@code env.type=simulator}): catalogue and users of {@code env.seed}. A
 * checkpoint stores both ({@link #servingTensors}), so that it loads the world it was trained in
 * without generating it again.
 */
public record SimulatorWorkload(RunConfig config) implements EnvironmentWorkload {
    /** The serving tensor of the catalogue's item vectors, {@code [num_items × item_feature_dim]} flattened. */
    public static final String CATALOG_VECTORS = "catalog_vectors";
    /** The serving tensor of the users' preference vectors, {@code [num_users × user_feature_dim]} flattened. */
    public static final String USER_VECTORS = "user_vectors";

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

    /** The world's item and user vectors, so that loading a checkpoint generates nothing from {@code env.seed}. */
    @Override
    public List<Tensor> servingTensors(Setup setup) {
        if (!(setup.newEnv().apply(0) instanceof RecommendationEnv env)) {
            throw new IllegalStateException("a simulator setup makes RecommendationEnv environments");
        }
        float[] items = env.catalog().embeddings();
        float[] users = env.users().vectors();
        return List.of(Tensor.f32(Checkpoint.SERVING_PREFIX + CATALOG_VECTORS, new long[] {items.length}, items),
                Tensor.f32(Checkpoint.SERVING_PREFIX + USER_VECTORS, new long[] {users.length}, users));
    }

    /**
     * The world {@code checkpoint} was trained in: the catalogue and users it stores
     * ({@link #servingTensors}), whatever {@code env.seed} says; a checkpoint of an earlier version
     * stores none, and its world is generated from {@code env.seed} as before.
     *
     * @throws UserInputException naming the checkpoint if the stored vectors do not fit its config
     */
    @Override
    public Setup setupFor(Checkpoint.Loaded checkpoint) {
        if (!checkpoint.hasServing(CATALOG_VECTORS)) {
            return setup(world());
        }
        SimulatorSpec spec = spec(config.env());
        try {
            float[] items = checkpoint.serving(CATALOG_VECTORS, "F32").toFloats();
            float[] users = checkpoint.serving(USER_VECTORS, "F32").toFloats();
            if (items.length != (long) spec.numItems() * spec.itemDim()
                    || users.length != (long) spec.numUsers() * spec.userDim()) {
                throw new IllegalArgumentException(items.length + " item and " + users.length + " user values for "
                        + spec.numItems() + " items of dim " + spec.itemDim() + " and " + spec.numUsers()
                        + " users of dim " + spec.userDim());
            }
            return setup(new SimulatorWorld(spec, new ItemCatalog(spec.numItems(), spec.itemDim(), items),
                    new UserPopulation(spec.numUsers(), spec.userDim(), users)));
        } catch (IllegalArgumentException e) {
            throw new UserInputException("checkpoint " + checkpoint.path() + ": its stored catalogue and users do not"
                    + " fit its config (" + e.getMessage() + "): the file is damaged or its config edited; retrain or"
                    + " pick another checkpoint");
        }
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
