package org.recsysrl.learn;

import org.recsysrl.agent.ActorCritic;
import org.recsysrl.ope.model.RidgeRewardModel;
import org.recsysrl.util.UserInputException;

/**
 * A slate log for {@link OffPolicyLearner}'s training loop: the per-position losses of
 * {@link SlateObjectives} on the exact Plackett–Luce marginals of the policy, and the estimates of
 * the slate's value (the sum of its positions' rewards) under the independence assumption, as
 * {@code ope}'s {@code iips} makes them: IPS (IIPS), self-normalised per position (SNIPS), and DR
 * with a per-position ridge reward model.
 */
record SlateFeedback(LoggedSlates log) implements OffPolicyLearner.Feedback {
    /** Refuses a model that does not read {@code data}'s contexts, actions and slate size, or whose slates are too many. */
    static void requireFits(ActorCritic model, LoggedSlates data) {
        if (model.actionCount() != data.actionCount() || model.observationSize() != data.contextDim()
                || model.slateSize() != data.slateSize()) {
            throw new IllegalArgumentException("model of " + model.observationSize() + " inputs, "
                    + model.actionCount() + " actions, slates of " + model.slateSize() + " for a log of "
                    + data.contextDim() + " features, " + data.actionCount() + " actions, slates of " + data.slateSize());
        }
        if (model.historyLength() > 0) {
            throw new UserInputException("the off-policy learner trains a policy over the observation: set"
                    + " model.history_length=0 (no item history)");
        }
        long slates = SlateObjectives.slateCount(data.actionCount(), data.slateSize());
        if (slates > SlateObjectives.MAX_SLATES) {
            throw new UserInputException("slates of " + data.slateSize() + " from " + data.actionCount() + " actions are "
                    + slates + " ordered slates, more than the " + SlateObjectives.MAX_SLATES + " the exact marginals"
                    + " enumerate per row: the slate learner supports small slates (e.g. interest-evolution's 3 of 10)");
        }
    }

    @Override
    public OffPolicyLearner.Objectives fit(boolean[] include, double ridge) {
        return new Fitted(log, RewardModel.fit(log, include, ridge));
    }

    /** The per-position reward model q̂(x, k, a): the ridge fit, or the position's training mean for actions never logged. */
    static final class RewardModel {
        private final LoggedSlates data;
        private final RidgeRewardModel model;
        private final double[] fallback;

        private RewardModel(LoggedSlates data, RidgeRewardModel model, double[] fallback) {
            this.data = data;
            this.model = model;
            this.fallback = fallback;
        }

        static RewardModel fit(LoggedSlates data, boolean[] include, double ridge) {
            int k = data.slateSize();
            double[] mean = new double[k];
            int count = 0;
            for (int r = 0; r < data.rows(); r++) {
                if (include[r]) {
                    count++;
                    for (int m = 0; m < k; m++) {
                        mean[m] += data.reward(r, m);
                    }
                }
            }
            for (int m = 0; m < k; m++) {
                mean[m] = count == 0 ? 0 : mean[m] / count;
            }
            RidgeRewardModel ridgeModel = RidgeRewardModel.fit(data.log(), ridge, ridge, r -> include[r]);
            return new RewardModel(data, ridgeModel, mean);
        }

        /** q̂(x_r, k, a) for every position k and action a, into {@code out[k·n + a]}. */
        void row(int r, double[] out) {
            int n = data.actionCount();
            for (int k = 0; k < data.slateSize(); k++) {
                for (int a = 0; a < n; a++) {
                    int item = data.logItem(a);
                    out[k * n + a] = item < 0 ? fallback[k] : model.predict(data.log(), r, k, item);
                }
            }
        }
    }

    /** The losses and estimates with the reward model fitted. */
    private static final class Fitted implements OffPolicyLearner.Objectives {
        private final LoggedSlates data;
        private final RewardModel q;
        private final int[] items;
        private final double[] rewards;
        private final double[] propensities;
        private final double[] marginals;
        private final double[] upstream;
        private final double[] qRow;

