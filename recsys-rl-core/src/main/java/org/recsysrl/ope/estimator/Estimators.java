package org.recsysrl.ope.estimator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.recsysrl.util.UserInputException;

/** The bandit and slate estimators by name. */
public final class Estimators {
    private static final Map<String, Supplier<Estimator<OpeInput>>> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put("dm", DirectMethod::new);
        BY_NAME.put("ips", InversePropensity::new);
        BY_NAME.put("snips", SelfNormalizedIps::new);
        BY_NAME.put("dr", DoublyRobust::new);
        BY_NAME.put("sndr", SelfNormalizedDoublyRobust::new);
        BY_NAME.put("switch-dr", SwitchDoublyRobust::new);
        BY_NAME.put("dros", OptimisticShrinkageDr::new);
        BY_NAME.put("mips", MarginalizedIps::new);
        BY_NAME.put("mdr", MarginalizedDoublyRobust::new);
        BY_NAME.put("iips", IndependentIps::new);
        BY_NAME.put("rips", RewardInteractionIps::new);
        BY_NAME.put("pi", PseudoInverse::new);
        BY_NAME.put("sips", SlateIps::new);
        BY_NAME.put("sdr", SlateDoublyRobust::new);
        BY_NAME.put("cascade-dr", CascadeDoublyRobust::new);
    }

    private Estimators() {
    }

    /** All names, one-step first. */
    public static List<String> names() {
        return new ArrayList<>(BY_NAME.keySet());
    }

    /** The one-step estimators' names. */
    public static List<String> oneStepNames() {
        return List.of("dm", "ips", "snips", "dr", "sndr", "switch-dr", "dros");
    }

    /** The slate estimators' names (the default set on slate logs is {@link #defaultSlateNames()}). */
    public static List<String> slateNames() {
        return List.of("iips", "rips", "pi", "sips", "sdr", "cascade-dr");
    }

    /** The slate estimators run by default on slate logs (no model, no slate propensity needed). */
    public static List<String> defaultSlateNames() {
        return List.of("iips", "rips", "pi");
    }

    /** Whether an estimator needs a reward model. */
    public static boolean needsModel(String name) {
        return List.of("dm", "dr", "sndr", "switch-dr", "dros", "sdr", "cascade-dr", "mdr").contains(name);
    }

    /** The marginalized estimators, which need a discrete item embedding ({@link ItemGroups}); not run by default. */
    public static List<String> marginalizedNames() {
        return List.of("mips", "mdr");
    }

    /** A new estimator by name; a user error for unknown names. */
    public static Estimator<OpeInput> byName(String name) {
        Supplier<Estimator<OpeInput>> s = BY_NAME.get(name.trim().toLowerCase(java.util.Locale.ROOT));
        if (s == null) {
            throw new UserInputException("--estimators " + name + ": unknown estimator; use some of "
                    + String.join(",", BY_NAME.keySet()));
        }
        return s.get();
    }
}
