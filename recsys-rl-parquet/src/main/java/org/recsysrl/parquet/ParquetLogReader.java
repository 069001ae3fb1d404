package org.recsysrl.parquet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.HadoopFreeReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.Layout;
import org.recsysrl.data.LogFormatReader;
import org.recsysrl.data.LogRows;
import org.recsysrl.data.LogSpec;
import org.recsysrl.util.UserInputException;

/**
 * Reads an Apache Parquet interaction log ({@code data.format=parquet}): the file's top-level
 * columns are found by name as a CSV header's ({@link LogRows}), and only those columns are read,
 * row group by row group, with no Hadoop at run time.
 *
 * <p>Column types: a user or item id is {@code INT32}, {@code INT64} (kept as its decimal text) or a
 * string ({@code BINARY}); a time is an integer (taken as it is), a {@code TIMESTAMP} or {@code DATE}
 * (milliseconds since the epoch, as a CSV log's ISO-8601 dates), a legacy {@code INT96} timestamp,
 * a {@code FLOAT}/{@code DOUBLE} (its fraction dropped) or a string (integer or ISO-8601); a value
 * (rating) is any number; an event type a string or an integer. A null in a used column, a nested
 * or repeated column, or another type is refused in one line naming the file, the column and the fix.
 */
public final class ParquetLogReader implements LogFormatReader {
    /** The instant of Julian day 0 in epoch days, for INT96 timestamps. */
    private static final long JULIAN_EPOCH_DAY = 2_440_588L;
    private static final long MILLIS_PER_DAY = 86_400_000L;

    /** What a column is read as. */
    private enum Role {
        USER("user"), ITEM("item"), TIME("time"), EVENT("event"), VALUE("value");

        final String setting;

        Role(String name) {
            this.setting = "data." + name + "_col";
        }
    }

    /** A public no-argument constructor, for {@link java.util.ServiceLoader}. */
    public ParquetLogReader() {
    }

    @Override
    public String format() {
        return LogSpec.Format.PARQUET.id();
    }

