package org.recsysrl.agent;

import org.recsysrl.env.VectorEnv;
import org.recsysrl.nn.Categorical;
import org.recsysrl.nn.PlackettLuce;
import org.recsysrl.util.Rng;

/**
 * Steps a {@link VectorEnv} with actions sampled from the current policy and fills a
 * {@link RolloutBuffer}: per step the observations, sampled actions (a slate of K drawn without
 * replacement, Plackett–Luce, when the model chooses slates), their log-probabilities, the
 * critic's values, rewards and end flags, and V(final observation) for every truncated episode;
 * after the last step V of each environment's current observation. When the environments mask
 * actions, the allowed-action bitsets of every step are stored too and the policy samples only
 * allowed actions.
 */
public final class RolloutCollector {
    private final VectorEnv env;
    private final ActorCritic model;
    private final Rng actionRng;
    private final ActorCritic.Workspace ws;
    private final int[] actions;
    private final EpisodeTally episodes = new EpisodeTally();

    /** @param actionRng the stream that samples actions (saved with the training state) */
    public RolloutCollector(VectorEnv env, ActorCritic model, Rng actionRng) {
        this.env = env;
        this.model = model;
        this.actionRng = actionRng;
        this.ws = model.newWorkspace(env.numEnvs());
        this.actions = new int[env.numEnvs() * model.slateSize()];
    }

    public VectorEnv env() {
        return env;
    }

    public Rng actionRng() {
        return actionRng;
    }

    /** Returns and lengths of the episodes finished while collecting. */
    public EpisodeTally episodes() {
        return episodes;
    }

    /** Fills {@code buffer} with {@code buffer.steps()} steps of every environment. */
    public void collect(RolloutBuffer buffer) {
        collect(buffer, null);
    }

    /**
     * As {@link #collect(RolloutBuffer)}, and if {@code record} is not null, copies the policy's
     * and critic's forward pass of every step into it (rows in buffer order, so {@code record}
     * needs {@code buffer.size()} rows): a learner that updates once per rollout, with the
     * parameters that collected it, can then go straight to the backward pass.
     */
    public void collect(RolloutBuffer buffer, ActorCritic.Workspace record) {
        int n = env.numEnvs();
        int d = env.observationSize();
        int a = env.actionCount();
        if (buffer.envs != n || buffer.observationSize != d || buffer.historyLength != env.historyLength()
                || buffer.masked() != env.masksActions() || buffer.slateSize != model.slateSize()
                || env.slateSize() != model.slateSize()
                || (buffer.masked() && buffer.maskWords != env.maskWords())) {
            throw new IllegalArgumentException("buffer shape does not match the environments");
        }
        float[] logp = ws.logProbs();
        float[] probs = ws.probs();
        float[] values = ws.values();
        for (int t = 0; t < buffer.steps; t++) {
            float[] obs = env.observations();
            int base = t * n;
            System.arraycopy(obs, 0, buffer.observations, base * d, n * d);
            long[] allowed = env.allowedActions();
            if (allowed != null) {
                System.arraycopy(allowed, 0, buffer.masks, base * buffer.maskWords, n * buffer.maskWords);
            }
            int[] histories = env.histories();
            if (histories != null) {
                System.arraycopy(histories, 0, buffer.histories, base * buffer.historyLength, n * buffer.historyLength);
            }
            model.policy(ws, obs, histories, n, allowed);
            model.value(ws, obs, histories, n);
            if (record != null) {
                record.copyRowsFrom(ws, 0, base, n);
            }
            sampleActions(buffer, base, n, a, logp, probs, values);
            env.step(actions);
            recordOutcomes(buffer, base, n, values);
        }
        model.value(ws, env.observations(), env.histories(), n);
        System.arraycopy(values, 0, buffer.lastValues, 0, n);
    }

    /**
     * Samples every environment's action (or slate) from the policy's probabilities into
     * {@code actions} and stores it with its log-probability and value at rows [base, base + n).
     */
    private void sampleActions(RolloutBuffer buffer, int base, int n, int a, float[] logp, float[] probs,
            float[] values) {
        int k = buffer.slateSize;
        for (int i = 0; i < n; i++) {
            if (k == 1) {
                int action = Categorical.sampleFromProbs(probs, i * a, a, actionRng);
                actions[i] = action;
                buffer.logProbs[base + i] = logp[i * a + action];
            } else {
                PlackettLuce.sample(logp, probs, i * a, a, k, actionRng, actions, i * k);
                buffer.logProbs[base + i] = (float) PlackettLuce.logProb(logp, i * a, a, actions, i * k, k);
            }
            buffer.values[base + i] = values[i];
        }
        System.arraycopy(actions, 0, buffer.actions, base * k, n * k);
    }

    /**
     * Stores the step's rewards and episode ends at rows [base, base + n), counts finished episodes,
     * and for truncated (not terminated) ones the value of the final observation to bootstrap from
     * ({@code values} is the workspace's value row the critic writes into).
     */
    private void recordOutcomes(RolloutBuffer buffer, int base, int n, float[] values) {
        float[] rewards = env.rewards();
        boolean[] terminated = env.terminated();
        boolean[] truncated = env.truncated();
        boolean anyTruncated = false;
        for (int i = 0; i < n; i++) {
            buffer.rewards[base + i] = rewards[i];
            buffer.terminated[base + i] = terminated[i];
            buffer.truncated[base + i] = truncated[i];
            buffer.bootstrapValues[base + i] = 0f;
            anyTruncated |= truncated[i] && !terminated[i];
            if (terminated[i] || truncated[i]) {
                episodes.add(env.lastEpisodeReturn(i), env.lastEpisodeLength(i));
            }
        }
        if (anyTruncated) {
            model.value(ws, env.finalObservations(), env.finalHistories(), n);
            for (int i = 0; i < n; i++) {
                if (truncated[i] && !terminated[i]) {
                    buffer.bootstrapValues[base + i] = values[i];
                }
            }
        }
    }
}
