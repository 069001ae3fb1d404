package org.recsysrl.ope.estimator;

import java.util.BitSet;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.ope.model.RewardModel;
import org.recsysrl.ope.policy.TargetPolicy;
import org.recsysrl.util.UserInputException;

/**
 * What the bandit and slate estimators read, computed once per (log, target, reward model): for every
 * shown entry (row r, slate entry k at position k_r) the importance weight
 * w = π(a | x, k) / μ(a | x, k) with μ the logged propensity, and — when a reward model is given —
 * per shown entry q̂(x, k, a) of the logged item and the model's value of the target at that position
 * v̂_k(x) = Σ_a π(a | x, k) q̂(x, k, a) (for one-step logs an entry is a row). Also measures how much of the target's probability falls where the logger
 * never acts.
 *
 * <p>The logger's support at a position is the set of items it showed there in this log, or — for
 * rows that carry {@code action_probabilities} — the items it gave positive probability.
 */
public final class OpeInput {
    /** Unsupported mass above which a warning is issued. */
    public static final double SUPPORT_TOLERANCE = 1e-3;
    private static final int SUPPORT_SAMPLE_ROWS = 2000;

    private final LoggedFeedback log;
    private final TargetPolicy target;
    private final RewardModel model;
    private final double[] entryWeight;
    private final double[] qLogged;
    private final double[] qTarget;
    private final double unsupportedMass;
    private final ItemGroups groups;
    private final double[] marginalWeight;

    private OpeInput(LoggedFeedback log, TargetPolicy target, RewardModel model, ItemGroups groups) {
        this.log = log;
        this.target = target;
        this.model = model;
        this.groups = groups;
        target.checkCompatible(log);
        int flat = log.slateStart(log.rows());
        entryWeight = new double[flat];
        for (int r = 0; r < log.rows(); r++) {
            int s = log.slateStart(r);
            for (int k = 0; k < log.slateLength(r); k++) {
                double pi = target.probability(log, r, log.position(r) + k, log.item(r, k));
                entryWeight[s + k] = pi / log.propensity(r, k);
            }
        }
        if (model != null) {
            qLogged = new double[flat];
            qTarget = new double[flat];
            double[] scratch = new double[log.numItems()];
            for (int r = 0; r < log.rows(); r++) {
                int s = log.slateStart(r);
                for (int k = 0; k < log.slateLength(r); k++) {
                    int p = log.position(r) + k;
                    qLogged[s + k] = model.predict(log, r, p, log.item(r, k));
                    qTarget[s + k] = model.expectedUnder(target, log, r, p, scratch);
                }
            }
        } else {
            qLogged = null;
            qTarget = null;
        }
        unsupportedMass = measureUnsupportedMass();
        marginalWeight = groups != null && log.isOneStep() ? MarginalWeights.compute(log, target, groups) : null;
    }

    /** Prepares the input; {@code model} may be {@code null} (then DM and the DR family are unavailable). */
    public static OpeInput prepare(LoggedFeedback log, TargetPolicy target, RewardModel model) {
        return new OpeInput(log, target, model, null);
    }

    /**
     * Prepares the input with a discrete item embedding for the marginalized estimators ({@code mips},
     * {@code mdr}): {@code groups} may be {@code null}; when given on a one-step log, every row must
     * carry the logger's whole distribution ({@link MarginalWeights}).
     */
    public static OpeInput prepare(LoggedFeedback log, TargetPolicy target, RewardModel model, ItemGroups groups) {
        return new OpeInput(log, target, model, groups);
    }

    /**
     * The marginal weights w(e_i | x_i) = p(e_i | x_i, π) / p(e_i | x_i, μ) per row of a one-step log
     * (a shared array: do not modify); a user error when no item embedding was given.
     */
    public double[] marginalWeights() {
        requireOneStep("mips (or mdr)");
        if (marginalWeight == null) {
            throw new UserInputException("mips and mdr need the items' features: give --item-features FILE.csv"
                    + " (item_id,FEATURE)");
        }
        return marginalWeight;
    }

    /** The item embedding of the marginalized estimators, or {@code null}. */
    public ItemGroups itemGroups() {
        return groups;
    }

    /** The log. */
    public LoggedFeedback log() {
        return log;
    }

    /** The target policy. */
    public TargetPolicy target() {
        return target;
    }

    /** Number of rows. */
    public int rows() {
        return log.rows();
    }

