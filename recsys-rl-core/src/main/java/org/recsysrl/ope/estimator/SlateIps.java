package org.recsysrl.ope.estimator;

import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.util.UserInputException;

/**
 * Slate-level IPS (the standard IPS with the whole slate as the action):
 *
 * <pre>
 *   V̂_SIPS = (1/n) Σ_i ( π(s_i | x_i) / μ(s_i | x_i) ) R_i
 * </pre>
 *
 * with μ(s_i | x_i) the logged {@code slate_propensity}, π(s_i | x_i) the target's probability of
 * the whole slate ({@link org.recsysrl.ope.policy.TargetPolicy#slateProbability}) and R_i the slate's
 * total reward. Unbiased for any reward whatever the interaction between positions, given full
 * support of slates; its weights are the largest of the slate estimators (they grow with the number
 * of slates). Needs the logged slate propensity on every row (for single items it is the item's).
 */
public final class SlateIps implements Estimator<OpeInput> {
    @Override
    public String name() {
        return "sips";
    }

    @Override
    public UnitTerms terms(OpeInput in) {
        LoggedFeedback log = in.log();
        double[] num = new double[log.rows()];
        double[] weight = new double[log.rows()];
        for (int r = 0; r < log.rows(); r++) {
            double mu = log.slateLength(r) == 1 && Double.isNaN(log.slatePropensity(r)) ? log.propensity(r, 0)
                    : log.slatePropensity(r);
            if (Double.isNaN(mu)) {
                throw new UserInputException(log.source() + " row " + (r + 1) + " has no slate_propensity: sips needs"
                        + " the logger's probability of the whole slate; use iips, rips or pi for per-position"
                        + " propensities");
            }
            weight[r] = in.target().slateProbability(log, r) / mu;
            num[r] = weight[r] * log.reward(r);
        }
        return UnitTerms.mean(num, weight);
    }
}
