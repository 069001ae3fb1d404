package org.recsysrl.spark;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.recsysrl.data.SplitSpec;
import org.recsysrl.eval.ProtocolSpec;
import org.recsysrl.util.UserInputException;

/**
 * A log prepared by {@link LogPreparation}: one row per kept interaction (its columns are listed
 * there), the catalog sizes and the split.
 *
 * @param interactions the rows
 * @param userCount number of users (dense indices {@code 0..userCount-1})
 * @param itemCount number of items
 * @param size number of interactions
 * @param timed whether the log has times
 * @param weighted whether some weight differs from 1
 * @param protocol how it was split
 * @param cutoff the temporal cutoff ({@code Long.MIN_VALUE} for the other protocols)
 */
public record PreparedLog(Dataset<Row> interactions, int userCount, int itemCount, long size, boolean timed,
        boolean weighted, ProtocolSpec protocol, long cutoff) {

    /** The file beside the interactions' Parquet folder that records the sizes and the split. */
    public static final String SUMMARY = "prepared.properties";
    /** The Parquet folder of the interactions inside a prepared folder. */
    public static final String INTERACTIONS = "interactions";

    /** Writes the interactions (Parquet) and {@link #SUMMARY} into the new folder {@code dir}. */
    public void write(String dir) {
        interactions.write().parquet(dir + "/" + INTERACTIONS);
        Properties p = new Properties();
        p.setProperty("users", Integer.toString(userCount));
        p.setProperty("items", Integer.toString(itemCount));
        p.setProperty("interactions", Long.toString(size));
        p.setProperty("timed", Boolean.toString(timed));
        p.setProperty("weighted", Boolean.toString(weighted));
        p.setProperty("protocol", protocol.kind().id());
        p.setProperty("cutoff_fraction", Double.toString(protocol.cutoffFraction()));
        p.setProperty("cutoff_time", protocol.cutoffTime());
        p.setProperty("all_targets", Boolean.toString(protocol.allTargets()));
        p.setProperty("cold_users", Boolean.toString(protocol.coldUsers()));
        protocol.userFraction().toMetadata().forEach(p::setProperty);
        p.setProperty("cutoff", Long.toString(cutoff));
        Path file = new Path(dir, SUMMARY);
        try {
            FileSystem fs = file.getFileSystem(new Configuration());
            try (FSDataOutputStream out = fs.create(file, false);
                    Writer w = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8)) {
                p.store(w, "recsys-rl-spark prepare");
            }
        } catch (IOException e) {
            throw new UserInputException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a folder written by {@link #write}. */
    public static PreparedLog read(SparkSession spark, String dir) {
        Path file = new Path(dir, SUMMARY);
        Properties p = new Properties();
        try {
            FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(file)) {
                throw new UserInputException(dir + " is not a prepared log (no " + SUMMARY
                        + "): run the prepare subcommand first");
            }
            try (FSDataInputStream in = fs.open(file); Reader r = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
                p.load(r);
            }
        } catch (IOException e) {
            throw new UserInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            ProtocolSpec protocol = new ProtocolSpec(ProtocolSpec.Kind.of(p.getProperty("protocol")),
                    Double.parseDouble(p.getProperty("cutoff_fraction")), p.getProperty("cutoff_time"),
                    Boolean.parseBoolean(p.getProperty("all_targets")), Boolean.parseBoolean(p.getProperty("cold_users")),
                    SplitSpec.fromMetadata(new java.util.HashMap<>(toMap(p)), file.toString()));
            return new PreparedLog(spark.read().parquet(dir + "/" + INTERACTIONS),
                    Integer.parseInt(p.getProperty("users")), Integer.parseInt(p.getProperty("items")),
                    Long.parseLong(p.getProperty("interactions")), Boolean.parseBoolean(p.getProperty("timed")),
                    Boolean.parseBoolean(p.getProperty("weighted")), protocol, Long.parseLong(p.getProperty("cutoff")));
        } catch (NumberFormatException | NullPointerException e) {
            throw new UserInputException(file + " is malformed (" + e + "): prepare the log again", e);
        }
    }

    private static java.util.Map<String, String> toMap(Properties p) {
        java.util.Map<String, String> m = new java.util.HashMap<>();
        for (String k : p.stringPropertyNames()) {
            m.put(k, p.getProperty(k));
        }
        return m;
    }
}
