package org.recsysrl.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.recsysrl.nn.Activation;
import org.recsysrl.nn.EncoderKind;
import org.recsysrl.nn.WeightInit;
import org.recsysrl.util.InputFiles;
import org.recsysrl.util.UserInputException;

/**
 * JSON form of {@link RunConfig} (snake_case keys grouped as {@code env}, {@code model},
 * {@code ppo}, {@code a2c}, {@code train}) and {@code group.field=value} overrides.
 *
 * <p>A JSON file or override only names what it changes; everything else keeps its value. Unknown
 * keys and values of the wrong type are rejected with a message naming the key.
 */
public final class ConfigJson {
    /** Deepest nesting of objects and arrays (a config needs 3). */
    static final int MAX_DEPTH = 32;
    /** Longest number, in characters. */
    static final int MAX_NUMBER_LENGTH = 100;
    /** Longest string or key, in characters (the longest values are paths). */
    static final int MAX_STRING_LENGTH = 100_000;
    /** Largest {@code --config} file or stored config, in bytes (a complete config has a few kilobytes). */
    static final int MAX_CONFIG_BYTES = 1_000_000;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .maxNumberLength(MAX_NUMBER_LENGTH)
                            .maxStringLength(MAX_STRING_LENGTH)
                            .maxNameLength(MAX_STRING_LENGTH)
                            .maxDocumentLength(MAX_CONFIG_BYTES)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .addModule(namedChoices())
            .build();

    /**
     * The settings held as enums in the records, with the names their JSON and {@code --set} values
     * take: a value is checked against these names (a message naming the key and the allowed values)
     * before the records are built, so each is parsed once, here.
     */
    private static final Map<String, List<String>> CHOICES = Map.of(
            "model.activation", Activation.ids(),
            "model.init", WeightInit.ids(),
            "model.actor_head", ActorHeadKind.ids(),
            "model.encoder", EncoderKind.ids(),
            "seq.loss", SequenceLoss.ids(),
            "model.history_encoder", HistoryEncoderKind.ids(),
            "ppo.advantage_norm", AdvantageNormalisation.ids());

    /** Reads and writes the enum settings by their names ({@code last-item}, not {@code LAST_ITEM}). */
    private static SimpleModule namedChoices() {
        SimpleModule m = new SimpleModule("named-choices");
        named(m, Activation.class, Activation::id, Activation::of);
        named(m, WeightInit.class, WeightInit::id, WeightInit::of);
        named(m, ActorHeadKind.class, ActorHeadKind::id, ActorHeadKind::of);
        named(m, EncoderKind.class, EncoderKind::id, EncoderKind::of);
        named(m, SequenceLoss.class, SequenceLoss::id, SequenceLoss::of);
        named(m, HistoryEncoderKind.class, HistoryEncoderKind::id, HistoryEncoderKind::of);
        named(m, AdvantageNormalisation.class, AdvantageNormalisation::id, AdvantageNormalisation::of);
        return m;
    }

