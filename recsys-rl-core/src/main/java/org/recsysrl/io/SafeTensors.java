package org.recsysrl.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Function;
import org.recsysrl.util.InputFiles;
import org.recsysrl.util.UserInputException;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> format:
 * an 8-byte little-endian unsigned header length N, then N bytes of UTF-8 JSON
 * {@code {"name": {"dtype": ..., "shape": [...], "data_offsets": [begin, end]}, ...,
 * "__metadata__": {string: string}}}, then the tensor data. Offsets are relative to the start of the
 * data section; tensors are laid out contiguously in the order given; the header is padded with
 * spaces to a multiple of 8 bytes. Supported dtypes: F32, I64, I32, U8.
 *
 * <p>Files written here can be read by the Python {@code safetensors} library and vice versa (for
 * the supported dtypes). Every problem with a file being read is reported as a one-line
 * {@link UserInputException} naming the file.
 */
public final class SafeTensors {
    /** Same limit as the reference implementation: a larger header is certainly not a real file. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final String METADATA_KEY = "__metadata__";
    private static final String FIX = "re-create it (e.g. re-run training) or pick another file";
    private static final String DTYPES = "F32, I64, I32, U8";
    private static final int MAX_FILE_BYTES = Integer.MAX_VALUE - 16;

    /** Most tensors in one file. */
    static final int MAX_TENSORS = 100_000;
    /** Most dimensions of one tensor. */
    static final int MAX_RANK = 64;
    /** Largest read from the file in one call, so the JDK's temporary direct buffers stay small. */
    private static final int READ_CHUNK = 1 << 20;

    private static final JsonMapper MAPPER = JsonLimits.mapper((int) MAX_HEADER_BYTES);

    private SafeTensors() {}

    /**
     * Writes a safetensors file atomically (see {@link AtomicFiles}). Tensor order and metadata key
     * order are preserved, so the same input always gives the same bytes. An empty metadata map
     * omits {@code "__metadata__"}.
     *
     * @throws IllegalArgumentException for duplicate tensor names or a tensor named {@code __metadata__}
     */
    public static void write(Path path, Map<String, String> metadata, List<Tensor> tensors) throws IOException {
        byte[] header = header(metadata, tensors);
        AtomicFiles.write(path, out -> {
            out.write(littleEndian(header.length));
            out.write(header);
            for (Tensor tensor : tensors) {
                out.write(tensor.bytes());
            }
        });
    }

    /** The bytes {@link #write} would write. */
    public static byte[] encode(Map<String, String> metadata, List<Tensor> tensors) {
        byte[] header = header(metadata, tensors);
        long total = 8L + header.length;
        for (Tensor tensor : tensors) {
            total += tensor.bytes().length;
        }
        if (total > MAX_FILE_BYTES) {
            throw new IllegalArgumentException("safetensors content too large for one array: " + total + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) total);
        buffer.put(littleEndian(header.length)).put(header);
        for (Tensor tensor : tensors) {
            buffer.put(tensor.bytes());
        }
        return buffer.array();
    }

