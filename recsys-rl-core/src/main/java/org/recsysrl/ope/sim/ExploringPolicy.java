package org.recsysrl.ope.sim;

import org.recsysrl.agent.ActorCriticPolicy;
import org.recsysrl.agent.Policy;
import org.recsysrl.env.Environment;
import org.recsysrl.eval.BoundPolicy;
import org.recsysrl.nn.PlackettLuce;
import org.recsysrl.ope.sequential.ActionDistribution;
import org.recsysrl.util.Rng;
import org.recsysrl.util.UserInputException;

/**
 * A platform policy made stochastic with known probabilities: a reference policy or a checkpoint
 * (acting deterministically) with an {@link Exploration}, or the uniform policy ({@code random}).
 * For an environment of single items it gives the whole distribution π(·|s) at an observation;
 * for a slate environment, ε-greedy over slates: the base policy's slate with probability 1 − ε,
 * otherwise K distinct items drawn uniformly in order, so that
 *
 * <pre>  π(slate) = (1 − ε)·1[slate = greedy] + ε·(n − K)!/n!,
 *  π(item a at position k) = (1 − ε)·1[greedy_k = a] + ε/n.</pre>
 *
 * With {@link Exploration#PLACKETT_LUCE} a slate checkpoint plays its own Plackett–Luce policy
 * instead (slates drawn from its softmax without replacement, {@link #sampleSlate} returning the
 * slate's probability), for on-policy rollouts; its per-position marginals are not offered here
 * ({@code learn.SlatePolicy} computes them exactly).
 */
public final class ExploringPolicy {
    private final String name;
    private final Policy base;
    private final Exploration exploration;
    private final int actionCount;
    private final int slateSize;
    private final int[] chosen;
    private final double[] scratch;

    /**
     * @param name the name reports use (the base's name and the exploration)
     * @param base the policy explored around, or null for the uniform policy
     * @param actionCount n, the actions of every step
     * @param slateSize K (1 for single items)
     * @throws UserInputException for a softmax over a policy without probabilities, or on slates
     */
    public ExploringPolicy(String name, Policy base, Exploration exploration, int actionCount, int slateSize) {
        if (base != null && base.slateSize() != slateSize) {
            throw new UserInputException(name + " chooses " + base.slateSize() + " items per step; the environment"
                    + " shows " + slateSize + ": use a policy of this environment");
        }
        if (base != null && base.historyLength() > 0) {
            throw new UserInputException(name + " reads item histories, which logging does not keep yet: use a"
                    + " checkpoint trained without model.history_length");
        }
        if (exploration.kind().equals("softmax") && !(base instanceof ActorCriticPolicy)) {
            throw new UserInputException(name + ": softmax needs the policy's probabilities, which only checkpoints"
                    + " have (reference policies give their choice alone): use --explore epsilon=E");
        }
        if (exploration.kind().equals("softmax") && slateSize > 1) {
            throw new UserInputException(name + ": softmax over slates is not supported: use --explore epsilon=E");
        }
        if (exploration.kind().equals("plackett-luce") && (slateSize < 2 || !(base instanceof ActorCriticPolicy))) {
            throw new UserInputException(name + ": Plackett-Luce slates need a slate checkpoint's probabilities");
        }
        this.name = name;
        this.base = base;
        this.exploration = exploration;
        this.actionCount = actionCount;
        this.slateSize = slateSize;
        this.chosen = new int[slateSize];
        this.scratch = new double[actionCount];
    }

    /** The name reports use. */
    public String name() {
        return name;
    }

    /** Whether every action has positive probability at every state (ε &gt; 0, softmax, or uniform). */
    public boolean fullSupport() {
        return base == null || exploration.kind().equals("softmax") || plackettLuce()
                || (exploration.kind().equals("epsilon") && exploration.value() > 0);
    }

    /** Whether it plays a slate checkpoint's Plackett–Luce policy ({@link Exploration#PLACKETT_LUCE}). */
    public boolean plackettLuce() {
        return exploration.kind().equals("plackett-luce");
    }

    /** Binds a base policy that reads its environment's hidden state (a planner) to {@code env}. */
    public void bind(Environment env) {
        if (base instanceof BoundPolicy bound) {
            bound.bind(env);
        }
    }

    private double epsilon() {
        if (base == null) {
            return 1;
        }
        return exploration.kind().equals("epsilon") ? exploration.value() : 0;
    }

