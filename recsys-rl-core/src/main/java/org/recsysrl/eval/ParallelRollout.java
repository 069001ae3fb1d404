package org.recsysrl.eval;

import java.util.List;
import org.recsysrl.agent.Policy;
import org.recsysrl.env.Environment;
import org.recsysrl.env.StepResult;
import org.recsysrl.env.platform.PlatformEnvironment;

/**
 * A lookahead planner on the true state, the upper reference of the platform environments:
 * parallel rollout over a set of base policies (Chang, Givan &amp; Chong 2004). At each step every
 * base policy proposes an item; each proposal a is valued as
 *
 * <pre>
 *     Q(a) = max_j  mean over R rollouts of [ r(a) + Σ_{t=1}^{H−1} r_t  following base policy j ]
 * </pre>
 *
 * simulated on a scratch copy of the live environment's state ({@link PlatformEnvironment#copyStateFrom})
 * with random streams of its own (it does not see the real future), and the best proposal is
 * taken. Rollout r of every proposal and base policy uses the same stream (common random numbers),
 * so that the comparison between proposals is not drowned in the noise of the users' responses. It is at least as good as the best base policy up to the rollouts' noise, and improves
 * on them where switching between them pays. Batch of one; bound to the live environment by the
 * runner ({@link BoundPolicy}).
 */
public final class ParallelRollout implements BoundPolicy {
    private final String name;
    private final List<Policy> bases;
    private final PlatformEnvironment scratch;
    private final int rollouts;
    private final int horizon;
    private final float[] scratchObs;
    private final int[] proposals;
    private final int[] action = new int[1];
    private final StepResult step = new StepResult();
    private final long[] streams;
    private final org.recsysrl.util.Rng seeds;
    private PlatformEnvironment live;

    /**
     * @param bases the base policies (act on one observation row)
     * @param scratch an environment of the same spec, with a random stream of its own
     * @param rollouts rollouts per proposal and base policy
     * @param horizon steps per rollout, the proposal included
     * @param seed the planner's random streams
     */
    public ParallelRollout(String name, List<Policy> bases, PlatformEnvironment scratch, int rollouts, int horizon,
            long seed) {
        if (bases.isEmpty() || rollouts < 1 || horizon < 1) {
            throw new IllegalArgumentException("a parallel rollout needs base policies, rollouts >= 1 and horizon >= 1");
        }
        this.name = name;
        this.bases = List.copyOf(bases);
        this.scratch = scratch;
        this.rollouts = rollouts;
        this.horizon = horizon;
        this.scratchObs = new float[scratch.observationSize()];
        this.proposals = new int[bases.size()];
        this.streams = new long[rollouts];
        this.seeds = new org.recsysrl.util.Rng(seed);
    }

    @Override
    public void bind(Environment env) {
        if (!(env instanceof PlatformEnvironment p)) {
            throw new IllegalArgumentException("a parallel rollout plans in platform environments only");
        }
        live = p;
    }

    @Override
    public void act(float[] obs, int batch, int[] actionsOut) {
        if (batch != 1 || live == null) {
            throw new IllegalStateException("a parallel rollout acts for one bound environment at a time");
        }
        for (int j = 0; j < bases.size(); j++) {
            bases.get(j).act(obs, 1, action);
            proposals[j] = action[0];
        }
        for (int r = 0; r < rollouts; r++) {
            streams[r] = seeds.nextLong();
        }
        int best = proposals[0];
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < proposals.length; c++) {
            if (seenBefore(c)) {
                continue;
            }
            double value = Double.NEGATIVE_INFINITY;
            for (Policy base : bases) {
                double sum = 0;
                for (int r = 0; r < rollouts; r++) {
                    sum += rollout(proposals[c], base, streams[r]);
                }
                value = Math.max(value, sum / rollouts);
            }
            if (value > bestValue) {
                bestValue = value;
                best = proposals[c];
            }
        }
        actionsOut[0] = best;
    }

    private boolean seenBefore(int c) {
        for (int k = 0; k < c; k++) {
            if (proposals[k] == proposals[c]) {
                return true;
            }
        }
        return false;
    }

    /** Return of one simulated continuation: {@code first}, then {@code base} for the rest of the horizon. */
    private double rollout(int first, Policy base, long stream) {
        scratch.copyStateFrom(live);
        scratch.reseed(stream);
        scratch.step(first, scratchObs, 0, step);
        double total = step.reward;
        for (int t = 1; t < horizon && !step.done(); t++) {
            base.act(scratchObs, 1, action);
            scratch.step(action[0], scratchObs, 0, step);
            total += step.reward;
        }
        return total;
    }

    @Override
    public String name() {
        return name;
    }
}
