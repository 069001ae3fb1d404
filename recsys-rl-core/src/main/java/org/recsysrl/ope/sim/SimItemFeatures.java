package org.recsysrl.ope.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.recsysrl.ope.estimator.ItemGroups;
import org.recsysrl.setup.Setup;
import org.recsysrl.util.UserInputException;

/**
 * A platform environment's item features as a discrete embedding e(a) for the marginalized
 * estimators: the features the platform publishes for its items (the columns of
 * {@link Setup#itemEmbeddings()}), by name. {@code short-video}: {@code topic} and {@code length}
 * (minutes); {@code e-commerce}: {@code category} and {@code price}; {@code education}: {@code skill}
 * and {@code level}; {@code long-video}: {@code genre} and {@code length}; {@code social-feed}:
 * {@code type} and {@code length}; on every platform {@code item} (each item its own group, which turns MIPS into
 * IPS). A spec joins features with {@code +}; a numeric feature is cut into B bins of equally many
 * items with {@code NAME:B} (default 4), e.g. {@code topic+length:2}; a categorical one (a one-hot
 * block) into B runs of adjacent values with {@code NAME:B} (default: every value its own group), e.g.
 * {@code skill+level:5} puts levels 0–1, 2–3, … of a skill together.
 */
public final class SimItemFeatures {
    private SimItemFeatures() {
    }

    /** One published feature: columns [from, to) of the item features; a one-hot block when wider than 1. */
    private record Feature(int from, int to) {
        boolean oneHot() {
            return to - from > 1;
        }
    }

    /** The embedding {@code spec} on {@code platform}'s items (one group per item index = action). */
    public static ItemGroups of(String platform, Setup setup, String spec) {
        Map<String, Feature> features = features(platform, setup);
        int n = setup.actionCount();
        String[] labels = new String[n];
        Arrays.fill(labels, "");
        for (String part : spec.split("\\+")) {
            String[] nameAndBins = part.trim().split(":", 2);
            String name = nameAndBins[0];
            String[] values;
            if (name.equals("item")) {
                values = new String[n];
                for (int a = 0; a < n; a++) {
                    values[a] = "i" + a;
                }
            } else {
                Feature f = features.get(name);
                if (f == null) {
                    throw new UserInputException("--item-features " + spec + ": " + platform + " has no item feature "
                            + name + "; use some of " + String.join(", ", features.keySet()) + ", item (joined by +)");
                }
                values = f.oneHot() ? oneHotValues(setup, f, nameAndBins.length == 1 ? f.to() - f.from()
                        : bins(spec, nameAndBins)) : binnedValues(setup, f, bins(spec, nameAndBins));
            }
            for (int a = 0; a < n; a++) {
                labels[a] += (labels[a].isEmpty() ? "" : "|") + name + "=" + values[a];
            }
        }
        return ItemGroups.ofLabels(spec, List.of(labels));
    }

    /** The names of {@code platform}'s published item features, in column order (empty: only {@code item}). */
    public static List<String> names(String platform, Setup setup) {
        return setup.slateSize() > 1 || setup.itemEmbeddings() == null ? List.of()
                : List.copyOf(features(platform, setup).keySet());
    }

