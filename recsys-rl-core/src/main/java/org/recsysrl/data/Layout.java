package org.recsysrl.data;

/**
 * The file layouts {@link RatingsReader} understands. {@link #id()} is the stable name recorded in
 * a {@link DataIdentity} (and so in checkpoints).
 */
public enum Layout {
    /** MovieLens 100k: {@code u.data} (tab-separated user, item, rating, timestamp) and {@code u.item}. */
    ML_100K("ml-100k", "u.data", "u.item"),
    /** MovieLens 1M (and 10M): {@code ratings.dat} and {@code movies.dat}, {@code ::}-separated. */
    ML_1M("ml-1m", "ratings.dat", "movies.dat"),
    /** MovieLens latest, latest-small, 20M, 25M: {@code ratings.csv} and {@code movies.csv} with headers. */
    ML_LATEST("ml-latest", "ratings.csv", "movies.csv"),
    /** Any {@code user,item,rating[,timestamp]} CSV file, header optional; no item metadata. */
    GENERIC_CSV("csv", null, null),
    /** Built in memory with {@link RatingDataset.Builder} (tests, programmatic use); no files. */
    IN_MEMORY("memory", null, null),
    /** An interaction log, comma-separated with a header naming the columns ({@link LogReader}). */
    LOG_CSV("log-csv", null, null),
    /** An interaction log, tab-separated with a header naming the columns ({@link LogReader}). */
    LOG_TSV("log-tsv", null, null),
    /** A RecBole atomic file: tab-separated, a {@code name:type} header ({@link LogReader}). */
    LOG_RECBOLE("log-recbole", null, null),
    /** One user per line, {@code user item item …} in chronological order ({@link LogReader}). */
    SEQUENCES("sequences", null, null),
    /** An Apache Parquet interaction log, columns by name ({@link LogFormatReader}, module recsys-rl-parquet). */
    LOG_PARQUET("log-parquet", null, null);

    private final String id;
    private final String ratingsFile;
    private final String itemsFile;

    Layout(String id, String ratingsFile, String itemsFile) {
        this.id = id;
        this.ratingsFile = ratingsFile;
        this.itemsFile = itemsFile;
    }

    /**
     * Stable short name: {@code ml-100k}, {@code ml-1m}, {@code ml-latest}, {@code csv}, {@code memory},
     * {@code log-csv}, {@code log-tsv}, {@code log-recbole}, {@code sequences} or {@code log-parquet}.
     */
    public String id() {
        return id;
    }

    /** The ratings file name this layout is recognised by, or null for the layouts without a fixed name. */
    public String ratingsFile() {
        return ratingsFile;
    }

    /** The item metadata file name next to the ratings, or null for the layouts without one. */
    public String itemsFile() {
        return itemsFile;
    }

    /** The layout whose {@link #id()} is {@code id}. */
    public static Layout fromId(String id) {
        for (Layout l : values()) {
            if (l.id.equals(id)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown layout id: " + id);
    }
}
