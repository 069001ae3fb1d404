package org.recsysrl.workload;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.recsysrl.config.PolicyNetworkConfig;
import org.recsysrl.config.RunConfig;
import org.recsysrl.util.UserInputException;

/**
 * A rough upper estimate of the heap a training run of the actor-critic needs, computed from its
 * settings before anything large is allocated, so that sizes that cannot fit are refused in one
 * line naming the setting instead of failing with an out-of-memory error minutes later.
 *
 * <p>The parts: the parameters (values, gradient, Adam's two moments and two copies while a
 * checkpoint is written: 6 × 4 bytes each); the logits of the widest update (rows × items, four
 * float arrays: logits, log-probabilities, probabilities, their gradient); the hidden activations of
 * those rows; the rollout buffer; and the simulator's item and user vectors. Small fixed costs are
 * left out: the estimate is meant to catch settings off by orders of magnitude, not to budget.
 */
public final class MemoryEstimate {
    /** One named part of the estimate. */
    public record Part(String what, long bytes) {
    }

    private MemoryEstimate() {
    }

    /**
     * The parts for {@code algo} with {@code items} actions, {@code users} users, observations of
     * {@code observationSize} floats and item vectors of {@code itemDim} floats.
     */
    public static List<Part> parts(RunConfig cfg, Algorithm algo, long items, long users, long observationSize,
            long itemDim) {
        PolicyNetworkConfig m = cfg.model().policy();
        Algorithm.OnPolicy rollout = algo.onPolicy(cfg);
        long bufferRows = rollout.bufferRows();
        long updateRows = rollout.updateRows();
        String rowsSetting = rollout.rowsSetting();
        long history = m.historyLength() > 0 ? m.history().dim() : 0;
        long input = observationSize + history;

        long params = mlp(input, m.actorHiddenDims()) + mlp(input, m.criticHiddenDims());
        long lastActor = m.actorHiddenDims().isEmpty() ? input : m.actorHiddenDims().get(m.actorHiddenDims().size() - 1);
        params += m.actorHead() == org.recsysrl.config.ActorHeadKind.EMBEDDING ? lastActor * itemDim + 2 * items : items * (lastActor + 1);
        params += history * items + history * history * 12L * Math.max(1, m.history().blocks());
        long hidden = sum(m.actorHiddenDims()) + sum(m.criticHiddenDims()) + input;

        List<Part> parts = new ArrayList<>();
        parts.add(new Part(String.format(Locale.ROOT, "the %,d model parameters (model.*, env.num_items)", params),
                24 * params));
        parts.add(new Part(String.format(Locale.ROOT, "the logits of %,d rows × %,d items (%s, env.num_items)",
                updateRows, items, rowsSetting), 16 * updateRows * items));
        parts.add(new Part(String.format(Locale.ROOT, "the hidden activations of %,d rows (%s, model.*_hidden_dims)",
                updateRows, rowsSetting), 16 * updateRows * hidden));
        parts.add(new Part(String.format(Locale.ROOT, "the rollout buffer of %,d steps (%s.n_steps × %s.num_envs)",
                bufferRows, algo, algo), bufferRows * (4 * (input + m.historyLength() + 8) + 8 * ((items + 63) / 64))));
        parts.add(new Part(String.format(Locale.ROOT, "the item and user vectors ((%,d items + %,d users) × %,d,"
                + " env.num_items, env.num_users, env.item_feature_dim)", items, users, itemDim),
                8 * (items + users) * itemDim));
        return parts;
    }

    /** The estimate for the simulator run {@code cfg} describes, from its settings alone. */
    public static List<Part> forSimulator(RunConfig cfg, Algorithm algo) {
        return parts(cfg, algo, cfg.env().numItems(), cfg.env().numUsers(), cfg.env().stateDim(),
                cfg.env().itemFeatureDim());
    }

    /**
     * Refuses {@code parts} if their sum exceeds 90% of {@code available} bytes.
     *
     * @throws UserInputException naming the estimate, the limit and the largest part
     */
    public static void require(List<Part> parts, long available) {
        long total = 0;
        for (Part p : parts) {
            total = saturatedAdd(total, p.bytes());
        }
        if (total <= available / 10 * 9) {
            return;
        }
        Part largest = parts.stream().max(Comparator.comparingLong(Part::bytes)).orElseThrow();
        throw new UserInputException(String.format(Locale.ROOT,
                "these settings need about %s of memory but Java may use %s here; the largest part is %s (%s):"
                        + " lower those settings, or give Java more memory (RECSYS_RL_JAVA_OPTS=-Xmx...)",
                size(total), size(available), largest.what(), size(largest.bytes())));
    }

    private static long mlp(long input, List<Integer> dims) {
        long params = 0;
        long in = input;
        for (int d : dims) {
            params += in * d + d;
            in = d;
        }
        return params + in + 1; // the critic's (or a head's) last layer, at least
    }

    private static long sum(List<Integer> dims) {
        long s = 0;
        for (int d : dims) {
            s += d;
        }
        return s;
    }

    private static long saturatedAdd(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1L << 20));
    }
}
