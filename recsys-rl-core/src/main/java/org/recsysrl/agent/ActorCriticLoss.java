package org.recsysrl.agent;

import org.recsysrl.nn.Kernels;
import org.recsysrl.nn.PlackettLuce;

/**
 * The losses of PPO and A2C over one batch whose forward pass is in a workspace. Each method
 * writes dL/dlogits and dL/dV into the workspace (ready for {@link ActorCritic#backward}) and
 * returns nothing; the loss terms are accumulated into a {@link Terms}.
 *
 * <p>Shared parts, for a batch of size B: value loss {@code vf · mean((V − R)²)} with
 * {@code dL/dV_j = 2 vf (V_j − R_j) / B}; entropy bonus {@code −ent · mean(H)} with
 * {@code dL/dH_j = −ent / B}.
 *
 * <p><b>Slates</b> ({@code slate = K > 1}): row j's action is the slate
 * {@code actions[j·K .. j·K + K)} and log π(a|s) is its Plackett–Luce log-probability
 * ({@link PlackettLuce#logProb}), differentiated by {@link PlackettLuce#backward}. The entropy term
 * is the entropy H of π = softmax(logits), the distribution of the slate's first position (the
 * slate distribution's own entropy has no closed form).
 */
final class ActorCriticLoss {
    private ActorCriticLoss() {
    }

    /** Loss terms of one batch, for logging. */
    static final class Terms {
        double policyLoss;
        double valueLoss;
        double entropy;
        double approxKl;
        double clipFraction;

        void clear() {
            policyLoss = valueLoss = entropy = approxKl = clipFraction = 0;
        }

        /** Adds {@code other}'s terms to these (the sum of the shares of a data-parallel minibatch). */
        void add(Terms other) {
            policyLoss += other.policyLoss;
            valueLoss += other.valueLoss;
            entropy += other.entropy;
            approxKl += other.approxKl;
            clipFraction += other.clipFraction;
        }
    }

    /**
     * PPO's clipped surrogate: {@code L = −mean(min(ρA, clip(ρ, 1−ε, 1+ε)A)) + value + entropy terms},
     * ρ = exp(log π(a|s) − log π_old(a|s)). dL/dlog π(a) = −ρA/B where the unclipped term is the
     * minimum, 0 otherwise. With {@code clipValue}, the value term is
     * {@code max((V − R)², (V_old + clip(V − V_old, −ε, ε) − R)²)}.
     */
    static void ppo(ActorCritic.Workspace ws, int batch, int actionCount, int slate, int[] actions, float[] oldLogProbs,
            float[] advantages, float[] returns, float[] oldValues, double clipEps, boolean clipValue,
            double entCoef, double vfCoef, Terms terms) {
        ppoRows(ws, batch, 0, 1f / batch, actionCount, slate, actions, oldLogProbs, advantages, returns, oldValues,
                clipEps, clipValue, entCoef, vfCoef, terms);
    }

    /**
     * {@link #ppo} for one share of a minibatch: the workspace holds the forward pass of
     * {@code rows} rows, which are rows {@code first ..} of the minibatch whose arrays
     * ({@code actions}, {@code oldLogProbs}, …) are passed; every term and gradient is divided by
     * the whole minibatch's size through {@code invB}. Each thread of a data-parallel minibatch
     * calls it for its own rows; with {@code first = 0} and {@code invB = 1/rows} it is {@link #ppo}.
     */
    static void ppoRows(ActorCritic.Workspace ws, int rows, int first, float invB, int actionCount, int slate,
            int[] actions, float[] oldLogProbs, float[] advantages, float[] returns, float[] oldValues,
            double clipEps, boolean clipValue, double entCoef, double vfCoef, Terms terms) {
        float[] logp = ws.logProbs();
        float[] probs = ws.probs();
        float[] entropies = ws.entropies();
        float[] values = ws.values();
        float[] dLogits = ws.logitGrads();
        float[] dValues = ws.valueGrads();
        float lo = (float) (1 - clipEps);
        float hi = (float) (1 + clipEps);
        float gEntropy = (float) (-entCoef) * invB;
        for (int j = 0; j < rows; j++) {
            int row = j * actionCount;
            int k = first + j; // the row in the minibatch's arrays
            float entropy = entropies[j];
            float gLogp = ppoPolicyRow(logProb(logp, probs, row, actionCount, slate, actions, k), oldLogProbs[k],
                    advantages[k], entropy, lo, hi, clipEps, invB, terms);
            policyBackward(probs, logp, row, actionCount, slate, actions, k, gLogp, gEntropy, entropy, dLogits);
            dValues[j] = valueTerm(values[j], returns[k], oldValues == null ? 0f : oldValues[k], clipValue,
                    (float) clipEps, (float) vfCoef, invB, terms);
        }
    }

