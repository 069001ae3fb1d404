package org.recsysrl.train;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.util.UserInputException;

/** A damaged manifest is called damaged, never blamed on permissions (issue 27). */
class SavedRunManifestTest {
    @TempDir
    Path dir;

    @Test
    void aManifestOfBytesThatAreNotTextIsDamaged() throws Exception {
        SavedRun run = new SavedRun(dir, "ppo", SavedRun.REAL);
        Files.write(run.manifest(), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, (byte) 0xc3, 0x28, '\n'});
        assertThatThrownBy(run::latest).isInstanceOf(UserInputException.class)
                .hasMessageContaining(run.manifest().toString()).hasMessageContaining("is damaged")
                .hasMessageNotContaining("permission");
    }

    @Test
    void aManifestWithoutItsLinesIsDamaged() throws Exception {
        SavedRun run = new SavedRun(dir, "ppo", SavedRun.REAL);
        Files.writeString(run.manifest(), "garbage\n");
        assertThatThrownBy(run::latest).isInstanceOf(UserInputException.class).hasMessageContaining("is damaged");
    }
}
