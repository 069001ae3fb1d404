package org.recsysrl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.recsysrl.util.UserInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code recsys-rl join}: joins the feedback log ({@code POST /v1/feedback}) to the impression log
 * ({@code serve --impression-log}) by request id and item, and writes the estimator-ready log:
 * every impression with {@code rewards}, one per position.
 *
 * <p>Rules: a shown item without feedback gets reward 0; feedback for a request id that no
 * impression has is <i>unknown request</i>; for an item the impression did not show <i>unknown
 * item</i>; a second reward for the same request and item is a <i>duplicate</i> (the first is kept);
 * a reward that arrives more than {@code --window-seconds} after its impression is <i>late</i>
 * (not joined). Each of these is counted in the summary and, with {@code --rejects}, written there
 * with its reason; none is dropped silently. A torn last line of an impression file (a server killed
 * mid-write that has not started again) is skipped and counted; any other unreadable line is
 * refused with its file and line.
 */
@Command(name = "join", mixinStandardHelpOptions = true,
        description = "Join feedback to impressions by request id and item: the log off-policy estimators read"
                + " (rewards per position; items without feedback get 0). Late, duplicate and unknown feedback is"
                + " counted and reported.",
        footer = {"", "See docs/serving.md (The impression log)."})
final class JoinCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--impressions", required = true, paramLabel = "FILE", description = "the impression log;"
            + " its rotated parts FILE.1, FILE.2, … are read first when they exist (repeatable)")
    List<Path> impressions;

    @Option(names = "--feedback", required = true, paramLabel = "FILE", description = "the feedback log (repeatable)")
    List<Path> feedback;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the joined log (JSON lines)")
    Path out;

    @Option(names = "--window-seconds", defaultValue = "86400", description = "feedback arriving later than this"
            + " after its impression is late and not joined (default: ${DEFAULT-VALUE})")
    long windowSeconds;

    @Option(names = "--rejects", paramLabel = "FILE", description = "write every feedback reward not joined, with"
            + " its reason, to FILE")
    Path rejects;

    @Option(names = "--json", description = "print the summary as JSON")
    boolean json;

    /** What the join did. */
    record Summary(long impressions, long impressionsWithFeedback, long duplicateImpressions, long tornLines,
            long feedbackLines, long rewardsJoined, long late, long duplicate, long unknownRequest, long unknownItem) {
        String text() {
            return String.format(java.util.Locale.ROOT, "impressions %d (%d with feedback, %d repeated request ids,"
                    + " %d torn lines skipped)%nfeedback lines %d: rewards joined %d, late %d, duplicate %d, unknown"
                    + " request %d, unknown item %d", impressions, impressionsWithFeedback, duplicateImpressions,
                    tornLines, feedbackLines, rewardsJoined, late, duplicate, unknownRequest, unknownItem);
        }

        String json() {
            return String.format(java.util.Locale.ROOT, "{\"impressions\":%d,\"impressions_with_feedback\":%d,"
                    + "\"duplicate_impressions\":%d,\"torn_lines\":%d,\"feedback_lines\":%d,\"rewards_joined\":%d,"
                    + "\"late\":%d,\"duplicate\":%d,\"unknown_request\":%d,\"unknown_item\":%d}", impressions,
                    impressionsWithFeedback, duplicateImpressions, tornLines, feedbackLines, rewardsJoined, late,
                    duplicate, unknownRequest, unknownItem);
        }
    }

    @Override
    public Integer call() {
        if (windowSeconds < 0) {
            throw new UserInputException("--window-seconds must be at least 0 (got " + windowSeconds + ")");
        }
        Summary s = join(impressions, feedback, out, windowSeconds * 1000, rejects);
        System.out.println(json ? s.json() : s.text());
        return 0;
    }

    /** One impression read back, with its rewards being filled in. */
    private static final class Shown {
        final ObjectNode line;
        final Map<String, Integer> position = new HashMap<>();
        final double[] rewards;
        final boolean[] rewarded;
        final long time;

        Shown(ObjectNode line, List<String> items, long time) {
            this.line = line;
            for (int i = 0; i < items.size(); i++) {
                position.putIfAbsent(items.get(i), i);
            }
            this.rewards = new double[items.size()];
            this.rewarded = new boolean[items.size()];
            this.time = time;
        }
    }

    /** What the join counted, filled in as the logs are read. */
    private static final class Counts {
        long duplicateImpressions;
        long torn;
        long feedbackLines;
        long joined;
        long late;
        long duplicate;
        long unknownRequest;
        long unknownItem;
    }

    /** The join; writes {@code out} (and {@code rejects}) atomically. */
    static Summary join(List<Path> impressionFiles, List<Path> feedbackFiles, Path out, long windowMillis,
            Path rejects) {
        List<Shown> shown = new ArrayList<>();
        Map<String, Shown> byId = new HashMap<>();
        Counts counts = new Counts();
        for (Path f : withRotated(impressionFiles)) {
            readImpressions(f, shown, byId, counts);
        }
        List<String> rejected = new ArrayList<>();
        for (Path f : feedbackFiles) {
            List<String> lines = lines(f);
            for (int n = 0; n < lines.size(); n++) {
                if (!lines.get(n).isBlank()) {
                    joinFeedback(lines.get(n), f + " line " + (n + 1), byId, windowMillis, counts, rejected);
                }
            }
        }
        long withFeedback = 0;
        List<String> outLines = new ArrayList<>(shown.size());
        for (Shown s : shown) {
            ArrayNode r = s.line.putArray("rewards");
            boolean any = false;
            for (int i = 0; i < s.rewards.length; i++) {
                double v = s.rewards[i];
                if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                    r.add((long) v);
                } else {
                    r.add(v);
                }
                any |= s.rewarded[i];
            }
            if (any) {
                withFeedback++;
            }
            outLines.add(s.line.toString());
        }
        write(out, outLines);
        if (rejects != null) {
            write(rejects, rejected);
        }
        return new Summary(shown.size(), withFeedback, counts.duplicateImpressions, counts.torn, counts.feedbackLines,
                counts.joined, counts.late, counts.duplicate, counts.unknownRequest, counts.unknownItem);
    }

    /** Reads one impression log: every impression into {@code shown}, the first of each request id into {@code byId}. */
    private static void readImpressions(Path f, List<Shown> shown, Map<String, Shown> byId, Counts counts) {
        List<String> lines = lines(f);
        boolean endsWithNewline = endsWithNewline(f);
        for (int n = 0; n < lines.size(); n++) {
            String raw = lines.get(n);
            if (raw.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(raw);
            } catch (JsonProcessingException e) {
                if (n == lines.size() - 1 && !endsWithNewline) {
                    counts.torn++;
                    continue;
                }
                throw new UserInputException(f + " line " + (n + 1) + ": not a JSON object ("
                        + e.getOriginalMessage() + "): give an impression log written by serve --impression-log");
            }
            String where = f + " line " + (n + 1);
            if (!(node instanceof ObjectNode o) || !o.hasNonNull("request_id") || !o.path("items").isArray()) {
                throw new UserInputException(where + ": an impression needs \"request_id\" and \"items\": give an"
                        + " impression log written by serve --impression-log");
            }
            List<String> items = new ArrayList<>();
            o.get("items").forEach(i -> items.add(i.asText()));
            Shown s = new Shown(o, items, o.path("time").asLong(Long.MIN_VALUE));
            shown.add(s);
            if (byId.putIfAbsent(o.get("request_id").asText(), s) != null) {
                counts.duplicateImpressions++;
            }
        }
    }

    /** Joins one feedback line's rewards to their impression; a reward that cannot be joined goes to {@code rejected}. */
    private static void joinFeedback(String line, String where, Map<String, Shown> byId, long windowMillis,
            Counts counts, List<String> rejected) {
        JsonNode fb;
        try {
            fb = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new UserInputException(where + ": not a JSON object (" + e.getOriginalMessage()
                    + "): give a feedback log written by serve --feedback-log");
        }
        JsonNode items = fb.path("items");
        JsonNode rewards = fb.path("rewards");
        if (!fb.hasNonNull("request_id") || !items.isArray() || !rewards.isArray()
                || items.size() != rewards.size()) {
            throw new UserInputException(where + ": feedback needs \"request_id\", \"items\" and as many"
                    + " \"rewards\": give a feedback log written by serve --feedback-log");
        }
        counts.feedbackLines++;
        String id = fb.get("request_id").asText();
        Shown s = byId.get(id);
        long time = fb.path("time").asLong(Long.MIN_VALUE);
        for (int i = 0; i < items.size(); i++) {
            String item = items.get(i).asText();
            String reason;
            Integer pos = s == null ? null : s.position.get(item);
            if (s == null) {
                reason = "unknown request";
                counts.unknownRequest++;
            } else if (pos == null) {
                reason = "unknown item";
                counts.unknownItem++;
            } else if (s.time != Long.MIN_VALUE && time != Long.MIN_VALUE && time - s.time > windowMillis) {
                reason = "late";
                counts.late++;
            } else if (s.rewarded[pos]) {
                reason = "duplicate";
                counts.duplicate++;
            } else {
                s.rewarded[pos] = true;
                s.rewards[pos] = rewards.get(i).asDouble();
                counts.joined++;
                continue;
            }
            ObjectNode r = JSON.createObjectNode();
            r.put("reason", reason);
            r.put("request_id", id);
            r.put("item", item);
            r.set("reward", rewards.get(i));
            if (time != Long.MIN_VALUE) {
                r.put("time", time);
            }
            r.put("source", where);
            rejected.add(r.toString());
        }
    }

    /** Each file preceded by its rotated parts FILE.1, FILE.2, … (oldest first) when they exist. */
    static List<Path> withRotated(List<Path> files) {
        List<Path> all = new ArrayList<>();
        for (Path f : files) {
            for (int n = 1; Files.exists(f.resolveSibling(f.getFileName() + "." + n)); n++) {
                all.add(f.resolveSibling(f.getFileName() + "." + n));
            }
            all.add(f);
        }
        return new ArrayList<>(new java.util.LinkedHashSet<>(all));
    }

    private static List<String> lines(Path f) {
        try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            return r.lines().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new UserInputException("cannot read " + f + " (" + e.getMessage() + "): give a readable JSON-lines file");
        }
    }

    private static boolean endsWithNewline(Path f) {
        try (var ch = java.nio.channels.FileChannel.open(f)) {
            long size = ch.size();
            if (size == 0) {
                return true;
            }
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
            ch.read(b, size - 1);
            return b.get(0) == '\n';
        } catch (IOException e) {
            throw new UserInputException("cannot read " + f + " (" + e.getMessage() + "): give a readable file");
        }
    }

    private static void write(Path out, List<String> lines) {
        Path abs = out.toAbsolutePath();
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        try {
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                for (String l : lines) {
                    w.write(l);
                    w.write('\n');
                }
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UserInputException("cannot write " + out + " (" + e.getMessage() + "): give a writable path");
        }
    }
}
