package org.recsysrl.model;

import org.recsysrl.config.RunConfig;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.seq.SequenceModel;
import org.recsysrl.workload.LogData;

/**
 * A sequence-model checkpoint with the log it was trained on (read again and checked to be the
 * same data).
 *
 * @param data the log and its split by the checkpoint's protocol
 * @param network the sequence model with the checkpoint's parameters
 */
public record SequenceCheckpoint(Checkpoint.Loaded checkpoint, RunConfig config, LogData data,
        SequenceModel network) implements LoadedModel {

    @Override
    public String workloadName() {
        return "logs";
    }
}
