package org.recsysrl.eval;

import org.recsysrl.agent.OnlinePolicy;
import org.recsysrl.agent.Policy;
import org.recsysrl.env.ActionMasking;
import org.recsysrl.env.ActionMasks;
import org.recsysrl.env.Environment;
import org.recsysrl.env.ItemHistories;
import org.recsysrl.env.StepResult;

/** Plays whole episodes of one environment with a policy (batch of one), for evaluation. */
public final class EpisodeRunner {
    private final Environment env;
    private final float[] obs;
    /** The observation an online policy acted on, kept for its update after the step. */
    private final float[] seen;
    private final int[] action;
    private final StepResult step = new StepResult();
    private final long[] allowed;

    public EpisodeRunner(Environment env) {
        this.env = env;
        this.obs = new float[env.observationSize()];
        this.seen = new float[env.observationSize()];
        this.action = new int[env.slateSize()];
        this.allowed = env instanceof ActionMasking ? new long[ActionMasks.words(env.actionCount())] : null;
    }

    /** The environment the episodes run in (bind oracle policies to it). */
    public Environment environment() {
        return env;
    }

    /**
     * Plays one episode for {@code user} until it terminates or is truncated. A policy that reads
     * item histories ({@link Policy#historyLength()} &gt; 0) gets the items shown so far in the episode;
     * an {@link OnlinePolicy} learns from every step's reward.
     */
    public EpisodeStats run(Policy policy, int user) {
        if (policy.slateSize() != action.length) {
            throw new IllegalArgumentException(policy.name() + " chooses " + policy.slateSize()
                    + " items per step; the environment shows " + action.length);
        }
        env.reset(user, obs, 0);
        ItemHistories history = policy.historyLength() > 0 ? new ItemHistories(1, policy.historyLength()) : null;
        double total = 0;
        double sumSq = 0;
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        int length = 0;
        do {
            if (allowed != null) {
                ((ActionMasking) env).allowedActions(allowed, 0);
            }
            policy.act(obs, history == null ? null : history.windows(), 1, allowed, action);
            if (policy instanceof OnlinePolicy) {
                System.arraycopy(obs, 0, seen, 0, obs.length);
            }
            if (action.length == 1) {
                env.step(action[0], obs, 0, step);
            } else {
                env.stepSlate(action, 0, obs, 0, step);
            }
            if (policy instanceof OnlinePolicy) {
                if (action.length == 1) {
                    ((OnlinePolicy) policy).learn(seen, 0, action[0], step.reward);
                } else {
                    ((OnlinePolicy) policy).learnSlate(seen, 0, action, 0, step.choice, step.reward);
                }
            }
            if (history != null) {
                history.push(0, action[0]);
            }
            double r = step.reward;
            total += r;
            sumSq += r * r;
            max = Math.max(max, r);
            min = Math.min(min, r);
            length++;
        } while (!step.terminated && !step.truncated);
        double mean = total / length;
        double var = Math.max(0.0, sumSq / length - mean * mean);
        return new EpisodeStats(user, length, total, mean, max, min, Math.sqrt(var));
    }
}
