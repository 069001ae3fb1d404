package org.recsysrl.data;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.recsysrl.util.UserInputException;

/**
 * What a data set is, so that a checkpoint can record which data it was trained on and a later
 * run can refuse different data: the layout, the ratings file, and the SHA-256 of that file's bytes
 * (computed while it is read, in the same pass). Two data sets are the same iff their layouts and
 * hashes agree; the path and counts are for messages.
 *
 * @param layout the layout the file was read with
 * @param path the ratings file as it was given (or {@code <memory>} for built data)
 * @param sha256 lower-case hex SHA-256 of the ratings file's bytes (for built data: of the
 *     canonical text {@code user,item,rating,timestamp\n} per interaction, in order)
 * @param bytes size of the hashed content in bytes
 * @param ratings number of interactions read
 * @param users number of distinct users
 * @param items number of distinct items
 */
public record DataIdentity(Layout layout, String path, String sha256, long bytes, int ratings, int users,
        int items) {

    /** Metadata key prefix used by {@link #toMetadata()}. */
    public static final String PREFIX = "data.";

    /** Checks that every field is present. */
    public DataIdentity {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
    }

    /** True if {@code other} describes the same content read the same way (layout and hash). */
    public boolean sameData(DataIdentity other) {
        return layout == other.layout && sha256.equals(other.sha256);
    }

    /**
     * Throws unless {@code actual} is the same data as this (expected) identity.
     *
     * @param what what expects this data, for the message (e.g. "checkpoint run/ckpt.safetensors")
     * @throws UserInputException naming both data sets and the fix
     */
    public void requireSame(DataIdentity actual, String what) {
        if (!sameData(actual)) {
            throw new UserInputException("data set mismatch: " + what + " was trained on " + describe()
                    + " but the data given is " + actual.describe()
                    + "; pass --data pointing at the original data set");
        }
    }

    /** One-line description, e.g. {@code ml-latest ratings.csv (100836 ratings, sha256 7f3a…)}. */
    public String describe() {
        return layout.id() + " " + path + " (" + ratings + " ratings, " + users + " users, " + items
                + " items, sha256 " + sha256.substring(0, Math.min(12, sha256.length())) + "…)";
    }

    /**
     * The identity as string key/values ({@code data.layout}, {@code data.path}, {@code data.sha256},
     * {@code data.bytes}, {@code data.ratings}, {@code data.users}, {@code data.items}), e.g. for a
     * checkpoint's metadata; {@link #fromMetadata} reads it back.
     */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PREFIX + "layout", layout.id());
        m.put(PREFIX + "path", path);
        m.put(PREFIX + "sha256", sha256);
        m.put(PREFIX + "bytes", Long.toString(bytes));
        m.put(PREFIX + "ratings", Integer.toString(ratings));
        m.put(PREFIX + "users", Integer.toString(users));
        m.put(PREFIX + "items", Integer.toString(items));
        return m;
    }

    /**
     * Reads what {@link #toMetadata()} wrote.
     *
     * @param source names the metadata's origin in the error message
     * @throws UserInputException if a key is missing or malformed
     */
    public static DataIdentity fromMetadata(Map<String, String> metadata, String source) {
        try {
            return new DataIdentity(Layout.fromId(get(metadata, "layout", source)), get(metadata, "path", source),
                    get(metadata, "sha256", source), Long.parseLong(get(metadata, "bytes", source)),
                    Integer.parseInt(get(metadata, "ratings", source)), Integer.parseInt(get(metadata, "users", source)),
                    Integer.parseInt(get(metadata, "items", source)));
        } catch (IllegalArgumentException e) {
            throw new UserInputException(source + ": malformed data identity (" + e.getMessage()
                    + "); it was not written by this program or is corrupt", e);
        }
    }

    private static String get(Map<String, String> m, String key, String source) {
        String v = m.get(PREFIX + key);
        if (v == null) {
            throw new UserInputException(source + " does not record the data set (" + PREFIX + key
                    + " is missing); it was not trained on real data");
        }
        return v;
    }
}
