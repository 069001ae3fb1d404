package org.recsysrl.ope.estimator;

/**
 * Self-normalised doubly robust (SNDR): DR with the correction term normalised by the sum of weights:
 *
 * <pre>
 *   V̂_SNDR = (1/n) Σ_i v̂(x_i) + Σ_i w_i (r_i − q̂(x_i, a_i)) / Σ_i w_i
 * </pre>
 *
 * Written as two components of {@link UnitTerms}: the model term (a plain mean) and the correction
 * (a ratio). One-step logs only.
 */
public final class SelfNormalizedDoublyRobust implements Estimator<OpeInput> {
    @Override
    public String name() {
        return "sndr";
    }

    @Override
    public UnitTerms terms(OpeInput in) {
        double[] w = in.weights();
        double[] q = in.qLogged();
        double[] v = in.qTarget();
        int n = w.length;
        double[] num = new double[2 * n];
        double[] den = new double[2 * n];
        for (int i = 0; i < n; i++) {
            num[2 * i] = v[i];
            den[2 * i] = 1.0;
            num[2 * i + 1] = w[i] * (in.log().reward(i) - q[i]);
            den[2 * i + 1] = w[i];
        }
        return new UnitTerms(n, 2, num, den, w, null);
    }
}
