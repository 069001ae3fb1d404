package org.recsysrl.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Hot reload: the checkpoint's size, modification time and file key are checked every
 * {@code checkMillis}; once a change has held for one more check, the new file is loaded and
 * validated on this background thread (its index built, if the server uses one) and swapped in;
 * if it fails, the old model keeps serving and the failure is logged once.
 */
final class ModelReloader {
    private final Path checkpoint;
    private final Path data;
    private final AtomicReference<ServedModel> model;
    private final ServerMetrics metrics;
    private final Consumer<String> log;
    private final long checkMillis;
    private final ScheduledExecutorService watcher;
    private final ServedModel.Loader loader;
    private String fileSignature;
    private String failedSignature;
    private String pendingSignature;

    ModelReloader(Path checkpoint, Path data, AtomicReference<ServedModel> model, ServerMetrics metrics,
            Consumer<String> log, long checkMillis, ServedModel.Loader loader) {
        this.loader = loader;
        this.checkpoint = checkpoint;
        this.data = data;
        this.model = model;
        this.metrics = metrics;
        this.log = log;
        this.checkMillis = checkMillis;
        this.fileSignature = signature(checkpoint);
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "recsys-rl-reload");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        watcher.scheduleWithFixedDelay(this::check, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
    }

    void stop() {
        watcher.shutdownNow();
    }

    /** Size, modification time and file key: changes when the file is replaced or rewritten. */
    private static String signature(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.size() + "/" + a.lastModifiedTime().toMillis() + "/" + a.fileKey();
        } catch (IOException e) {
            return "missing";
        }
    }

    private void check() {
        String now = signature(checkpoint);
        if (now.equals(fileSignature) || now.equals(failedSignature) || now.equals("missing")) {
            pendingSignature = null;
            return;
        }
        if (!now.equals(pendingSignature)) {
            pendingSignature = now; // wait one more check for the file to settle
            return;
        }
        pendingSignature = null;
        try {
            ServedModel next = loader.load(checkpoint, data);
            // logged before the swap: whoever sees the new model can also see the line that announced it
            log.accept("reloaded " + checkpoint + ": " + next.model().info().algorithm() + ", "
                    + next.model().info().steps() + " steps, sha256 " + next.model().info().sha256());
            fileSignature = now;
            metrics.reloads.increment();
            model.set(next);
        } catch (RuntimeException | Error e) {
            failedSignature = now;
            metrics.reloadFailures.increment();
            log.accept("could not load the replaced checkpoint " + checkpoint + " (" + Json.abbreviate(e.getMessage())
                    + "); still serving sha256 " + model.get().model().info().sha256());
        }
    }
}
