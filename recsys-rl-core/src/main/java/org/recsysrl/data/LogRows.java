package org.recsysrl.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.recsysrl.util.UserInputException;

/**
 * The rows of a log that a {@link LogFormatReader} decodes, turned into an {@link InteractionLog}
 * by the same rules as a CSV/TSV log: the columns are found by name ({@code data.user_col},
 * {@code data.item_col}, {@code data.time_col}, {@code data.event_col}, {@code data.value_col}, or
 * the usual names of {@link LogSpec}, ignoring case), an interaction weighs its event's weight
 * times its value, values below {@code data.min_rating} and weights of 0 drop the row, and ids are
 * kept as their text (a number id as its decimal digits, as a CSV file would spell it). So a log
 * read from a columnar file equals the same rows read from CSV.
 *
 * <p>Per row: set the user and the item, the time, event and value when those columns exist, then
 * {@link #commit}. Errors are one line naming the file, the 1-based row and the column.
 */
public final class LogRows {
    private final Path file;
    private final List<String> columns;
    private final int userCol;
    private final int itemCol;
    private final int timeCol;
    private final int eventCol;
    private final int valueCol;
    private final double minValue;
    private final java.util.Map<String, Float> eventWeights;
    private final LogBuilder builder;
    private final TimeParser times = TimeParser.create();
    private TimeParser.Kind timeKind;
    private long timeKindRow;

    private String userText;
    private long userNumber;
    private boolean userSet;
    private String itemText;
    private long itemNumber;
    private boolean itemSet;
    private long time;
    private boolean timeSet;
    private String event;
    private double value = Double.NaN;
    private boolean valueSet;

    private LogRows(Path file, List<String> columns, LogSpec spec, int expectedRows) {
        this.file = file;
        this.columns = List.copyOf(columns);
        userCol = CsvLogReader.resolve(file, this.columns, spec.userCol(), LogSpec.USER_ALIASES, "data.user_col", true);
        itemCol = CsvLogReader.resolve(file, this.columns, spec.itemCol(), LogSpec.ITEM_ALIASES, "data.item_col", true);
        timeCol = CsvLogReader.resolve(file, this.columns, spec.timeCol(), LogSpec.TIME_ALIASES, "data.time_col", false);
        eventCol = CsvLogReader.resolve(file, this.columns, spec.eventCol(), null, "data.event_col", false);
        valueCol = CsvLogReader.resolve(file, this.columns, spec.valueCol(), null, "data.value_col", false);
        if (userCol == itemCol) {
            throw new UserInputException("data.user_col and data.item_col both name column " + this.columns.get(userCol)
                    + " of " + file + ": set them to different columns");
        }
        minValue = spec.minValue();
        eventWeights = spec.eventWeights();
        builder = new LogBuilder(timeCol >= 0, eventCol >= 0 || valueCol >= 0, expectedRows);
    }

