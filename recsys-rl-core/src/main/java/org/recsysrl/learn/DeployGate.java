package org.recsysrl.learn;

import java.util.List;
import java.util.Locale;
import org.recsysrl.util.UserInputException;

/**
 * The deploy decision of the closed loop: which learned policy, if any, replaces what is served.
 *
 * <ol>
 *   <li><b>The ESS floor.</b> A learned policy is a candidate only if the effective sample size of the
 *       weights its judged estimate rests on, on the held-out log, is at least {@code share} × the
 *       held-out units (trajectories, or rows for a one-step estimate): below it the estimate is the
 *       value model's, not the data's ({@code learn.min_ess}, the multi-step learner's own floor).</li>
 *   <li><b>The best candidate</b> by its judged estimate.</li>
 *   <li><b>The gate.</b> It is deployed only if its estimate minus the baseline's, on paired bootstrap
 *       resamples of the held-out log, has a 95 % interval above 0. The baseline is the deployed
 *       policy's estimate when one is deployed; when nothing is, the logging policy's own value on the
 *       held-out log (its mean reward per impression, or its trajectories' mean discounted return),
 *       which the log measures on-policy: a policy the log judges worse than the logger never ships.</li>
 * </ol>
 */
public final class DeployGate {
    private DeployGate() {
    }

    /**
     * A learned policy as the gate sees it.
     *
     * @param name its name (the learner)
     * @param estimate its judged estimate on the held-out log
     * @param ess the effective sample size of that estimate's weights
     * @param units the held-out units the weights are over (trajectories or rows)
     */
    public record Candidate(String name, double estimate, double ess, int units) {
    }

    /**
     * A paired difference: {@code policy}'s estimate minus {@code baseline}'s.
     *
     * @param estimate what is compared (e.g. {@code multi-step dr})
     * @param baseline the deployed policy, or the logging policy
     */
    public record Gain(String estimate, String baseline, String policy, double value, double low, double high) {
        /** Whether the 95 % interval lies above 0. */
        public boolean confident() {
            return low > 0;
        }
    }

    /**
     * What the gate decided.
     *
     * @param deploy whether {@code policy} is to be deployed
     * @param policy the candidate judged (null when no learned policy reached the floor)
     * @param reason one sentence: why it is deployed, or why nothing is
     */
    public record Decision(boolean deploy, String policy, String reason) {
    }

    /**
     * The least ESS a candidate needs: {@code share} × {@code units}.
     *
     * @throws UserInputException if {@code share} is not in [0, 1]
     */
    public static double floor(double share, int units) {
        if (!(share >= 0 && share <= 1)) {
            throw new UserInputException("learn.min_ess must be a share of the held-out units in [0, 1] (got " + share
                    + ")");
        }
        return share * units;
    }

    /** Whether {@code c}'s ESS reaches the floor of {@code share}. */
    public static boolean passesFloor(Candidate c, double share) {
        return c.ess() >= floor(share, c.units());
    }

    /** The index of the candidate with the largest estimate among those at or above the floor, or −1 if none is. */
    public static int best(List<Candidate> candidates, double share) {
        int best = -1;
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            if (passesFloor(c, share) && (best < 0 || c.estimate() > candidates.get(best).estimate())) {
                best = i;
            }
        }
        return best;
    }

    /** The decision when no candidate reaches the floor of {@code share}: nothing is deployed. */
    public static Decision noneAboveFloor(List<Candidate> candidates, double share) {
        StringBuilder sb = new StringBuilder("no learned policy reaches the ESS floor learn.min_ess = ");
        sb.append(share).append(" (");
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s ESS %.1f of %d < %.1f", c.name(),
                    c.ess(), c.units(), floor(share, c.units())));
        }
        return new Decision(false, null, sb.append("): their estimates are the value model's, not the data's").toString());
    }

    /** The decision on the best candidate {@code best} by its paired {@code gain} over the baseline. */
    public static Decision decide(Candidate best, Gain gain) {
        String diff = String.format(Locale.ROOT, "%s's %s estimate minus the %s is %+.5f [%+.5f, %+.5f]",
                best.name(), gain.estimate(), gain.baseline().equals(TrajectoryJudge.LOGGER)
                        ? "logging policy's on-policy value on the held-out log" : gain.baseline() + " one's",
                gain.value(), gain.low(), gain.high());
        if (!gain.confident()) {
            return new Decision(false, best.name(), diff + ", not above 0 with 95 % confidence");
        }
        return new Decision(true, best.name(), diff + ", above 0 with 95 % confidence");
    }
}