    /** π(·|s) at the observation {@code obs} (single-item environments). */
    public ActionDistribution distribution(float[] obs) {
        if (slateSize != 1) {
            throw new IllegalStateException(name + " shows slates");
        }
        if (base == null) {
            return ActionDistribution.uniform(actionCount);
        }
        base.act(obs, 1, chosen);
        if (exploration.kind().equals("softmax")) {
            float[] logp = ((ActorCriticPolicy) base).lastLogProbs();
            double t = exploration.value();
            double max = Double.NEGATIVE_INFINITY;
            for (int a = 0; a < actionCount; a++) {
                max = Math.max(max, logp[a] / t);
            }
            double sum = 0;
            for (int a = 0; a < actionCount; a++) {
                scratch[a] = Math.exp(logp[a] / t - max);
                sum += scratch[a];
            }
            for (int a = 0; a < actionCount; a++) {
                scratch[a] /= sum;
            }
            return ActionDistribution.dense(scratch);
        }
        return ActionDistribution.epsilonGreedy(actionCount, chosen[0], epsilon());
    }

    /** The base policy's slate at {@code obs} (any slate for the uniform policy: none is preferred). */
    public int[] greedySlate(float[] obs) {
        if (base == null) {
            for (int k = 0; k < slateSize; k++) {
                chosen[k] = k;
            }
        } else {
            base.act(obs, 1, chosen);
        }
        return chosen.clone();
    }

    /**
     * Draws a slate given the base policy's {@code greedy} slate; writes it to {@code out} and
     * returns π(slate).
     */
    public double sampleSlate(int[] greedy, Rng rng, int[] out) {
        if (plackettLuce()) {
            float[] logp = ((ActorCriticPolicy) base).lastLogProbs();
            float[] p = new float[actionCount];
            for (int a = 0; a < actionCount; a++) {
                p[a] = (float) Math.exp(logp[a]);
            }
            PlackettLuce.sample(logp, p, 0, actionCount, slateSize, rng, out, 0);
            return slateProbability(greedy, out);
        }
        double eps = epsilon();
        if (rng.nextDouble() >= eps) {
            System.arraycopy(greedy, 0, out, 0, slateSize);
        } else {
            int[] pool = new int[actionCount];
            for (int a = 0; a < actionCount; a++) {
                pool[a] = a;
            }
            for (int k = 0; k < slateSize; k++) {
                int j = k + rng.nextInt(actionCount - k);
                int tmp = pool[k];
                pool[k] = pool[j];
                pool[j] = tmp;
                out[k] = pool[k];
            }
        }
        return slateProbability(greedy, out);
    }

    /** π(slate) given the base policy's {@code greedy} slate. */
    public double slateProbability(int[] greedy, int[] slate) {
        if (plackettLuce()) {
            // the Plackett-Luce probability at the observation of the last greedySlate call
            return Math.exp(PlackettLuce.logProb(((ActorCriticPolicy) base).lastLogProbs(), 0, actionCount, slate, 0,
                    slateSize));
        }
        double eps = epsilon();
        double uniform = 1;
        for (int k = 0; k < slateSize; k++) {
            uniform /= actionCount - k;
        }
        boolean same = java.util.Arrays.equals(greedy, 0, slateSize, slate, 0, slateSize);
        return (same ? 1 - eps : 0) + eps * uniform;
    }

    /**
     * The distribution of the item at position {@code k} given the base policy's {@code greedy}
     * slate: ε-greedy on greedy[k] (an ε-uniform slate shows every item at k with probability 1/n).
     */
    public ActionDistribution positionDistribution(int[] greedy, int k) {
        requireEpsilonGreedy();
        return ActionDistribution.epsilonGreedy(actionCount, greedy[k], epsilon());
    }

    /** π(item {@code a} at position {@code k}) given the base policy's {@code greedy} slate. */
    public double positionProbability(int[] greedy, int k, int a) {
        requireEpsilonGreedy();
        double eps = epsilon();
        return (greedy[k] == a ? 1 - eps : 0) + eps / actionCount;
    }

    private void requireEpsilonGreedy() {
        if (plackettLuce()) {
            throw new IllegalStateException(name + ": the marginals of Plackett-Luce slates are learn.SlatePolicy's");
        }
    }
}
