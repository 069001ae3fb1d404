package org.recsysrl.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.util.UserInputException;

class SafeTensorsTest {
    private static final String SRC = "checkpoints/test.safetensors";

    @TempDir
    Path dir;

    private static List<Tensor> sampleTensors() {
        float[] big = {9f, 1f, 2f, 3f, 4f, 5f, 6f, 9f};
        return List.of(
                Tensor.f32("policy.w", new long[] {2, 3}, big, 1, 6),
                Tensor.f32("policy.b", new long[] {3}, new float[] {-0.5f, Float.MIN_VALUE, Float.NaN}),
                Tensor.i64("steps", new long[] {2, 2}, new long[] {1, -2, Long.MAX_VALUE, Long.MIN_VALUE}),
                Tensor.u8("rng", new byte[] {0, 1, (byte) 200, (byte) 255, 7}),
                Tensor.i32("ids", new long[] {2}, new int[] {-1, 123456}),
                Tensor.f32("scalar", new long[] {}, new float[] {3.5f}),
                Tensor.f32("empty", new long[] {0, 4}, new float[0]));
    }

    private static Map<String, String> sampleMetadata() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "recsys-rl");
        meta.put("step", "42");
        meta.put("note", "ünïcode \"quoted\"\nline");
        return meta;
    }

    @Test
    void encodeDecodeRoundTrip() {
        List<Tensor> tensors = sampleTensors();
        byte[] bytes = SafeTensors.encode(sampleMetadata(), tensors);
        SafeTensors.Contents contents = SafeTensors.decode(bytes, SRC);

        assertThat(contents.metadata()).containsExactlyEntriesOf(sampleMetadata());
        assertThat(contents.tensors().keySet())
                .containsExactly("policy.w", "policy.b", "steps", "rng", "ids", "scalar", "empty");
        assertThat(new ArrayList<>(contents.tensors().values())).isEqualTo(tensors);

        assertThat(contents.require("policy.w", SRC).toFloats()).containsExactly(1f, 2f, 3f, 4f, 5f, 6f);
        assertThat(contents.require("policy.w", SRC).shape()).containsExactly(2, 3);
        assertThat(contents.require("policy.w", SRC).elementCount()).isEqualTo(6);
        float[] b = contents.require("policy.b", SRC).toFloats();
        assertThat(b[0]).isEqualTo(-0.5f);
        assertThat(b[1]).isEqualTo(Float.MIN_VALUE);
        assertThat(b[2]).isNaN();
        assertThat(contents.require("steps", SRC).toLongs())
                .containsExactly(1, -2, Long.MAX_VALUE, Long.MIN_VALUE);
        assertThat(contents.require("rng", SRC).toLongs()).containsExactly(0, 1, 200, 255, 7);
        assertThat(contents.require("ids", SRC).toInts()).containsExactly(-1, 123456);
        assertThat(contents.require("ids", SRC).toLongs()).containsExactly(-1, 123456);
        assertThat(contents.require("scalar", SRC).elementCount()).isEqualTo(1);
        assertThat(contents.require("empty", SRC).elementCount()).isZero();

        // Deterministic: same input, same bytes.
        assertThat(SafeTensors.encode(sampleMetadata(), sampleTensors())).isEqualTo(bytes);
    }

    @Test
    void byteExactTinyFile() {
        byte[] actual = SafeTensors.encode(Map.of(),
                List.of(Tensor.f32("w", new long[] {2}, new float[] {1.0f, -2.0f}, 0, 2)));

        String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        assertThat(json.length()).isEqualTo(54); // so 2 spaces of padding make 56
        byte[] expected = new byte[8 + 56 + 8];
        expected[0] = 56; // header length, little-endian u64: 56,0,0,0,0,0,0,0
        byte[] jsonBytes = json.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(jsonBytes, 0, expected, 8, 54);
        expected[8 + 54] = ' ';
        expected[8 + 55] = ' ';
        // 1.0f = 0x3F800000, -2.0f = 0xC0000000, each little-endian
        byte[] data = {0x00, 0x00, (byte) 0x80, 0x3F, 0x00, 0x00, 0x00, (byte) 0xC0};
        System.arraycopy(data, 0, expected, 64, 8);

        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void metadataIsWrittenAfterTensorsAndOmittedWhenEmpty() {
        byte[] withMeta = SafeTensors.encode(Map.of("k", "v"), List.of(Tensor.u8("a", new byte[] {5})));
        String header = new String(withMeta, 8, (int) headerLength(withMeta), StandardCharsets.UTF_8);
        assertThat(header.stripTrailing()).isEqualTo(
                "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},\"__metadata__\":{\"k\":\"v\"}}");

        byte[] without = SafeTensors.encode(Map.of(), List.of(Tensor.u8("a", new byte[] {5})));
        assertThat(new String(without, StandardCharsets.UTF_8)).doesNotContain("__metadata__");
    }

    @Test
    void headerIsPaddedToMultipleOf8AndOffsetsAreContiguous() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        for (int nameLength = 1; nameLength <= 9; nameLength++) {
            String name = "x".repeat(nameLength);
            List<Tensor> tensors = List.of(
                    Tensor.f32(name, new long[] {3}, new float[] {1, 2, 3}),
                    Tensor.u8(name + "b", new byte[] {1, 2, 3}),
                    Tensor.i64(name + "c", new long[] {1}, new long[] {9}));
            byte[] bytes = SafeTensors.encode(Map.of(), tensors);
            long n = headerLength(bytes);
            assertThat(n % 8).as("header length for name length %d", nameLength).isZero();
            String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
            assertThat(header).startsWith("{");
            assertThat(header.stripTrailing()).endsWith("}");
            assertThat(header.substring(header.stripTrailing().length())).matches(" *");

            JsonNode root = mapper.readTree(header);
            long expectedBegin = 0;
            Iterator<String> names = root.fieldNames();
            for (Tensor tensor : tensors) {
                assertThat(names.next()).isEqualTo(tensor.name());
                JsonNode offsets = root.get(tensor.name()).get("data_offsets");
                assertThat(offsets.get(0).asLong()).isEqualTo(expectedBegin);
                expectedBegin += tensor.bytes().length;
                assertThat(offsets.get(1).asLong()).isEqualTo(expectedBegin);
            }
            assertThat(bytes.length).isEqualTo(8 + n + expectedBegin);
        }
    }

    @Test
    void writeAndReadFile() throws IOException {
        Path file = dir.resolve("sub/dir/model.safetensors");
        SafeTensors.write(file, sampleMetadata(), sampleTensors());
        assertThat(Files.readAllBytes(file)).isEqualTo(SafeTensors.encode(sampleMetadata(), sampleTensors()));
        SafeTensors.Contents contents = SafeTensors.read(file);
        assertThat(new ArrayList<>(contents.tensors().values())).isEqualTo(sampleTensors());
        assertThat(contents.metadata()).containsExactlyEntriesOf(sampleMetadata());
    }

    @Test
    void encodeRejectsDuplicateOrReservedNames() {
        Tensor a = Tensor.u8("a", new byte[] {1});
        assertThatThrownBy(() -> SafeTensors.encode(Map.of(), List.of(a, a)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SafeTensors.encode(Map.of(), List.of(Tensor.u8("__metadata__", new byte[0]))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- malformed input -------------------------------------------------------------------

    @Test
    void missingFile() {
        Path missing = dir.resolve("nope.safetensors");
        assertUserError(() -> SafeTensors.read(missing), missing.toString()).contains("does not exist");
    }

    @Test
    void directoryInsteadOfFile() {
        assertUserError(() -> SafeTensors.read(dir), dir.toString()).contains("directory");
    }

    @Test
    void threeByteFile() throws IOException {
        Path file = dir.resolve("short.safetensors");
        Files.write(file, new byte[] {1, 2, 3});
        assertUserError(() -> SafeTensors.read(file), file.toString()).contains("too short");
        assertUserError(() -> SafeTensors.decode(new byte[0], SRC), SRC);
    }

    @Test
    void headerLengthBeyondFile() {
        byte[] valid = tiny();
        for (long length : new long[] {1L << 40, -1L, valid.length - 8 + 1}) {
            byte[] bytes = valid.clone();
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length);
            assertUserError(() -> SafeTensors.decode(bytes, SRC), SRC)
                    .contains("header length " + Long.toUnsignedString(length));
        }
    }

    @Test
    void headerNotJson() {
        assertUserError(() -> SafeTensors.decode(raw("this is not json", new byte[0]), SRC), SRC)
                .contains("not valid JSON");
        assertUserError(() -> SafeTensors.decode(raw("{\"w\": {\"dtype\"", new byte[0]), SRC), SRC)
                .contains("not valid JSON");
        assertUserError(() -> SafeTensors.decode(raw("{} {}", new byte[0]), SRC), SRC)
                .contains("not valid JSON");
        assertUserError(() -> SafeTensors.decode(raw("", new byte[0]), SRC), SRC);
        byte[] invalidUtf8 = raw("{\"\u00ff\":1}", new byte[0]);
        invalidUtf8[10] = (byte) 0xFF;
        assertUserError(() -> SafeTensors.decode(invalidUtf8, SRC), SRC);
    }

    @Test
    void headerNotAnObject() {
        assertUserError(() -> SafeTensors.decode(raw("[1,2,3]", new byte[0]), SRC), SRC)
                .contains("not a JSON object");
        assertUserError(() -> SafeTensors.decode(raw("{\"w\": 5}", new byte[0]), SRC), SRC)
                .contains("'w'");
    }

    @Test
    void duplicateTensorNames() {
        String header = "{\"w\":" + entry("U8", "[1]", "[0,1]") + ",\"w\":" + entry("U8", "[1]", "[1,2]") + "}";
        assertUserError(() -> SafeTensors.decode(raw(header, new byte[2]), SRC), SRC).containsIgnoringCase("duplicate");
    }

    @Test
    void truncatedData() {
        byte[] valid = SafeTensors.encode(Map.of(), sampleTensors());
        byte[] cut = Arrays.copyOf(valid, valid.length - 3);
        long dataLength = valid.length - 8 - headerLength(valid);
        assertUserError(() -> SafeTensors.decode(cut, SRC), SRC)
                .contains("truncated")
                .contains("header says " + dataLength + " bytes of data, file has " + (dataLength - 3));
    }

    @Test
    void trailingBytes() {
        byte[] valid = tiny();
        byte[] longer = Arrays.copyOf(valid, valid.length + 4);
        assertUserError(() -> SafeTensors.decode(longer, SRC), SRC).contains("trailing");
    }

    @Test
    void unknownDtype() {
        String header = "{\"w\":" + entry("F16", "[2]", "[0,4]") + "}";
        assertUserError(() -> SafeTensors.decode(raw(header, new byte[4]), SRC), SRC)
                .contains("unsupported dtype \"F16\"");
        String notString = "{\"w\":{\"dtype\":4,\"shape\":[2],\"data_offsets\":[0,4]}}";
        assertUserError(() -> SafeTensors.decode(raw(notString, new byte[4]), SRC), SRC).contains("dtype");
    }

    @Test
    void missingFields() {
        assertUserError(() -> SafeTensors.decode(
                raw("{\"w\":{\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[1]), SRC), SRC)
                .contains("no dtype");
        assertUserError(() -> SafeTensors.decode(
                raw("{\"w\":{\"dtype\":\"U8\",\"data_offsets\":[0,1]}}", new byte[1]), SRC), SRC)
                .contains("no shape");
        assertUserError(() -> SafeTensors.decode(
                raw("{\"w\":{\"dtype\":\"U8\",\"shape\":[1]}}", new byte[1]), SRC), SRC)
                .contains("no data_offsets");
    }

    @Test
    void badShapes() {
        for (String shape : new String[] {"[-1]", "[1.5]", "[\"2\"]", "5", "[99999999999,99999999999]"}) {
            assertUserError(() -> SafeTensors.decode(raw("{\"w\":" + entry("U8", shape, "[0,1]") + "}",
                    new byte[1]), SRC), SRC).contains("'w'");
        }
    }

    @Test
    void badOffsets() {
        // size does not match shape * dtype size
        assertUserError(() -> SafeTensors.decode(raw("{\"w\":" + entry("F32", "[2]", "[0,4]") + "}",
                new byte[4]), SRC), SRC).contains("need 8 bytes");
        // begin > end, negative, wrong arity, not numbers
        for (String offsets : new String[] {"[8,0]", "[-8,0]", "[0]", "[0,8,16]", "[\"0\",\"8\"]", "{}"}) {
            assertUserError(() -> SafeTensors.decode(raw("{\"w\":" + entry("F32", "[2]", offsets) + "}",
                    new byte[8]), SRC), SRC).contains("data_offsets");
        }
        // overlapping
        String overlap = "{\"a\":" + entry("F32", "[2]", "[0,8]") + ",\"b\":" + entry("F32", "[2]", "[4,12]") + "}";
        assertUserError(() -> SafeTensors.decode(raw(overlap, new byte[12]), SRC), SRC).contains("overlap");
        // gap
        String gap = "{\"a\":" + entry("F32", "[1]", "[0,4]") + ",\"b\":" + entry("F32", "[1]", "[8,12]") + "}";
        assertUserError(() -> SafeTensors.decode(raw(gap, new byte[12]), SRC), SRC).contains("gap");
        // offsets beyond the data
        String beyond = "{\"a\":" + entry("F32", "[1]", "[0,4]") + "}";
        assertUserError(() -> SafeTensors.decode(raw(beyond, new byte[2]), SRC), SRC).contains("truncated");
    }

    @Test
    void outOfOrderOffsetsAreAcceptedWhenTheyTileTheData() {
        // Other writers (e.g. the Python library) may order data differently from the header.
        String header = "{\"a\":" + entry("U8", "[1]", "[2,3]") + ",\"b\":" + entry("U8", "[2]", "[0,2]")
                + ",\"z\":" + entry("U8", "[0]", "[3,3]") + "}";
        SafeTensors.Contents contents = SafeTensors.decode(raw(header, new byte[] {10, 20, 30}), SRC);
        assertThat(contents.tensors().keySet()).containsExactly("a", "b", "z");
        assertThat(contents.require("a", SRC).toLongs()).containsExactly(30);
        assertThat(contents.require("b", SRC).toLongs()).containsExactly(10, 20);
    }

    @Test
    void badMetadata() {
        String header = "{\"__metadata__\":{\"step\":42}}";
        assertUserError(() -> SafeTensors.decode(raw(header, new byte[0]), SRC), SRC)
                .contains("'step'").contains("not a string");
        assertUserError(() -> SafeTensors.decode(raw("{\"__metadata__\":[]}", new byte[0]), SRC), SRC)
                .contains("__metadata__");
    }

    @Test
    void requireReportsMissingTensorAndWrongDtypeOrShape() {
        SafeTensors.Contents contents = SafeTensors.decode(tiny(), SRC);
        assertThat(contents.require("w", SRC).toFloats()).containsExactly(1f, -2f);
        assertUserError(() -> contents.require("value.w", SRC), SRC)
                .startsWith(SRC + " has no tensor 'value.w'");
        assertUserError(() -> contents.require("w", "I64", null, SRC), SRC).contains("dtype F32, expected I64");
        assertUserError(() -> contents.require("w", "F32", new long[] {3}, SRC), SRC)
                .contains("shape [2], expected [3]");
        assertThat(contents.require("w", "F32", new long[] {2}, SRC).name()).isEqualTo("w");
    }

    @Test
    void tensorFactoriesValidate() {
        assertThatThrownBy(() -> Tensor.f32("w", new long[] {2, 2}, new float[3], 0, 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Tensor.i64("w", new long[] {2}, new long[3]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Tensor("w", "F16", new long[] {1}, new byte[2]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Tensor("w", "F32", new long[] {2}, new byte[4]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Tensor.u8("w", new byte[1]).toFloats()).isInstanceOf(IllegalStateException.class);
        assertThat(Tensor.u8("w", new byte[] {1})).isEqualTo(Tensor.u8("w", new byte[] {1}));
        assertThat(Tensor.u8("w", new byte[] {1})).isNotEqualTo(Tensor.u8("w", new byte[] {2}));
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static org.assertj.core.api.AbstractStringAssert<?> assertUserError(ThrowingCallable call, String source) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(thrown).isInstanceOf(UserInputException.class);
        String message = thrown.getMessage();
        assertThat(message).contains(source).doesNotContain("\n").doesNotContain("\r");
        return assertThat(message);
    }

    private static byte[] tiny() {
        return SafeTensors.encode(Map.of(), List.of(Tensor.f32("w", new long[] {2}, new float[] {1f, -2f})));
    }

    private static long headerLength(byte[] bytes) {
        return ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static String entry(String dtype, String shape, String offsets) {
        return "{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}";
    }

    /** A file with the given header text (unpadded) and data section. */
    private static byte[] raw(String header, byte[] data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(json.length).put(json).put(data).array();
    }
}
