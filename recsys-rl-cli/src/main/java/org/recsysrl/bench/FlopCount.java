package org.recsysrl.bench;

import java.util.List;
import org.recsysrl.config.RunConfig;
import org.recsysrl.workload.Algorithm;

/**
 * Floating-point operations of a training run, counted from the model's layer shapes (a
 * multiply-add is 2 FLOP; activations, softmax and the optimiser are not counted).
 *
 * <p>Per environment step the rollout does one forward pass of actor and critic. PPO then does,
 * per sample and epoch, a forward pass, the weight-gradient products and the input-gradient
 * products (all but the first layer of each MLP): about three forward passes. A2C updates once per
 * rollout with the parameters that collected it, so it reuses the rollout's forward passes and
 * adds only the two gradient products per sample. The history encoders of
 * {@code model.history_encoder} are not counted (both presets have none).
 */
public final class FlopCount {
    private FlopCount() {
    }

    /** FLOP of {@code steps} environment steps of training with {@code algorithm}. */
    public static double training(Algorithm algorithm, RunConfig cfg, long steps) {
        switch (algorithm) {
            case PPO:
                return ppo(cfg, steps);
            case A2C:
                return a2c(cfg, steps);
            default:
                throw new IllegalArgumentException(algorithm + " is not timed by bench");
        }
    }

    /**
     * Multiply-adds of one forward pass of actor and critic for one observation. With the
     * embedding actor head the actor's last layer is the query (width {@code env.item_feature_dim})
     * and the scoring product against the catalog's embeddings follows it.
     */
    public static long forwardMacs(RunConfig cfg) {
        int obs = cfg.env().stateDim();
        return actorMacs(cfg) + mlpMacs(obs, cfg.model().policy().criticHiddenDims(), 1);
    }

    /** Multiply-adds of the input-gradient products, which skip each MLP's first layer. */
    static long backwardInputMacs(RunConfig cfg) {
        int obs = cfg.env().stateDim();
        List<Integer> a = actorWidths(cfg);
        List<Integer> c = cfg.model().policy().criticHiddenDims();
        long firstActor = a.isEmpty() ? 0 : (long) obs * a.get(0);
        long firstCritic = c.isEmpty() ? 0 : (long) obs * c.get(0);
        return forwardMacs(cfg) - firstActor - firstCritic;
    }

    /**
     * Multiply-adds of the weight-gradient products: one per forward multiply-add, except the
     * embedding head's scoring product, whose item table is fixed.
     */
    static long weightGradientMacs(RunConfig cfg) {
        return forwardMacs(cfg) - (embeddingHead(cfg) ? fixedScoringMacs(cfg) : 0);
    }

    private static boolean embeddingHead(RunConfig cfg) {
        return cfg.model().policy().actorHead() == org.recsysrl.config.ActorHeadKind.EMBEDDING;
    }

    private static long fixedScoringMacs(RunConfig cfg) {
        return (long) cfg.env().itemFeatureDim() * cfg.env().numItems();
    }

    /** The actor's layer widths before its output: the hidden layers, then the query with the embedding head. */
    private static List<Integer> actorWidths(RunConfig cfg) {
        List<Integer> widths = new java.util.ArrayList<>(cfg.model().policy().actorHiddenDims());
        if (embeddingHead(cfg)) {
            widths.add(cfg.env().itemFeatureDim());
        }
        return widths;
    }

    private static long actorMacs(RunConfig cfg) {
        return mlpMacs(cfg.env().stateDim(), actorWidths(cfg), cfg.env().numItems());
    }

    private static long mlpMacs(int in, List<Integer> hidden, int out) {
        long macs = 0;
        int prev = in;
        for (int h : hidden) {
            macs += (long) prev * h;
            prev = h;
        }
        return macs + (long) prev * out;
    }

    /** FLOP of a PPO run of {@code steps} environment steps. */
    public static double ppo(RunConfig cfg, long steps) {
        double perSamplePass = forwardMacs(cfg) + weightGradientMacs(cfg) + backwardInputMacs(cfg);
        return 2.0 * steps * (forwardMacs(cfg) + cfg.ppo().updateEpochs() * perSamplePass);
    }

    /** FLOP of an A2C run of {@code steps} environment steps. */
    public static double a2c(RunConfig cfg, long steps) {
        return 2.0 * steps * (forwardMacs(cfg) + weightGradientMacs(cfg) + backwardInputMacs(cfg));
    }
}
