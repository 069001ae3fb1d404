package org.recsysrl.ope.estimator;

/**
 * The doubly robust form of {@link MarginalizedIps} (marginalized DR; the form of OffCEM, Saito, Yao
 * and Joachims, ICML 2023):
 *
 * <pre>
 *   V̂_MDR = (1/n) Σ_i [ v̂(x_i) + w(e_i | x_i) (r_i − q̂(x_i, a_i)) ],   v̂(x) = Σ_a π(a | x) q̂(x, a),
 *   w(e | x) = p(e | x, π) / p(e | x, μ)
 * </pre>
 *
 * The model carries the part of the reward that differs between items of one group; the marginal
 * weights correct only the residual r − q̂. Its bias is per context
 * Σ_e p(e | x, π) (E_{μ(a | x, e)} − E_{π(a | x, e)})[q(x, a) − q̂(x, a)]: zero whenever the model's error
 * q − q̂ depends on the item only through e(a), whatever the reward (with q̂ = 0 that is MIPS's
 * condition; a model that varies within a group where the reward does not brings a bias of its own).
 * One-step logs only.
 */
public final class MarginalizedDoublyRobust implements Estimator<OpeInput> {
    @Override
    public String name() {
        return "mdr";
    }

    @Override
    public UnitTerms terms(OpeInput in) {
        double[] w = in.marginalWeights();
        return UnitTerms.mean(DoublyRobust.rowTerms(in, w), w, in.itemGroups().note());
    }
}
