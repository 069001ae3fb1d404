package org.recsysrl.model;

import org.recsysrl.config.RunConfig;
import org.recsysrl.io.Checkpoint;

/**
 * A checkpoint rebuilt into its model, ready to score: a PPO/A2C policy with its environment, or a
 * sequence model with its log. Built by {@link Models#load}; the serving API and the evaluation
 * take it from there.
 */
public sealed interface LoadedModel permits PolicyCheckpoint, SequenceCheckpoint {
    /** The file and its metadata. */
    Checkpoint.Loaded checkpoint();

    /** The settings it was trained with ({@link CheckpointConfig}). */
    RunConfig config();

    /** The name of the workload it was trained on, e.g. {@code simulator} or {@code logs}. */
    String workloadName();
}