    @Override
    public InteractionLog read(Path file, LogSpec spec) {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file),
                HadoopFreeReadOptions.of(new PureJavaCodecs()))) {
            return read(file, spec, reader);
        } catch (UserInputException e) {
            throw e;
        } catch (PureJavaCodecs.UnsupportedCodecException e) {
            throw new UserInputException(file + " has columns compressed with " + e.codec + ", which recsys-rl-parquet"
                    + " does not decompress (it reads " + PureJavaCodecs.SUPPORTED + "): rewrite the file with one of"
                    + " those, e.g. duckdb -c \"COPY (FROM '" + file + "') TO 'log.parquet' (COMPRESSION zstd)\"");
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new UserInputException(file + " cannot be read as Parquet (" + oneLine(why) + "): it is damaged or"
                    + " not a Parquet file; check it with another Parquet reader, or pass another file");
        }
    }

    private static InteractionLog read(Path file, LogSpec spec, ParquetFileReader reader) throws IOException {
        MessageType schema = reader.getFooter().getFileMetaData().getSchema();
        List<String> names = new ArrayList<>();
        for (Type t : schema.getFields()) {
            names.add(t.getName());
        }
        LogRows rows = LogRows.start(file, names, spec, reader.getRecordCount());
        int[] columns = {rows.userColumn(), rows.itemColumn(), rows.timeColumn(), rows.eventColumn(), rows.valueColumn()};
        Role[] roles = Role.values();
        List<Type> used = new ArrayList<>();
        for (int k = 0; k < columns.length; k++) {
            if (columns[k] >= 0) {
                Type t = schema.getType(columns[k]);
                requireReadable(file, t, roles[k]);
                if (!used.contains(t)) {
                    used.add(t);
                }
            }
        }
        MessageType projection = new MessageType(schema.getName(), used);
        reader.setRequestedSchema(projection);
        String createdBy = reader.getFooter().getFileMetaData().getCreatedBy();
        long row = 0;
        for (PageReadStore group; (group = reader.readNextRowGroup()) != null;) {
            ColumnReadStoreImpl store = new ColumnReadStoreImpl(group,
                    new GroupRecordConverter(projection).getRootConverter(), projection, createdBy);
            ColumnReader[] readers = new ColumnReader[columns.length];
            for (int k = 0; k < columns.length; k++) {
                if (columns[k] >= 0) {
                    readers[k] = store.getColumnReader(projection.getColumnDescription(
                            new String[] {schema.getFieldName(columns[k])}));
                }
            }
            long count = group.getRowCount();
            for (long r = 0; r < count; r++) {
                row++;
                for (int k = 0; k < readers.length; k++) {
                    ColumnReader c = readers[k];
                    if (c == null) {
                        continue;
                    }
                    if (c.getCurrentDefinitionLevel() == c.getDescriptor().getMaxDefinitionLevel()) {
                        set(rows, row, roles[k], c);
                    } // a null leaves the field unset: the row is refused by LogRows, naming the column
                    c.consume();
                }
                rows.commit(row);
            }
        }
        return rows.build(Layout.LOG_PARQUET);
    }

    /** Refuses a column the role cannot be read from: nested, repeated, or of another type. */
    private static void requireReadable(Path file, Type t, Role role) {
        String what = file + ": column " + t.getName() + " (" + role.setting + ") ";
        if (!t.isPrimitive() || t.isRepetition(Type.Repetition.REPEATED)) {
            throw new UserInputException(what + "is " + (t.isPrimitive() ? "repeated" : "a group") + ", not one value per"
                    + " row: set " + role.setting + " to a plain column, or flatten the file");
        }
        PrimitiveType p = t.asPrimitiveType();
        PrimitiveTypeName type = p.getPrimitiveTypeName();
        boolean ok = switch (role) {
            case USER, ITEM -> type == PrimitiveTypeName.INT32 || type == PrimitiveTypeName.INT64
                    || type == PrimitiveTypeName.BINARY;
            case TIME -> type != PrimitiveTypeName.BOOLEAN && type != PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY;
            case EVENT -> type == PrimitiveTypeName.INT32 || type == PrimitiveTypeName.INT64
                    || type == PrimitiveTypeName.BINARY || type == PrimitiveTypeName.BOOLEAN;
            case VALUE -> type == PrimitiveTypeName.INT32 || type == PrimitiveTypeName.INT64
                    || type == PrimitiveTypeName.FLOAT || type == PrimitiveTypeName.DOUBLE
                    || type == PrimitiveTypeName.BINARY;
        };
        if (!ok) {
            String allowed = switch (role) {
                case USER, ITEM -> "an id column must be INT32, INT64 or a string (BINARY)";
                case TIME -> "a time column must be an integer, a timestamp, a date, a number or a string";
                case EVENT -> "an event column must be a string, an integer or a boolean";
                case VALUE -> "a value column must be a number";
            };
            throw new UserInputException(what + "is " + type + ": " + allowed + "; set " + role.setting
                    + " to another column, or convert this one");
        }
    }

    /** Sets the row's field of {@code role} from the reader's current (non-null) value. */
    private static void set(LogRows rows, long row, Role role, ColumnReader c) {
        ColumnDescriptor d = c.getDescriptor();
        PrimitiveType p = d.getPrimitiveType();
        switch (role) {
            case USER, ITEM -> {
                switch (p.getPrimitiveTypeName()) {
                    case INT32, INT64 -> {
                        long v = integer(p, c);
                        if (role == Role.USER) {
                            rows.user(v);
                        } else {
                            rows.item(v);
                        }
                    }
                    default -> {
                        String s = c.getBinary().toStringUsingUTF8().trim();
                        if (role == Role.USER) {
                            rows.user(s);
                        } else {
                            rows.item(s);
                        }
                    }
                }
            }
            case TIME -> setTime(rows, row, p, c);
            case EVENT -> rows.event(switch (p.getPrimitiveTypeName()) {
                case INT32, INT64 -> Long.toString(integer(p, c));
                case BOOLEAN -> Boolean.toString(c.getBoolean());
                default -> c.getBinary().toStringUsingUTF8().trim();
            });
            case VALUE -> rows.value(switch (p.getPrimitiveTypeName()) {
                case INT32, INT64 -> integer(p, c);
                case FLOAT -> c.getFloat();
                case DOUBLE -> c.getDouble();
                default -> number(rows, row, c.getBinary().toStringUsingUTF8());
            });
        }
    }

    private static void setTime(LogRows rows, long row, PrimitiveType p, ColumnReader c) {
        LogicalTypeAnnotation logical = p.getLogicalTypeAnnotation();
        switch (p.getPrimitiveTypeName()) {
            case INT32, INT64 -> {
                long v = integer(p, c);
                if (logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
                    v = switch (ts.getUnit()) {
                        case MILLIS -> v;
                        case MICROS -> Math.floorDiv(v, 1_000L);
                        case NANOS -> Math.floorDiv(v, 1_000_000L);
                    };
                } else if (logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
                    v = v * MILLIS_PER_DAY;
                }
                rows.time(v);
            }
            case INT96 -> {
                ByteBuffer b = c.getBinary().toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                long nanosOfDay = b.getLong(b.position());
                long julianDay = b.getInt(b.position() + 8);
                rows.time((julianDay - JULIAN_EPOCH_DAY) * MILLIS_PER_DAY + Math.floorDiv(nanosOfDay, 1_000_000L));
            }
            case FLOAT, DOUBLE -> {
                double v = p.getPrimitiveTypeName() == PrimitiveTypeName.FLOAT ? c.getFloat() : c.getDouble();
                if (!Double.isFinite(v) || Math.abs(v) > 9e15) {
                    throw rows.rowError(row, "time " + v + " (column " + p.getName() + ") is not a finite number");
                }
                rows.time((long) Math.floor(v));
            }
            default -> rows.timeText(row, c.getBinary().toStringUsingUTF8());
        }
    }

    /** An INT32 or INT64 value, unsigned types read as unsigned. */
    private static long integer(PrimitiveType p, ColumnReader c) {
        boolean unsigned = p.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i
                && !i.isSigned();
        if (p.getPrimitiveTypeName() == PrimitiveTypeName.INT32) {
            int v = c.getInteger();
            return unsigned ? Integer.toUnsignedLong(v) : v;
        }
        long v = c.getLong();
        if (unsigned && v < 0) {
            throw new UserInputException("an unsigned 64-bit value " + Long.toUnsignedString(v) + " in column "
                    + p.getName() + " is beyond what recsys-rl holds (2^63 - 1): store the column as a string");
        }
        return v;
    }

    private static double number(LogRows rows, long row, String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            return Double.NaN; // LogRows refuses it, naming the row and column
        }
    }

    private static String oneLine(String s) {
        String t = s.replaceAll("\\s+", " ").trim();
        return t.length() > 300 ? t.substring(0, 300) + "…" : t;
    }
}
