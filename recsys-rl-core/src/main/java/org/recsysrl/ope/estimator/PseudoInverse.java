package org.recsysrl.ope.estimator;

import org.recsysrl.ope.LoggedFeedback;

/**
 * Pseudo-inverse estimator (PI, Swaminathan et al. 2017) for slate rewards that are additive over
 * positions (the total reward is a sum of unknown per-(item, position) contributions). When the
 * logger fills positions independently, its pseudo-inverse weight reduces to
 *
 * <pre>
 *   V̂_PI = (1/n) Σ_i ( Σ_{k=1..L_i} w_{i,k} − L_i + 1 ) R_i
 * </pre>
 *
 * with R_i the slate's total reward and w_{i,k} the per-position marginal weights. Only the total
 * reward is needed. The row weight may be negative; the diagnostics use it as it is. On a one-step
 * log it equals IPS.
 */
public final class PseudoInverse implements Estimator<OpeInput> {
    @Override
    public String name() {
        return "pi";
    }

    @Override
    public UnitTerms terms(OpeInput in) {
        LoggedFeedback log = in.log();
        double[] num = new double[log.rows()];
        double[] diag = new double[log.rows()];
        for (int r = 0; r < log.rows(); r++) {
            int s = log.slateStart(r);
            int len = log.slateLength(r);
            double g = 1 - len;
            for (int k = 0; k < len; k++) {
                g += in.entryWeight(s + k);
            }
            num[r] = g * log.reward(r);
            diag[r] = g;
        }
        return UnitTerms.mean(num, diag);
    }
}
