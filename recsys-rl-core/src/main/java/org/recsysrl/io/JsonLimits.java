package org.recsysrl.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The bounds on JSON read from files (safetensors headers and the config stored in checkpoint
 * metadata), enforced by Jackson while it parses, so that no header can make the reader nest,
 * allocate or count without limit. Duplicate keys are an error.
 */
final class JsonLimits {
    /** Deepest nesting of objects and arrays: a safetensors header needs 3 levels, a config 2. */
    static final int MAX_DEPTH = 32;
    /** Longest number, in characters: a 64-bit offset needs 20. */
    static final int MAX_NUMBER_LENGTH = 100;
    /** Longest key (tensor or metadata name), in characters. */
    static final int MAX_NAME_LENGTH = 50_000;
    /**
     * Most tokens in one document: about 15 per tensor entry, so room for the tensor limit of
     * {@link SafeTensors} with ranks up to 10, and a bound on the size of the parsed tree.
     */
    static final long MAX_TOKENS = 3_000_000L;

    private JsonLimits() {
    }

    /** A reader that enforces these limits and strings and documents of at most {@code maxBytes}. */
    static JsonMapper mapper(int maxBytes) {
        StreamReadConstraints limits = StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .maxNameLength(MAX_NAME_LENGTH)
                .maxStringLength(maxBytes)
                .maxDocumentLength(maxBytes)
                .maxTokenCount(MAX_TOKENS)
                .build();
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(limits)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        return JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /**
     * What is wrong with the JSON, in one line without Java names: for a broken limit, which limit
     * ("exceeds a limit of the reader: document nesting depth (33) exceeds the maximum allowed (32)");
     * otherwise the parser's message and, when known, the line and column.
     */
    static String problem(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        // Jackson names the setter that raises the limit ("..., from `StreamReadConstraints...`)"): drop it
        message = message.replaceAll(",? *from `[^`]*`", "");
        message = IoMessages.oneLine(message);
        if (message.length() > 200) {
            message = message.substring(0, 200) + "...";
        }
        if (e instanceof StreamConstraintsException) {
            return "exceeds a limit of the reader: " + message;
        }
        var where = e.getLocation();
        return where == null || where.getLineNr() < 1 ? message
                : message + " at line " + where.getLineNr() + ", column " + where.getColumnNr();
    }
}