        Fitted(LoggedSlates data, RewardModel q) {
            this.data = data;
            this.q = q;
            int k = data.slateSize();
            int n = data.actionCount();
            this.items = new int[k];
            this.rewards = new double[k];
            this.propensities = new double[k];
            this.marginals = new double[k * n];
            this.upstream = new double[k * n];
            this.qRow = new double[k * n];
        }

        private void load(int r) {
            for (int k = 0; k < items.length; k++) {
                items[k] = data.item(r, k);
                rewards[k] = data.reward(r, k);
                propensities[k] = data.propensity(r, k);
            }
        }

        @Override
        public double loss(OffPolicyLearner.Objective objective, int r, double[] probs, int offset, double lambda,
                float[] grad, int gradOffset, double scale) {
            int n = data.actionCount();
            int k = data.slateSize();
            load(r);
            SlateObjectives.marginals(probs, offset, n, k, marginals);
            double loss;
            if (objective == OffPolicyLearner.Objective.BANDITNET) {
                loss = SlateObjectives.banditNet(marginals, n, items, rewards, propensities, lambda, upstream);
            } else {
                q.row(r, qRow);
                loss = SlateObjectives.doublyRobust(marginals, n, items, rewards, propensities, qRow, upstream);
            }
            SlateObjectives.backward(probs, offset, n, k, upstream, grad, gradOffset, scale);
            return loss;
        }

        @Override
        public OffPolicyLearner.Estimates estimate(ActorCritic model, int[] rows) {
            return SlateFeedback.estimate(model, data, rows, q);
        }
    }

    /**
     * IIPS, per-position SNIPS and DR estimates of the slate value of {@code model}'s Plackett–Luce
     * policy on {@code rows}; the ESS is the smallest over positions, the mean weight over all entries.
     */
    static OffPolicyLearner.Estimates estimate(ActorCritic model, LoggedSlates data, int[] rows, RewardModel q) {
        int n = data.actionCount();
        int d = data.contextDim();
        int slate = data.slateSize();
        int batch = 256;
        ActorCritic.Workspace ws = model.newWorkspace(batch);
        float[] obs = new float[batch * d];
        double[] probs = new double[n];
        double[] m = new double[slate * n];
        double[] qRow = new double[slate * n];
        double[] sumW = new double[slate];
        double[] sumW2 = new double[slate];
        double[] sumWr = new double[slate];
        double sumDr = 0;
        for (int from = 0; from < rows.length; from += batch) {
            int b = Math.min(batch, rows.length - from);
            for (int i = 0; i < b; i++) {
                data.context(rows[from + i], obs, i * d);
            }
            model.policy(ws, obs, b);
            float[] p = ws.probs();
            for (int i = 0; i < b; i++) {
                int r = rows[from + i];
                for (int a = 0; a < n; a++) {
                    probs[a] = p[i * n + a];
                }
                SlateObjectives.marginals(probs, 0, n, slate, m);
                q.row(r, qRow);
                for (int k = 0; k < slate; k++) {
                    int shown = data.item(r, k);
                    double w = m[k * n + shown] / data.propensity(r, k);
                    double v = 0;
                    for (int a = 0; a < n; a++) {
                        v += m[k * n + a] * qRow[k * n + a];
                    }
                    sumW[k] += w;
                    sumW2[k] += w * w;
                    sumWr[k] += w * data.reward(r, k);
                    sumDr += v + w * (data.reward(r, k) - qRow[k * n + shown]);
                }
            }
        }
        return summary(sumW, sumW2, sumWr, sumDr, rows.length);
    }

    private static OffPolicyLearner.Estimates summary(double[] sumW, double[] sumW2, double[] sumWr, double sumDr,
            int rows) {
        double ips = 0;
        double snips = 0;
        double ess = Double.POSITIVE_INFINITY;
        double weights = 0;
        for (int k = 0; k < sumW.length; k++) {
            ips += sumWr[k] / rows;
            snips += sumW[k] > 0 ? sumWr[k] / sumW[k] : 0;
            ess = Math.min(ess, sumW2[k] > 0 ? sumW[k] * sumW[k] / sumW2[k] : 0);
            weights += sumW[k];
        }
        return new OffPolicyLearner.Estimates(ips, snips, sumDr / rows, ess, weights / ((double) rows * sumW.length),
                rows);
    }
}
