package org.recsysrl.ope.estimator;

import java.util.ArrayList;
import java.util.List;

/**
 * An estimate written as per-unit terms: with units u = 0..n-1 and components c = 0..C-1,
 *
 * <pre>
 *   estimate = Σ_c ( Σ_u numerator[u][c] / Σ_u denominator[u][c] )
 * </pre>
 *
 * where a missing denominator means 1 per unit (a plain mean). IPS is one component with
 * numerator w·r; SNIPS adds the denominator w; SNDR has two components (the model term, a plain
 * mean, and the self-normalised correction); per-decision weighted IS uses one component per step.
 * The bootstrap resamples units and recomputes this formula, so estimators never implement their
 * own intervals.
 *
 * @param units       number of units n
 * @param components  number of components C
 * @param numerator   n·C values, unit-major ({@code numerator[u*C + c]})
 * @param denominator n·C values, or {@code null} for 1 everywhere
 * @param weights     the importance weights that drive the estimate, for the diagnostics (effective
 *                    sample size, largest weight); {@code null} when none (the direct method)
 * @param notes       plain remarks for the report (e.g. a tuned hyperparameter)
 */
public record UnitTerms(int units, int components, double[] numerator, double[] denominator, double[] weights,
        List<String> notes) {

    /** Checks the shapes. */
    public UnitTerms {
        if (numerator.length != (long) units * components) {
            throw new IllegalArgumentException("numerator length " + numerator.length + " != " + units + "*" + components);
        }
        if (denominator != null && denominator.length != numerator.length) {
            throw new IllegalArgumentException("denominator length differs from numerator length");
        }
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** A plain mean of one value per unit. */
    public static UnitTerms mean(double[] values, double[] weights, String... notes) {
        return new UnitTerms(values.length, 1, values, null, weights, List.of(notes));
    }

    /** A ratio Σ num / Σ den with one value each per unit. */
    public static UnitTerms ratio(double[] num, double[] den, double[] weights, String... notes) {
        return new UnitTerms(num.length, 1, num, den, weights, List.of(notes));
    }

    /** The estimate on all units. */
    public double estimate() {
        double total = 0;
        for (int c = 0; c < components; c++) {
            double num = 0;
            double den = 0;
            for (int u = 0; u < units; u++) {
                num += numerator[u * components + c];
                den += denominator == null ? 1.0 : denominator[u * components + c];
            }
            total += num / den;
        }
        return total;
    }

    /** These terms with one more note. */
    public UnitTerms withNote(String note) {
        List<String> n = new ArrayList<>(notes);
        n.add(note);
        return new UnitTerms(units, components, numerator, denominator, weights, n);
    }
}
