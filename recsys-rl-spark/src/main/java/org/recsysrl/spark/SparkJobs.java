package org.recsysrl.spark;

import org.apache.spark.sql.SparkSession;

/** The Spark session every job of this module runs in. */
public final class SparkJobs {
    private SparkJobs() {
    }

    /**
     * {@code builder}'s session (an existing one if the application already has it). The settings
     * given to {@code spark-submit} (master, memory, partitions) are left as they are.
     */
    public static SparkSession session(SparkSession.Builder builder) {
        return builder.getOrCreate();
    }
}
