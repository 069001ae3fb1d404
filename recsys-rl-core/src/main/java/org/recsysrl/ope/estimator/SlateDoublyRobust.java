package org.recsysrl.ope.estimator;

import org.recsysrl.ope.LoggedFeedback;

/**
 * Doubly robust for slates with an additive (per-position) reward, the DR counterpart of
 * {@link IndependentIps}:
 *
 * <pre>
 *   V̂_SDR = (1/n) Σ_i Σ_k [ v̂_k(x_i) + w_{i,k} (r_{i,k} − q̂(x_i, k, a_{i,k})) ],   v̂_k(x) = Σ_a π(a at k | x) q̂(x, k, a)
 * </pre>
 *
 * with a per-position reward model q̂ (the log's reward model fitted on every position's reward).
 * Unbiased under IIPS's assumption (a position's reward depends only on its own item) whatever the
 * model, with less variance when q̂ explains part of the reward. Needs per-position rewards; the
 * diagnostic weight of a row is the mean of its position weights.
 */
public final class SlateDoublyRobust implements Estimator<OpeInput> {
    @Override
    public String name() {
        return "sdr";
    }

    @Override
    public UnitTerms terms(OpeInput in) {
        SlateTerms.requirePositionRewards(in, name());
        LoggedFeedback log = in.log();
        double[] num = new double[log.rows()];
        double[] diag = new double[log.rows()];
        for (int r = 0; r < log.rows(); r++) {
            int s = log.slateStart(r);
            int len = log.slateLength(r);
            double v = 0;
            double wsum = 0;
            for (int k = 0; k < len; k++) {
                double w = in.entryWeight(s + k);
                v += in.entryQTarget(s + k) + w * (log.positionReward(r, k) - in.entryQLogged(s + k));
                wsum += w;
            }
            num[r] = v;
            diag[r] = wsum / len;
        }
        return UnitTerms.mean(num, diag);
    }
}
