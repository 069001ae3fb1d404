package org.recsysrl.ope;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.recsysrl.util.UserInputException;

/**
 * Which columns of a CSV log hold what, set through {@code ope.csv.*} settings. Every CSV row is one
 * impression of one item. The Open Bandit Dataset, for example, is read with {@code
 * ope.csv.reward=click ope.csv.position=position ope.csv.position_base=1
 * ope.csv.context=user-item_affinity_*} (item and propensity use the defaults).
 *
 * @param item         column of the shown item id ({@code ope.csv.item}, default {@code item_id})
 * @param propensity   column of the logging propensity ({@code ope.csv.propensity}, default
 *                     {@code propensity_score})
 * @param reward       column of the reward ({@code ope.csv.reward}, default {@code reward})
 * @param position     column of the position, or empty ({@code ope.csv.position})
 * @param positionBase the number of the first position in that column ({@code ope.csv.position_base},
 *                     default 0; the Open Bandit Dataset counts from 1)
 * @param context      numeric context columns: names, or prefixes ending in {@code *}, separated by
 *                     {@code ;} or {@code ,} ({@code ope.csv.context}, default none)
 * @param time         column of the time, or empty ({@code ope.csv.time})
 * @param user         column of the user id, or empty ({@code ope.csv.user})
 * @param session      column of the session id, or empty ({@code ope.csv.session})
 * @param step         column of the step within the session, or empty ({@code ope.csv.step})
 * @param requestId    column of the request id, or empty ({@code ope.csv.request_id})
 * @param delimiter    field separator ({@code ope.csv.delimiter}: {@code ,} default, {@code tab} or
 *                     {@code ;})
 */
public record CsvColumns(String item, String propensity, String reward, String position, int positionBase,
        List<String> context, String time, String user, String session, String step, String requestId,
        char delimiter) {

    /** The setting keys understood, with their defaults ("" for none). */
    public static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> m = new TreeMap<>();
        m.put("ope.csv.item", "item_id");
        m.put("ope.csv.propensity", "propensity_score");
        m.put("ope.csv.reward", "reward");
        m.put("ope.csv.position", "");
        m.put("ope.csv.position_base", "0");
        m.put("ope.csv.context", "");
        m.put("ope.csv.time", "");
        m.put("ope.csv.user", "");
        m.put("ope.csv.session", "");
        m.put("ope.csv.step", "");
        m.put("ope.csv.request_id", "");
        m.put("ope.csv.delimiter", ",");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Column settings from {@code ope.csv.*} entries of {@code settings} (other keys are ignored). */
    public static CsvColumns fromSettings(Map<String, String> settings) {
        Map<String, String> s = new TreeMap<>(DEFAULTS);
        if (settings != null) {
            for (Map.Entry<String, String> e : settings.entrySet()) {
                if (e.getKey().startsWith("ope.csv.")) {
                    if (!DEFAULTS.containsKey(e.getKey())) {
                        throw new UserInputException("unknown setting " + e.getKey() + ": use one of "
                                + String.join(", ", DEFAULTS.keySet()));
                    }
                    s.put(e.getKey(), e.getValue().trim());
                }
            }
        }
        int base;
        try {
            base = Integer.parseInt(s.get("ope.csv.position_base"));
        } catch (NumberFormatException e) {
            throw new UserInputException("ope.csv.position_base=" + s.get("ope.csv.position_base")
                    + " is not an integer: give the number of the first position (0 or 1)");
        }
        char delim = switch (s.get("ope.csv.delimiter")) {
            case ",", "" -> ',';
            case "tab", "\\t" -> '\t';
            case ";" -> ';';
            default -> throw new UserInputException("ope.csv.delimiter=" + s.get("ope.csv.delimiter")
                    + ": use , or ; or tab");
        };
        List<String> ctx = new ArrayList<>();
        for (String c : s.get("ope.csv.context").split("[;,]")) {
            if (!c.isBlank()) {
                ctx.add(c.trim());
            }
        }
        for (String required : List.of("ope.csv.item", "ope.csv.propensity", "ope.csv.reward")) {
            if (s.get(required).isEmpty()) {
                throw new UserInputException(required + " is empty: name the CSV column that holds it");
            }
        }
        return new CsvColumns(s.get("ope.csv.item"), s.get("ope.csv.propensity"), s.get("ope.csv.reward"),
                s.get("ope.csv.position"), base, List.copyOf(ctx), s.get("ope.csv.time"), s.get("ope.csv.user"),
                s.get("ope.csv.session"), s.get("ope.csv.step"), s.get("ope.csv.request_id"), delim);
    }
}
