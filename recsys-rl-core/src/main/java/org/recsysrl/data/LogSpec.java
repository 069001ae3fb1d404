package org.recsysrl.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.recsysrl.util.UserInputException;

/**
 * How to read an interaction log and which interactions to keep: the file format, the columns of
 * a CSV/TSV log (by header name), per-event weights, a minimum value, k-core filtering and the
 * repeat policy. Built from the {@code data.*} settings by the layers above; {@code data} does not
 * know the config.
 *
 * <p>An interaction's weight is {@code eventWeight × value}: 1 when the log has neither an event
 * nor a value column. Interactions whose value is below {@code minValue}, or whose weight is 0,
 * are dropped as they are read.
 *
 * @param format the file format ({@link Format#AUTO} recognises it from the path and first line)
 * @param userCol header name of the user column ("" = the first of {@link #USER_ALIASES} present)
 * @param itemCol header name of the item column ("" = the first of {@link #ITEM_ALIASES} present)
 * @param timeCol header name of the time column ("" = the first of {@link #TIME_ALIASES} present,
 *     or none: then the file order is the time order)
 * @param eventCol header name of the event-type column ("" = none)
 * @param valueCol header name of a numeric value column, e.g. a rating or play count ("" = none)
 * @param eventWeights weight per event type; empty = every event weighs 1; when not empty, an
 *     event type missing from it is an error (list it with weight 0 to drop it)
 * @param minValue interactions whose value (rating) is below this are dropped (no effect without
 *     a value column)
 * @param userCore keep only users with at least this many interactions (0 or 1 = no filter)
 * @param itemCore keep only items with at least this many interactions (0 or 1 = no filter)
 * @param repeats what to do with a user's repeated interactions with the same item
 */
