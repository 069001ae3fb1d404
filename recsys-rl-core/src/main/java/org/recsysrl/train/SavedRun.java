package org.recsysrl.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.recsysrl.io.AtomicFiles;
import org.recsysrl.util.UserInputException;

/**
 * The files of a run's saves in its checkpoint directory, and the protocol that makes a save of
 * the pair (checkpoint + training state) one atomic step.
 *
 * <p>A save at step S:
 * <ol>
 *   <li>writes {@code <algo>.S.state.safetensors} and {@code <algo>.S.safetensors} (each
 *       atomically: a temporary file, fsync, rename);</li>
 *   <li>writes the manifest {@code <algo>.latest} atomically, naming the two — <b>the commit
 *       point</b>;</li>
 *   <li>publishes them as {@code <algo>.safetensors} and {@code <algo>.state.safetensors} (what
 *       {@code evaluate} and the server read: hard links, or copies where links are not
 *       supported, each renamed into place atomically);</li>
 *   <li>deletes the previous save's step files.</li>
 * </ol>
 * A crash at any instant leaves a manifest that names a complete pair: the previous one until
 * step 2 has happened, the new one after; {@code --resume} reads the manifest. Temporary files of
 * interrupted writes and step files no manifest names are removed when a run starts
 * ({@link #cleanUp}). Every file operation goes through {@link FileOps}, so that tests can crash
 * the protocol between any two of them.
 */
final class SavedRun {
    private final Path dir;
    private final String algo;
    private final FileOps ops;

    /** The file operations of the protocol (real ones, or a test's that stop after some of them). */
    interface FileOps {
        /** Writes {@code content} to {@code file} atomically. */
        void write(Path file, Writer content) throws IOException;

        /** Makes {@code target} a copy (or hard link) of {@code source}, replacing it atomically. */
        void publish(Path source, Path target) throws IOException;

        /** Deletes {@code file} if it exists. */
        void delete(Path file) throws IOException;
    }

    /** Writes a file's content. */
    @FunctionalInterface
    interface Writer {
        void writeTo(Path file) throws IOException;
    }

    /** The real file operations. */
    static final FileOps REAL = new FileOps() {
        @Override
        public void write(Path file, Writer content) throws IOException {
            content.writeTo(file); // SafeTensors.write and AtomicFiles are atomic by themselves
        }

        @Override
        public void publish(Path source, Path target) throws IOException {
            Path tmp = target.resolveSibling("." + target.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
            try {
                try {
                    Files.createLink(tmp, source);
                } catch (UnsupportedOperationException | IOException e) {
                    Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }

        @Override
        public void delete(Path file) throws IOException {
            Files.deleteIfExists(file);
        }
    };

    SavedRun(Path dir, String algo, FileOps ops) {
        this.dir = dir;
        this.algo = algo;
        this.ops = ops;
    }

    /** The published checkpoint, {@code <algo>.safetensors}. */
    Path checkpoint() {
        return dir.resolve(algo + ".safetensors");
    }

    /** The published training state, {@code <algo>.state.safetensors}. */
    Path state() {
        return dir.resolve(algo + ".state.safetensors");
    }

    /** The manifest, {@code <algo>.latest}. */
    Path manifest() {
        return dir.resolve(algo + ".latest");
    }

    private Path stepCheckpoint(long step) {
        return dir.resolve(String.format("%s.%012d.safetensors", algo, step));
    }

    private Path stepState(long step) {
        return dir.resolve(String.format("%s.%012d.state.safetensors", algo, step));
    }

    /** The pair a resume reads: the manifest's, or (for runs saved before manifests) the published pair. */
    record Pair(Path checkpoint, Path state, long step) {
    }

    /** The newest complete save, or null if there is none. */
    Pair latest() {
        Path m = manifest();
        if (Files.isRegularFile(m)) {
            Map<String, String> kv = new LinkedHashMap<>();
            try {
                for (String line : Files.readAllLines(m, StandardCharsets.UTF_8)) {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        kv.put(line.substring(0, eq), line.substring(eq + 1));
                    }
                }
            } catch (java.nio.charset.CharacterCodingException e) {
                // bytes that are not text: the file is damaged, not unreadable
                throw new UserInputException(m + " is damaged (not text; expected checkpoint=, state= and step= lines):"
                        + " delete it to resume from " + checkpoint() + ", or start a new run");
            } catch (IOException e) {
                throw new UserInputException("cannot read " + m + " (" + e.getMessage() + "): check the checkpoint"
                        + " directory's permissions");
            }
            String ck = kv.get("checkpoint");
            String st = kv.get("state");
            String step = kv.get("step");
            if (ck == null || st == null || step == null || ck.contains("/") || st.contains("/")) {
                throw new UserInputException(m + " is damaged (expected checkpoint=, state= and step= lines):"
                        + " delete it to resume from " + checkpoint() + ", or start a new run");
            }
            try {
                return new Pair(dir.resolve(ck), dir.resolve(st), Long.parseLong(step));
            } catch (NumberFormatException e) {
                throw new UserInputException(m + " is damaged (step is not a number): delete it, or start a new run");
            }
        }
        if (Files.exists(checkpoint())) {
            return new Pair(checkpoint(), state(), -1);
        }
        return null;
    }

    /**
     * Saves the pair at {@code step} by the protocol of the class documentation.
     *
     * @param writeCheckpoint writes the checkpoint to the path it is given
     * @param writeState writes the training state to the path it is given
     */
    void save(long step, Writer writeCheckpoint, Writer writeState) throws IOException {
        Pair previous = latest();
        Path state = stepState(step);
        Path ck = stepCheckpoint(step);
        ops.write(state, writeState);
        ops.write(ck, writeCheckpoint);
        String manifest = "checkpoint=" + ck.getFileName() + "\nstate=" + state.getFileName() + "\nstep=" + step + "\n";
        ops.write(manifest(), f -> AtomicFiles.writeString(f, manifest));
        ops.publish(ck, checkpoint());
        ops.publish(state, state());
        if (previous != null && previous.step() >= 0 && previous.step() != step) {
            ops.delete(previous.checkpoint());
            ops.delete(previous.state());
        }
    }

    /**
     * Removes what interrupted saves left: temporary files of this run's files, and step files the
     * manifest does not name. Returns how many files were removed.
     */
    int cleanUp() throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        Pair keep = Files.isRegularFile(manifest()) ? latest() : null;
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                boolean temp = name.startsWith("." + algo + ".") && name.endsWith(".tmp");
                boolean stepFile = name.matches(java.util.regex.Pattern.quote(algo) + "\\.\\d{12}(\\.state)?\\.safetensors");
                boolean kept = keep != null && (f.equals(keep.checkpoint()) || f.equals(keep.state()));
                if (temp || (stepFile && !kept)) {
                    try {
                        Files.deleteIfExists(f);
                        removed++;
                    } catch (NoSuchFileException e) {
                        // gone already
                    }
                }
            }
        }
        return removed;
    }
}
