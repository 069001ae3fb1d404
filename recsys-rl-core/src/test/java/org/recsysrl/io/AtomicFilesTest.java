package org.recsysrl.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.util.UserInputException;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> listing(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void createsParentsAndReplacesContentWithoutLeavingTempFiles() throws IOException {
        Path target = dir.resolve("a/b/c/out.bin");
        AtomicFiles.write(target, new byte[] {1, 2, 3});
        assertThat(Files.readAllBytes(target)).containsExactly(1, 2, 3);

        AtomicFiles.write(target, new byte[] {9});
        assertThat(Files.readAllBytes(target)).containsExactly(9);

        AtomicFiles.writeString(target, "héllo ✓\n");
        assertThat(Files.readString(target, StandardCharsets.UTF_8)).isEqualTo("héllo ✓\n");

        AtomicFiles.write(target, out -> {
            out.write("streamed".getBytes(StandardCharsets.UTF_8));
            out.close(); // closing is allowed
        });
        assertThat(Files.readString(target)).isEqualTo("streamed");

        assertThat(listing(target.getParent())).containsExactly("out.bin");
    }

    @Test
    void failingWriterKeepsOldContentAndRemovesTempFile() throws IOException {
        Path target = dir.resolve("keep.txt");
        AtomicFiles.writeString(target, "old");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write(new byte[100_000]);
            throw new IOException("disk on fire");
        })).isInstanceOf(IOException.class).hasMessage("disk on fire");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            throw new IllegalStateException("bug");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(Files.readString(target)).isEqualTo("old");
        assertThat(listing(dir)).containsExactly("keep.txt");
    }

    @Test
    void relativePathInWorkingDirectoryParentIsHandled() throws IOException {
        // a path without a parent component must not trip over getParent() == null
        Path target = dir.resolve("x").resolve("..").resolve("plain.txt");
        AtomicFiles.writeString(target, "ok");
        assertThat(Files.readString(dir.resolve("plain.txt"))).isEqualTo("ok");
    }

    @Test
    void directoryTargetOrFileAsParentIsAUserError() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("sub"));
        assertThatThrownBy(() -> AtomicFiles.writeString(sub, "x"))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining(sub.toString())
                .hasMessageContaining("directory");

        Path file = dir.resolve("file");
        Files.writeString(file, "x");
        Path below = file.resolve("child.txt");
        assertThatThrownBy(() -> AtomicFiles.writeString(below, "y"))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining(file.toString())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
