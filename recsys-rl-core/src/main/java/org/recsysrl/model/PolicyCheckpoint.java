package org.recsysrl.model;

import org.recsysrl.agent.ActorCritic;
import org.recsysrl.config.RunConfig;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.setup.Setup;
import org.recsysrl.workload.EnvironmentWorkload;

/**
 * A PPO/A2C checkpoint with the environment it was trained in.
 *
 * @param workload the environment's workload
 * @param setup the environment rebuilt from the checkpoint's config
 * @param network the actor-critic with the checkpoint's parameters
 */
public record PolicyCheckpoint(Checkpoint.Loaded checkpoint, RunConfig config, EnvironmentWorkload workload,
        Setup setup, ActorCritic network) implements LoadedModel {

    /** The ids and replay length for serving it ({@link EnvironmentWorkload#serving}). */
    public EnvironmentWorkload.Serving serving() {
        return workload.serving(setup, checkpoint);
    }

    @Override
    public String workloadName() {
        return workload.name();
    }
}
