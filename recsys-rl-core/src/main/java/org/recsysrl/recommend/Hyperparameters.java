package org.recsysrl.recommend;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One point of a model's hyperparameter grid: named numbers, in a fixed order.
 *
 * @param values name → value, in the order they are reported
 */
public record Hyperparameters(Map<String, Double> values) {
    /** No hyperparameters. */
    public static final Hyperparameters NONE = new Hyperparameters(Map.of());

    public Hyperparameters {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Hyperparameters from alternating names and values, e.g. {@code of("k", 50, "shrink", 10)}. */
    public static Hyperparameters of(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must alternate");
        }
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], ((Number) namesAndValues[i + 1]).doubleValue());
        }
        return new Hyperparameters(m);
    }

    /**
     * The value of {@code name}.
     *
     * @throws IllegalArgumentException if there is none
     */
    public double get(String name) {
        Double v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no hyperparameter " + name + " in " + this);
        }
        return v;
    }

    /** The value of {@code name} as an int. */
    public int getInt(String name) {
        return (int) Math.round(get(name));
    }

    /** E.g. {@code k=50 shrink=10}, or {@code -} when there are none. */
    @Override
    public String toString() {
        if (values.isEmpty()) {
            return "-";
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Double> e : values.entrySet()) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            double v = e.getValue();
            sb.append(e.getKey()).append('=').append(v == Math.rint(v) && Math.abs(v) < 1e15
                    ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4g", v));
        }
        return sb.toString();
    }
}