    /** Importance weight of flat entry {@code e} (see {@link LoggedFeedback#slateStart}). */
    public double entryWeight(int e) {
        return entryWeight[e];
    }

    /** Importance weights per row of a one-step log (a shared array: do not modify). */
    public double[] weights() {
        requireOneStep("this estimator");
        return entryWeight;
    }

    /** q̂ of the logged item per row (shared array). */
    public double[] qLogged() {
        requireModel();
        return qLogged;
    }

    /** v̂ = Σ_a π(a|x) q̂(x,a) per row (shared array). */
    public double[] qTarget() {
        requireModel();
        return qTarget;
    }

    /** q̂(x, k, a) of the item logged at flat entry {@code e} (one-step and slate logs). */
    public double entryQLogged(int e) {
        requireEntryModel();
        return qLogged[e];
    }

    /** v̂_k(x) = Σ_a π(a | x, k) q̂(x, k, a) at flat entry {@code e}'s row and position. */
    public double entryQTarget(int e) {
        requireEntryModel();
        return qTarget[e];
    }

    private void requireEntryModel() {
        if (model == null) {
            throw new IllegalStateException("no reward model was given to OpeInput.prepare");
        }
    }

    /** Whether a reward model was given. */
    public boolean hasModel() {
        return model != null;
    }

    /**
     * The target's probability mass outside the logger's support, averaged over shown entries (over
     * a sample of up to 2,000 rows for context-dependent targets).
     */
    public double unsupportedMass() {
        return unsupportedMass;
    }

    /** A plain warning when the target puts mass where the logger never acts, else {@code null}. */
    public String supportWarning() {
        if (unsupportedMass <= SUPPORT_TOLERANCE) {
            return null;
        }
        return String.format(java.util.Locale.ROOT, "no support: target %s puts %.1f%% of its probability on items"
                + " the logger never showed at that position; IPS-type estimates cannot see rewards there (biased"
                + " low for positive rewards) and DM/DR extrapolate with the reward model", target.name(),
                100 * unsupportedMass);
    }

    /** Refuses slate logs for one-step estimators. */
    public void requireOneStep(String estimator) {
        if (!log.isOneStep()) {
            throw new UserInputException(log.source() + " shows slates of up to " + log.maxSlateLength() + " items: "
                    + estimator + " is a one-step estimator; use the slate estimators iips, rips, pi, sips, sdr or cascade-dr");
        }
    }

    private void requireModel() {
        requireOneStep("a model-based estimator");
        requireEntryModel();
    }

    private double measureUnsupportedMass() {
        int positions = log.numPositions();
        BitSet[] shown = new BitSet[positions];
        double[] entriesAt = new double[positions];
        for (int p = 0; p < positions; p++) {
            shown[p] = new BitSet(log.numItems());
        }
        for (int r = 0; r < log.rows(); r++) {
            for (int k = 0; k < log.slateLength(r); k++) {
                shown[log.position(r) + k].set(log.item(r, k));
                entriesAt[log.position(r) + k]++;
            }
        }
        double[] dist = new double[log.numItems()];
        if (target.contextFree()) {
            double mass = 0;
            double total = 0;
            for (int p = 0; p < positions; p++) {
                if (entriesAt[p] == 0) {
                    continue;
                }
                target.distribution(log, 0, p, dist);
                double m = target.massOutsideLog(log, p);
                for (int a = 0; a < dist.length; a++) {
                    if (!shown[p].get(a)) {
                        m += dist[a];
                    }
                }
                mass += entriesAt[p] * m;
                total += entriesAt[p];
            }
            return total == 0 ? 0 : mass / total;
        }
        int stride = Math.max(1, log.rows() / SUPPORT_SAMPLE_ROWS);
        double mass = 0;
        double count = 0;
        for (int r = 0; r < log.rows(); r += stride) {
            for (int k = 0; k < log.slateLength(r); k++) {
                int p = log.position(r) + k;
                target.distribution(log, r, p, dist);
                double m = target.massOutsideLog(log, p);
                boolean useLogged = log.isOneStep() && log.hasLoggerDistribution(r);
                for (int a = 0; a < dist.length; a++) {
                    if (dist[a] == 0) {
                        continue;
                    }
                    boolean supported = useLogged ? log.loggerProbability(r, a) > 0 : shown[p].get(a);
                    if (!supported) {
                        m += dist[a];
                    }
                }
                mass += m;
                count++;
            }
        }
        return count == 0 ? 0 : mass / count;
    }
}
