package org.recsysrl.ope;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Logged bandit feedback in columns: for every row (impression) the shown item or slate, the logging
 * policy's per-position propensities, the rewards, and optional context features, ids, time and the
 * logger's full action distribution. Immutable once built; arrays are never exposed for writing.
 *
 * <p>Items are stored as dense indices {@code 0..numItems()-1} into {@link #itemIds()}. A slate's
 * entries are flattened: row {@code r} owns the flat indices {@code slateStart(r) ..
 * slateStart(r+1)-1}; entry {@code k} of a row sits at position {@code position(r) + k} (positions are
 * 0-based). Rows may have different slate lengths; a one-step log has length 1 everywhere.
 *
 * <p>Invariants checked when rows are added (a violation is reported by the reader with file and
 * line): every propensity is finite and in (0, 1]; every reward is finite; a slate propensity, when
 * present, is in (0, 1]; all rows have the same context dimension; an action distribution's
 * probabilities are in [0, 1] and sum to 1 within 1e-6.
 */
public final class LoggedFeedback {
    /** The value of {@link #time(int)} when the row has no time. */
    public static final long NO_TIME = Long.MIN_VALUE;

    private final int rows;
    private final long[] time;
    private final String[] requestId;
    private final String[] user;
    private final String[] session;
    private final int[] step;
    private final int contextDim;
    private final double[] context;
    private final int[] firstPosition;
    private final int[] slateStart;
    private final int[] items;
    private final double[] propensity;
    private final double[] positionReward;
    private final double[] slatePropensity;
    private final double[] reward;
    private final int[] distStart;
    private final int[] distItems;
    private final double[] distProb;
    private final List<String> itemIds;
    private final Map<String, Integer> itemIndex;
    private final int maxSlateLength;
    private final int numPositions;
    private final String source;

    private LoggedFeedback(Builder b) {
        rows = b.rows;
        time = Arrays.copyOf(b.time, rows);
        requestId = Arrays.copyOf(b.requestId, rows);
        user = Arrays.copyOf(b.user, rows);
        session = Arrays.copyOf(b.session, rows);
        step = Arrays.copyOf(b.step, rows);
        contextDim = Math.max(0, b.contextDim);
        context = Arrays.copyOf(b.context, rows * contextDim);
        firstPosition = Arrays.copyOf(b.firstPosition, rows);
        slateStart = Arrays.copyOf(b.slateStart, rows + 1);
        int flat = slateStart[rows];
        items = Arrays.copyOf(b.items, flat);
        propensity = Arrays.copyOf(b.propensity, flat);
        positionReward = Arrays.copyOf(b.positionReward, flat);
        slatePropensity = Arrays.copyOf(b.slatePropensity, rows);
        reward = Arrays.copyOf(b.reward, rows);
        distStart = Arrays.copyOf(b.distStart, rows + 1);
        distItems = Arrays.copyOf(b.distItems, distStart[rows]);
        distProb = Arrays.copyOf(b.distProb, distStart[rows]);
        itemIds = Collections.unmodifiableList(new ArrayList<>(b.itemIds));
        itemIndex = Collections.unmodifiableMap(new HashMap<>(b.itemIndex));
        int maxLen = 0;
        int maxPos = 0;
        for (int r = 0; r < rows; r++) {
            int len = slateStart[r + 1] - slateStart[r];
            maxLen = Math.max(maxLen, len);
            maxPos = Math.max(maxPos, firstPosition[r] + len);
        }
        maxSlateLength = maxLen;
        numPositions = maxPos;
        source = b.source;
    }

    /** Number of rows (impressions). */
    public int rows() {
        return rows;
    }

    /** Where the log came from (a file name), for messages. */
    public String source() {
        return source;
    }

    /** Number of distinct items (the size of the item vocabulary, including catalog items never shown). */
    public int numItems() {
        return itemIds.size();
    }

    /** Item ids by index. */
    public List<String> itemIds() {
        return itemIds;
    }

    /** The index of an item id, or -1 when the log does not know it. */
    public int itemIndex(String id) {
        Integer i = itemIndex.get(id);
        return i == null ? -1 : i;
    }

    /** Number of positions used: 1 + the largest position of any shown item. */
    public int numPositions() {
        return numPositions;
    }

    /** The longest slate. */
    public int maxSlateLength() {
        return maxSlateLength;
    }

    /** Whether every row shows exactly one item (a one-step log, possibly at several positions). */
    public boolean isOneStep() {
        return maxSlateLength <= 1;
    }

    /** Time of row {@code r}, or {@link #NO_TIME}. */
    public long time(int r) {
        return time[r];
    }

    /** Request id of row {@code r}, or {@code null}. */
    public String requestId(int r) {
        return requestId[r];
    }

    /** User id of row {@code r}, or {@code null}. */
    public String user(int r) {
        return user[r];
    }

    /** Session id of row {@code r}, or {@code null}. */
    public String session(int r) {
        return session[r];
    }

    /** Step of row {@code r} within its session, or -1. */
    public int step(int r) {
        return step[r];
    }

    /** Context dimension (0 when the log has no context features). */
    public int contextDim() {
        return contextDim;
    }

    /** Context feature {@code j} of row {@code r}. */
    public double context(int r, int j) {
        return context[r * contextDim + j];
    }

    /** A copy of row {@code r}'s context features. */
    public double[] contextOf(int r) {
        return Arrays.copyOfRange(context, r * contextDim, (r + 1) * contextDim);
    }

    /** Position of the first shown item of row {@code r}. */
    public int position(int r) {
        return firstPosition[r];
    }

    /** Slate length of row {@code r}. */
    public int slateLength(int r) {
        return slateStart[r + 1] - slateStart[r];
    }

    /** Flat index of row {@code r}'s first entry (entries of row r are slateStart(r) .. slateStart(r+1)-1). */
    public int slateStart(int r) {
        return slateStart[r];
    }

    /** Item shown at entry {@code k} of row {@code r}. */
    public int item(int r, int k) {
        return items[slateStart[r] + k];
    }

    /** Logging propensity of entry {@code k} of row {@code r}, in (0, 1]. */
    public double propensity(int r, int k) {
        return propensity[slateStart[r] + k];
    }

    /**
     * Reward of entry {@code k} of row {@code r}, or {@code NaN} when a slate row only has a total (a
     * single-item row's position reward is its total).
     */
    public double positionReward(int r, int k) {
        return positionReward[slateStart[r] + k];
    }

    /** Whether row {@code r} has per-position rewards. */
    public boolean hasPositionRewards(int r) {
        int s = slateStart[r];
        return slateStart[r + 1] > s && !Double.isNaN(positionReward[s]);
    }

    /** The logger's probability of the whole slate of row {@code r}, or {@code NaN}. */
    public double slatePropensity(int r) {
        return slatePropensity[r];
    }

    /** Total reward of row {@code r}. */
    public double reward(int r) {
        return reward[r];
    }

    /** Whether row {@code r} carries the logger's full action distribution. */
    public boolean hasLoggerDistribution(int r) {
        return distStart[r + 1] > distStart[r];
    }

    /**
     * The logger's probability of {@code item} at row {@code r} from its logged action distribution (0
     * for items not listed), or {@code NaN} when the row has none.
     */
    public double loggerProbability(int r, int item) {
        int s = distStart[r];
        int e = distStart[r + 1];
        if (s == e) {
            return Double.NaN;
        }
        for (int i = s; i < e; i++) {
            if (distItems[i] == item) {
                return distProb[i];
            }
        }
        return 0.0;
    }

    /** The logged action distribution of row {@code r} as item indices and probabilities (empty arrays when absent). */
    public int[] loggerDistributionItems(int r) {
        return Arrays.copyOfRange(distItems, distStart[r], distStart[r + 1]);
    }

    /** Probabilities matching {@link #loggerDistributionItems(int)}. */
    public double[] loggerDistributionProbabilities(int r) {
        return Arrays.copyOfRange(distProb, distStart[r], distStart[r + 1]);
    }

    /** Mean total reward per row: the logging policy's on-policy value. */
    public double meanReward() {
        double s = 0;
        for (int r = 0; r < rows; r++) {
            s += reward[r];
        }
        return rows == 0 ? Double.NaN : s / rows;
    }

    /** Row {@code r} in the row-at-a-time form. */
    public Impression impression(int r) {
        int len = slateLength(r);
        List<String> ids = new ArrayList<>(len);
        double[] props = new double[len];
        double[] rewards = hasPositionRewards(r) ? new double[len] : null;
        for (int k = 0; k < len; k++) {
            ids.add(itemIds.get(item(r, k)));
            props[k] = propensity(r, k);
            if (rewards != null) {
                rewards[k] = positionReward(r, k);
            }
        }
        Map<String, Double> dist = null;
        if (hasLoggerDistribution(r)) {
            dist = new LinkedHashMap<>();
            for (int i = distStart[r]; i < distStart[r + 1]; i++) {
                dist.put(itemIds.get(distItems[i]), distProb[i]);
            }
        }
        return new Impression(time[r], requestId[r], user[r], session[r], step[r], contextOf(r), firstPosition[r],
                ids, props, slatePropensity[r], rewards, reward[r], dist);
    }

    /** A new builder; {@code source} names the input in messages. */
    public static Builder builder(String source) {
        return new Builder(source);
    }

    /**
     * Collects rows. {@link #add(Impression)} validates a row and returns {@code null}, or returns a
     * one-line description of what is wrong (the reader adds file and line); nothing is added then.
     */
    public static final class Builder {
        private final String source;
        private int rows;
        private long[] time = new long[16];
        private String[] requestId = new String[16];
        private String[] user = new String[16];
        private String[] session = new String[16];
        private int[] step = new int[16];
        private int contextDim = -1;
        private double[] context = new double[16];
        private int[] firstPosition = new int[16];
        private int[] slateStart = new int[17];
        private int[] items = new int[16];
        private double[] propensity = new double[16];
        private double[] positionReward = new double[16];
        private double[] slatePropensity = new double[16];
        private double[] reward = new double[16];
        private int[] distStart = new int[17];
        private int[] distItems = new int[0];
        private double[] distProb = new double[0];
        private final List<String> itemIds = new ArrayList<>();
        private final Map<String, Integer> itemIndex = new HashMap<>();
        private Set<String> catalog;

        private Builder(String source) {
            this.source = source;
        }

        /**
         * Restricts items to a catalog: an impression showing an item outside it is refused. Items of
         * the catalog get indices in its iteration order, so {@link LoggedFeedback#numItems()} counts
         * items never shown too.
         */
        public Builder catalog(Collection<String> ids) {
            this.catalog = new java.util.LinkedHashSet<>(ids);
            for (String id : ids) {
                index(id);
            }
            return this;
        }

        /** Registers an item id (without adding a row) and returns its index. */
        public int index(String id) {
            Integer i = itemIndex.get(id);
            if (i != null) {
                return i;
            }
            int n = itemIds.size();
            itemIds.add(id);
            itemIndex.put(id, n);
            return n;
        }

        /** Number of rows added so far. */
        public int rows() {
            return rows;
        }

        /** Validates and adds one impression; returns {@code null} or what is wrong with it. */
        public String add(Impression im) {
            String problem = check(im);
            if (problem != null) {
                return problem;
            }
            int len = im.items().size();
            int[] idx = new int[len];
            for (int k = 0; k < len; k++) {
                idx[k] = index(im.items().get(k));
            }
            int[] dItems = null;
            double[] dProbs = null;
            if (im.actionProbabilities() != null) {
                dItems = new int[im.actionProbabilities().size()];
                dProbs = new double[dItems.length];
                int i = 0;
                for (Map.Entry<String, Double> e : im.actionProbabilities().entrySet()) {
                    dItems[i] = index(e.getKey());
                    dProbs[i++] = e.getValue();
                }
            }
            addIndexed(im.time(), im.requestId(), im.user(), im.session(), im.step(), im.context(), im.position(),
                    idx, im.propensities(), im.slatePropensity(), im.positionRewards(), im.reward(), dItems, dProbs);
            return null;
        }

        /** The first problem of the impression, or {@code null}. */
        private String check(Impression im) {
            String problem = checkShown(im);
            if (problem == null) {
                problem = checkRewards(im);
            }
            if (problem == null) {
                problem = checkContext(im);
            }
            if (problem == null) {
                problem = checkActionProbabilities(im);
            }
            return problem;
        }

        /** The shown items and their propensities. */
        private String checkShown(Impression im) {
            List<String> shown = im.items();
            if (shown == null || shown.isEmpty()) {
                return "no shown items: give \"items\" with at least one item id";
            }
            double[] p = im.propensities();
            if (p == null) {
                return "missing propensities: give \"propensities\", the logging policy's probability of each shown"
                        + " item at its position";
            }
            if (p.length != shown.size()) {
                return p.length + " propensities for " + shown.size() + " shown items: give one per position";
            }
            for (int k = 0; k < p.length; k++) {
                if (!(p[k] > 0 && p[k] <= 1)) {
                    return "propensity " + p[k] + " of item " + shown.get(k) + " is not in (0, 1]: log the"
                            + " probability with which the logging policy showed it (items it could not show"
                            + " cannot be in the log)";
                }
            }
            for (String id : shown) {
                if (id == null || id.isEmpty()) {
                    return "an empty item id: every shown item needs an id";
                }
                if (catalog != null && !catalog.contains(id)) {
                    return "item " + id + " is not in the catalog: fix the item id or add the item to the catalog";
                }
            }
            return null;
        }

        /** The slate propensity and the rewards. */
        private String checkRewards(Impression im) {
            List<String> shown = im.items();
            if (!Double.isNaN(im.slatePropensity()) && !(im.slatePropensity() > 0 && im.slatePropensity() <= 1)) {
                return "slate_propensity " + im.slatePropensity() + " is not in (0, 1]: give the logger's"
                        + " probability of the whole slate, or leave it out";
            }
            double[] pr = im.positionRewards();
            if (pr != null) {
                if (pr.length != shown.size()) {
                    return pr.length + " rewards for " + shown.size() + " shown items: give one per position, or a"
                            + " single total as \"reward\"";
                }
                for (double v : pr) {
                    if (!Double.isFinite(v)) {
                        return "reward " + v + " is not a finite number";
                    }
                }
            }
            if (!Double.isFinite(im.reward())) {
                return "reward " + im.reward() + " is not a finite number: give \"rewards\" per position or"
                        + " \"reward\"";
            }
            return null;
        }

        /** The context features (same count as earlier rows) and the first position. */
        private String checkContext(Impression im) {
            double[] c = im.context() == null ? new double[0] : im.context();
            for (double v : c) {
                if (!Double.isFinite(v)) {
                    return "context feature " + v + " is not a finite number";
                }
            }
            if (contextDim >= 0 && c.length != contextDim) {
                return "context has " + c.length + " features but earlier rows have " + contextDim + ": every row"
                        + " needs the same features";
            }
            if (im.position() < 0) {
                return "position " + im.position() + " is negative: positions count from 0";
            }
            return null;
        }

        /** The logger's whole distribution, when given: probabilities in [0, 1] of catalog items summing to 1. */
        private String checkActionProbabilities(Impression im) {
            if (im.actionProbabilities() != null) {
                double sum = 0;
                for (Map.Entry<String, Double> e : im.actionProbabilities().entrySet()) {
                    double v = e.getValue() == null ? Double.NaN : e.getValue();
                    if (!(v >= 0 && v <= 1)) {
                        return "action_probabilities of " + e.getKey() + " is " + v + ", not in [0, 1]";
                    }
                    if (catalog != null && !catalog.contains(e.getKey())) {
                        return "action_probabilities names item " + e.getKey() + ", which is not in the catalog";
                    }
                    sum += v;
                }
                if (Math.abs(sum - 1) > 1e-6) {
                    return "action_probabilities sum to " + sum + ", not 1: log the logger's whole distribution";
                }
            }
            return null;
        }

        /**
         * Adds a row already in index form, without the checks of {@link #add(Impression)} (for generators
         * that produce valid rows by construction). {@code positionRewards} may be {@code null};
         * {@code distItems}/{@code distProbs} may be {@code null}.
         */
        public void addIndexed(long t, String request, String userId, String sessionId, int stepIndex,
                double[] ctx, int position, int[] shown, double[] propensities, double slateProp,
                double[] positionRewards, double total, int[] distItemIdx, double[] distProbs) {
            int dim = ctx == null ? 0 : ctx.length;
            if (contextDim < 0) {
                contextDim = dim;
            } else if (dim != contextDim) {
                throw new IllegalArgumentException("context dimension " + dim + " != " + contextDim);
            }
            ensureRows(rows + 1);
            time[rows] = t;
            requestId[rows] = request;
            user[rows] = userId;
            session[rows] = sessionId;
            step[rows] = stepIndex;
            if (dim > 0) {
                context = grow(context, (rows + 1) * dim);
                System.arraycopy(ctx, 0, context, rows * dim, dim);
            }
            firstPosition[rows] = position;
            int s = slateStart[rows];
            int len = shown.length;
            items = grow(items, s + len);
            propensity = grow(propensity, s + len);
            positionReward = grow(positionReward, s + len);
            double sum = 0;
            for (int k = 0; k < len; k++) {
                items[s + k] = shown[k];
                propensity[s + k] = propensities[k];
                positionReward[s + k] = positionRewards != null ? positionRewards[k] : len == 1 ? total : Double.NaN;
                sum += positionRewards == null ? 0 : positionRewards[k];
            }
            slateStart[rows + 1] = s + len;
            slatePropensity[rows] = slateProp;
            reward[rows] = positionRewards == null ? total : sum;
            int ds = distStart[rows];
            int dl = distItemIdx == null ? 0 : distItemIdx.length;
            if (dl > 0) {
                distItems = grow(distItems, ds + dl);
                distProb = grow(distProb, ds + dl);
                System.arraycopy(distItemIdx, 0, distItems, ds, dl);
                System.arraycopy(distProbs, 0, distProb, ds, dl);
            }
            distStart[rows + 1] = ds + dl;
            rows++;
        }

        /** The finished log. */
        public LoggedFeedback build() {
            return new LoggedFeedback(this);
        }

        private void ensureRows(int n) {
            if (n <= time.length) {
                return;
            }
            int cap = Math.max(n, time.length * 2);
            time = Arrays.copyOf(time, cap);
            requestId = Arrays.copyOf(requestId, cap);
            user = Arrays.copyOf(user, cap);
            session = Arrays.copyOf(session, cap);
            step = Arrays.copyOf(step, cap);
            firstPosition = Arrays.copyOf(firstPosition, cap);
            slateStart = Arrays.copyOf(slateStart, cap + 1);
            slatePropensity = Arrays.copyOf(slatePropensity, cap);
            reward = Arrays.copyOf(reward, cap);
            distStart = Arrays.copyOf(distStart, cap + 1);
        }

        private static int[] grow(int[] a, int n) {
            return n <= a.length ? a : Arrays.copyOf(a, Math.max(n, a.length * 2));
        }

        private static double[] grow(double[] a, int n) {
            return n <= a.length ? a : Arrays.copyOf(a, Math.max(n, a.length * 2));
        }
    }
}
