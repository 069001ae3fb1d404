package org.recsysrl.data;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.recsysrl.util.InputFiles;
import org.recsysrl.util.UserInputException;

/**
 * Where a data set's files are and how to read them.
 *
 * @param layout the file layout
 * @param ratingsFile the interaction file (user, item, rating[, timestamp] per line)
 * @param itemsFile the item metadata file (titles, genres), or null if there is none
 */
public record DataSource(Layout layout, Path ratingsFile, Path itemsFile) {

    /** Checks that the layout and ratings file are given. */
    public DataSource {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(ratingsFile, "ratingsFile");
    }

    /**
     * Recognises the layout of {@code path}.
     *
     * <p>A directory is searched, in this order, for {@code u.data} (MovieLens 100k, metadata from
     * {@code u.item}), {@code ratings.dat} (MovieLens 1M, {@code movies.dat}), {@code ratings.csv}
     * (MovieLens latest, {@code movies.csv}), and finally for a single {@code *.csv} file (generic
     * {@code user,item,rating[,timestamp]}). A metadata file that is absent is simply not read.
     * A regular file named {@code u.data}, {@code ratings.dat} or {@code ratings.csv} is read with
     * its MovieLens layout (metadata from its directory); any other regular file as generic CSV.
     *
     * @throws UserInputException if the path does not exist, is a device, pipe or socket, or is a
     *     directory that holds no recognised layout
     */
    public static DataSource detect(Path path) {
        Objects.requireNonNull(path, "path");
        if (Files.isRegularFile(path)) {
            String name = path.getFileName().toString();
            for (Layout l : Layout.values()) {
                if (name.equals(l.ratingsFile())) {
                    return withSibling(l, path);
                }
            }
            return new DataSource(Layout.GENERIC_CSV, path, null);
        }
        switch (InputFiles.kind(path)) {
            case MISSING -> throw new UserInputException("data path " + path
                    + " does not exist: pass a MovieLens directory (ml-100k, ml-1m, ml-latest-small, ...) "
                    + "or a user,item,rating[,timestamp] CSV file");
            case SPECIAL -> throw DataFiles.special(path);
            case UNKNOWN -> throw new UserInputException("cannot read the attributes of data path " + path
                    + ": check that it and its folders are readable");
            default -> {
                // a directory: look inside
            }
        }
        for (Layout l : Layout.values()) {
            if (l.ratingsFile() != null && Files.isRegularFile(path.resolve(l.ratingsFile()))) {
                return withSibling(l, path.resolve(l.ratingsFile()));
            }
        }
        for (Layout l : Layout.values()) {
            if (l.itemsFile() != null && Files.isRegularFile(path.resolve(l.itemsFile()))) {
                // a MovieLens folder without its ratings: never read the movie list as ratings
                throw new UserInputException("data directory " + path + " holds " + l.itemsFile() + " (MovieLens "
                        + "movies) but not " + l.ratingsFile() + ", the ratings: download the complete " + l.id()
                        + " folder, or point --data at a ratings file");
            }
        }
        List<Path> csv = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(path, "*.csv")) {
            for (Path p : files) {
                if (Files.isRegularFile(p)) {
                    csv.add(p);
                }
            }
        } catch (IOException e) {
            throw new UserInputException("cannot list data directory " + path + " (" + e.getMessage()
                    + "): check that it is readable", e);
        }
        if (csv.size() == 1) {
            return new DataSource(Layout.GENERIC_CSV, csv.get(0), null);
        }
        throw new UserInputException("no ratings file recognised in " + path
                + ": looked for u.data (MovieLens 100k), ratings.dat (MovieLens 1M), ratings.csv "
                + "(MovieLens latest) or exactly one user,item,rating[,timestamp] .csv file (found "
                + csv.size() + "); point --data at the folder that holds the ratings, or at the CSV file itself");
    }

    private static DataSource withSibling(Layout l, Path ratings) {
        Path items = ratings.resolveSibling(l.itemsFile());
        return new DataSource(l, ratings, Files.isRegularFile(items) ? items : null);
    }
}