    /**
     * Reads and validates a safetensors file. The path is checked to be a regular file before it is
     * opened, and the header (its length against {@value #MAX_HEADER_BYTES} bytes and the file's
     * size, its JSON against {@link JsonLimits}, every tensor's offsets against the data section)
     * before any tensor is allocated; the tensors are then read straight into their own arrays.
     *
     * @throws UserInputException if the path is missing or not a regular file, or the file is
     *     unreadable, truncated or malformed
     */
    public static Contents read(Path path) {
        Objects.requireNonNull(path, "path");
        String source = path.toString();
        requireRegularFile(path, source);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > MAX_FILE_BYTES) {
                throw new UserInputException(IoMessages.oneLine(source + " is too large (" + size
                        + " bytes; at most " + MAX_FILE_BYTES + " are supported): pick another file"));
            }
            if (size < 8) {
                throw tooShort(source, size);
            }
            long headerLength = ByteBuffer.wrap(readFully(channel, 8, source)).order(ByteOrder.LITTLE_ENDIAN).getLong();
            checkHeaderLength(headerLength, size - 8, source);
            byte[] headerBytes = readFully(channel, (int) headerLength, source);
            Header header = parseHeader(headerBytes, 0, (int) headerLength, size - 8 - headerLength, source);
            Map<String, byte[]> data = new HashMap<>();
            for (Entry entry : header.byOffset()) { // the offsets tile the data section, so read it in order
                data.put(entry.name(), readFully(channel, (int) (entry.end() - entry.begin()), source));
            }
            return header.contents(data::get);
        } catch (NoSuchFileException e) {
            throw missing(source, e);
        } catch (IOException e) {
            throw IoMessages.cannot("read", path, e, "check the file's permissions or pick another file");
        }
    }

    /**
     * Parses and validates safetensors bytes; {@code sourceName} (usually the file path) is used in
     * error messages.
     *
     * @throws UserInputException if the bytes are truncated or malformed
     */
    public static Contents decode(byte[] bytes, String sourceName) {
        Objects.requireNonNull(bytes, "bytes");
        String source = String.valueOf(sourceName);
        if (bytes.length < 8) {
            throw tooShort(source, bytes.length);
        }
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        checkHeaderLength(headerLength, bytes.length - 8L, source);
        int dataStart = 8 + (int) headerLength;
        Header header = parseHeader(bytes, 8, (int) headerLength, bytes.length - dataStart, source);
        return header.contents(name -> {
            Entry entry = header.entry(name);
            return Arrays.copyOfRange(bytes, dataStart + (int) entry.begin(), dataStart + (int) entry.end());
        });
    }

    /** The parsed content of a safetensors file: metadata (in file order) and tensors (in header order). */
    public record Contents(Map<String, String> metadata, LinkedHashMap<String, Tensor> tensors) {
        public Contents {
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
            Objects.requireNonNull(tensors, "tensors");
        }

        /**
         * The tensor called {@code name}.
         *
         * @throws UserInputException "&lt;source&gt; has no tensor '&lt;name&gt;': ..." if it is absent
         */
        public Tensor require(String name, String sourceName) {
            Tensor tensor = tensors.get(name);
            if (tensor == null) {
                StringJoiner present = new StringJoiner(", ");
                int shown = 0;
                for (String key : tensors.keySet()) {
                    if (shown++ == 10) {
                        present.add("... (" + tensors.size() + " in total)");
                        break;
                    }
                    present.add(IoMessages.quote(key));
                }
                String has = tensors.isEmpty() ? "it has no tensors" : "it has " + present;
                throw new UserInputException(IoMessages.oneLine(sourceName + " has no tensor '" + name
                        + "' (" + has + "): pick a file written for this model by this version of recsys-rl"));
            }
            return tensor;
        }

        /**
         * The tensor called {@code name}, checked to have {@code dtype} and, unless
         * {@code expectedShape} is null, exactly that shape.
         *
         * @throws UserInputException if the tensor is absent or has another dtype or shape
         */
        public Tensor require(String name, String dtype, long[] expectedShape, String sourceName) {
            Tensor tensor = require(name, sourceName);
            if (!tensor.dtype().equals(dtype)) {
                throw new UserInputException(IoMessages.oneLine(sourceName + ": tensor '" + name
                        + "' has dtype " + tensor.dtype() + ", expected " + dtype
                        + ": pick a file written for this model by this version of recsys-rl"));
            }
            if (expectedShape != null && !Arrays.equals(tensor.shape(), expectedShape)) {
                throw new UserInputException(IoMessages.oneLine(sourceName + ": tensor '" + name
                        + "' has shape " + shapeText(tensor.shape()) + ", expected " + shapeText(expectedShape)
                        + ": pick a file written with the same model settings, or change the settings to match"));
            }
            return tensor;
        }

        /**
         * Checks that every F32 tensor holds only finite values (a model or optimiser state with a
         * NaN or an infinity is the trace of a diverged run and would only spread).
         *
         * @throws UserInputException naming the source, the first such tensor and element
         */
        public void requireFinite(String sourceName) {
            for (Tensor tensor : tensors.values()) {
                int bad = firstNonFinite(tensor);
                if (bad >= 0) {
                    float value = ByteBuffer.wrap(tensor.bytes()).order(ByteOrder.LITTLE_ENDIAN).getFloat(bad * 4);
                    throw new UserInputException(IoMessages.oneLine(sourceName + ": tensor '"
                            + IoMessages.quote(tensor.name()) + "' holds a non-finite value (" + value + " at element " + bad + " of "
                            + tensor.elementCount() + "), the trace of a run that diverged: pick an earlier file,"
                            + " or retrain (e.g. with a lower learning rate)"));
                }
            }
        }
    }

    /**
     * The index of the first NaN or infinite element of an F32 tensor, or -1 if every element is
     * finite (or the tensor is not F32). Reads the bytes in place, without copying.
     */
    public static int firstNonFinite(Tensor tensor) {
        if (!tensor.dtype().equals("F32")) {
            return -1;
        }
        ByteBuffer data = ByteBuffer.wrap(tensor.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        int count = tensor.bytes().length / 4;
        for (int i = 0; i < count; i++) {
            if (!Float.isFinite(data.getFloat(i * 4))) {
                return i;
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------------------------------------

    private record Entry(String name, String dtype, long[] shape, long begin, long end) {}

    /** A validated header: metadata, entries in header order and in data order. */
    private record Header(Map<String, String> metadata, LinkedHashMap<String, Entry> entries, List<Entry> byOffset) {
        Entry entry(String name) {
            return entries.get(name);
        }

        /** The contents, each tensor's bytes given by {@code data}. */
        Contents contents(Function<String, byte[]> data) {
            LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry e : entries.values()) {
                tensors.put(e.name(), new Tensor(e.name(), e.dtype(), e.shape(), data.apply(e.name())));
            }
            return new Contents(metadata, tensors);
        }
    }

    /**
     * Parses the JSON header {@code buf[off, off + len)} and checks every entry against a data
     * section of {@code dataLength} bytes: the offsets must tile it exactly (no gap, no overlap,
     * nothing beyond its end, nothing left over).
     */
    private static Header parseHeader(byte[] buf, int off, int len, long dataLength, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(buf, off, len);
        } catch (JsonProcessingException e) {
            throw invalid(source, "header is not valid JSON: " + JsonLimits.problem(e), e);
        } catch (IOException e) {
            throw invalid(source, "header is not valid JSON: " + shorten(e.getMessage()), e);
        }
        if (root == null || !root.isObject()) {
            throw invalid(source, "header is not a JSON object");
        }
        int tensorCount = root.size() - (root.has(METADATA_KEY) ? 1 : 0);
        if (tensorCount > MAX_TENSORS) {
            throw invalid(source, "header lists " + tensorCount + " tensors; at most " + MAX_TENSORS
                    + " are supported");
        }

        Map<String, String> metadata = new LinkedHashMap<>();
        LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (name.equals(METADATA_KEY)) {
                readMetadata(value, metadata, source);
            } else {
                entries.put(name, readEntry(name, value, source));
            }
        }

        List<Entry> byOffset = new ArrayList<>(entries.values());
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        Entry previous = null;
        for (Entry entry : byOffset) {
            if (entry.begin < expected) {
                throw invalid(source, "tensors '" + IoMessages.quote(previous.name) + "' and '"
                        + IoMessages.quote(entry.name) + "' overlap");
            }
            if (entry.begin > expected) {
                throw invalid(source, "there is a gap of " + (entry.begin - expected)
                        + " bytes before tensor '" + IoMessages.quote(entry.name) + "'");
            }
            expected = entry.end;
            previous = entry;
        }
        if (expected > dataLength) {
            throw corrupt(source, "is truncated (header says " + expected + " bytes of data, file has "
                    + dataLength + ")");
        }
        if (expected < dataLength) {
            throw invalid(source, "header says " + expected + " bytes of data but the file has "
                    + dataLength + " (" + (dataLength - expected) + " unexpected trailing bytes)");
        }
        return new Header(metadata, entries, byOffset);
    }

    /** The header length field must fit in the file and in {@link #MAX_HEADER_BYTES}. */
    private static void checkHeaderLength(long headerLength, long available, String source) {
        if (headerLength < 0 || headerLength > available) {
            throw corrupt(source, "is truncated or not a safetensors file (header length "
                    + Long.toUnsignedString(headerLength) + " is beyond the end of the file, which has only "
                    + available + " bytes after the length field)");
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw invalid(source, "header length " + headerLength + " exceeds the limit of " + MAX_HEADER_BYTES);
        }
    }

    /** Refuses, before opening it, a path that is missing or not a regular file. */
    private static void requireRegularFile(Path path, String source) {
        switch (InputFiles.kind(path)) {
            case MISSING -> throw missing(source, null);
            case DIRECTORY -> throw new UserInputException(IoMessages.oneLine(
                    source + " is a directory, not a safetensors file: pass the path of a .safetensors file"));
            case SPECIAL -> throw new UserInputException(IoMessages.oneLine(source + " is "
                    + InputFiles.describe(path) + ", not a safetensors file: pass the path of a .safetensors file"));
            default -> {
                // a regular file, or one whose attributes are unreadable: opening it says why
            }
        }
    }

    /** Reads exactly {@code n} bytes, at most {@value #READ_CHUNK} per call (bounded temporary buffers). */
    private static byte[] readFully(FileChannel channel, int n, String source) throws IOException {
        byte[] out = new byte[n];
        ByteBuffer buffer = ByteBuffer.wrap(out);
        while (buffer.position() < n) {
            buffer.limit(Math.min(n, buffer.position() + READ_CHUNK));
            if (channel.read(buffer) < 0) {
                throw corrupt(source, "ended while it was being read (was it being written or truncated?)");
            }
        }
        return out;
    }

    private static UserInputException missing(String source, Throwable cause) {
        return new UserInputException(IoMessages.oneLine("safetensors file " + source
                + " does not exist: check the path (or run training first to create it)"), cause);
    }

    private static UserInputException tooShort(String source, long length) {
        return corrupt(source, "is too short to be a safetensors file (" + length + " bytes, need at least 8)");
    }

    private static byte[] header(Map<String, String> metadata, List<Tensor> tensors) {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(tensors, "tensors");
        ObjectNode root = MAPPER.createObjectNode();
        Set<String> names = new HashSet<>();
        long offset = 0;
        for (Tensor tensor : tensors) {
            Objects.requireNonNull(tensor, "tensor");
            if (tensor.name().equals(METADATA_KEY)) {
                throw new IllegalArgumentException("a tensor cannot be named " + METADATA_KEY);
            }
            if (!names.add(tensor.name())) {
                throw new IllegalArgumentException("duplicate tensor name '" + tensor.name() + "'");
            }
            ObjectNode entry = root.putObject(tensor.name());
            entry.put("dtype", tensor.dtype());
            ArrayNode shape = entry.putArray("shape");
            for (long dim : tensor.shape()) {
                shape.add(dim);
            }
            long end = offset + tensor.bytes().length;
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(METADATA_KEY);
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                meta.put(Objects.requireNonNull(e.getKey(), "metadata key"),
                        Objects.requireNonNull(e.getValue(), "metadata value for " + e.getKey()));
            }
        }
        byte[] json;
        try {
            json = MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize safetensors header", e);
        }
        int padded = (json.length + 7) & ~7;
        byte[] header = Arrays.copyOf(json, padded);
        Arrays.fill(header, json.length, padded, (byte) ' ');
        return header;
    }

    private static void readMetadata(JsonNode value, Map<String, String> metadata, String source) {
        if (!value.isObject()) {
            throw invalid(source, METADATA_KEY + " is not a JSON object");
        }
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            if (!field.getValue().isTextual()) {
                throw invalid(source, "metadata value for '" + IoMessages.quote(field.getKey()) + "' is not a string");
            }
            metadata.put(field.getKey(), field.getValue().textValue());
        }
    }

    private static Entry readEntry(String name, JsonNode value, String source) {
        String what = "tensor '" + IoMessages.quote(name) + "'";
        if (!value.isObject()) {
            throw invalid(source, "the header entry for " + what + " is not a JSON object");
        }
        JsonNode dtypeNode = value.get("dtype");
        if (dtypeNode == null) {
            throw invalid(source, what + " has no dtype");
        }
        if (!dtypeNode.isTextual()) {
            throw invalid(source, what + " has a dtype that is not a string");
        }
        String dtype = dtypeNode.textValue();
        int size = Tensor.dtypeSize(dtype);
        if (size < 0) {
            throw invalid(source, what + " has unsupported dtype \"" + shorten(dtype)
                    + "\" (supported: " + DTYPES + ")");
        }

        long[] shape = readShape(value.get("shape"), what, source);

        JsonNode offsetsNode = value.get("data_offsets");
        if (offsetsNode == null) {
            throw invalid(source, what + " has no data_offsets");
        }
        String badOffsets = what + " has invalid data_offsets " + shorten(offsetsNode.toString())
                + " (need [begin, end] with 0 <= begin <= end)";
        if (!offsetsNode.isArray() || offsetsNode.size() != 2) {
            throw invalid(source, badOffsets);
        }
        long begin = nonNegativeLong(offsetsNode.get(0), source, badOffsets);
        long end = nonNegativeLong(offsetsNode.get(1), source, badOffsets);
        if (begin > end) {
            throw invalid(source, badOffsets);
        }

        long count = Tensor.elementCount(shape);
        long needed;
        try {
            needed = count < 0 ? -1 : Math.multiplyExact(count, size);
        } catch (ArithmeticException e) {
            needed = -1;
        }
        if (needed < 0) {
            throw invalid(source, what + " has a shape too large to hold: " + shapeText(shape));
        }
        if (end - begin != needed) {
            throw invalid(source, what + " has data_offsets [" + begin + "," + end + "] spanning "
                    + (end - begin) + " bytes, but dtype " + dtype + " and shape " + shapeText(shape)
                    + " need " + needed + " bytes");
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    /** The {@code shape} of a header entry: an array of at most {@link #MAX_RANK} non-negative integers. */
    private static long[] readShape(JsonNode shapeNode, String what, String source) {
        if (shapeNode == null) {
            throw invalid(source, what + " has no shape");
        }
        if (!shapeNode.isArray()) {
            throw invalid(source, what + " has a shape that is not an array");
        }
        if (shapeNode.size() > MAX_RANK) {
            throw invalid(source, what + " has " + shapeNode.size() + " dimensions; at most " + MAX_RANK
                    + " are supported");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = nonNegativeLong(shapeNode.get(i), source,
                    what + " has an invalid shape " + shorten(shapeNode.toString()));
        }
        return shape;
    }

    private static long nonNegativeLong(JsonNode node, String source, String problem) {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
            throw invalid(source, problem);
        }
        return node.longValue();
    }

    private static byte[] littleEndian(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
    }

    static String shapeText(long[] shape) {
        StringJoiner joiner = new StringJoiner(",", "[", "]");
        for (long dim : shape) {
            joiner.add(Long.toString(dim));
        }
        return joiner.toString();
    }

    private static String shorten(String text) {
        String line = IoMessages.oneLine(text);
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }

    private static UserInputException corrupt(String source, String problem) {
        return new UserInputException(IoMessages.oneLine(source + " " + problem + ": " + FIX));
    }

    private static UserInputException invalid(String source, String detail) {
        return corrupt(source, "is not a valid safetensors file (" + detail + ")");
    }

    private static UserInputException invalid(String source, String detail, Throwable cause) {
        return new UserInputException(IoMessages.oneLine(
                source + " is not a valid safetensors file (" + detail + "): " + FIX), cause);
    }
}
