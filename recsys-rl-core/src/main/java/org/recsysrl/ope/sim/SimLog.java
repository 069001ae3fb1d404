package org.recsysrl.ope.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.ope.sequential.ActionDistribution;
import org.recsysrl.ope.sequential.LoggedTrajectory;

/**
 * Episodes logged in a platform environment under a known stochastic policy, with the
 * distributions of the target policies at every logged state (when targets were given), in memory.
 * {@link #toFeedback} turns it into the logged-feedback format.
 *
 * @param actionCount n, the actions of every step (items, or candidate slots for slate environments)
 * @param slateSize K
 * @param loggerName the logging policy's name
 * @param targetNames the target policies whose distributions every step carries
 * @param episodes the episodes in the order they were played
 */
public record SimLog(int actionCount, int slateSize, String loggerName, List<String> targetNames,
        List<Episode> episodes) {

    /**
     * One step.
     *
     * @param observation the state the logger acted on
     * @param actions the item shown, or the slate in position order
     * @param reward the step's reward
     * @param choice the slate position the user took (−1: none; 0 for single items)
     * @param propensities μ(item at position k | s) per position
     * @param slatePropensity μ(slate | s) (for single items the item's propensity)
     * @param logger μ(·|s) for single items when kept, or null
     * @param targets π_j(·|s) of every target j (single items); for slates of K, target j's
     *     marginal of position k at index j·K + k (ε-greedy on its slate's item there)
     */
    public record Step(float[] observation, int[] actions, double reward, int choice, double[] propensities,
            double slatePropensity, ActionDistribution logger, ActionDistribution[] targets) {
    }

    /** One episode (a trajectory): {@code user}'s steps from reset to termination or truncation. */
    public record Episode(int user, List<Step> steps) {
    }

    /** The steps in all episodes. */
    public int rounds() {
        int n = 0;
        for (Episode e : episodes) {
            n += e.steps().size();
        }
        return n;
    }

    /** The item id of action {@code a} in written logs: {@code i<a>}. */
    public static String itemId(int a) {
        return "i" + a;
    }

    /**
     * The log in the logged-feedback format: one row per step, {@code session} = the episode
     * ({@code e<k>}), {@code step} its index in the episode, {@code user} = {@code u<id>},
     * {@code request_id} = {@code r<row>}, {@code time} = {@code startMillis} + row (one
     * millisecond apart: only the order means anything), {@code context} = the observation. For
     * single items the reward is the total; for slates the reward goes to the position the user took
     * ({@code rewards}) or, when the user took none, is given as the total. The logger's whole
     * distribution is written when {@code withDistribution} and the environment shows single items.
     */
    public LoggedFeedback toFeedback(String source, long startMillis, boolean withDistribution) {
        return toFeedback(source, startMillis, withDistribution, false);
    }

    /**
     * As {@link #toFeedback(String, long, boolean)}; with {@code zeroPositionRewards} every slate row
     * has per-position rewards, all 0 when the user took none (the slate estimators' input).
     */
    public LoggedFeedback toFeedback(String source, long startMillis, boolean withDistribution,
            boolean zeroPositionRewards) {
        List<String> ids = new ArrayList<>(actionCount);
        for (int a = 0; a < actionCount; a++) {
            ids.add(itemId(a));
        }
        LoggedFeedback.Builder b = LoggedFeedback.builder(source).catalog(ids);
        int[] all = new int[actionCount];
        for (int a = 0; a < actionCount; a++) {
            all[a] = a;
        }
        int row = 0;
        for (int e = 0; e < episodes.size(); e++) {
            Episode ep = episodes.get(e);
            for (int t = 0; t < ep.steps().size(); t++) {
                Step s = ep.steps().get(t);
                double[] ctx = new double[s.observation().length];
                for (int j = 0; j < ctx.length; j++) {
                    // the float's shortest decimal, not the binary expansion of its double
                    ctx[j] = Double.parseDouble(Float.toString(s.observation()[j]));
                }
                double[] positionRewards = null;
                if (slateSize > 1 && (s.choice() >= 0 || zeroPositionRewards && s.reward() == 0)) {
                    positionRewards = new double[slateSize];
                    if (s.choice() >= 0) {
                        positionRewards[s.choice()] = s.reward();
                    }
                }
                boolean dist = withDistribution && s.logger() != null;
                b.addIndexed(startMillis + row, "r" + row, "u" + ep.user(), "e" + e, t, ctx, 0, s.actions(),
                        s.propensities(), slateSize > 1 ? s.slatePropensity() : Double.NaN, positionRewards,
                        s.reward(), dist ? all : null, dist ? s.logger().toDense() : null);
                row++;
            }
        }
        return b.build();
    }

    /** The JSON field that holds the targets' distributions on every line of a written log. */
    public static final String TARGET_FIELD = "target_probabilities";

    /**
     * Writes the targets' distributions of every row (in {@link #toFeedback}'s row order) as the field
     * {@value #TARGET_FIELD}: {@code {"NAME": {"uniform": u, "items": {"i5": m, ...}}, ...}}, i.e.
     * π(a) = u / n + the mass listed for a ({@code n} the catalogue, every action of the environment).
     * Nothing when the log has no targets.
     */
    public org.recsysrl.ope.FeedbackJsonl.RowExtras targetFields() {
        if (targetNames.isEmpty()) {
            return null;
        }
        List<Step> rows = new ArrayList<>(rounds());
        for (Episode ep : episodes) {
            rows.addAll(ep.steps());
        }
        return (row, g) -> {
            Step s = rows.get(row);
            g.writeObjectFieldStart(TARGET_FIELD);
            for (int j = 0; j < targetNames.size(); j++) {
                ActionDistribution d = s.targets()[j];
                g.writeObjectFieldStart(targetNames.get(j));
                g.writeNumberField("uniform", d.uniformMass());
                g.writeObjectFieldStart("items");
                int[] a = d.pointActions();
                double[] m = d.pointMasses();
                java.util.Map<Integer, Double> merged = new java.util.TreeMap<>();
                for (int k = 0; k < a.length; k++) {
                    merged.merge(a[k], m[k], Double::sum);
                }
                for (java.util.Map.Entry<Integer, Double> e : merged.entrySet()) {
                    g.writeNumberField(itemId(e.getKey()), e.getValue());
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndObject();
        };
    }

    /** The episodes as fitted-Q evaluation reads them (single items). */
    public List<LoggedTrajectory> trajectories() {
        List<LoggedTrajectory> out = new ArrayList<>(episodes.size());
        for (Episode ep : episodes) {
            out.add(trajectory(ep.steps()));
        }
        return out;
    }

    /** Every step as a trajectory of its own: the one-step (bandit) view of the log. */
    public List<LoggedTrajectory> roundTrajectories() {
        List<LoggedTrajectory> out = new ArrayList<>(rounds());
        for (Episode ep : episodes) {
            for (Step s : ep.steps()) {
                out.add(trajectory(List.of(s)));
            }
        }
        return out;
    }

    /** The episode of every round of the one-step view ({@link #roundTrajectories()}), for a cluster bootstrap. */
    public int[] roundEpisodes() {
        int[] out = new int[rounds()];
        int row = 0;
        for (int e = 0; e < episodes.size(); e++) {
            for (int t = 0; t < episodes.get(e).steps().size(); t++) {
                out[row++] = e;
            }
        }
        return out;
    }

    /** Target {@code j}'s distributions, aligned with {@link #trajectories()}. */
    public List<ActionDistribution[]> targetDistributions(int j) {
        List<ActionDistribution[]> out = new ArrayList<>(episodes.size());
        for (Episode ep : episodes) {
            ActionDistribution[] d = new ActionDistribution[ep.steps().size()];
            for (int t = 0; t < d.length; t++) {
                d[t] = ep.steps().get(t).targets()[j];
            }
            out.add(d);
        }
        return out;
    }

    /** Target {@code j}'s distributions, aligned with the one-step view. */
    public List<ActionDistribution[]> roundDistributions(int j) {
        List<ActionDistribution[]> out = new ArrayList<>(rounds());
        for (Episode ep : episodes) {
            for (Step s : ep.steps()) {
                out.add(new ActionDistribution[] {s.targets()[j]});
            }
        }
        return out;
    }

    private LoggedTrajectory trajectory(List<Step> steps) {
        if (slateSize != 1) {
            throw new IllegalStateException("fitted-Q evaluation reads single-item logs");
        }
        int n = steps.size();
        double[][] x = new double[n][];
        int[] a = new int[n];
        double[] r = new double[n];
        double[] p = new double[n];
        for (int t = 0; t < n; t++) {
            Step s = steps.get(t);
            float[] o = s.observation();
            x[t] = new double[o.length];
            for (int j = 0; j < o.length; j++) {
                x[t][j] = o[j];
            }
            a[t] = s.actions()[0];
            r[t] = s.reward();
            p[t] = s.propensities()[0];
        }
        return new LoggedTrajectory(x, a, r, p);
    }

    @Override
    public String toString() {
        return "SimLog[" + episodes.size() + " episodes, " + rounds() + " rounds, logger " + loggerName + ", targets "
                + Arrays.toString(targetNames.toArray()) + "]";
    }
}
