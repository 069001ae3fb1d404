package org.recsysrl.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.util.UserInputException;

/** The checks before a long job: a writable output directory, and room for two saves. */
class OutputChecksTest {
    @TempDir
    Path dir;

    private static long entries(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.count();
        }
    }

    @Test
    void aMissingDirectoryIsCreatedAndTheProbeLeavesNothingBehind() throws IOException {
        Path out = dir.resolve("a/b/checkpoints");
        OutputChecks.requireWritableDirectory(out, "--checkpoint-dir");
        assertThat(out).isDirectory();
        assertThat(entries(out)).isZero();
        OutputChecks.requireWritableDirectory(out, "--checkpoint-dir"); // an existing one is fine too
        assertThat(entries(out)).isZero();
    }

    @Test
    void aFileInTheWayIsNamedWithTheOption() throws IOException {
        Path file = Files.writeString(dir.resolve("runs"), "not a directory");
        assertThatThrownBy(() -> OutputChecks.requireWritableDirectory(file, "--out"))
                .isInstanceOf(UserInputException.class)
                .hasMessage("cannot use " + file + " as a directory (a file is in the way): choose another --out");
        Path below = file.resolve("sub");
        assertThatThrownBy(() -> OutputChecks.requireWritableDirectory(below, "--log-dir"))
                .isInstanceOf(UserInputException.class)
                .hasMessageStartingWith("cannot ")
                .hasMessageContaining(file.toString())
                .hasMessageEndingWith("choose another --log-dir");
        assertThat(Files.readString(file)).isEqualTo("not a directory");
    }

    @Test
    void aSaveNeedsRoomForTwoCopies() {
        OutputChecks.requireFreeSpace(dir, 0, "--checkpoint-dir");
        OutputChecks.requireFreeSpace(dir, 1, "--checkpoint-dir");
        // 2 × 5e17 bytes = 1e18 bytes = 1e12 MB: more than any disk has
        assertThatThrownBy(() -> OutputChecks.requireFreeSpace(dir, 500_000_000_000_000_000L, "--checkpoint-dir"))
                .isInstanceOf(UserInputException.class)
                .hasMessageStartingWith(dir + " has ")
                .hasMessageContaining(" MB free but a save needs about 1000000000000.0 MB (the new files are written"
                        + " before the old ones are deleted): free space or choose another --checkpoint-dir");
    }

    @Test
    void theFreeSpaceFigureIsTheStoresInMegabytes() throws IOException {
        long free = Files.getFileStore(dir).getUsableSpace();
        String message = org.assertj.core.api.Assertions.catchThrowable(
                () -> OutputChecks.requireFreeSpace(dir, Long.MAX_VALUE / 4, "--out")).getMessage();
        double shown = Double.parseDouble(message.replaceAll(".* has ([0-9.]+) MB free.*", "$1"));
        // other writers may change the free space a little between the two reads
        assertThat(shown).isCloseTo(free / 1e6, org.assertj.core.data.Offset.offset(Math.max(1.0, free / 1e6 * 0.01)));
    }
}
