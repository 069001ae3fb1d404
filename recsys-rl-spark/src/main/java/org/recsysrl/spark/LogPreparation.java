package org.recsysrl.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.recsysrl.data.LogSpec;
import org.recsysrl.data.TimeParser;
import org.recsysrl.eval.ProtocolSpec;
import org.recsysrl.util.UserInputException;

/**
 * The in-JVM log path ({@code data.LogReader.read} then {@code eval.OfflineSplit.of}) as DataFrame
 * jobs, giving the same users, items, order and split on the same file:
 *
 * <ul>
 *   <li>reading: a CSV or TSV file with a header (columns by name, or the first of
 *       {@link LogSpec#USER_ALIASES} etc. present, as the core does) or Parquet; times are integers or
 *       ISO-8601 dates parsed by the core's {@link TimeParser} (Parquet timestamps become
 *       milliseconds, as the core reads dates); weight = event weight × value, rows below
 *       {@link LogSpec#minValue()} or of weight 0 dropped;</li>
 *   <li>each user's interactions by time, ties in file order (the file, the block within it and the
 *       row within the block: {@link #FILE}, {@link #BLOCK}, {@link #ROW});</li>
 *   <li>repeats ({@link LogSpec.Repeats#FIRST} keeps each user's earliest interaction with an item),
 *       then k-core to a fixed point (the k-core is unique, so the order of removals does not
 *       matter);</li>
 *   <li>users and items numbered densely in the order of their first appearance in the file among
 *       the rows read (before filtering), as {@code data.LogBuilder} interns them and
 *       {@code data.LogFilters} keeps their order;</li>
 *   <li>the split of {@link ProtocolSpec}: leave-one-out, temporal (the cutoff at the
 *       {@code floor(fraction · n)}-th smallest time, or a given time) or user-fraction, each
 *       interaction labelled {@link #TRAIN}, {@link #VALID}, {@link #TEST} or {@link #UNUSED}.</li>
 * </ul>
 *
 * <p>The result ({@link PreparedLog}) has one row per kept interaction with the columns
 * {@link #USER_ID}, {@link #ITEM_ID} (raw ids), {@link #USER}, {@link #ITEM} (dense indices),
 * {@link #POS} (0-based position in the user's chronological history), {@link #TIME},
 * {@link #WEIGHT} and {@link #PART}.
 */
public final class LogPreparation {
    /** Raw user id (text). */
    public static final String USER_ID = "user_id";
    /** Raw item id (text). */
    public static final String ITEM_ID = "item_id";
    /** Dense user index, in order of first appearance. */
    public static final String USER = "user";
    /** Dense item index, in order of first appearance. */
    public static final String ITEM = "item";
    /** Position in the user's chronological history, from 0. */
    public static final String POS = "pos";
    /** Time (the file's unit; dates in milliseconds); 0 for every row of a log without times. */
    public static final String TIME = "time";
    /** Weight (1 without event or value column). */
    public static final String WEIGHT = "weight";
    /** Which part of the split the interaction is in. */
    public static final String PART = "part";
    /** Part: fitted on. */
    public static final String TRAIN = "train";
    /** Part: validation target. */
    public static final String VALID = "valid";
    /** Part: test target. */
    public static final String TEST = "test";
    /** Part: after a user's test target(s) in the temporal protocol; never used. */
    public static final String UNUSED = "unused";
    /** File order: the file's path. */
    static final String FILE = "o_file";
    /** File order: the start of the block (split) of the file the row was read from. */
    static final String BLOCK = "o_block";
    /** File order: increasing within a block in reading order. */
    static final String ROW = "o_row";
    /** File order in one long: the rank of the (file, block) above {@link #ROW_BITS} bits of the row's number. */
    static final String SEQ = "o_seq";
    /** Bits of {@code monotonically_increasing_id} that number the rows within a partition. */
    static final int ROW_BITS = 33;
    /** Index of the user among all rows read (before filtering), in order of first appearance. */
    static final String UID = "uid";
    /** Index of the item among all rows read (before filtering), in order of first appearance. */
    static final String IID = "iid";

    private LogPreparation() {
    }

