package org.recsysrl.ope;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.recsysrl.data.TimeParser;
import org.recsysrl.io.AtomicFiles;
import org.recsysrl.util.UserInputException;

/**
 * Reads and writes the logged-feedback format: JSON Lines, one impression per line.
 *
 * <pre>
 * {"time": 1733456789000, "request_id": "r17", "user": "u3", "session": "s9", "step": 2,
 *  "context": [0.1, -1.2],                 optional numeric features (same length on every line)
 *  "items": ["i5", "i9", "i2"],             shown item or slate in position order (length 1 for one step)
 *  "propensities": [0.12, 0.05, 0.30],      logger's probability of each item at its position, in (0, 1]
 *  "slate_propensity": 0.0018,              optional: probability of the whole slate
 *  "rewards": [0, 1, 0],                    per-position rewards; or "reward": 1.0 for one total
 *  "action_probabilities": {"i5": 0.12, ...}  optional: the logger's full distribution at this step
 *  "position": 0}                           optional extension: 0-based position of items[0] (default 0)
 * </pre>
 *
 * All fields but {@code items}, {@code propensities} and a reward are optional; unknown fields are
 * ignored, so the format can grow compatibly. {@code time} is a number or an ISO-8601 date-time
 * string; item ids are strings or integers. {@code session} and {@code step} order impressions into
 * trajectories. Blank lines are skipped. A line that is not a JSON object, lacks a required field,
 * has a propensity outside (0, 1], or shows an item outside the given catalog is refused with the
 * file, the line number and the fix.
 */
public final class FeedbackJsonl {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FeedbackJsonl() {
    }

