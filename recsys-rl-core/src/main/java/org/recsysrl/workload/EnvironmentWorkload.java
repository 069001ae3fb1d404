package org.recsysrl.workload;

import java.util.function.Consumer;
import org.recsysrl.data.IdMap;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.setup.Setup;

/**
 * A workload with an environment, where PPO and A2C train: it supplies the {@link Setup}, the
 * memory estimate of a run and what serving a policy of it needs.
 */
public sealed interface EnvironmentWorkload extends Workload
        permits SimulatorWorkload, MovieLensWorkload, PlatformWorkload {

    @Override
    default Algorithm.Family family() {
        return Algorithm.Family.ACTOR_CRITIC;
    }

    @Override
    default Algorithm algorithm(String id) {
        return Algorithm.actorCritic(id);
    }

    /** The catalogue, users and environments of the run; progress lines (a data set read and fitted) go to {@code log}. */
    Setup setup(Consumer<String> log);

    /**
     * Refuses, before anything is built, settings whose run cannot fit in {@code heap} bytes, where
     * the settings alone give the sizes (only the simulator's do).
     */
    default void requireMemoryBeforeSetup(Algorithm algorithm, long heap) {
    }

    /** Refuses a run of {@code algorithm} over {@code setup} that cannot fit in {@code heap} bytes. */
    default void requireMemory(Algorithm algorithm, Setup setup, long heap) {
        MemoryEstimate.require(MemoryEstimate.parts(config(), algorithm, setup.actionCount(), setup.userCount(),
                setup.observationSize(), setup.itemDim()), heap);
    }

    /**
     * Refuses {@code checkpoint} unless it was trained on this setup's data (only workloads read
     * from data check anything), before its parameters are loaded.
     *
     * @throws org.recsysrl.util.UserInputException naming the checkpoint and the difference
     */
    default void requireSameData(Setup setup, Checkpoint.Loaded checkpoint) {
    }

    /**
     * The setup a checkpoint of this workload was trained in, checked to be of the same data
     * ({@link #requireSameData}) and rebuilt from what the checkpoint stores where it can (a
     * factorisation is not fitted again when the checkpoint carries its vectors).
     *
     * @throws org.recsysrl.util.UserInputException naming the checkpoint if its data differs
     */
    default Setup setupFor(Checkpoint.Loaded checkpoint) {
        Setup setup = setup(null);
        requireSameData(setup, checkpoint);
        return setup;
    }

    /**
     * What a checkpoint of this workload stores besides the parameters, so that loading it needs
     * no refitting ({@link Checkpoint#SERVING_PREFIX} tensors; none by default).
     */
    default java.util.List<org.recsysrl.io.Tensor> servingTensors(Setup setup) {
        return java.util.List.of();
    }

    /**
     * What serving a policy of this workload needs: the ids of its items and users and how many
     * items of a session history are replayed.
     *
     * @throws org.recsysrl.util.UserInputException if its policies cannot be served (actions that
     *     are not catalogue items)
     */
    Serving serving(Setup setup, Checkpoint.Loaded checkpoint);

    /**
     * @param items the item ids, in action order
     * @param users the user ids, in the environment's user order
     * @param replaySteps items of a session history replayed into the environment, at most
     */
    record Serving(IdMap items, IdMap users, int replaySteps) {
    }

    /** The ids {@code "0" … "n−1"}. */
    static IdMap numbered(int n) {
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = Integer.toString(i);
        }
        return IdMap.of(ids);
    }
}