    /** Input formats: CSV, TSV (both with a header row) and Parquet. */
    public enum Format {
        /** Comma-separated with a header. */
        CSV,
        /** Tab-separated with a header. */
        TSV,
        /** Apache Parquet (a file or a folder of part files). */
        PARQUET;

        /** {@code csv}, {@code tsv}, {@code parquet} or {@code auto} (from the path: {@code .parquet} or a folder, {@code .tsv}, else CSV). */
        public static Format of(String name, String path) {
            String n = name.toLowerCase(Locale.ROOT);
            return switch (n) {
                case "csv" -> CSV;
                case "tsv" -> TSV;
                case "parquet" -> PARQUET;
                case "auto" -> {
                    String p = path.toLowerCase(Locale.ROOT);
                    if (p.endsWith(".parquet") || p.endsWith("/") || !p.substring(p.lastIndexOf('/') + 1).contains(".")) {
                        yield PARQUET;
                    }
                    yield p.endsWith(".tsv") || p.endsWith(".inter") ? TSV : CSV;
                }
                default -> throw new UserInputException("--format must be auto, csv, tsv or parquet (got " + name + ")");
            };
        }
    }

    /**
     * Reads {@code path} into one row per interaction kept on reading: {@link #USER_ID},
     * {@link #ITEM_ID}, {@link #TIME} (null without a time column), {@link #WEIGHT} and the file-order
     * columns {@link #FILE}, {@link #BLOCK}, {@link #ROW}.
     */
    static Dataset<Row> read(SparkSession spark, String path, Format format, LogSpec spec) {
        Dataset<Row> raw = switch (format) {
            case CSV, TSV -> spark.read().option("header", true).option("sep", format == Format.TSV ? "\t" : ",")
                    .option("quote", "\"").option("escape", "\"").option("ignoreLeadingWhiteSpace", true)
                    .option("ignoreTrailingWhiteSpace", true).option("mode", "FAILFAST").option("inferSchema", false)
                    .csv(path);
            case PARQUET -> spark.read().parquet(path);
        };
        String[] header = raw.columns();
        String user = resolve(path, header, spec.userCol(), LogSpec.USER_ALIASES, "data.user_col", true);
        String item = resolve(path, header, spec.itemCol(), LogSpec.ITEM_ALIASES, "data.item_col", true);
        String time = resolve(path, header, spec.timeCol(), LogSpec.TIME_ALIASES, "data.time_col", false);
        String event = resolve(path, header, spec.eventCol(), null, "data.event_col", false);
        String value = resolve(path, header, spec.valueCol(), null, "data.value_col", false);
        if (user.equals(item)) {
            throw new UserInputException("data.user_col and data.item_col both name column " + user + " of " + path
                    + ": set them to different columns");
        }
        Column weight = lit(1f);
        if (event != null && !spec.eventWeights().isEmpty()) {
            Column w = null;
            for (Map.Entry<String, Float> e : spec.eventWeights().entrySet()) {
                Column c = col(q(event)).cast("string").equalTo(e.getKey());
                w = w == null ? when(c, lit(e.getValue())) : w.when(c, lit(e.getValue()));
            }
            weight = w.otherwise(org.apache.spark.sql.functions.raise_error(org.apache.spark.sql.functions.concat(
                    lit(path + ": event \""), col(q(event)).cast("string"),
                    lit("\" has no weight in data.event_weights (add it, with weight 0 to drop such lines)"))))
                    .cast(DataTypes.FloatType);
        }
        Dataset<Row> rows = raw.select(requireId(raw, user, path, "user").as(USER_ID),
                requireId(raw, item, path, "item").as(ITEM_ID),
                timeColumn(raw, time, path).as(TIME), weight.as(WEIGHT),
                value == null ? lit(null).cast(DataTypes.DoubleType).as("value") : col(q(value)).cast("double").as("value"),
                col("_metadata.file_path").as(FILE), col("_metadata.file_block_start").as(BLOCK),
                monotonically_increasing_id().as(ROW));
        if (value != null) {
            rows = rows.filter(col("value").geq(spec.minValue()))
                    .withColumn(WEIGHT, col(WEIGHT).multiply(col("value").cast(DataTypes.FloatType)).cast(DataTypes.FloatType));
        }
        return rows.filter(col(WEIGHT).notEqual(0f)).drop("value");
    }

