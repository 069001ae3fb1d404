package org.recsysrl.learn;

/**
 * The per-row losses of learning a softmax policy π(·|x) = softmax(z(x)) from logged bandit
 * feedback, with their gradients with respect to the logits z. Row i showed action a_i with
 * logging propensity p_i and got reward r_i; w_i = π(a_i|x_i) / p_i. A batch's loss is the mean of
 * its rows' losses, so each row's gradient is written scaled by 1 / batch.
 *
 * <ul>
 *   <li><b>BanditNet</b> (Joachims, Swaminathan and de Rijke, ICLR 2018): the λ-translated IPS
 *       loss L_i = (λ − r_i)·w_i (with rewards; the paper's losses are δ = −r). Minimising its mean
 *       for the λ whose solution has Σ_i w_i / n ≈ 1 is minimising the self-normalised IPS
 *       estimate −Σ w_i r_i / Σ w_i; λ is chosen on held-out rows by SNIPS.
 *       ∂L_i/∂z_j = (λ − r_i)/p_i · π(a_i)(1[j = a_i] − π(j)).</li>
 *   <li><b>Doubly robust</b>: L_i = −[Σ_a π(a|x_i) q̂(x_i, a) + w_i (r_i − q̂(x_i, a_i))], minus the
 *       row's DR value estimate with a reward model q̂ (the direct method's value plus the IPS
 *       correction of the model's error at the logged action).
 *       ∂L_i/∂z_j = −[π(j)(q̂_j − v̂_i) + c_i π(a_i)(1[j = a_i] − π(j))], v̂_i = Σ_a π(a) q̂_a,
 *       c_i = (r_i − q̂_{a_i}) / p_i.</li>
 * </ul>
 */
public final class BanditObjectives {
    private BanditObjectives() {
    }

    /**
     * The BanditNet loss of one row, (λ − r)·π(a)/p, with {@code scale} × its gradient written to
     * {@code grad[gradOffset .. gradOffset + n)}.
     *
     * @param probs π(·|x) of the row, from {@code offset}, {@code n} actions
     */
    public static double banditNet(double[] probs, int offset, int n, int action, double reward, double propensity,
            double lambda, float[] grad, int gradOffset, double scale) {
        double pa = probs[offset + action];
        double coef = (lambda - reward) / propensity;
        double common = scale * coef * pa;
        for (int j = 0; j < n; j++) {
            grad[gradOffset + j] = (float) (-common * probs[offset + j]);
        }
        grad[gradOffset + action] += (float) common;
        return coef * pa;
    }

    /**
     * The doubly robust loss of one row, −[Σ_a π(a) q̂_a + (r − q̂_{a_i})·π(a_i)/p], with
     * {@code scale} × its gradient written to {@code grad[gradOffset .. gradOffset + n)}.
     *
     * @param q the reward model's q̂(x, a) for every action, from {@code qOffset}
     */
    public static double doublyRobust(double[] probs, int offset, int n, int action, double reward, double propensity,
            double[] q, int qOffset, float[] grad, int gradOffset, double scale) {
        double v = 0;
        for (int j = 0; j < n; j++) {
            v += probs[offset + j] * q[qOffset + j];
        }
        double pa = probs[offset + action];
        double c = (reward - q[qOffset + action]) / propensity;
        for (int j = 0; j < n; j++) {
            double pj = probs[offset + j];
            grad[gradOffset + j] = (float) (-scale * (pj * (q[qOffset + j] - v) - c * pa * pj));
        }
        grad[gradOffset + action] += (float) (-scale * c * pa);
        return -(v + c * pa);
    }
}
