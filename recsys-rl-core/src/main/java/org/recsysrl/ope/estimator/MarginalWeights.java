package org.recsysrl.ope.estimator;

import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.ope.policy.TargetPolicy;
import org.recsysrl.util.UserInputException;

/**
 * The marginal importance weights of a one-step log over a discrete item embedding e(a)
 * ({@link ItemGroups}): for row i showing a_i with embedding e_i = e(a_i),
 *
 * <pre>
 *   w(e_i | x_i) = p(e_i | x_i, π) / p(e_i | x_i, μ),   p(e | x, π) = Σ_a π(a | x) 1[e(a) = e]
 * </pre>
 *
 * with μ the logger's full distribution, which every row must carry ({@code action_probabilities}):
 * the logged propensity of the shown item alone does not give the logger's mass on its group. The
 * target's mass on items outside the log's items (no catalog) belongs to no group and is left out,
 * as IPS leaves it out.
 */
final class MarginalWeights {
    private MarginalWeights() {
    }

    /** w(e_i | x_i) for every row of the one-step log {@code log}. */
    static double[] compute(LoggedFeedback log, TargetPolicy target, ItemGroups groups) {
        if (groups.groups().length != log.numItems()) {
            throw new IllegalArgumentException("item groups for " + groups.groups().length + " items, the log has "
                    + log.numItems());
        }
        double[] weights = new double[log.rows()];
        double[] dist = new double[log.numItems()];
        double[][] contextFreeMass = target.contextFree() ? new double[log.numPositions()][] : null;
        for (int r = 0; r < log.rows(); r++) {
            if (!log.hasLoggerDistribution(r)) {
                throw new UserInputException(log.source() + " row " + (r + 1) + requestLabel(log, r) + " has no"
                        + " action_probabilities: mips and mdr need the logger's whole distribution on every row"
                        + " (recsys-rl log --action-probabilities always writes it); use ips or dr otherwise");
            }
            int position = log.position(r);
            int group = groups.group(log.item(r, 0));
            double targetMass;
            if (contextFreeMass != null) {
                if (contextFreeMass[position] == null) {
                    target.distribution(log, r, position, dist);
                    contextFreeMass[position] = groupMasses(dist, groups);
                }
                targetMass = contextFreeMass[position][group];
            } else {
                target.distribution(log, r, position, dist);
                targetMass = massOf(dist, groups, group);
            }
            weights[r] = targetMass / loggerMass(log, r, groups, group);
        }
        return weights;
    }

    /** p(e | x_r, μ) from row r's logged distribution. */
    private static double loggerMass(LoggedFeedback log, int r, ItemGroups groups, int group) {
        int[] items = log.loggerDistributionItems(r);
        double[] probs = log.loggerDistributionProbabilities(r);
        double mass = 0;
        for (int k = 0; k < items.length; k++) {
            if (groups.group(items[k]) == group) {
                mass += probs[k];
            }
        }
        if (!(mass > 0)) {
            // the shown item's own propensity is positive, so its group's mass cannot be 0 in a consistent row
            throw new UserInputException(log.source() + " row " + (r + 1) + requestLabel(log, r) + ": the logged"
                    + " action_probabilities give the shown item " + log.itemIds().get(log.item(r, 0))
                    + " probability 0; log the distribution the item was drawn from");
        }
        return mass;
    }

    private static double massOf(double[] dist, ItemGroups groups, int group) {
        double mass = 0;
        for (int a = 0; a < dist.length; a++) {
            if (groups.group(a) == group) {
                mass += dist[a];
            }
        }
        return mass;
    }

    private static double[] groupMasses(double[] dist, ItemGroups groups) {
        double[] mass = new double[groups.count()];
        for (int a = 0; a < dist.length; a++) {
            mass[groups.group(a)] += dist[a];
        }
        return mass;
    }

    private static String requestLabel(LoggedFeedback log, int r) {
        return log.requestId(r) == null ? "" : " (request " + log.requestId(r) + ")";
    }
}