    /** The column as text; a row with an empty one stops the job with a line naming the column (the core refuses it too). */
    private static Column requireId(Dataset<Row> raw, String column, String path, String what) {
        Column c = col(q(column)).cast("string");
        return when(c.isNull().or(org.apache.spark.sql.functions.trim(c).equalTo("")),
                org.apache.spark.sql.functions.raise_error(lit(path + ": a row has an empty " + what + " (column " + column
                        + "): every row needs a " + what))).otherwise(c);
    }

    /** Quotes a column name for {@code col} (names with dots or spaces). */
    private static String q(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    private static Column timeColumn(Dataset<Row> raw, String time, String path) {
        if (time == null) {
            return lit(null).cast(DataTypes.LongType);
        }
        DataType type = raw.schema().apply(time).dataType();
        if (type == DataTypes.TimestampType || type == DataTypes.TimestampNTZType) {
            return org.apache.spark.sql.functions.unix_millis(col(q(time)).cast(DataTypes.TimestampType));
        }
        if (type == DataTypes.DateType) {
            return org.apache.spark.sql.functions.unix_millis(col(q(time)).cast(DataTypes.TimestampType));
        }
        if (type == DataTypes.LongType || type == DataTypes.IntegerType || type == DataTypes.ShortType) {
            return col(q(time)).cast(DataTypes.LongType);
        }
        String column = time;
        UserDefinedFunction parse = udf((UDF1<String, Long>) text -> {
            long t = text == null ? TimeParser.MALFORMED : TimeParser.parse(text, null);
            if (t == TimeParser.MALFORMED) {
                throw new UserInputException(path + ": time \"" + text + "\" (column " + column + ") is neither an "
                        + "integer nor an ISO-8601 date-time like 2019-10-01 or 2019-10-01T08:30:00Z");
            }
            return t;
        }, DataTypes.LongType);
        // integers (most logs) by Spark's own cast, the same value as TimeParser's; anything else by TimeParser
        Column text = col(q(time)).cast("string");
        return when(text.rlike("^[+-]?[0-9]{1,18}$"), text.cast(DataTypes.LongType)).otherwise(parse.apply(text));
    }

    /**
     * The column named {@code configured} (ignoring case), else the first alias present, else null (or
     * an error naming the setting when the column is required), as the core's CSV reader resolves it.
     */
    static String resolve(String path, String[] header, String configured, String[] aliases, String key,
            boolean required) {
        if (!configured.isEmpty()) {
            String c = find(header, configured);
            if (c == null) {
                throw new UserInputException(key + "=" + configured + ": " + path + " has no such column (its header: "
                        + String.join(", ", header) + "); set " + key + " to one of them");
            }
            return c;
        }
        if (aliases != null) {
            for (String a : aliases) {
                String c = find(header, a);
                if (c != null) {
                    return c;
                }
            }
        }
        if (required) {
            throw new UserInputException("cannot tell which column of " + path + " holds the "
                    + key.substring(5, key.length() - 4) + " (its header: " + String.join(", ", header) + "); set "
                    + key + " to one of them");
        }
        return null;
    }

    private static String find(String[] header, String wanted) {
        for (String h : header) {
            if (h.trim().equalsIgnoreCase(wanted)) {
                return h;
            }
        }
        return null;
    }

    /**
     * Reads, filters, numbers and splits {@code path} (see the class documentation). The rows read,
     * the numbered rows and the result are cached in Spark's columnar form (memory, then disk),
     * each intermediate one released once the result is computed.
     */
    public static PreparedLog prepare(SparkSession spark, String path, Format format, LogSpec spec,
            ProtocolSpec protocol) {
        List<Dataset<Row>> held = new ArrayList<>();
        Dataset<Row> read = hold(held, read(spark, path, format, spec));
        List<Row> blocks = read.groupBy(FILE, BLOCK).agg(count(lit(1)), count(col(TIME))).orderBy(FILE, BLOCK)
                .collectAsList();
        long readSize = blocks.stream().mapToLong(r -> r.getLong(2)).sum();
        if (readSize == 0) {
            throw new UserInputException(path + " holds no interactions: expected a header row naming the user and "
                    + "item columns, then one interaction per line");
        }
        boolean timed = blocks.stream().anyMatch(r -> r.getLong(3) > 0);
        Column[] order = timed ? new Column[] {col(TIME), col(SEQ)} : new Column[] {col(SEQ)};
        Dataset<Row> sequenced = inFileOrder(spark, read, blocks);
        Dataset<Row> userIds = hold(held, intern(spark, sequenced, USER_ID, UID));
        Dataset<Row> itemIds = hold(held, intern(spark, sequenced, ITEM_ID, IID));
        // from here on the rows carry integers only: the raw ids come back at the end
        Dataset<Row> kept = sequenced.join(userIds, USER_ID).join(itemIds, ITEM_ID)
                .select(col(UID), col(IID), col(SEQ), col(TIME), col(WEIGHT));
        if (spec.repeats() == LogSpec.Repeats.FIRST) {
            WindowSpec pair = Window.partitionBy(UID, IID).orderBy(order);
            kept = kept.withColumn("nth", row_number().over(pair)).filter(col("nth").equalTo(1)).drop("nth");
        }
        kept = hold(held, kept);
        if (spec.userCore() > 1 || spec.itemCore() > 1) {
            kept = hold(held, kCore(kept, Math.max(1, spec.userCore()), Math.max(1, spec.itemCore()), held));
            if (kept.isEmpty()) {
                throw new UserInputException("no interactions of " + path + " are left after filtering ("
                        + spec.describe() + "; " + readSize + " read): lower data.user_core / data.item_core");
            }
        }
        Dataset<Row> users = compact(spark, kept.select(UID).distinct(), UID, USER).join(userIds, UID);
        Dataset<Row> items = compact(spark, kept.select(IID).distinct(), IID, ITEM).join(itemIds, IID);
        Dataset<Row> numbered = kept.join(users, UID).join(items, IID)
                .withColumn(POS, row_number().over(Window.partitionBy(USER).orderBy(order)).minus(1))
                .withColumn("m", count(lit(1)).over(Window.partitionBy(USER)))
                .withColumn(TIME, timed ? col(TIME) : lit(0L));
        long cutoff = Long.MIN_VALUE;
        if (protocol.kind() == ProtocolSpec.Kind.TEMPORAL && timed) {
            numbered = hold(held, numbered);
            cutoff = cutoff(numbered, protocol);
        }
        Dataset<Row> split = withPart(numbered, protocol, timed, cutoff, path).select(col(USER_ID), col(ITEM_ID),
                col(USER).cast("int"), col(ITEM).cast("int"), col(POS).cast("int"), col(TIME).cast("long"),
                col(WEIGHT).cast("float"), col(PART)).persist(StorageLevel.MEMORY_AND_DISK());
        Row sizes = split.agg(max(USER), max(ITEM), count(lit(1)), count(when(col(WEIGHT).notEqual(1f), 1))).first();
        held.forEach(d -> d.unpersist(false));
        return new PreparedLog(split, sizes.getInt(0) + 1, sizes.getInt(1) + 1, sizes.getLong(2), timed,
                sizes.getLong(3) > 0, protocol, cutoff);
    }

    /** {@code rows} cached (columnar, memory then disk), and noted in {@code held} to be released later. */
    private static Dataset<Row> hold(List<Dataset<Row>> held, Dataset<Row> rows) {
        Dataset<Row> cached = rows.persist(StorageLevel.MEMORY_AND_DISK());
        held.add(cached);
        return cached;
    }

    /**
     * {@code numbered} (columns {@link #POS}, {@code m} = the user's count, {@link #TIME}) with the
     * column {@link #PART} by the rules of {@code eval.OfflineSplit}; {@code cutoff} is the temporal cutoff.
     */
    private static Dataset<Row> withPart(Dataset<Row> numbered, ProtocolSpec protocol, boolean timed, long cutoff,
            String path) {
        Column pos = col(POS);
        Column m = col("m");
        switch (protocol.kind()) {
            case LOO -> {
                return numbered.withColumn(PART, when(m.geq(3).and(pos.equalTo(m.minus(1))), TEST)
                        .when(m.geq(3).and(pos.equalTo(m.minus(2))), VALID).otherwise(TRAIN));
            }
            case USER_FRACTION -> {
                // the spec's numbers, not the (not serializable) spec, go to the executors
                int last = protocol.userFraction().holdoutLast();
                double fraction = protocol.userFraction().holdoutFraction();
                int minimum = protocol.userFraction().minUserRatings();
                UserDefinedFunction holdout = udf((UDF1<Long, Integer>) n -> new org.recsysrl.data.SplitSpec(last,
                        fraction, minimum).holdoutCount((int) (long) n), DataTypes.IntegerType);
                Dataset<Row> counted = numbered.withColumn("t", holdout.apply(m)).withColumn("v", holdout.apply(m.minus(col("t"))));
                Column t = col("t");
                return counted.withColumn(PART, when(pos.geq(m.minus(t)), TEST).when(pos.geq(m.minus(t).minus(col("v"))), VALID)
                        .otherwise(TRAIN));
            }
            case TEMPORAL -> {
                if (!timed) {
                    throw new UserInputException("the temporal protocol needs times, and " + path
                            + " has none (no time column: set data.time_col); use --protocol loo");
                }
                Dataset<Row> counted = numbered.withColumn("c", sum(when(col(TIME).lt(cutoff), 1).otherwise(0))
                        .over(Window.partitionBy(USER)));
                Column c = col("c");
                Column testUser = c.lt(m).and(protocol.coldUsers() ? lit(true) : c.gt(0));
                Column target = protocol.allTargets() ? pos.geq(c) : pos.equalTo(c);
                return counted.withColumn(PART, when(c.geq(2).and(pos.lt(c.minus(1))), TRAIN)
                        .when(c.geq(2).and(pos.equalTo(c.minus(1))), VALID).when(c.lt(2).and(pos.lt(c)), TRAIN)
                        .when(testUser.and(target), TEST).otherwise(UNUSED));
            }
            default -> throw new IllegalStateException();
        }
    }

    /**
     * {@code read} with the file-order columns ({@link #FILE}, {@link #BLOCK}, {@link #ROW}) replaced
     * by one long, {@link #SEQ}, in the same order: the rank of the row's (file, block) in
     * {@code blocks} (every (file, block) of {@code read}, sorted; a few per file, so broadcast) in
     * the upper bits, the row's number within its partition ({@code monotonically_increasing_id}'s
     * lower 33 bits, increasing within a block) below.
     */
    static Dataset<Row> inFileOrder(SparkSession spark, Dataset<Row> read, List<Row> blocks) {
        List<Row> ranked = new ArrayList<>(blocks.size());
        for (int k = 0; k < blocks.size(); k++) {
            ranked.add(RowFactory.create(blocks.get(k).getString(0), blocks.get(k).getLong(1), (long) k));
        }
        StructType schema = new StructType().add(FILE, DataTypes.StringType, false).add(BLOCK, DataTypes.LongType, false)
                .add("o_rank", DataTypes.LongType, false);
        Dataset<Row> rank = org.apache.spark.sql.functions.broadcast(spark.createDataFrame(ranked, schema));
        return read.join(rank, new String[] {FILE, BLOCK}).withColumn(SEQ,
                org.apache.spark.sql.functions.shiftleft(col("o_rank"), ROW_BITS)
                        .bitwiseOR(col(ROW).bitwiseAND(lit((1L << ROW_BITS) - 1))))
                .drop(FILE, BLOCK, ROW, "o_rank");
    }

    /**
     * The distinct values of {@code key} in {@code rows}, numbered 0, 1, … in the order of their first
     * row ({@link #SEQ}), as a table of {@code key} and {@code index} (a long).
     */
    private static Dataset<Row> intern(SparkSession spark, Dataset<Row> rows, String key, String index) {
        Dataset<Row> first = rows.groupBy(key).agg(min(SEQ).as("first"));
        JavaRDD<Row> numbered = first.orderBy("first").select(key).javaRDD().zipWithIndex()
                .map(t -> RowFactory.create(t._1().getString(0), t._2()));
        StructType schema = new StructType().add(key, DataTypes.StringType, false).add(index, DataTypes.LongType, false);
        return spark.createDataFrame(numbered, schema);
    }

    /**
     * The indices of {@code kept} (one column, {@code key}, distinct longs) renumbered 0, 1, … in their
     * order, as a table of {@code key} and {@code index}: what {@code data.LogFilters} does to the ids
     * of the users and items that survive the filters.
     */
    private static Dataset<Row> compact(SparkSession spark, Dataset<Row> kept, String key, String index) {
        JavaRDD<Row> numbered = kept.orderBy(key).javaRDD().zipWithIndex()
                .map(t -> RowFactory.create(t._1().getLong(0), t._2()));
        StructType schema = new StructType().add(key, DataTypes.LongType, false).add(index, DataTypes.LongType, false);
        return spark.createDataFrame(numbered, schema);
    }

    /**
     * The rows of {@code rows} whose user has at least {@code userCore} and whose item has at least
     * {@code itemCore} of them, to a fixed point (columns {@link #UID} and {@link #IID} among others).
     * The rounds run on the (user, item) pairs alone, each cached in {@code held}: a round drops the
     * users below the threshold, then the items below it counted on what is left (the k-core is
     * unique, so the order of the removals does not change it, and alternating needs fewer rounds);
     * the removed ids are few and are dropped by an anti-join. The surviving users and items then
     * select the whole rows.
     */
    static Dataset<Row> kCore(Dataset<Row> rows, int userCore, int itemCore, List<Dataset<Row>> held) {
        Dataset<Row> current = rows.select(UID, IID);
        long n = rows.count();
        while (true) {
            Dataset<Row> fewUsers = current.groupBy(UID).count().filter(col("count").lt(userCore)).select(UID);
            Dataset<Row> next = current.join(fewUsers, UID, "left_anti");
            Dataset<Row> fewItems = next.groupBy(IID).count().filter(col("count").lt(itemCore)).select(IID);
            next = hold(held, next.join(fewItems, IID, "left_anti"));
            long m = next.count();
            if (m == n) {
                break;
            }
            current = next;
            n = m;
        }
        return rows.join(current.select(UID).distinct(), UID, "left_semi")
                .join(current.select(IID).distinct(), IID, "left_semi");
    }

    /**
     * The temporal cutoff as {@code eval.OfflineSplit} resolves it: the given time (a date converted
     * to the log's unit, seconds unless the largest time is at least 10¹¹), or the time at position
     * {@code floor(fraction · n)} of all interactions sorted by time.
     */
    static long cutoff(Dataset<Row> log, ProtocolSpec protocol) {
        if (!protocol.cutoffTime().isBlank()) {
            boolean[] date = new boolean[1];
            long t = TimeParser.parse(protocol.cutoffTime(), date);
            if (t == TimeParser.MALFORMED) {
                throw new UserInputException("eval.cutoff_time \"" + protocol.cutoffTime()
                        + "\" is neither an integer nor an ISO-8601 date such as 2016-01-01");
            }
            long largest = log.agg(max(TIME)).first().getLong(0);
            if (date[0] && largest < 100_000_000_000L) {
                t = Math.floorDiv(t, 1000L);
            }
            return t;
        }
        long n = log.count();
        long at = Math.min(n - 1, (long) Math.floor(protocol.cutoffFraction() * n));
        return log.select(TIME).orderBy(TIME).offset((int) at).limit(1).first().getLong(0);
    }

    /** Counts of each part, e.g. {@code train=98012 valid=19412 test=19412}. */
    public static String describe(PreparedLog log) {
        List<String> out = new ArrayList<>();
        for (Row r : log.interactions().groupBy(PART).count().orderBy(PART).collectAsList()) {
            out.add(r.getString(0) + "=" + r.getLong(1));
        }
        return String.join(" ", out);
    }
}