    /**
     * Finds the log's columns among {@code columns} (the file's column names, in order) as
     * {@code spec} says.
     *
     * @param expectedRows the file's row count if known (sizes the columns once), else 0
     * @throws UserInputException naming the setting and the file's columns if a configured column
     *     is missing, or the user or item column cannot be told
     */
    public static LogRows start(Path file, List<String> columns, LogSpec spec, long expectedRows) {
        return new LogRows(file, columns, spec, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(0, expectedRows)));
    }

    /** The index in the column list of the user column. */
    public int userColumn() {
        return userCol;
    }

    /** The index of the item column. */
    public int itemColumn() {
        return itemCol;
    }

    /** The index of the time column, or -1 if the log has none (then the file order is the time order). */
    public int timeColumn() {
        return timeCol;
    }

    /** The index of the event-type column, or -1. */
    public int eventColumn() {
        return eventCol;
    }

    /** The index of the value (rating) column, or -1. */
    public int valueColumn() {
        return valueCol;
    }

    /** The name of column {@code c}. */
    public String columnName(int c) {
        return columns.get(c);
    }

    /** Sets the row's user id. */
    public void user(String id) {
        userText = id;
        userSet = true;
    }

    /** Sets the row's user id, a whole number (kept as its decimal text). */
    public void user(long id) {
        userText = null;
        userNumber = id;
        userSet = true;
    }

    /** Sets the row's item id. */
    public void item(String id) {
        itemText = id;
        itemSet = true;
    }

    /** Sets the row's item id, a whole number (kept as its decimal text). */
    public void item(long id) {
        itemText = null;
        itemNumber = id;
        itemSet = true;
    }

    /**
     * Sets the row's time as a number: an integer time is taken as it is (only the order matters),
     * a timestamp type in milliseconds since the epoch (as a CSV log's ISO-8601 dates).
     */
    public void time(long value) {
        time = value;
        timeSet = true;
    }

    /**
     * Sets the row's time from its text with a CSV log's rules: an integer, or an ISO-8601 date or
     * date-time; one file uses one kind.
     *
     * @param row the 1-based row, for the message
     * @throws UserInputException if the text is neither, or of the other kind than earlier rows
     */
    public void timeText(long row, String text) {
        byte[] b = text.trim().getBytes(StandardCharsets.UTF_8);
        long t = times.parse(b, 0, b.length);
        if (t == TimeParser.MALFORMED) {
            throw rowError(row, "time \"" + RatingsReader.excerpt(text) + "\" (column " + columns.get(timeCol)
                    + ") is neither an integer nor an ISO-8601 date-time like 2019-10-01 or 2019-10-01T08:30:00Z");
        }
        if (timeKind == null) {
            timeKind = times.lastKind();
            timeKindRow = row;
        } else if (timeKind != times.lastKind()) {
            throw rowError(row, "time \"" + RatingsReader.excerpt(text) + "\" is "
                    + (timeKind == TimeParser.Kind.INTEGER ? "a date but row " + timeKindRow + " has an integer time"
                            : "an integer but row " + timeKindRow + " has a date")
                    + "; one file must use one kind of time");
        }
        time(t);
    }

    /** Sets the row's event type. */
    public void event(String type) {
        event = type;
    }

    /** Sets the row's value (e.g. a rating or a play count). */
    public void value(double v) {
        value = v;
        valueSet = true;
    }

    /**
     * Adds the row set since the last commit (or drops it by the value and weight rules) and
     * clears it for the next.
     *
     * @param row the 1-based row, for the messages
     * @throws UserInputException naming the file, the row and the column if the user, item, time or
     *     value is missing, the value is not a finite number or gives a negative weight, or the event
     *     has no weight
     */
    public void commit(long row) {
        try {
            if (!userSet || (userText != null && userText.isEmpty())) {
                throw rowError(row, "empty user (column " + columns.get(userCol) + ")");
            }
            if (!itemSet || (itemText != null && itemText.isEmpty())) {
                throw rowError(row, "empty item (column " + columns.get(itemCol) + ")");
            }
            if (timeCol >= 0 && !timeSet) {
                throw rowError(row, "empty time (column " + columns.get(timeCol) + ")");
            }
            float weight = 1f;
            if (eventCol >= 0 && !eventWeights.isEmpty()) {
                Float w = event == null ? null : eventWeights.get(event);
                if (w == null) {
                    throw rowError(row, "event \"" + (event == null ? "" : RatingsReader.excerpt(event))
                            + "\" has no weight in data.event_weights (add it, with weight 0 to drop such rows)");
                }
                weight = w;
            }
            if (valueCol >= 0) {
                if (!valueSet || !Double.isFinite(value) || Math.abs(value) > 1e30) {
                    throw rowError(row, "value " + (valueSet ? Double.toString(value) : "(empty)") + " (column "
                            + columns.get(valueCol) + ") is not a finite number");
                }
                if (value < minValue) {
                    return;
                }
                if (value < 0) {
                    throw rowError(row, "value " + value + " would give a negative weight; set data.min_rating to drop"
                            + " such rows");
                }
                weight *= (float) value;
                if (!Float.isFinite(weight)) {
                    throw rowError(row, "value " + value + " times the event's weight is too large to hold");
                }
            }
            if (weight == 0f) {
                return;
            }
            int u = userText != null ? builder.userIds.intern(userText) : builder.userIds.intern(userNumber);
            int i = itemText != null ? builder.itemIds.intern(itemText) : builder.itemIds.intern(itemNumber);
            builder.append(u, i, timeCol >= 0 ? time : 0L, weight);
        } finally {
            userSet = false;
            itemSet = false;
            timeSet = false;
            valueSet = false;
            userText = null;
            itemText = null;
            event = null;
        }
    }

    /** The number of interactions added so far. */
    public int size() {
        return builder.size();
    }

    /**
     * The log of every row committed, grouped by user, each user's interactions by time (ties in
     * row order), its identity the file's SHA-256 (read once more here) under {@code layout}.
     *
     * @throws UserInputException if no row was kept, or the file cannot be read
     */
    public InteractionLog build(Layout layout) {
        if (builder.size() == 0) {
            throw new UserInputException(file + " holds no interactions: expected rows with a user and an item column"
                    + " (its columns: " + String.join(", ", columns) + ")");
        }
        MessageDigest digest = RatingDataset.Builder.sha256();
        long bytes = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0;) {
                digest.update(buf, 0, n);
                bytes += n;
            }
        } catch (IOException e) {
            throw RatingsReader.cannotRead(file, e);
        }
        return builder.build(null, layout, file.toString(), HexFormat.of().formatHex(digest.digest()), bytes);
    }

    /** "{file} row {n}: {what}: fix or remove the row". */
    public UserInputException rowError(long row, String what) {
        return new UserInputException(file + " row " + row + ": " + what + ": fix or remove the row");
    }
}
