package org.recsysrl.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.nn.ParameterStore;
import org.recsysrl.util.UserInputException;

/** The limits and checks on safetensors files and checkpoints that come from outside. */
class UntrustedCheckpointTest {
    @TempDir
    Path dir;

    // ---- special files -----------------------------------------------------------------------

    @Test
    void aNamedPipeIsRefusedWithoutBeingOpened() throws Exception {
        Path fifo = mkfifo(dir.resolve("ppo.safetensors"));
        // opening a pipe with no writer blocks forever: the check must come first
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertUserError(() -> SafeTensors.read(fifo)).contains(fifo.toString()).contains("named pipe (FIFO)");
            assertUserError(() -> Checkpoint.read(fifo)).contains("named pipe (FIFO)");
        });
    }

    @Test
    void devicesAreRefusedAsCharacterDevices() {
        for (String device : new String[] {"/dev/null", "/dev/zero"}) {
            Path p = Path.of(device);
            Assumptions.assumeTrue(Files.exists(p), device + " exists");
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertUserError(() -> Checkpoint.read(p))
                    .contains(device + " is a character device, not a safetensors file"));
        }
    }

    // ---- header limits -------------------------------------------------------------------------

    @Test
    void aHeaderLengthOverTheLimitIsRefusedBeforeItIsRead() throws Exception {
        Path big = dir.resolve("big.safetensors");
        long length = SafeTensors.MAX_HEADER_BYTES + 8;
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(8 + length + 16); // sparse: nothing is written but the length field
            f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(length).array());
        }
        assertUserError(() -> SafeTensors.read(big))
                .contains("header length " + length + " exceeds the limit of " + SafeTensors.MAX_HEADER_BYTES);
    }

    @Test
    void deepNestingIsRefusedAtTheReadersDepth() {
        String ok = "{\"__metadata__\":{\"a\":\"b\"}}";
        assertThat(SafeTensors.decode(raw(ok, 0), "f").metadata()).containsEntry("a", "b");
        String deep = "{\"w\":" + "[".repeat(JsonLimits.MAX_DEPTH + 1) + "]".repeat(JsonLimits.MAX_DEPTH + 1) + "}";
        assertUserError(() -> SafeTensors.decode(raw(deep, 0), "deep.safetensors"))
                .contains("deep.safetensors").contains("exceeds a limit of the reader").contains("nesting depth")
                .doesNotContain("StreamReadConstraints");
    }

    @Test
    void longNumbersAreRefused() {
        String digits = "1".repeat(2000);
        String header = "{\"w\":{\"dtype\":\"U8\",\"shape\":[" + digits + "],\"data_offsets\":[0,1]}}";
        assertUserError(() -> SafeTensors.decode(raw(header, 1), "n.safetensors")).contains("exceeds a limit of the reader")
                .contains("Number value length");
    }

    @Test
    void tooManyTensorsAreRefused() {
        StringBuilder header = new StringBuilder("{");
        for (int i = 0; i <= SafeTensors.MAX_TENSORS; i++) {
            header.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"U8\",\"shape\":[0],")
                    .append("\"data_offsets\":[0,0]}");
        }
        assertUserError(() -> SafeTensors.decode(raw(header.append('}').toString(), 0), "many.safetensors"))
                .contains((SafeTensors.MAX_TENSORS + 1) + " tensors; at most " + SafeTensors.MAX_TENSORS);
    }

    @Test
    void ranksAndSizesThatCannotBeHeldAreRefused() {
        String rank = "[" + "1,".repeat(SafeTensors.MAX_RANK) + "1]";
        assertUserError(() -> SafeTensors.decode(raw(entry("U8", rank, "[0,1]"), 1), "f"))
                .contains((SafeTensors.MAX_RANK + 1) + " dimensions; at most " + SafeTensors.MAX_RANK);
        // 2^40 × 2^40 overflows a long: refused by name, not wrapped around
        assertUserError(() -> SafeTensors.decode(raw(entry("F32", "[1099511627776,1099511627776]", "[0,4]"), 4), "f"))
                .contains("'w'").contains("too large");
        for (String offsets : new String[] {"[0,18446744073709551615]", "[-8,0]", "[0,9223372036854775807]"}) {
            assertUserError(() -> SafeTensors.decode(raw(entry("U8", "[1]", offsets), 1), "f")).contains("'w'");
        }
    }

    @Test
    void tensorsLongerThanOneReadChunkAreReadWhole() throws Exception {
        float[] values = new float[(3 << 20) / 4 + 5]; // 3 MiB and a bit: several chunks of the streaming read
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.5f;
        }
        Path file = dir.resolve("long.safetensors");
        SafeTensors.write(file, Map.of(), List.of(Tensor.f32("w", new long[] {values.length}, values)));
        assertThat(SafeTensors.read(file).require("w", "f").toFloats()).isEqualTo(values);
    }

    // ---- non-finite values -------------------------------------------------------------------

    private static ParameterStore store(float... values) {
        ParameterStore store = new ParameterStore();
        store.allocateTransposed("actor.weight", 2, 2);
        store.allocate("critic.bias", values.length - 4);
        System.arraycopy(values, 0, store.data(), 0, values.length);
        return store;
    }

    private static Checkpoint.Info info() {
        return new Checkpoint.Info("ppo", "{\"env\":{\"seed\":7}}", 7, 100);
    }

    @Test
    void saveRefusesANonFiniteParameterNamingTensorAndElement() {
        Path file = dir.resolve("nan.safetensors");
        // stored transposed: flat index 1 is logical element [1, 0] = element 2 of actor.weight
        ParameterStore nan = store(1, Float.NaN, 3, 4, 5);
        assertThatThrownBy(() -> Checkpoint.save(file, nan, info())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'actor.weight'").hasMessageContaining("NaN at element 2");
        ParameterStore inf = store(1, 2, 3, 4, Float.NEGATIVE_INFINITY);
        assertThatThrownBy(() -> Checkpoint.save(file, inf, info())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'critic.bias'").hasMessageContaining("-Infinity at element 0");
        assertThat(file).doesNotExist();
    }

    @Test
    void readRefusesACheckpointWithANonFiniteTensor() throws Exception {
        Path good = dir.resolve("good.safetensors");
        Checkpoint.save(good, store(1, 2, 3, 4, 5), info());
        SafeTensors.Contents c = SafeTensors.read(good);
        List<Tensor> tensors = new ArrayList<>(c.tensors().values());
        tensors.set(1, Tensor.f32("critic.bias", new long[] {1}, new float[] {Float.POSITIVE_INFINITY}));
        Path bad = dir.resolve("inf.safetensors");
        SafeTensors.write(bad, c.metadata(), tensors);
        assertUserError(() -> Checkpoint.read(bad)).startsWith("checkpoint " + bad + ": tensor 'critic.bias'")
                .contains("Infinity at element 0");
        // a Loaded made some other way is checked when it is loaded, before anything is copied
        ParameterStore target = store(9, 9, 9, 9, 9);
        Checkpoint.Loaded loaded = new Checkpoint.Loaded(bad, info(), SafeTensors.read(bad));
        assertUserError(() -> loaded.loadInto(target)).contains("'critic.bias'");
        assertThat(target.data()).containsOnly(9f);
        Checkpoint.read(good).loadInto(target);
        assertThat(target.data()).containsExactly(1, 2, 3, 4, 5);
    }

    // ---- metadata cross-checks ---------------------------------------------------------------

    private Path withMetadata(String key, String value) throws Exception {
        Path good = dir.resolve("meta.safetensors");
        Checkpoint.save(good, store(1, 2, 3, 4, 5), info());
        SafeTensors.Contents c = SafeTensors.read(good);
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        meta.put(key, value);
        Path file = dir.resolve(key + ".safetensors");
        SafeTensors.write(file, meta, new ArrayList<>(c.tensors().values()));
        return file;
    }

    @Test
    void metadataThatContradictsItselfIsRefused() throws Exception {
        assertUserError(() -> Checkpoint.read(withMetadata(Checkpoint.ALGORITHM, " "))).contains("'algorithm' is empty");
        assertUserError(() -> Checkpoint.read(withMetadata(Checkpoint.STEPS, "-5"))).contains("'steps' is -5");
        assertUserError(() -> Checkpoint.read(withMetadata(Checkpoint.ENV_SEED, "8")))
                .contains("'env_seed' is 8 but its config's env.seed is 7");
        assertUserError(() -> Checkpoint.read(withMetadata(Checkpoint.FORMAT_KEY, "line\nbreak")))
                .contains("format 'line?break'");
        assertUserError(() -> Checkpoint.read(withMetadata(Checkpoint.CONFIG, "{\"env\":" + "[".repeat(100))))
                .contains("'config' is not valid JSON").contains("nesting depth");
        assertUserError(() -> Checkpoint.read(withMetadata(Checkpoint.CONFIG, "{\"env\":{\"seed\":7,\"seed\":8}}")))
                .contains("Duplicate field 'seed'");
        // no env.seed to compare with, or a run without an environment: nothing to contradict
        assertThat(Checkpoint.read(withMetadata(Checkpoint.CONFIG, "{}")).info().envSeed()).isEqualTo(7);
        assertThat(Checkpoint.read(withMetadata(Checkpoint.CONFIG, "{\"env\":{\"seed\":3,\"type\":\"logs\"}}"))
                .info().steps()).isEqualTo(100);
    }

    // ---- helpers -----------------------------------------------------------------------------

    static Path mkfifo(Path path) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            Assumptions.abort("mkfifo is not available: " + e.getMessage());
            throw e;
        }
        Assumptions.assumeTrue(p.waitFor() == 0 && Files.exists(path), "mkfifo made " + path);
        return path;
    }

    private static AbstractStringAssert<?> assertUserError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(UserInputException.class);
        assertThat(thrown.getMessage()).doesNotContain("\n").doesNotContain("\r");
        return assertThat(thrown.getMessage());
    }

    private static String entry(String dtype, String shape, String offsets) {
        return "{\"w\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}}";
    }

    /** A file with this header and {@code dataBytes} zero bytes of data. */
    private static byte[] raw(String header, int dataBytes) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length)
                .put(json).array();
    }
}
