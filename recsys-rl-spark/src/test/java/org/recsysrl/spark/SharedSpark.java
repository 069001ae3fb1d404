package org.recsysrl.spark;

import org.apache.spark.sql.SparkSession;

/**
 * One local Spark session for every test class of this module (starting one costs seconds):
 * {@code local[2]}, no web UI, two shuffle partitions, expressions interpreted
 * rather than compiled (on tiny data compiling costs more than it saves). Stopped when the test JVM exits.
 */
final class SharedSpark {
    private static SparkSession session;

    private SharedSpark() {
    }

    static synchronized SparkSession get() {
        if (session == null) {
            session = SparkJobs.session(SparkSession.builder().master("local[2]").appName("recsys-rl-spark tests")
                    .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
                    .config("spark.default.parallelism", "2").config("spark.driver.host", "127.0.0.1")
                    .config("spark.sql.adaptive.enabled", "false")
                    .config("spark.sql.codegen.wholeStage", "false")
                    .config("spark.sql.codegen.factoryMode", "NO_CODEGEN"));
            session.sparkContext().setLogLevel("ERROR");
            Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
        }
        return session;
    }
}
