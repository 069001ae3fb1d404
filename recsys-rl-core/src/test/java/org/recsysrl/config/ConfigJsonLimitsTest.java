package org.recsysrl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.api.AbstractStringAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.util.UserInputException;

/** The limits of the config reader on {@code --config} files and on configs stored in checkpoints. */
class ConfigJsonLimitsTest {
    private static final RunConfig D = RunConfig.defaults();

    @TempDir
    Path dir;

    private static AbstractStringAssert<?> userError(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(UserInputException.class);
        assertThat(thrown.getMessage()).doesNotContain("\n").doesNotContain("\r");
        return assertThat(thrown.getMessage());
    }

    @Test
    void duplicateKeysAreAnError() {
        userError(() -> ConfigJson.merge(D, "{\"ppo\": {\"lr\": 0.1, \"lr\": 0.2}}", "config file d.json"))
                .contains("config file d.json").contains("Duplicate field 'lr'").contains("fix the file");
        userError(() -> ConfigJson.merge(D, "{\"ppo\": {}, \"ppo\": {}}", "checkpoint c")).contains("Duplicate field 'ppo'");
    }

    /** The inputs that used to end in a NullPointerException in merge: each is now one line naming the limit. */
    @Test
    void inputsBeyondTheReadersLimitsAreOneLineErrors() {
        String deep = "{\"ppo\":" + "[".repeat(2000) + "]".repeat(2000) + "}";
        userError(() -> ConfigJson.merge(D, deep, "config file deep.json")).startsWith("config file deep.json exceeds")
                .contains("nesting depth").contains("(" + ConfigJson.MAX_DEPTH + ")").doesNotContain("StreamReadConstraints");
        String number = "{\"ppo\": {\"lr\": 1" + "0".repeat(2000) + "}}";
        userError(() -> ConfigJson.merge(D, number, "checkpoint x.safetensors")).contains("checkpoint x.safetensors")
                .contains("Number value length");
        String string = "{\"data\": {\"path\": \"" + "p".repeat(ConfigJson.MAX_STRING_LENGTH + 1) + "\"}}";
        userError(() -> ConfigJson.merge(D, string, "config file s.json")).contains("String value length");
        // just within the limits is fine
        String longPath = "p".repeat(ConfigJson.MAX_STRING_LENGTH);
        assertThat(ConfigJson.merge(D, "{\"data\": {\"path\": \"" + longPath + "\"}}", "f").data().path()).isEqualTo(longPath);
    }

    @Test
    void theValidationMessageNamesTheFile() {
        userError(() -> ConfigJson.merge(D, "{\"train\": {\"total_timesteps\": 0}}", "config file t.json"))
                .startsWith("config file t.json: train.total_timesteps must be positive");
        // a value with a line break stays on one line
        userError(() -> ConfigJson.merge(D, "{\"data\": {\"format\": \"a\\nb\"}}", "config file f.json"))
                .contains("data.format");
    }

    @Test
    void aConfigPathThatIsNotARegularFileIsRefusedWithoutBeingOpened() throws Exception {
        userError(() -> ConfigJson.load(D, dir)).contains(dir + " is a directory, not a JSON file").contains("--config");
        Path devNull = Path.of("/dev/null");
        if (Files.exists(devNull)) {
            userError(() -> ConfigJson.load(D, devNull)).contains("/dev/null is a character device");
        }
        Path fifo = dir.resolve("config.json");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        Assumptions.assumeTrue(p.waitFor() == 0, "mkfifo works here");
        assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> userError(() -> ConfigJson.load(D, fifo)).contains("is a named pipe (FIFO)"));
    }

    @Test
    void oversizedAndUndecodableFilesAreOneLineErrors() throws Exception {
        Path big = dir.resolve("big.json");
        Files.writeString(big, "{}" + " ".repeat(ConfigJson.MAX_CONFIG_BYTES));
        userError(() -> ConfigJson.load(D, big)).contains(big + " is too large");

        Path binary = dir.resolve("binary.json");
        Files.write(binary, new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'});
        userError(() -> ConfigJson.load(D, binary)).contains(binary.toString()).contains("not valid JSON");

        Path ok = dir.resolve("ok.json");
        Files.writeString(ok, "{\"ppo\": {\"lr\": 0.5}}");
        assertThat(ConfigJson.load(D, ok).ppo().lr()).isEqualTo(0.5);
    }
}
