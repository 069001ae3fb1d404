package org.recsysrl.ope;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.recsysrl.data.TimeParser;
import org.recsysrl.util.UserInputException;

/**
 * Reads a CSV log with a header row, one impression of one item per row, columns chosen by
 * {@link CsvColumns}. Fields may be quoted with {@code "} (a doubled quote inside is one quote). A
 * row with a missing or non-numeric field, a propensity outside (0, 1], a position below the base, or
 * an item outside the catalog is refused with the file, the line number and the fix.
 */
public final class FeedbackCsv {
    private FeedbackCsv() {
    }

    /** Reads {@code file}; {@code catalog} may be {@code null}. */
    public static LoggedFeedback read(Path file, CsvColumns columns, Collection<String> catalog) throws IOException {
        FeedbackFiles.requireRegularFile(file, "log");
        LoggedFeedback.Builder b = LoggedFeedback.builder(file.toString());
        if (catalog != null) {
            b.catalog(catalog);
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String headerLine = in.readLine();
            if (headerLine == null) {
                throw new UserInputException(file + " is empty: give a CSV log with a header row");
            }
            List<String> header = split(headerLine, columns.delimiter());
            Layout layout = Layout.of(header, columns, file);
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                List<String> f = split(line, columns.delimiter());
                if (f.size() != header.size()) {
                    throw new UserInputException(file + " line " + lineNo + ": " + f.size() + " fields but the header"
                            + " has " + header.size() + ": fix the row (quote fields that contain the delimiter)");
                }
                String where = file + " line " + lineNo + ": ";
                String problem = b.add(impression(f, header, layout, columns, where));
                if (problem != null) {
                    throw new UserInputException(where + problem);
                }
            }
        }
        if (b.rows() == 0) {
            throw new UserInputException(file + " has a header but no rows");
        }
        return b.build();
    }

    /** The header's column index of each field (-1: not in the log). */
    private record Layout(int item, int prop, int rew, int pos, int time, int user, int session, int step,
            int request, int[] ctx) {
        static Layout of(List<String> header, CsvColumns columns, Path file) {
            int item = column(header, columns.item(), "ope.csv.item", file, true);
            int prop = column(header, columns.propensity(), "ope.csv.propensity", file, true);
            int rew = column(header, columns.reward(), "ope.csv.reward", file, true);
            int pos = column(header, columns.position(), "ope.csv.position", file, false);
            int time = column(header, columns.time(), "ope.csv.time", file, false);
            int user = column(header, columns.user(), "ope.csv.user", file, false);
            int session = column(header, columns.session(), "ope.csv.session", file, false);
            int step = column(header, columns.step(), "ope.csv.step", file, false);
            int request = column(header, columns.requestId(), "ope.csv.request_id", file, false);
            int[] ctx = contextColumns(header, columns.context(), file);
            return new Layout(item, prop, rew, pos, time, user, session, step, request, ctx);
        }
    }

    /** The impression of one row's fields {@code f}; {@code where} (file and line) prefixes the messages. */
    private static Impression impression(List<String> f, List<String> header, Layout l, CsvColumns columns,
            String where) {
        double p = number(f.get(l.prop()), header.get(l.prop()), where);
        double r = number(f.get(l.rew()), header.get(l.rew()), where);
        int position = 0;
        if (l.pos() >= 0) {
            position = (int) integer(f.get(l.pos()), header.get(l.pos()), where) - columns.positionBase();
            if (position < 0) {
                throw new UserInputException(where + "position " + f.get(l.pos()) + " is below "
                        + columns.positionBase() + ": set ope.csv.position_base to the first position's number");
            }
        }
        double[] context = context(f, header, l.ctx(), where);
        long t = LoggedFeedback.NO_TIME;
        if (l.time() >= 0 && !f.get(l.time()).isBlank()) {
            t = TimeParser.parse(f.get(l.time()), null);
            if (t == TimeParser.MALFORMED) {
                throw new UserInputException(where + "time \"" + f.get(l.time()) + "\" is neither a number nor an"
                        + " ISO-8601 date-time: fix it or leave ope.csv.time empty");
            }
        }
        int st = l.step() >= 0 ? (int) integer(f.get(l.step()), header.get(l.step()), where) : -1;
        return new Impression(t, l.request() >= 0 ? f.get(l.request()) : null, l.user() >= 0 ? f.get(l.user()) : null,
                l.session() >= 0 ? f.get(l.session()) : null, st, context, position, List.of(f.get(l.item()).trim()),
                new double[] {p}, Double.NaN, null, r, null);
    }

    /** The row's context features, read from the columns {@code ctx}. */
    private static double[] context(List<String> f, List<String> header, int[] ctx, String where) {
        double[] context = new double[ctx.length];
        for (int j = 0; j < ctx.length; j++) {
            String v = f.get(ctx[j]);
            try {
                context[j] = Double.parseDouble(v.trim());
            } catch (NumberFormatException e) {
                throw new UserInputException(where + "context column " + header.get(ctx[j]) + " holds \"" + v
                        + "\", not a number: list only numeric columns in ope.csv.context");
            }
        }
        return context;
    }

    /** Splits one CSV line on {@code delimiter}, honouring double quotes. */
    public static List<String> split(String line, char delimiter) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == delimiter) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static int column(List<String> header, String name, String setting, Path file, boolean required) {
        if (name == null || name.isEmpty()) {
            return -1;
        }
        int i = header.indexOf(name);
        if (i < 0) {
            throw new UserInputException(file + " has no column " + name + (required ? "" : " (optional)")
                    + ": set " + setting + " to one of its columns" + (required ? "" : " or leave it empty"));
        }
        return i;
    }

    private static int[] contextColumns(List<String> header, List<String> patterns, Path file) {
        List<Integer> cols = new ArrayList<>();
        for (String p : patterns) {
            boolean any = false;
            for (int i = 0; i < header.size(); i++) {
                String h = header.get(i);
                boolean match = p.endsWith("*") ? h.startsWith(p.substring(0, p.length() - 1)) : h.equals(p);
                if (match && !cols.contains(i)) {
                    cols.add(i);
                    any = true;
                }
            }
            if (!any) {
                throw new UserInputException(file + " has no column matching " + p + ": fix ope.csv.context");
            }
        }
        return cols.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double number(String v, String column, String where) {
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new UserInputException(where + "column " + column + " holds \"" + v + "\", not a number: fix the"
                    + " row or point the setting at the right column");
        }
    }

    private static long integer(String v, String column, String where) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UserInputException(where + "column " + column + " holds \"" + v + "\", not an integer");
        }
    }
}
