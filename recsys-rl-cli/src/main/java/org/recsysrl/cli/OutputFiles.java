package org.recsysrl.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.recsysrl.io.AtomicFiles;
import org.recsysrl.io.IoMessages;

/**
 * The command line's result files: written atomically ({@link AtomicFiles}), and a write that
 * fails while the data goes out (a full disk) is one line naming the file and the flag that chose
 * it, instead of an input/output error without a path.
 */
final class OutputFiles {
    private OutputFiles() {
    }

    /** Writes {@code content} (UTF-8) to {@code target}, chosen by {@code flag} (e.g. {@code --out}). */
    static void writeString(Path target, String content, String flag) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        write(target, out -> out.write(bytes), flag);
    }

    /** Writes what {@code writer} produces to {@code target} (package-private for tests that make it fail). */
    static void write(Path target, AtomicFiles.IOConsumer<OutputStream> writer, String flag) {
        try {
            AtomicFiles.write(target, writer);
        } catch (IOException e) {
            throw IoMessages.cannot("write", target, e, "free space on its file system or choose another " + flag
                    + " (nothing was replaced)");
        }
    }
}
