package org.recsysrl.ope.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.recsysrl.ope.FeedbackCsv;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.util.InputFiles;
import org.recsysrl.util.UserInputException;

/** Factories for the built-in target policies. */
public final class Policies {
    private Policies() {
    }

    /**
     * Uniformly random over all items of {@code log} (its catalog when it has one) at each of its
     * positions: π(a | x, k) = 1 / numItems.
     */
    public static ContextFreePolicy uniform(LoggedFeedback log, String name) {
        Map<String, Double> m = new LinkedHashMap<>();
        double p = 1.0 / log.numItems();
        for (String id : log.itemIds()) {
            m.put(id, p);
        }
        List<Map<String, Double>> byPos = new ArrayList<>();
        for (int k = 0; k < Math.max(1, log.numPositions()); k++) {
            byPos.add(m);
        }
        return new ContextFreePolicy(name, byPos);
    }

    /**
     * The empirical per-position distribution of what {@code source} showed: π(a | k) = (number of
     * rows of {@code source} showing a at position k) / (number of rows with position k). This is how
     * a context-free logging policy (e.g. the Open Bandit Dataset's Bernoulli Thompson Sampling) is
     * turned into a target when only its log is available; it averages the policy over the log's time
     * span, so a policy that changed over time is replaced by its time-average.
     */
    public static ContextFreePolicy empirical(LoggedFeedback source, String name) {
        int positions = source.numPositions();
        double[][] counts = new double[positions][source.numItems()];
        double[] totals = new double[positions];
        for (int r = 0; r < source.rows(); r++) {
            for (int k = 0; k < source.slateLength(r); k++) {
                int pos = source.position(r) + k;
                counts[pos][source.item(r, k)]++;
                totals[pos]++;
            }
        }
        List<Map<String, Double>> byPos = new ArrayList<>();
        for (int pos = 0; pos < positions; pos++) {
            if (totals[pos] == 0) {
                byPos.add(null);
                continue;
            }
            Map<String, Double> m = new LinkedHashMap<>();
            for (int a = 0; a < source.numItems(); a++) {
                if (counts[pos][a] > 0) {
                    m.put(source.itemIds().get(a), counts[pos][a] / totals[pos]);
                }
            }
            byPos.add(m);
        }
        return new ContextFreePolicy(name, byPos);
    }

    /**
     * Most-popular, the classic non-personalised baseline as a deterministic target: at each position
     * k, the item with the largest total reward among the rows of {@code source} that showed it at k
     * (ties to the item listed first in the log), shown with probability 1: π(a | k) = 1 for that item.
     * Positions the source never fills are left out (the policy has no action there). Its IPS
     * estimate is the mean of r / p over the rows that logged exactly that item, times their share, so
     * it needs the logger to show the popular item often enough (see the effective sample size).
     */
    public static ContextFreePolicy popular(LoggedFeedback source, String name) {
        int positions = Math.max(1, source.numPositions());
        double[][] totals = new double[positions][source.numItems()];
        boolean[][] shown = new boolean[positions][source.numItems()];
        for (int r = 0; r < source.rows(); r++) {
            for (int k = 0; k < source.slateLength(r); k++) {
                int pos = source.position(r) + k;
                int item = source.item(r, k);
                double reward = source.hasPositionRewards(r) ? source.positionReward(r, k)
                        : (source.slateLength(r) == 1 ? source.reward(r) : 0.0);
                totals[pos][item] += reward;
                shown[pos][item] = true;
            }
        }
        List<Map<String, Double>> byPos = new ArrayList<>();
        for (int pos = 0; pos < positions; pos++) {
            int best = -1;
            for (int a = 0; a < source.numItems(); a++) {
                if (shown[pos][a] && (best < 0 || totals[pos][a] > totals[pos][best])) {
                    best = a;
                }
            }
            if (best < 0) {
                byPos.add(null);
            } else {
                Map<String, Double> m = new LinkedHashMap<>();
                m.put(source.itemIds().get(best), 1.0);
                byPos.add(m);
            }
        }
        return new ContextFreePolicy(name, byPos);
    }

    /**
     * A context-free policy read from a CSV table with the header {@code item_id,position,probability}
     * (positions counted from 0; pairs not listed have probability 0). Each listed position's
     * probabilities must sum to 1 within 1e-6.
     */
    public static ContextFreePolicy table(Path file, String name) throws IOException {
        List<String> lines = readTableLines(file);
        List<Map<String, Double>> byPos = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String where = "policy table " + file + " line " + (i + 1) + ": ";
            addTableRow(byPos, FeedbackCsv.split(lines.get(i), ','), where);
        }
        if (byPos.isEmpty()) {
            throw new UserInputException("policy table " + file + " has no rows");
        }
        checkTableSums(file, byPos);
        return new ContextFreePolicy(name, byPos);
    }

    /** The table's lines, after checking the file exists and starts with the expected header. */
    private static List<String> readTableLines(Path file) throws IOException {
        switch (InputFiles.kind(file)) {
            case MISSING -> throw new UserInputException("policy table " + file + " does not exist: check the path");
            case DIRECTORY, SPECIAL -> throw new UserInputException("policy table " + file + " is not a regular file");
            default -> {
            }
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !FeedbackCsv.split(lines.get(0).trim(), ',').equals(
                List.of("item_id", "position", "probability"))) {
            throw new UserInputException("policy table " + file + " must start with the header"
                    + " item_id,position,probability");
        }
        return lines;
    }

    /** Checks one row's fields ({@code where} prefixes the messages) and records its probability. */
    private static void addTableRow(List<Map<String, Double>> byPos, List<String> f, String where) {
        if (f.size() != 3) {
            throw new UserInputException(where + "expected item_id,position,probability");
        }
        int pos;
        double p;
        try {
            pos = Integer.parseInt(f.get(1).trim());
            p = Double.parseDouble(f.get(2).trim());
        } catch (NumberFormatException e) {
            throw new UserInputException(where + "position must be an integer and probability a number");
        }
        if (pos < 0 || pos > 10_000) {
            throw new UserInputException(where + "position " + pos + " out of range: positions count from 0");
        }
        if (!(p >= 0 && p <= 1)) {
            throw new UserInputException(where + "probability " + p + " is not in [0, 1]");
        }
        while (byPos.size() <= pos) {
            byPos.add(null);
        }
        if (byPos.get(pos) == null) {
            byPos.set(pos, new LinkedHashMap<>());
        }
        if (byPos.get(pos).put(f.get(0).trim(), p) != null) {
            throw new UserInputException(where + "item " + f.get(0).trim() + " at position " + pos
                    + " is listed twice");
        }
    }

    /** Fails unless each listed position's probabilities sum to 1 within 1e-6. */
    private static void checkTableSums(Path file, List<Map<String, Double>> byPos) {
        for (int pos = 0; pos < byPos.size(); pos++) {
            if (byPos.get(pos) == null) {
                continue;
            }
            double sum = byPos.get(pos).values().stream().mapToDouble(Double::doubleValue).sum();
            if (Math.abs(sum - 1) > 1e-6) {
                throw new UserInputException("policy table " + file + ": probabilities at position " + pos
                        + " sum to " + sum + ", not 1: fix the table");
            }
        }
    }
}