    /** Reads a log; {@code catalog} (may be {@code null}) restricts the item ids allowed. */
    public static LoggedFeedback read(Path file, Collection<String> catalog) throws IOException {
        FeedbackFiles.requireRegularFile(file, "log");
        LoggedFeedback.Builder b = LoggedFeedback.builder(file.toString());
        if (catalog != null) {
            b.catalog(catalog);
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                Impression im;
                try {
                    im = parse(line);
                } catch (IllegalArgumentException e) {
                    throw new UserInputException(file + " line " + lineNo + ": " + e.getMessage());
                }
                String problem = b.add(im);
                if (problem != null) {
                    throw new UserInputException(file + " line " + lineNo + ": " + problem);
                }
            }
        } catch (java.nio.charset.MalformedInputException e) {
            throw new UserInputException(file + " is not UTF-8 text: give a JSON Lines log (one impression per line)");
        }
        if (b.rows() == 0) {
            throw new UserInputException(file + " has no impressions: give a JSON Lines log with one impression per line");
        }
        return b.build();
    }

    /** Parses one line; throws {@link IllegalArgumentException} with a one-line reason and fix. */
    public static Impression parse(String line) {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON (" + e.getOriginalMessage().split("\n")[0]
                    + "): write one JSON object per line");
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not a JSON object: write one {...} impression per line");
        }
        long time = time(n.get("time"));
        List<String> items = items(n.get("items"));
        JsonNode pNode = n.get("propensities");
        if (pNode == null || pNode.isNull()) {
            throw new IllegalArgumentException("missing \"propensities\": log the logging policy's probability of"
                    + " each shown item at its position");
        }
        double[] props = numbers(pNode, "propensities");
        double slateProp = Double.NaN;
        JsonNode sp = n.get("slate_propensity");
        if (sp != null && !sp.isNull()) {
            if (!sp.isNumber()) {
                throw new IllegalArgumentException("slate_propensity must be a number");
            }
            slateProp = sp.asDouble();
        }
        double[] rewards = null;
        JsonNode rs = n.get("rewards");
        if (rs != null && !rs.isNull()) {
            rewards = numbers(rs, "rewards");
        }
        double total = total(n.get("reward"), rewards);
        double[] context = new double[0];
        JsonNode c = n.get("context");
        if (c != null && !c.isNull()) {
            context = numbers(c, "context");
        }
        Map<String, Double> dist = actionProbabilities(n.get("action_probabilities"));
        int position = intField(n, "position", 0);
        int step = intField(n, "step", -1);
        return new Impression(time, text(n, "request_id"), text(n, "user"), text(n, "session"), step, context,
                position, items, props, slateProp, rewards, total, dist);
    }

    /** The "time" field (may be null or absent: no time): epoch milliseconds or an ISO-8601 date-time. */
    private static long time(JsonNode t) {
        long time = LoggedFeedback.NO_TIME;
        if (t != null && !t.isNull()) {
            if (t.isIntegralNumber()) {
                time = t.asLong();
            } else if (t.isNumber()) {
                time = (long) t.asDouble();
            } else if (t.isTextual()) {
                time = TimeParser.parse(t.asText(), null);
                if (time == TimeParser.MALFORMED) {
                    throw new IllegalArgumentException("time \"" + t.asText() + "\" is neither a number nor an"
                            + " ISO-8601 date-time");
                }
            } else {
                throw new IllegalArgumentException("time must be a number or an ISO-8601 string");
            }
        }
        return time;
    }

    /** The shown item ids of the required "items" array. */
    private static List<String> items(JsonNode itemsNode) {
        if (itemsNode == null || !itemsNode.isArray()) {
            throw new IllegalArgumentException("missing \"items\": give the shown item or slate as an array of ids");
        }
        List<String> items = new ArrayList<>();
        for (JsonNode i : itemsNode) {
            if (!(i.isTextual() || i.isIntegralNumber())) {
                throw new IllegalArgumentException("item " + i + " is not a string or integer id");
            }
            items.add(i.asText());
        }
        return items;
    }

    /** The impression's total reward: "reward" (which must agree with the per-position rewards) or their sum. */
    private static double total(JsonNode r, double[] rewards) {
        double total;
        if (r != null && !r.isNull()) {
            if (!r.isNumber()) {
                throw new IllegalArgumentException("reward must be a number");
            }
            total = r.asDouble();
            if (rewards != null) {
                double sum = 0;
                for (double v : rewards) {
                    sum += v;
                }
                if (Math.abs(sum - total) > 1e-9 * Math.max(1, Math.abs(total))) {
                    throw new IllegalArgumentException("reward " + total + " differs from the sum " + sum + " of"
                            + " rewards: give one of them, or make them agree");
                }
            }
        } else if (rewards != null) {
            total = 0;
            for (double v : rewards) {
                total += v;
            }
        } else {
            throw new IllegalArgumentException("missing reward: give \"rewards\" per position or \"reward\" for the"
                    + " impression (join late feedback by request_id first)");
        }
        return total;
    }

    /** The logger's distribution item → probability, or {@code null} when the field is absent. */
    private static Map<String, Double> actionProbabilities(JsonNode ap) {
        Map<String, Double> dist = null;
        if (ap != null && !ap.isNull()) {
            if (!ap.isObject()) {
                throw new IllegalArgumentException("action_probabilities must be an object item -> probability");
            }
            dist = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = ap.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNumber()) {
                    throw new IllegalArgumentException("action_probabilities of " + e.getKey() + " is not a number");
                }
                dist.put(e.getKey(), e.getValue().asDouble());
            }
        }
        return dist;
    }

    /** Writes a log atomically in the JSON Lines format (rows in order; absent fields left out). */
    public static void write(LoggedFeedback log, Path file) throws IOException {
        write(log, file, null);
    }

    /** Extra fields of one row, written after the format's own (readers ignore fields they do not know). */
    @FunctionalInterface
    public interface RowExtras {
        /** Writes row {@code row}'s extra fields into the open object of {@code g}. */
        void write(int row, JsonGenerator g) throws IOException;
    }

    /**
     * As {@link #write(LoggedFeedback, Path)}, each row with the extra fields {@code extras} writes
     * (null: none).
     */
    public static void write(LoggedFeedback log, Path file, RowExtras extras) throws IOException {
        AtomicFiles.write(file, (OutputStream out) -> {
            JsonGenerator g = JSON.getFactory().createGenerator(out);
            g.setRootValueSeparator(null);
            for (int r = 0; r < log.rows(); r++) {
                final int row = r;
                writeRow(g, log.impression(r), extras == null ? null : gen -> extras.write(row, gen));
                g.flush();
                out.write('\n');
            }
            g.flush();
        });
    }

    /** Writes one impression as a JSON object (no newline). */
    public static void writeRow(JsonGenerator g, Impression im) throws IOException {
        writeRow(g, im, null);
    }

    /** Fields written into an open JSON object. */
    @FunctionalInterface
    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private static void writeRow(JsonGenerator g, Impression im, Fields extra) throws IOException {
        g.writeStartObject();
        if (im.time() != LoggedFeedback.NO_TIME) {
            g.writeNumberField("time", im.time());
        }
        if (im.requestId() != null) {
            g.writeStringField("request_id", im.requestId());
        }
        if (im.user() != null) {
            g.writeStringField("user", im.user());
        }
        if (im.session() != null) {
            g.writeStringField("session", im.session());
        }
        if (im.step() >= 0) {
            g.writeNumberField("step", im.step());
        }
        if (im.context() != null && im.context().length > 0) {
            writeNumbers(g, "context", im.context());
        }
        if (im.position() != 0) {
            g.writeNumberField("position", im.position());
        }
        g.writeArrayFieldStart("items");
        for (String id : im.items()) {
            g.writeString(id);
        }
        g.writeEndArray();
        writeNumbers(g, "propensities", im.propensities());
        if (!Double.isNaN(im.slatePropensity())) {
            g.writeNumberField("slate_propensity", im.slatePropensity());
        }
        if (im.positionRewards() != null && im.items().size() > 1) {
            writeNumbers(g, "rewards", im.positionRewards());
        } else {
            g.writeNumberField("reward", im.reward());
        }
        if (im.actionProbabilities() != null) {
            g.writeObjectFieldStart("action_probabilities");
            for (Map.Entry<String, Double> e : im.actionProbabilities().entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        }
        if (extra != null) {
            extra.write(g);
        }
        g.writeEndObject();
    }

    private static void writeNumbers(JsonGenerator g, String field, double[] values) throws IOException {
        g.writeArrayFieldStart(field);
        for (double v : values) {
            g.writeNumber(v);
        }
        g.writeEndArray();
    }

    private static double[] numbers(JsonNode node, String field) {
        if (!node.isArray()) {
            throw new IllegalArgumentException(field + " must be an array of numbers");
        }
        double[] out = new double[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isNumber()) {
                throw new IllegalArgumentException(field + "[" + i + "] is " + v + ", not a number");
            }
            out[i] = v.asDouble();
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static int intField(JsonNode n, String field, int absent) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException(field + " must be an integer");
        }
        return v.asInt();
    }
}