    /**
     * {@code platform}'s published item features as the CSV that {@code ope --item-features} reads:
     * the header {@code item_id} and {@link #names}, then one line per item with the id the written
     * logs use ({@link SimLog#itemId}), a one-hot feature as the index of its hot column within its
     * block (the group {@link #of} gives it without bins) and a numeric one as its value.
     *
     * @throws IllegalArgumentException when the platform names no features
     */
    public static String csv(String platform, Setup setup) {
        List<String> names = names(platform, setup);
        if (names.isEmpty()) {
            throw new IllegalArgumentException(platform + " names no item features");
        }
        Map<String, Feature> features = features(platform, setup);
        int n = setup.actionCount();
        String[][] columns = new String[names.size()][];
        for (int c = 0; c < columns.length; c++) {
            Feature f = features.get(names.get(c));
            columns[c] = f.oneHot() ? oneHotValues(setup, f, f.to() - f.from()) : rawValues(setup, f);
        }
        StringBuilder out = new StringBuilder("item_id,").append(String.join(",", names)).append('\n');
        for (int a = 0; a < n; a++) {
            out.append(SimLog.itemId(a));
            for (String[] column : columns) {
                out.append(',').append(column[a]);
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** Every item's value of the numeric feature {@code f}, as {@link Float#toString} writes it. */
    private static String[] rawValues(Setup setup, Feature f) {
        float[] x = setup.itemEmbeddings();
        String[] out = new String[setup.actionCount()];
        for (int a = 0; a < out.length; a++) {
            out[a] = Float.toString(x[a * setup.itemDim() + f.from()]);
        }
        return out;
    }

    /** The named features of {@code platform}'s published item features. */
    private static Map<String, Feature> features(String platform, Setup setup) {
        int dim = setup.itemDim();
        Map<String, Feature> out = new LinkedHashMap<>();
        switch (platform) {
            case "short-video" -> {
                out.put("topic", new Feature(0, dim - 1));
                out.put("length", new Feature(dim - 1, dim));
            }
            case "e-commerce" -> {
                out.put("category", new Feature(0, dim - 1));
                out.put("price", new Feature(dim - 1, dim));
            }
            case "long-video" -> {
                out.put("genre", new Feature(0, dim - 1));
                out.put("length", new Feature(dim - 1, dim));
            }
            case "social-feed" -> {
                out.put("type", new Feature(0, dim - 1));
                out.put("length", new Feature(dim - 1, dim));
            }
            case "education" -> {
                // [skill one-hot | level one-hot]: item 0 (skill 0, level 0) is hot at 0 and at the level block's start
                int skills = secondHotColumn(setup);
                out.put("skill", new Feature(0, skills));
                out.put("level", new Feature(skills, dim));
            }
            default -> {
                // no named features: only "item"
            }
        }
        return out;
    }

    /** The second column of item 0's features that is not 0. */
    private static int secondHotColumn(Setup setup) {
        float[] x = setup.itemEmbeddings();
        int seen = 0;
        for (int c = 0; c < setup.itemDim(); c++) {
            if (x[c] != 0 && ++seen == 2) {
                return c;
            }
        }
        throw new IllegalStateException("item 0's features have fewer than two hot columns");
    }

    private static int bins(String spec, String[] nameAndBins) {
        if (nameAndBins.length == 1) {
            return 4;
        }
        try {
            int b = Integer.parseInt(nameAndBins[1].trim());
            if (b >= 1) {
                return b;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new UserInputException("--item-features " + spec + ": " + nameAndBins[1] + " is not a number of bins;"
                + " write NAME:B with B >= 1, e.g. length:4");
    }

    /**
     * The index of the hot column of every item's block, cut into {@code bins} runs of adjacent
     * indices (the block's width: no cut), for ordered blocks such as education's levels.
     */
    private static String[] oneHotValues(Setup setup, Feature f, int bins) {
        float[] x = setup.itemEmbeddings();
        int dim = setup.itemDim();
        String[] out = new String[setup.actionCount()];
        for (int a = 0; a < out.length; a++) {
            int best = f.from();
            for (int c = f.from(); c < f.to(); c++) {
                if (x[a * dim + c] > x[a * dim + best]) {
                    best = c;
                }
            }
            int width = f.to() - f.from();
            out[a] = Integer.toString((int) ((long) (best - f.from()) * Math.min(bins, width) / width));
        }
        return out;
    }

    /** Bin 0..B−1 of every item by the rank of its value (ties broken by item index). */
    private static String[] binnedValues(Setup setup, Feature f, int bins) {
        float[] x = setup.itemEmbeddings();
        int dim = setup.itemDim();
        int n = setup.actionCount();
        List<Integer> order = new ArrayList<>(n);
        for (int a = 0; a < n; a++) {
            order.add(a);
        }
        order.sort(Comparator.comparingDouble((Integer a) -> x[a * dim + f.from()]).thenComparingInt(a -> a));
        String[] out = new String[n];
        for (int rank = 0; rank < n; rank++) {
            out[order.get(rank)] = String.format(Locale.ROOT, "%d/%d", (long) rank * bins / n, bins);
        }
        return out;
    }
}
