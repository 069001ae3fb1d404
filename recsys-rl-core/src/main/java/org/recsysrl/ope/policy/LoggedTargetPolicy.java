package org.recsysrl.ope.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.util.UserInputException;

/**
 * A target policy whose distribution at every logged row was written into the log itself, by the
 * process that logged it and knew the state: {@code recsys-rl log --target NAME} writes, on every
 * line, the field {@code target_probabilities} = {@code {"NAME": {"uniform": u, "items": {"i5": m,
 * ...}}}}, meaning π(a | row) = u / n + m_a (n the log's items, m_a the mass listed for a, 0 when
 * absent). This is how the platform's reference policies (the myopic oracle, budget-aware, ...),
 * which read the simulator's hidden state, can be evaluated on a JSON Lines log.
 */
public final class LoggedTargetPolicy implements TargetPolicy {
    private final String name;
    private final double[] uniform;
    private final int[][] items;
    private final double[][] masses;

    private LoggedTargetPolicy(String name, double[] uniform, int[][] items, double[][] masses) {
        this.name = name;
        this.uniform = uniform;
        this.items = items;
        this.masses = masses;
    }

    /**
     * Reads target {@code target}'s distributions from {@code file}, whose non-blank lines are the
     * rows of {@code log} (the same file, as read by {@link org.recsysrl.ope.FeedbackJsonl}).
     *
     * @throws UserInputException naming the line and the fix when a line lacks the target, its
     *     masses are not probabilities summing to 1, or it names an item outside the log
     */
    public static LoggedTargetPolicy read(Path file, String target, LoggedFeedback log, String name)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        int rows = log.rows();
        double[] uniform = new double[rows];
        int[][] items = new int[rows][];
        double[][] masses = new double[rows][];
        int row = 0;
        int lineNo = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                if (row >= rows) {
                    throw new UserInputException(file + " has more lines than the log it was read as");
                }
                JsonNode d = distributionOf(json.readTree(line).path("target_probabilities"), target, file, lineNo);
                readRow(d, target, log, file + " line " + lineNo + ": ", row, uniform, items, masses);
                row++;
            }
        }
        if (row != rows) {
            throw new UserInputException(file + " has " + row + " impressions with target distributions for a log of "
                    + rows + " rows");
        }
        return new LoggedTargetPolicy(name, uniform, items, masses);
    }

    /** Line lineNo's distribution of {@code target} in its field {@code all}; fails naming the targets it has. */
    private static JsonNode distributionOf(JsonNode all, String target, Path file, int lineNo) {
        JsonNode d = all.get(target);
        if (d == null || !d.isObject()) {
            Set<String> present = new LinkedHashSet<>();
            all.fieldNames().forEachRemaining(present::add);
            throw new UserInputException(file + " line " + lineNo + " has no distribution of target " + target
                    + (present.isEmpty() ? ": log it with recsys-rl log --target " + target
                            : "; the line has " + String.join(", ", present)));
        }
        return d;
    }

    /** Checks distribution d and stores it as row {@code row}; {@code where} (file and line) prefixes the messages. */
    private static void readRow(JsonNode d, String target, LoggedFeedback log, String where, int row,
            double[] uniform, int[][] items, double[][] masses) {
        double u = d.path("uniform").asDouble(0);
        List<Integer> a = new ArrayList<>();
        List<Double> m = new ArrayList<>();
        double sum = u;
        Iterator<Map.Entry<String, JsonNode>> it = d.path("items").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            int idx = log.itemIndex(e.getKey());
            if (idx < 0) {
                throw new UserInputException(where + "target " + target + " names item " + e.getKey()
                        + ", which is not in the log");
            }
            double v = e.getValue().asDouble(Double.NaN);
            if (!(v >= 0 && v <= 1)) {
                throw new UserInputException(where + "target " + target + "'s mass of " + e.getKey() + " is "
                        + e.getValue() + ", not in [0, 1]");
            }
            a.add(idx);
            m.add(v);
            sum += v;
        }
        if (!(u >= 0) || Math.abs(sum - 1) > 1e-6) {
            throw new UserInputException(where + "target " + target + "'s masses sum to " + sum
                    + ", not 1: write its whole distribution");
        }
        uniform[row] = u;
        items[row] = a.stream().mapToInt(Integer::intValue).toArray();
        masses[row] = m.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public double probability(LoggedFeedback log, int row, int position, int item) {
        double p = uniform[row] / log.numItems();
        for (int j = 0; j < items[row].length; j++) {
            if (items[row][j] == item) {
                p += masses[row][j];
            }
        }
        return p;
    }

    @Override
    public void distribution(LoggedFeedback log, int row, int position, double[] out) {
        java.util.Arrays.fill(out, 0, log.numItems(), uniform[row] / log.numItems());
        for (int j = 0; j < items[row].length; j++) {
            out[items[row][j]] += masses[row][j];
        }
    }

    @Override
    public void checkCompatible(LoggedFeedback log) {
        if (log.rows() != uniform.length) {
            throw new UserInputException("target " + name + " was read for a log of " + uniform.length + " rows, not "
                    + log.rows());
        }
    }
}
