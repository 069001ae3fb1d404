package org.recsysrl.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads MovieLens item metadata (titles, genres) for the items of an {@link IdMap}:
 * {@code u.item} (pipe-separated, ISO-8859-1, 19 genre flags), {@code movies.dat}
 * ({@code MovieID::Title::Genres}, ISO-8859-1) and {@code movies.csv} (RFC 4180 with a header, UTF-8).
 * Items the file describes but nobody rated are skipped; for an item described twice the first
 * description is kept.
 */
final class MetadataReader {
    /** The genre flag columns of MovieLens 100k's {@code u.item}, in order (as listed in its {@code u.genre}). */
    static final String[] ML100K_GENRES = {"unknown", "Action", "Adventure", "Animation", "Children's", "Comedy",
        "Crime", "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi",
        "Thriller", "War", "Western"};

    /** MovieLens's marker for an item without genres; stored as no genres. */
    static final String NO_GENRES = "(no genres listed)";

    /** The longest line (and quoted field) accepted: a title with its genres takes a few hundred characters. */
    static final int MAX_LINE_CHARS = 1 << 20;

    private MetadataReader() {}

    /**
     * The next line without its terminator ({@code \n}, {@code \r\n} or {@code \r}), or null at the
     * end of the input: {@link BufferedReader#readLine} with a bound, so a file without line breaks
     * costs at most {@value #MAX_LINE_CHARS} characters.
     *
     * @throws org.recsysrl.util.UserInputException naming line {@code lineNo} of {@code file} if it is longer
     */
    static String readLine(BufferedReader r, Path file, long lineNo) throws IOException {
        int c = r.read();
        if (c < 0) {
            return null;
        }
        StringBuilder line = new StringBuilder(128);
        while (c >= 0 && c != '\n' && c != '\r') {
            if (line.length() == MAX_LINE_CHARS) {
                throw RatingsReader.lineError(file, lineNo, "longer than " + MAX_LINE_CHARS
                        + " characters without a line break (is it the right file?)");
            }
            line.append((char) c);
            c = r.read();
        }
        if (c == '\r') {
            r.mark(1);
            if (r.read() != '\n') {
                r.reset();
            }
        }
        return line.toString();
    }

    static ItemMetadata read(Layout layout, Path file, IdMap items) {
        ItemMetadata.Builder meta = new ItemMetadata.Builder(items.size());
        switch (layout) {
            case ML_100K -> readUItem(file, items, meta);
            case ML_1M -> readMoviesDat(file, items, meta);
            case ML_LATEST -> readMoviesCsv(file, items, meta);
            default -> throw new IllegalArgumentException("no metadata file in layout " + layout);
        }
        return meta.build();
    }

    private static BufferedReader open(Path file, Charset charset) throws IOException {
        // InputStreamReader replaces undecodable bytes rather than failing.
        return new BufferedReader(new InputStreamReader(Files.newInputStream(file), charset), 1 << 16);
    }

