package org.recsysrl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.io.SafeTensors;

/**
 * A checkpoint's metadata is cross-checked when it is loaded: an edited algorithm or catalogue size
 * is refused in one line naming the file (issue 27, finding 3).
 */
class CheckpointCrossCheckTest {
    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    static Path original;
    static Path tuned;

    @BeforeAll
    static void trainOnce() {
        original = Cli.trainOk("ppo", shared.resolve("original"), 128);
        // the embedding head scores items by their embeddings: no output layer sized by the catalogue
        tuned = Cli.trainOk("ppo", shared.resolve("tuned"), 128, "--set", "model.actor_head=embedding");
    }

    private Path edited(Path checkpoint, String name, String key, String from, String to) throws Exception {
        SafeTensors.Contents c = SafeTensors.read(checkpoint);
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        String value = meta.get(key);
        assertThat(value).contains(from);
        meta.put(key, value.replace(from, to));
        Path out = dir.resolve(name);
        SafeTensors.write(out, meta, new ArrayList<>(c.tensors().values()));
        return out;
    }

    @Test
    void anAlgorithmTheEnvironmentDoesNotTrainIsRefused() throws Exception {
        Path dqn = edited(original, "dqn.safetensors", Checkpoint.ALGORITHM, "ppo", "dqn");
        String line = Cli.userError(Cli.run("evaluate", "--checkpoint", dqn.toString(), "--episodes", "2"));
        assertThat(line).contains(dqn.toString()).contains("'dqn'").contains("ppo or a2c");
        // a sequence algorithm on a simulator checkpoint is not one it trains either
        Path supervised = edited(original, "sup.safetensors", Checkpoint.ALGORITHM, "ppo", "supervised");
        assertThat(Cli.userError(Cli.run("evaluate", "--checkpoint", supervised.toString(), "--episodes", "2")))
                .contains(supervised.toString()).contains("'supervised'");
    }

    @Test
    void aCatalogueSizeThatContradictsThePolicyIsRefused() throws Exception {
        for (Path ck : List.of(original, tuned)) {
            Path wider = edited(ck, "wider-" + ck.getParent().getParent().getFileName() + ".safetensors",
                    Checkpoint.CONFIG, "\"num_items\":50", "\"num_items\":999");
            String line = Cli.userError(Cli.run("evaluate", "--checkpoint", wider.toString(), "--episodes", "2"));
            assertThat(line).as(ck.toString()).contains(wider.toString()).contains("trained on 50 items")
                    .contains("env.num_items=50");
        }
    }
}