public record LogSpec(Format format, String userCol, String itemCol, String timeCol, String eventCol,
        String valueCol, Map<String, Float> eventWeights, double minValue, int userCore, int itemCore,
        Repeats repeats) {

    /** Header names tried, in order, when {@code userCol} is empty (compared ignoring case). */
    public static final String[] USER_ALIASES = {"user", "user_id", "userid", "uid", "visitorid", "visitor_id",
        "customer_id", "session_id", "session"};
    /** Header names tried, in order, when {@code itemCol} is empty (compared ignoring case). */
    public static final String[] ITEM_ALIASES = {"item", "item_id", "itemid", "iid", "movieid", "movie_id",
        "product_id", "productid", "track_id", "article_id"};
    /** Header names tried, in order, when {@code timeCol} is empty (compared ignoring case). */
    public static final String[] TIME_ALIASES = {"timestamp", "time", "ts", "datetime", "event_time", "date"};

    /** File formats. */
    public enum Format {
        /** Recognised from the path and the first lines ({@link LogReader#detect}); never a guess. */
        AUTO("auto"),
        /** MovieLens 100k / 1M / latest (every rating is an interaction; value = rating). */
        MOVIELENS("movielens"),
        /** Comma-separated with a header row; columns by name. */
        CSV("csv"),
        /** Tab-separated with a header row; columns by name. */
        TSV("tsv"),
        /**
         * A RecBole atomic file ({@code .inter}): tab-separated, its header fields {@code name:type}
         * (e.g. {@code user_id:token}); columns by name as for TSV.
         */
        RECBOLE("recbole"),
        /** One user per line: {@code user item item …} in chronological order, whitespace-separated. */
        SEQUENCES("sequences"),
        /**
         * Apache Parquet, columns by name as for CSV; read by the optional module
         * {@code recsys-rl-parquet} ({@link LogFormatReader}) when it is on the classpath.
         */
        PARQUET("parquet");

        private final String id;

        Format(String id) {
            this.id = id;
        }

        /** The name used in {@code data.format}. */
        public String id() {
            return id;
        }

        /** The format named {@code id}. */
        public static Format of(String id) {
            for (Format f : values()) {
                if (f.id.equals(id)) {
                    return f;
                }
            }
            throw new UserInputException("data.format must be one of auto, movielens, csv, tsv, recbole, sequences, parquet (got "
                    + id + ")");
        }
    }

    /** Repeat policy. */
    public enum Repeats {
        /** Keep every interaction, repeated (user, item) pairs included. */
        KEEP("keep"),
        /** Keep only each user's first (earliest) interaction with an item. */
        FIRST("first");

        private final String id;

        Repeats(String id) {
            this.id = id;
        }

        /** The name used in {@code data.repeats}. */
        public String id() {
            return id;
        }

        /** The policy named {@code id}. */
        public static Repeats of(String id) {
            for (Repeats r : values()) {
                if (r.id.equals(id)) {
                    return r;
                }
            }
            throw new UserInputException("data.repeats must be keep or first (got " + id + ")");
        }
    }

    /** Reads every file with auto-detection, no weights, no filters, repeats kept. */
    public static final LogSpec DEFAULT = new LogSpec(Format.AUTO, "", "", "", "", "", Map.of(), 0.0, 0, 0,
            Repeats.KEEP);

    /** Checks the values; errors name the {@code data.*} setting. */
    public LogSpec {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(repeats, "repeats");
        userCol = Objects.requireNonNullElse(userCol, "").trim();
        itemCol = Objects.requireNonNullElse(itemCol, "").trim();
        timeCol = Objects.requireNonNullElse(timeCol, "").trim();
        eventCol = Objects.requireNonNullElse(eventCol, "").trim();
        valueCol = Objects.requireNonNullElse(valueCol, "").trim();
        eventWeights = Collections.unmodifiableMap(new LinkedHashMap<>(eventWeights));
        for (Map.Entry<String, Float> e : eventWeights.entrySet()) {
            if (!(e.getValue() >= 0) || Float.isInfinite(e.getValue())) {
                throw new UserInputException("data.event_weights: the weight of " + e.getKey()
                        + " must be a finite number >= 0 (got " + e.getValue() + ")");
            }
        }
        if (!eventWeights.isEmpty() && eventCol.isEmpty()) {
            throw new UserInputException("data.event_weights is set but data.event_col is not: name the column "
                    + "that holds the event type");
        }
        if (Double.isNaN(minValue)) {
            throw new UserInputException("data.min_rating must be a number (got NaN)");
        }
        if (userCore < 0 || itemCore < 0) {
            throw new UserInputException("data.user_core and data.item_core must be >= 0 (got " + userCore + ", "
                    + itemCore + ")");
        }
    }

    /**
     * Parses {@code data.event_weights}: {@code name=weight} pairs separated by commas, e.g.
     * {@code view=1,cart=3,purchase=5}; empty text gives an empty map.
     *
     * @throws UserInputException naming the malformed pair
     */
    public static Map<String, Float> parseEventWeights(String text) {
        Map<String, Float> out = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? "" : pair.substring(0, eq).trim();
            if (name.isEmpty()) {
                throw new UserInputException("data.event_weights: \"" + pair.trim()
                        + "\" is not of the form event=weight (e.g. view=1,cart=3,purchase=5)");
            }
            float w;
            try {
                w = Float.parseFloat(pair.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                throw new UserInputException("data.event_weights: the weight of " + name + " (\""
                        + pair.substring(eq + 1).trim() + "\") is not a number");
            }
            if (out.put(name, w) != null) {
                throw new UserInputException("data.event_weights names " + name + " twice");
            }
        }
        return out;
    }

    /** True if interactions carry weights other than 1 (an event or value column is used). */
    public boolean weighted() {
        return !eventCol.isEmpty() || !valueCol.isEmpty();
    }

    /** One line for reports, e.g. {@code csv, user=user_id item=item_id time=ts, 5-core, repeats first}. */
    public String describe() {
        StringBuilder sb = new StringBuilder(format.id());
        if (!userCol.isEmpty() || !itemCol.isEmpty() || !timeCol.isEmpty()) {
            sb.append(", columns user=").append(userCol.isEmpty() ? "auto" : userCol).append(" item=")
                    .append(itemCol.isEmpty() ? "auto" : itemCol).append(" time=")
                    .append(timeCol.isEmpty() ? "auto" : timeCol);
        }
        if (!eventCol.isEmpty()) {
            sb.append(", event=").append(eventCol);
            if (!eventWeights.isEmpty()) {
                sb.append(' ').append(eventWeights);
            }
        }
        if (!valueCol.isEmpty()) {
            sb.append(", value=").append(valueCol);
        }
        if (minValue > 0) {
            sb.append(String.format(Locale.ROOT, ", value >= %s", minValue));
        }
        if (userCore > 1 || itemCore > 1) {
            sb.append(", core users>=").append(Math.max(1, userCore)).append(" items>=").append(Math.max(1, itemCore));
        }
        sb.append(", repeats ").append(repeats.id());
        return sb.toString();
    }
}