    private static void readUItem(Path file, IdMap items, ItemMetadata.Builder meta) {
        for (String g : ML100K_GENRES) {
            meta.genre(g);
        }
        int[] genres = new int[ML100K_GENRES.length];
        try (BufferedReader r = open(file, StandardCharsets.ISO_8859_1)) {
            long lineNo = 0;
            for (String line = readLine(r, file, lineNo + 1); line != null; line = readLine(r, file, lineNo + 1)) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\\|", -1);
                int n = f.length;
                if (n < 5 + ML100K_GENRES.length) {
                    throw RatingsReader.lineError(file, lineNo, "expected 24 |-separated fields movie id|movie title|"
                            + "release date|video release date|IMDb URL|19 genre flags, got " + n + " ("
                            + RatingsReader.excerpt(line) + ")");
                }
                String id = f[0].strip();
                int item = lookup(file, lineNo, "movie id", id, items);
                if (item < 0 || meta.described(item)) {
                    continue;
                }
                // A title containing '|' spans several fields: everything between the id and the last 22.
                String title = String.join("|", java.util.Arrays.asList(f).subList(1, n - 22));
                int k = 0;
                for (int g = 0; g < ML100K_GENRES.length; g++) {
                    String flag = f[n - ML100K_GENRES.length + g].strip();
                    if (flag.equals("1")) {
                        genres[k++] = g;
                    } else if (!flag.equals("0")) {
                        throw RatingsReader.lineError(file, lineNo, "genre flag " + (g + 1) + " (" + ML100K_GENRES[g]
                                + ") is \"" + RatingsReader.excerpt(flag) + "\", expected 0 or 1");
                    }
                }
                meta.set(item, title, genres, k);
            }
        } catch (IOException e) {
            throw RatingsReader.cannotRead(file, e);
        }
    }

    private static void readMoviesDat(Path file, IdMap items, ItemMetadata.Builder meta) {
        int[] genres = new int[16];
        try (BufferedReader r = open(file, StandardCharsets.ISO_8859_1)) {
            long lineNo = 0;
            for (String line = readLine(r, file, lineNo + 1); line != null; line = readLine(r, file, lineNo + 1)) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                int a = line.indexOf("::");
                int b = line.lastIndexOf("::");
                if (a < 0 || b <= a + 1) {
                    throw RatingsReader.lineError(file, lineNo, "expected 3 ::-separated fields MovieID::Title::Genres, got "
                            + (a < 0 ? 1 : 2) + " (" + RatingsReader.excerpt(line) + ")");
                }
                int item = lookup(file, lineNo, "MovieID", line.substring(0, a).strip(), items);
                if (item < 0 || meta.described(item)) {
                    continue;
                }
                genres = setWithGenres(meta, item, line.substring(a + 2, b), line.substring(b + 2), genres);
            }
        } catch (IOException e) {
            throw RatingsReader.cannotRead(file, e);
        }
    }

    private static void readMoviesCsv(Path file, IdMap items, ItemMetadata.Builder meta) {
        int[] genres = new int[16];
        List<String> fields = new ArrayList<>(4);
        StringBuilder cell = new StringBuilder();
        try (BufferedReader r = open(file, StandardCharsets.UTF_8)) {
            long[] lineNo = {0};
            boolean first = true;
            while (true) {
                long recordLine = readCsvRecord(r, file, lineNo, fields, cell);
                if (recordLine < 0) {
                    break;
                }
                if (fields.size() == 1 && fields.get(0).isBlank()) {
                    continue;
                }
                if (first) {
                    first = false;
                    if (IdMap.parseCanonical(fields.get(0).strip()) < 0) {
                        continue; // header
                    }
                }
                if (fields.size() != 3) {
                    throw RatingsReader.lineError(file, recordLine, "expected 3 comma-separated fields movieId,title,genres "
                            + "(quote a title that contains commas: \"Title, The (1999)\"), got " + fields.size());
                }
                int item = lookup(file, recordLine, "movieId", fields.get(0).strip(), items);
                if (item < 0 || meta.described(item)) {
                    continue;
                }
                genres = setWithGenres(meta, item, fields.get(1), fields.get(2), genres);
            }
        } catch (IOException e) {
            throw RatingsReader.cannotRead(file, e);
        }
    }

    /**
     * Reads one RFC 4180 record into {@code fields}: fields are separated by commas; a field that
     * starts with a double quote runs to the matching closing quote, may contain commas and line
     * breaks, and writes a literal quote as two. Returns the line number the record starts on, or
     * -1 at the end of the input.
     */
    static long readCsvRecord(BufferedReader r, Path file, long[] lineNo, List<String> fields, StringBuilder cell)
            throws IOException {
        String line = readLine(r, file, lineNo[0] + 1);
        if (line == null) {
            return -1;
        }
        lineNo[0]++;
        long start = lineNo[0];
        fields.clear();
        cell.setLength(0);
        int i = 0;
        while (true) { // at the start of a field
            if (i < line.length() && line.charAt(i) == '"') {
                i++;
                while (true) { // inside quotes
                    if (i == line.length()) {
                        if (cell.length() > MAX_LINE_CHARS) {
                            throw RatingsReader.lineError(file, start, "a quoted field runs for more than "
                                    + MAX_LINE_CHARS + " characters (is its closing quote missing?)");
                        }
                        line = readLine(r, file, lineNo[0] + 1);
                        if (line == null) {
                            throw RatingsReader.lineError(file, start, "a quoted field is never closed (write a \" "
                                    + "inside a quoted field as \"\")");
                        }
                        lineNo[0]++;
                        cell.append('\n');
                        i = 0;
                        continue;
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < line.length() && line.charAt(i) == '"') {
                            cell.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        cell.append(c);
                    }
                }
                if (i < line.length() && line.charAt(i) != ',') {
                    throw RatingsReader.lineError(file, lineNo[0], "unexpected character '" + line.charAt(i)
                            + "' after a closing quote at column " + (i + 1) + " (write a \" inside a quoted field as \"\")");
                }
            } else {
                int comma = line.indexOf(',', i);
                int e = comma < 0 ? line.length() : comma;
                cell.append(line, i, e);
                i = e;
            }
            fields.add(cell.toString());
            cell.setLength(0);
            if (i >= line.length()) {
                return start;
            }
            i++; // skip the comma
        }
    }

    private static int[] setWithGenres(ItemMetadata.Builder meta, int item, String title, String genreField, int[] genres) {
        int k = 0;
        String g = genreField.strip();
        if (!g.isEmpty() && !g.equals(NO_GENRES)) {
            for (String name : g.split("\\|")) {
                String s = name.strip();
                if (s.isEmpty()) {
                    continue;
                }
                if (k == genres.length) {
                    genres = java.util.Arrays.copyOf(genres, k * 2);
                }
                genres[k++] = meta.genre(s);
            }
        }
        meta.set(item, title, genres, k);
        return genres;
    }

    private static int lookup(Path file, long lineNo, String what, String id, IdMap items) {
        if (id.isEmpty()) {
            throw RatingsReader.lineError(file, lineNo, "empty " + what + " (field 1)");
        }
        return items.index(id);
    }
}
