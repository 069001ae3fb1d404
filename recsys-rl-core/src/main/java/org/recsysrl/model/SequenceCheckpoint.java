package org.recsysrl.model;

import org.recsysrl.config.RunConfig;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.seq.SequenceModel;
import org.recsysrl.workload.LogData;

/**
 * A sequence-model checkpoint with what serving it needs and, when it was read, the log it was
 * trained on (checked to be the same data).
 *
 * @param data the log and its split by the checkpoint's protocol; null when the model was loaded
 *     for serving from a checkpoint that carries everything serving needs ({@link Models#servedSequence})
 * @param network the sequence model with the checkpoint's parameters
 * @param serving the item ids, transitions and (optionally) user histories: read from the
 *     checkpoint, or, for a checkpoint of an earlier version, taken from {@code data}
 */
public record SequenceCheckpoint(Checkpoint.Loaded checkpoint, RunConfig config, LogData data,
        SequenceModel network, LogServing serving) implements LoadedModel {

    @Override
    public String workloadName() {
        return "logs";
    }
}