    private static <E extends Enum<E>> void named(SimpleModule m, Class<E> type, Function<E, String> id,
            Function<String, E> of) {
        m.addSerializer(type, new StdSerializer<E>(type) {
            @Override
            public void serialize(E value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(id.apply(value));
            }
        });
        m.addDeserializer(type, new StdDeserializer<E>(type) {
            @Override
            public E deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                if (p.currentToken() != JsonToken.VALUE_STRING) {
                    return type.cast(ctxt.handleUnexpectedToken(type, p));
                }
                String text = p.getText();
                try {
                    return of.apply(text);
                } catch (IllegalArgumentException e) {
                    throw ctxt.weirdStringException(text, type, e.getMessage());
                }
            }
        });
    }

    /** Refuses a value of an enum setting that is none of its names, with the message {@code validate()} gives. */
    private static void checkChoices(ObjectNode tree) {
        for (Map.Entry<String, List<String>> c : CHOICES.entrySet()) {
            String[] parts = c.getKey().split("\\.");
            JsonNode value = tree.path(parts[0]).get(parts[1]);
            if (value != null) {
                Validation.oneOf(c.getKey(), value.isTextual() ? value.asText() : value.toString(), c.getValue());
            }
        }
    }

    private ConfigJson() {
    }

    /** Pretty-printed JSON of every setting. */
    public static String toJson(RunConfig config) {
        try {
            return MAPPER.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise config", e);
        }
    }

    /** Single-line JSON of every setting (for checkpoint metadata). */
    public static String toCompactJson(RunConfig config) {
        try {
            return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise config", e);
        }
    }

    /**
     * Keys that say where a run writes its files rather than what it computes. They are left out
     * of {@link #toPortableJson}, so they never travel with a checkpoint.
     */
    public static final List<String> LOCAL_KEYS = List.of("train.log_dir", "train.checkpoint_dir", "data.path");

    /**
     * Single-line JSON of every setting except {@link #LOCAL_KEYS}, for checkpoint metadata: a
     * checkpoint's bytes then depend only on what was trained, not on the directory it was written
     * to, and {@link #merge} of it keeps the base's directories.
     */
    public static String toPortableJson(RunConfig config) {
        ObjectNode tree = MAPPER.valueToTree(config);
        for (String key : LOCAL_KEYS) {
            String[] parts = key.split("\\.");
            ((ObjectNode) tree.get(parts[0])).remove(parts[1]);
        }
        try {
            return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise config", e);
        }
    }

    /**
     * Reads a complete or partial config: the keys present replace those of {@code base}. The JSON
     * must stay within the reader's limits ({@value #MAX_DEPTH} levels of nesting, numbers of at
     * most {@value #MAX_NUMBER_LENGTH} characters, strings of at most {@value #MAX_STRING_LENGTH})
     * and name no key twice.
     *
     * @param sourceName how to name the input in error messages (a path, "checkpoint metadata")
     * @throws UserInputException (one line naming {@code sourceName}) for any problem of the JSON
     */
    public static RunConfig merge(RunConfig base, String json, String sourceName) {
        JsonNode patch;
        try {
            patch = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw notValid(sourceName, e);
        }
        return merge(base, patch, sourceName);
    }

    private static RunConfig merge(RunConfig base, JsonNode patch, String sourceName) {
        if (patch == null || !patch.isObject()) {
            throw new UserInputException(sourceName + " must hold a JSON object like {\"ppo\": {\"lr\": 0.001}}");
        }
        ObjectNode tree = MAPPER.valueToTree(base);
        mergeInto(tree, (ObjectNode) patch, "", sourceName);
        return fromTree(tree, sourceName);
    }

    /**
     * Loads a JSON config file over {@code base}. The path must name a regular file (it is checked
     * before it is opened, so a named pipe or a device is refused rather than read) of at most
     * {@value #MAX_CONFIG_BYTES} bytes.
     *
     * @throws UserInputException (one line naming the file and the fix) for a missing, special,
     *     unreadable, oversized or invalid file
     */
    public static RunConfig load(RunConfig base, Path file) {
        String source = "config file " + file;
        switch (InputFiles.kind(file)) {
            case MISSING -> throw new UserInputException(source + " does not exist: check the --config path");
            case DIRECTORY, SPECIAL -> throw new UserInputException(source + " is " + InputFiles.describe(file)
                    + ", not a JSON file: pass the path of a .json file to --config");
            default -> {
                // a regular file, or unreadable attributes: reading it says why
            }
        }
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_CONFIG_BYTES) {
                throw new UserInputException(source + " is too large (" + size + " bytes; a config has at most "
                        + MAX_CONFIG_BYTES + "): pass the path of a .json config file to --config");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserInputException(source + " does not exist: check the --config path");
        } catch (IOException e) {
            throw new UserInputException("cannot read " + source + " (" + oneLine(e.getMessage())
                    + "): check the path and its permissions");
        }
        JsonNode patch;
        try {
            patch = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw e instanceof JsonProcessingException j ? notValid(source, j)
                    : new UserInputException(source + " is not valid JSON (" + oneLine(e.getMessage())
                            + "): fix the file");
        }
        return merge(base, patch, source);
    }

    /** "{source} is not valid JSON (line L, column C: problem): fix the file", or the limit it exceeds. */
    private static UserInputException notValid(String sourceName, JsonProcessingException e) {
        String problem = oneLine(e.getOriginalMessage()).replaceAll(",? *from `[^`]*`", "");
        if (problem.length() > 200) {
            problem = problem.substring(0, 200) + "...";
        }
        if (e instanceof StreamConstraintsException) {
            return new UserInputException(sourceName + " exceeds a limit of the JSON reader (" + problem
                    + "; limits: nesting " + MAX_DEPTH + ", number length " + MAX_NUMBER_LENGTH + ", string length "
                    + MAX_STRING_LENGTH + ", size " + MAX_CONFIG_BYTES + " bytes): fix the file");
        }
        JsonLocation where = e.getLocation();
        String at = where == null || where.getLineNr() < 1 ? ""
                : "line " + where.getLineNr() + ", column " + where.getColumnNr() + ": ";
        return new UserInputException(sourceName + " is not valid JSON (" + at + problem + "): fix the file");
    }

    /**
     * Applies one {@code group.field=value} override. Numbers, booleans and strings are typed by the
     * field; lists are written {@code 128,64} or {@code [128,64]}.
     */
    public static RunConfig withOverride(RunConfig base, String assignment) {
        return withOverrides(base, List.of(assignment));
    }

    /**
     * Applies several {@code group.field=value} overrides in order, then validates once, so that
     * settings that must agree (such as {@code ppo.n_steps} and {@code ppo.batch_size}) can be
     * changed together.
     */
    public static RunConfig withOverrides(RunConfig base, List<String> assignments) {
        ObjectNode tree = MAPPER.valueToTree(base);
        String last = "--set";
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw new UserInputException("--set " + assignment
                        + " is not of the form group.field=value (e.g. ppo.lr=0.001)");
            }
            String key = assignment.substring(0, eq).trim();
            String value = assignment.substring(eq + 1).trim();
            String[] parts = key.split("\\.");
            if (parts.length != 2 || !tree.has(parts[0]) || !tree.get(parts[0]).has(parts[1])) {
                throw new UserInputException("--set " + key + ": unknown setting; valid keys: "
                        + String.join(", ", keys(tree)));
            }
            ObjectNode group = (ObjectNode) tree.get(parts[0]);
            group.set(parts[1], parseLike(group.get(parts[1]), value, key));
            last = "--set " + key;
        }
        return fromTree(tree, assignments.size() == 1 ? last : "--set");
    }

    /** Every settable key, {@code group.field}, in declaration order. */
    public static List<String> keys() {
        return keys(MAPPER.valueToTree(RunConfig.defaults()));
    }

    private static List<String> keys(ObjectNode tree) {
        List<String> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> groups = tree.fields(); groups.hasNext(); ) {
            Map.Entry<String, JsonNode> g = groups.next();
            for (Iterator<String> f = g.getValue().fieldNames(); f.hasNext(); ) {
                out.add(g.getKey() + "." + f.next());
            }
        }
        return out;
    }

    private static JsonNode parseLike(JsonNode current, String value, String key) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        try {
            if (current.isBoolean()) {
                if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
                    return f.booleanNode(Boolean.parseBoolean(value));
                }
                throw new NumberFormatException();
            }
            if (current.isIntegralNumber()) {
                return f.numberNode(Long.parseLong(value.replace("_", "")));
            }
            if (current.isNumber()) {
                double d = Double.parseDouble(value);
                return f.numberNode(d);
            }
            if (current.isArray()) {
                String body = value.startsWith("[") && value.endsWith("]") ? value.substring(1, value.length() - 1) : value;
                ArrayNode arr = f.arrayNode();
                if (!body.isBlank()) {
                    for (String item : body.split(",")) {
                        arr.add(Integer.parseInt(item.trim()));
                    }
                }
                return arr;
            }
            return f.textNode(value);
        } catch (NumberFormatException e) {
            throw new UserInputException("--set " + key + "=" + value + ": expected " + describe(current)
                    + " like " + key + "=" + current);
        }
    }

    private static String describe(JsonNode n) {
        if (n.isBoolean()) {
            return "true or false";
        }
        if (n.isIntegralNumber()) {
            return "a whole number";
        }
        if (n.isNumber()) {
            return "a number";
        }
        if (n.isArray()) {
            return "a comma-separated list of whole numbers";
        }
        return "text";
    }

    private static void mergeInto(ObjectNode target, ObjectNode patch, String path, String sourceName) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = printable(path.isEmpty() ? e.getKey() : path + "." + e.getKey());
            JsonNode existing = target.get(e.getKey());
            if (existing == null) {
                throw new UserInputException(sourceName + ": unknown setting '" + key + "'; valid keys: "
                        + String.join(", ", path.isEmpty() ? List.copyOf(iterable(target.fieldNames())) : keys(wrap(path, target))));
            }
            if (existing.isObject()) {
                if (!e.getValue().isObject()) {
                    throw new UserInputException(sourceName + ": '" + key + "' must be a JSON object of settings");
                }
                mergeInto((ObjectNode) existing, (ObjectNode) e.getValue(), key, sourceName);
            } else {
                JsonNode value = e.getValue();
                if (value.isNull()) {
                    throw new UserInputException(sourceName + ": '" + key + "' is null: give a value like "
                            + existing + " or leave the key out");
                }
                if (existing.isArray() && !isListOfWholeNumbers(value)) {
                    throw new UserInputException(sourceName + ": wrong value type for '" + key
                            + "': expected a list of whole numbers like " + existing);
                }
                target.set(e.getKey(), value);
            }
        }
    }

    private static boolean isListOfWholeNumbers(JsonNode value) {
        if (!value.isArray()) {
            return false;
        }
        for (JsonNode item : value) {
            if (!item.isIntegralNumber()) {
                return false;
            }
        }
        return true;
    }

    private static ObjectNode wrap(String name, ObjectNode node) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.set(name, node);
        return o;
    }

    private static List<String> iterable(Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private static void wrapped(Runnable check, String sourceName) {
        wrapped(() -> {
            check.run();
            return null;
        }, sourceName);
    }

    private static RunConfig fromTree(ObjectNode tree, String sourceName) {
        RunConfig config;
        try {
            config = MAPPER.treeToValue(tree, RunConfig.class);
        } catch (JsonProcessingException e) {
            String where = e instanceof com.fasterxml.jackson.databind.JsonMappingException m ? pathOf(m) : "";
            if (CHOICES.containsKey(where)) {
                wrapped(() -> checkChoices(tree), sourceName);
            }
            throw new UserInputException(sourceName + ": wrong value type" + (where.isEmpty() ? "" : " for '" + where
                    + "'") + " (" + shorten(oneLine(firstLine(e.getOriginalMessage()))) + ")");
        }
        return wrapped(config::validate, sourceName);
    }

    /** Runs a check, adding the input's name to its message unless it is a {@code --set}. */
    private static <T> T wrapped(java.util.function.Supplier<T> check, String sourceName) {
        try {
            return check.get();
        } catch (UserInputException e) {
            // the message names the key; add the input unless it is a --set, and keep it to one short line
            String message = oneLine(e.getMessage());
            if (!sourceName.startsWith("--set") && !message.contains(sourceName)) {
                message = sourceName + ": " + message;
            }
            if (message.length() > 1000) {
                message = message.substring(0, 480) + " ... " + message.substring(message.length() - 480);
            }
            throw message.equals(e.getMessage()) ? e : new UserInputException(message, e);
        }
    }

    /** A key from the input as it may appear in a message: control characters as '?', at most 100 characters. */
    private static String printable(String s) {
        return org.recsysrl.util.MessageText.quote(s, 100);
    }

    private static String shorten(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }

    private static String pathOf(com.fasterxml.jackson.databind.JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            }
        }
        return sb.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The text with line breaks and the whitespace around them collapsed to one space. */
    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
