package org.recsysrl.ope.sim;

import java.util.Locale;
import org.recsysrl.util.UserInputException;

/**
 * How a policy that picks one item (or slate) is made stochastic, so that its probabilities can be
 * logged: {@code none} (the policy as it is), {@code epsilon=E} (with probability E a uniformly random
 * item, or slate of distinct items, instead of the policy's choice) or {@code softmax:temperature=T}
 * (π(a) ∝ exp(log p(a) / T) over a checkpoint's own action probabilities p).
 *
 * @param kind {@code none}, {@code epsilon} or {@code softmax}
 * @param value ε in [0, 1], or the temperature T &gt; 0 (unused for {@code none})
 */
public record Exploration(String kind, double value) {
    /** The policy as it is. */
    public static final Exploration NONE = new Exploration("none", 0);

    /**
     * A slate checkpoint's own Plackett–Luce policy: K distinct actions drawn from its softmax one
     * position after the other (how {@code evaluate --sample} plays it). For the truth of on-policy
     * rollouts only ({@link GroundTruth}); {@link #parse} does not read it, since logging under it
     * would need its exact per-position marginals.
     */
    public static final Exploration PLACKETT_LUCE = new Exploration("plackett-luce", 1);

    /** ε-greedy with ε = {@code epsilon}. */
    public static Exploration epsilon(double epsilon) {
        return new Exploration("epsilon", epsilon);
    }

    /**
     * Parses {@code none}, {@code epsilon=E} or {@code softmax:temperature=T}.
     *
     * @param flag the option it came from, for the message
     * @throws UserInputException naming the forms it accepts
     */
    public static Exploration parse(String text, String flag) {
        String s = text == null ? "" : text.trim();
        try {
            if (s.equals("none")) {
                return NONE;
            }
            if (s.startsWith("epsilon=")) {
                double e = Double.parseDouble(s.substring("epsilon=".length()));
                if (!(e >= 0 && e <= 1)) {
                    throw new UserInputException(flag + " " + s + ": epsilon must be in [0, 1]");
                }
                return epsilon(e);
            }
            if (s.startsWith("softmax:temperature=")) {
                double t = Double.parseDouble(s.substring("softmax:temperature=".length()));
                if (!(t > 0) || Double.isInfinite(t)) {
                    throw new UserInputException(flag + " " + s + ": the temperature must be a positive number");
                }
                return new Exploration("softmax", t);
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new UserInputException(flag + " '" + s + "' is not an exploration: use epsilon=0.1,"
                + " softmax:temperature=1 (checkpoints) or none");
    }

    /** The form {@link #parse} reads. */
    @Override
    public String toString() {
        return switch (kind) {
            case "epsilon" -> "epsilon=" + fmt(value);
            case "softmax" -> "softmax:temperature=" + fmt(value);
            case "plackett-luce" -> "plackett-luce";
            default -> "none";
        };
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