    /**
     * The policy part of one row of {@link #ppoRows}: adds the row's clipped surrogate, entropy,
     * approximate KL and clip indicator (each divided by the minibatch through {@code invB}) to
     * {@code terms} and returns dL/dlog π(a|s) of the row ({@code −ρA/B} where the unclipped term is
     * the minimum, else 0).
     *
     * @param logp log π(a|s) of the row's action under the current parameters
     * @param lo {@code 1 − ε} as a float
     * @param hi {@code 1 + ε} as a float
     */
    static float ppoPolicyRow(float logp, float oldLogp, float adv, float entropy, float lo, float hi,
            double clipEps, float invB, Terms terms) {
        float logRatio = logp - oldLogp;
        float ratio = (float) Math.exp(logRatio);
        float surr1 = ratio * adv;
        float surr2 = Math.min(Math.max(ratio, lo), hi) * adv;
        terms.policyLoss -= Math.min(surr1, surr2) * invB;
        float gLogp = surr1 <= surr2 ? -adv * ratio * invB : 0f;
        terms.entropy += entropy * invB;
        terms.approxKl += ((ratio - 1.0) - logRatio) * invB;
        if (Math.abs(ratio - 1f) > clipEps) {
            terms.clipFraction += invB;
        }
        return gLogp;
    }

    /**
     * A2C: {@code L = −mean(log π(a|s) · A) + value + entropy terms}; dL/dlog π(a) = −A/B.
     */
    static void a2c(ActorCritic.Workspace ws, int batch, int actionCount, int slate, int[] actions, float[] advantages,
            float[] returns, double entCoef, double vfCoef, Terms terms) {
        float[] logp = ws.logProbs();
        float[] probs = ws.probs();
        float[] entropies = ws.entropies();
        float[] values = ws.values();
        float[] dLogits = ws.logitGrads();
        float[] dValues = ws.valueGrads();
        float invB = 1f / batch;
        float gEntropy = (float) (-entCoef) * invB;
        for (int j = 0; j < batch; j++) {
            int row = j * actionCount;
            float adv = advantages[j];
            terms.policyLoss -= logProb(logp, probs, row, actionCount, slate, actions, j) * adv * invB;
            float entropy = entropies[j];
            terms.entropy += entropy * invB;
            policyBackward(probs, logp, row, actionCount, slate, actions, j, -adv * invB, gEntropy, entropy, dLogits);
            dValues[j] = valueTerm(values[j], returns[j], 0f, false, 0f, (float) vfCoef, invB, terms);
        }
    }

    /** log π of row j's action: its log-probability, or its slate's Plackett–Luce log-probability. */
    private static float logProb(float[] logp, float[] probs, int row, int actionCount, int slate, int[] actions,
            int j) {
        return slate == 1 ? logp[row + actions[j]]
                : (float) PlackettLuce.logProb(logp, row, actionCount, actions, j * slate, slate);
    }

    /**
     * Writes row j's dL/dlogits: {@code gLogp · ∂log π(a|s)/∂logits} plus the entropy term's
     * {@code gEntropy · ∂H/∂logits}.
     */
    private static void policyBackward(float[] probs, float[] logp, int row, int actionCount, int slate, int[] actions,
            int j, float gLogp, float gEntropy, float entropy, float[] dLogits) {
        if (slate == 1) {
            Kernels.categoricalBackward(probs, logp, row, actionCount, actions[j], gLogp, gEntropy, entropy, dLogits,
                    row);
        } else {
            Kernels.categoricalBackward(probs, logp, row, actionCount, -1, 0f, gEntropy, entropy, dLogits, row);
            PlackettLuce.backward(logp, row, actionCount, actions, j * slate, slate, gLogp, dLogits, row);
        }
    }

    /** Adds the value loss of one sample to {@code terms}; returns its dL/dV. */
    static float valueTerm(float v, float ret, float oldV, boolean clip, float eps, float vfCoef, float invB,
            Terms terms) {
        float err = v - ret;
        float sq = err * err;
        float grad = 2f * err;
        if (clip) {
            float delta = v - oldV;
            float clipped = oldV + Math.min(Math.max(delta, -eps), eps);
            float errClipped = clipped - ret;
            float sqClipped = errClipped * errClipped;
            if (sqClipped > sq) {
                sq = sqClipped;
                grad = (delta > -eps && delta < eps) ? 2f * errClipped : 0f;
            }
        }
        terms.valueLoss += sq * invB;
        return vfCoef * grad * invB;
    }
}
