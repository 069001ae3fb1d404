package org.recsysrl.model;

import java.nio.file.Path;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.DataConfig;
import org.recsysrl.config.RunConfig;
import org.recsysrl.io.Checkpoint;

/**
 * The settings a checkpoint was trained with: its stored config merged onto the defaults (the
 * {@code original} preset, which every stored key overrides). The stored config leaves out the
 * local settings ({@link ConfigJson#LOCAL_KEYS}), so the data's path comes from the caller or from
 * the path the checkpoint records beside the config.
 */
public final class CheckpointConfig {
    /** The metadata key of the data path a checkpoint trained on data records. */
    public static final String DATA_PATH = "data.path";

    private CheckpointConfig() {
    }

    /**
     * The checkpoint's config with {@code data.path} = {@code data} if given, else the recorded
     * path (if any).
     *
     * @throws org.recsysrl.util.UserInputException naming the checkpoint if its config does not merge
     */
    public static RunConfig read(Checkpoint.Loaded checkpoint, Path data) {
        RunConfig base = RunConfig.original();
        String recorded = checkpoint.info().extra().get(DATA_PATH);
        if (recorded != null || data != null) {
            base = base.withData(base.data().withPath(data != null ? data.toString() : recorded));
        }
        return merge(checkpoint, base);
    }

    /** The checkpoint's config with the data settings not stored in it (the path) taken from {@code data}. */
    public static RunConfig read(Checkpoint.Loaded checkpoint, DataConfig data) {
        return merge(checkpoint, RunConfig.original().withData(data));
    }

    /** The checkpoint's config merged onto {@code base}. */
    public static RunConfig merge(Checkpoint.Loaded checkpoint, RunConfig base) {
        return ConfigJson.merge(base, checkpoint.info().configJson(), "checkpoint " + checkpoint.path());
    }
}
