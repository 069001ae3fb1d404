package org.recsysrl.ope.estimator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.recsysrl.ope.FeedbackCsv;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.util.UserInputException;

/**
 * A discrete item embedding e(a): the value of one or more item features (a topic, a category, a
 * price band) for every item of a log, as a group number per item index. The marginalized estimators
 * ({@link MarginalizedIps}, {@link MarginalizedDoublyRobust}) weigh a row by how much more often the
 * target than the logger picks an item of the shown item's group, instead of the shown item itself.
 *
 * @param name   what the embedding is, for reports (e.g. {@code topic} or {@code features.csv:genre})
 * @param groups the group of every item index of the log ({@link LoggedFeedback#numItems()} entries)
 * @param labels the feature value(s) of every group, in group order
 */
public record ItemGroups(String name, int[] groups, List<String> labels) {

    /** Checks that every item has a group in range. */
    public ItemGroups {
        labels = List.copyOf(labels);
        for (int a = 0; a < groups.length; a++) {
            if (groups[a] < 0 || groups[a] >= labels.size()) {
                throw new IllegalArgumentException("item " + a + " has group " + groups[a] + " of " + labels.size());
            }
        }
    }

    /** Groups from one label per item index: items with equal labels share a group. */
    public static ItemGroups ofLabels(String name, List<String> itemLabels) {
        Map<String, Integer> index = new LinkedHashMap<>();
        int[] groups = new int[itemLabels.size()];
        for (int a = 0; a < groups.length; a++) {
            groups[a] = index.computeIfAbsent(itemLabels.get(a), k -> index.size());
        }
        return new ItemGroups(name, groups, new ArrayList<>(index.keySet()));
    }

    /** The number of groups. */
    public int count() {
        return labels.size();
    }

    /** The remark the marginalized estimators add to their estimates: {@code embedding=NAME (G groups)}. */
    public String note() {
        return "embedding=" + name + " (" + count() + " groups)";
    }

    /** The group of item index {@code item}. */
    public int group(int item) {
        return groups[item];
    }

    /**
     * Reads a CSV of item features with a header whose first column, or the one named
     * {@code item_id}, holds the item ids; the embedding of an item is the tuple of its values in
     * {@code columns} (all other columns when empty). Every item of {@code log} (with a catalog: every
     * catalog item) needs a row; ids the log does not know are ignored. A user error, in one line, for
     * a missing file, column, row or value.
     */
    public static ItemGroups readCsv(Path file, LoggedFeedback log, List<String> columns) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new UserInputException("--item-features " + file + ": no such file; give a CSV with the header"
                    + " item_id,FEATURE and one row per item");
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new UserInputException("--item-features " + file + " is empty: give a header item_id,FEATURE and"
                    + " one row per item");
        }
        List<String> header = trimmed(FeedbackCsv.split(lines.get(0), ','));
        int idColumn = Math.max(0, header.indexOf("item_id"));
        int[] use = featureColumns(file, header, idColumn, columns);
        Map<String, String> byId = new HashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            List<String> f = trimmed(FeedbackCsv.split(lines.get(i), ','));
            StringBuilder label = new StringBuilder();
            for (int c : use) {
                if (c >= f.size() || f.get(c).isEmpty()) {
                    throw new UserInputException("--item-features " + file + " line " + (i + 1) + ": no value in"
                            + " column " + header.get(c) + "; give every item a value");
                }
                label.append(label.length() == 0 ? "" : "|").append(f.get(c));
            }
            String id = idColumn < f.size() ? f.get(idColumn) : "";
            if (byId.put(id, label.toString()) != null) {
                throw new UserInputException("--item-features " + file + " line " + (i + 1) + ": item " + id
                        + " is listed twice; give one row per item");
            }
        }
        List<String> itemLabels = new ArrayList<>(log.numItems());
        for (String id : log.itemIds()) {
            String label = byId.get(id);
            if (label == null) {
                throw new UserInputException("--item-features " + file + " has no row for item " + id + " of "
                        + log.source() + ": add a line " + id + "," + String.join(",", names(header, use)));
            }
            itemLabels.add(label);
        }
        return ofLabels(file.getFileName() + ":" + String.join("+", names(header, use)), itemLabels);
    }

    private static int[] featureColumns(Path file, List<String> header, int idColumn, List<String> columns) {
        List<Integer> use = new ArrayList<>();
        if (columns == null || columns.isEmpty()) {
            for (int c = 0; c < header.size(); c++) {
                if (c != idColumn) {
                    use.add(c);
                }
            }
        } else {
            for (String col : columns) {
                int c = header.indexOf(col.trim());
                if (c < 0 || c == idColumn) {
                    throw new UserInputException("--item-features " + file + " has no feature column " + col
                            + ": its columns are " + String.join(",", header));
                }
                use.add(c);
            }
        }
        if (use.isEmpty()) {
            throw new UserInputException("--item-features " + file + " has no feature column: give the header"
                    + " item_id,FEATURE");
        }
        return use.stream().mapToInt(Integer::intValue).toArray();
    }

    private static List<String> names(List<String> header, int[] columns) {
        List<String> out = new ArrayList<>();
        for (int c : columns) {
            out.add(header.get(c));
        }
        return out;
    }

    private static List<String> trimmed(List<String> fields) {
        List<String> out = new ArrayList<>(fields.size());
        for (String f : fields) {
            out.add(f.trim());
        }
        return out;
    }
}
