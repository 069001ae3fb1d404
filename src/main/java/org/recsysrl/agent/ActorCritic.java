package org.recsysrl.agent;

import org.recsysrl.config.ModelConfig;
import org.recsysrl.env.ActionMasks;
import org.recsysrl.nn.Activation;
import org.recsysrl.nn.Kernels;
import org.recsysrl.nn.Init;
import org.recsysrl.nn.Linear;
import org.recsysrl.nn.Mlp;
import org.recsysrl.nn.ParameterStore;
import org.recsysrl.util.Rng;

/**
 * The actor-critic network: two separate MLPs over the observation, an actor head (the original's
 * one logit per item, or the {@link ItemEmbeddingHead}) and a critic head with one value. All
 * parameters live in one {@link ParameterStore}; with the logits head they are named and shaped
 * exactly as the original PyTorch {@code state_dict}
 * ({@code actor.backbone.0.weight}, …, {@code critic.value.bias}).
 *
 * <p>Computation happens in a {@link Workspace} sized for a maximum batch, so forward and backward
 * passes allocate nothing.
 */
public final class ActorCritic {
    private final ParameterStore params = new ParameterStore();
    private final int observationSize;
    private final int actionCount;
    private final Mlp actor;
    private final ActorHead head;
    private final Mlp critic;
    private final Linear value;

    /**
     * Builds and initialises the network.
     *
     * @param rng consumed for initialisation, layer by layer in parameter order
     */
    public ActorCritic(int observationSize, int actionCount, ModelConfig config, Rng rng) {
        this(observationSize, actionCount, config, null, 0, rng);
    }

    /**
     * Builds and initialises the network; the embedding actor head ({@code model.actor_head =
     * embedding}) scores items through {@code itemEmbeddings} ([actionCount × itemDim]; the head keeps
     * a transposed copy).
     *
     * @param rng consumed for initialisation, layer by layer in parameter order
     */
    public ActorCritic(int observationSize, int actionCount, ModelConfig config, float[] itemEmbeddings, int itemDim,
            Rng rng) {
        this.observationSize = observationSize;
        this.actionCount = actionCount;
        Activation act = Activation.parse(config.activation());
        this.actor = new Mlp(params, "actor.backbone", observationSize, toArray(config.actorHiddenDims()), act);
        LinearLogitsHead logits = null;
        ItemEmbeddingHead embedding = null;
        if (config.actorHead().equals("embedding")) {
            if (itemEmbeddings == null || itemEmbeddings.length != actionCount * itemDim) {
                throw new IllegalArgumentException("the embedding head needs the catalog's item embeddings");
            }
            embedding = new ItemEmbeddingHead(params, actor.outputSize(), itemEmbeddings, itemDim, config.logitScale(),
                    config.learnLogitScale(), config.itemBias());
            this.head = embedding;
        } else {
            logits = new LinearLogitsHead(params, "actor.logits", actor.outputSize(), actionCount);
            this.head = logits;
        }
        this.critic = new Mlp(params, "critic.backbone", observationSize, toArray(config.criticHiddenDims()), act);
        this.value = new Linear(params, "critic.value", critic.outputSize(), 1);
        boolean orthogonal = config.init().equals("orthogonal");
        double hiddenGain = Math.sqrt(2.0);
        for (Linear l : actor.layers()) {
            initialise(l, orthogonal, hiddenGain, rng);
        }
        initialise(logits != null ? logits.linear() : embedding.query(), orthogonal, 0.01, rng);
        head.initialiseExtras();
        for (Linear l : critic.layers()) {
            initialise(l, orthogonal, hiddenGain, rng);
        }
        initialise(value, orthogonal, 1.0, rng);
    }

    private static void initialise(Linear layer, boolean orthogonal, double gain, Rng rng) {
        if (orthogonal) {
            Init.orthogonal(layer, gain, rng);
        } else {
            Init.pytorchDefault(layer, rng);
        }
    }

    private static int[] toArray(java.util.List<Integer> dims) {
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    public ParameterStore parameters() {
        return params;
    }

    public int observationSize() {
        return observationSize;
    }

    public int actionCount() {
        return actionCount;
    }

    /** Buffers for batches of up to {@code capacity} observations. */
    public Workspace newWorkspace(int capacity) {
        return new Workspace(capacity);
    }

    /**
     * Actor forward pass: {@code ws.logProbs()} row b gets log π(·|obs_b), the log-softmax of the
     * head's logits, {@code ws.probs()} row b gets π(·|obs_b) and {@code ws.entropies()[b]} its
     * entropy.
     */
    public void policy(Workspace ws, float[] obs, int batch) {
        policy(ws, obs, batch, null);
    }

    /**
     * Actor forward pass under an action mask: as {@link #policy(Workspace, float[], int)}, but the
     * logit of every action not allowed in row b is set to −∞ before the softmax, so it gets
     * probability 0, log-probability −∞, no entropy contribution and (through
     * {@link org.recsysrl.nn.Kernels#categoricalBackward}) a zero gradient.
     *
     * @param allowed null (every action allowed) or [batch][{@link ActionMasks#words words(actionCount)}]
     *     bitsets, row b from word {@code b * words}; each row must allow at least one action
     */
    public void policy(Workspace ws, float[] obs, int batch, long[] allowed) {
        ws.check(batch);
        float[] features = actor.forward(ws.actorWs, obs, batch);
        ws.actorFeatures = features;
        head.forward(ws.headWs, features, ws.logProbs, batch);
        int a = actionCount;
        if (allowed != null) {
            applyMask(ws.logProbs, batch, a, allowed);
        }
        for (int b = 0; b < batch; b++) {
            ws.entropies[b] = Kernels.softmax(ws.logProbs, b * a, a, ws.logProbs, ws.probs, b * a);
        }
    }

    /** Sets to −∞ the logits of the actions that {@code allowed} forbids, row by row. */
    static void applyMask(float[] logits, int batch, int actionCount, long[] allowed) {
        int words = ActionMasks.words(actionCount);
        for (int b = 0; b < batch; b++) {
            int row = b * actionCount;
            int wOff = b * words;
            for (int k = 0; k < words; k++) {
                long forbidden = ~allowed[wOff + k];
                int base = k << 6;
                while (forbidden != 0) {
                    int j = base + Long.numberOfTrailingZeros(forbidden);
                    if (j >= actionCount) {
                        break;
                    }
                    logits[row + j] = Float.NEGATIVE_INFINITY;
                    forbidden &= forbidden - 1;
                }
            }
        }
    }

    /** Critic forward pass: {@code ws.values()[b]} = V(obs_b). */
    public void value(Workspace ws, float[] obs, int batch) {
        ws.check(batch);
        float[] features = critic.forward(ws.criticWs, obs, batch);
        ws.criticFeatures = features;
        value.forward(features, ws.values, batch);
    }

    /**
     * Backward pass of the last {@link #policy} and {@link #value} calls on the same workspace and
     * observations: accumulates into {@code parameters().grad()} the gradient given by
     * {@code ws.logitGrads()} (dL/dlogits) and {@code ws.valueGrads()} (dL/dV).
     */
    public void backward(Workspace ws, float[] obs, int batch) {
        backward(ws, obs, batch, true);
    }

    /**
     * As {@link #backward(Workspace, float[], int)}; with {@code accumulate = false} every
     * gradient of {@code parameters().grad()} is overwritten instead of added to, so no
     * {@link ParameterStore#zeroGrad()} is needed first (every parameter gets its gradient from
     * exactly one kernel call, and starting that call from zeros gives the same bits).
     */
    public void backward(Workspace ws, float[] obs, int batch, boolean accumulate) {
        ws.check(batch);
        head.backward(ws.headWs, ws.actorFeatures, ws.logitGrads, ws.actorFeatureGrads, batch, accumulate);
        actor.backward(ws.actorWs, obs, ws.actorFeatureGrads, null, batch, accumulate);
        value.backward(ws.criticFeatures, ws.valueGrads, ws.criticFeatureGrads, batch, accumulate);
        critic.backward(ws.criticWs, obs, ws.criticFeatureGrads, null, batch, accumulate);
    }

    /** Preallocated buffers for one batch size. */
    public final class Workspace {
        private final int capacity;
        private final Mlp.Workspace actorWs;
        private final Mlp.Workspace criticWs;
        private final ActorHead.Workspace headWs;
        private float[] actorFeatures;
        private float[] criticFeatures;
        private final float[] logProbs;
        private final float[] probs;
        private final float[] entropies;
        private final float[] values;
        private final float[] logitGrads;
        private final float[] valueGrads;
        private final float[] actorFeatureGrads;
        private final float[] criticFeatureGrads;

        private Workspace(int capacity) {
            this.capacity = capacity;
            this.actorWs = actor.newWorkspace(capacity);
            this.criticWs = critic.newWorkspace(capacity);
            this.headWs = head.newWorkspace(capacity);
            this.logProbs = new float[capacity * actionCount];
            this.probs = new float[capacity * actionCount];
            this.entropies = new float[capacity];
            this.values = new float[capacity];
            this.logitGrads = new float[capacity * actionCount];
            this.valueGrads = new float[capacity];
            this.actorFeatureGrads = new float[capacity * actor.outputSize()];
            this.criticFeatureGrads = new float[capacity * critic.outputSize()];
        }

        /**
         * Copies the results of a {@link #policy} and a {@link #value} pass for {@code rows} rows of
         * {@code source} (a workspace of the same model), from {@code sourceRow}, into this
         * workspace from {@code targetRow}, so that a {@link #backward} on this workspace can use
         * them without computing the forward pass again. The forward products compute every row
         * independently and in the same order whatever the batch, so the copied rows are the
         * values a forward pass over the whole batch would give.
         */
        public void copyRowsFrom(Workspace source, int sourceRow, int targetRow, int rows) {
            actorWs.copyRows(source.actorWs, sourceRow, targetRow, rows);
            criticWs.copyRows(source.criticWs, sourceRow, targetRow, rows);
            headWs.copyRows(source.headWs, sourceRow, targetRow, rows);
            int a = actionCount;
            System.arraycopy(source.logProbs, sourceRow * a, logProbs, targetRow * a, rows * a);
            System.arraycopy(source.probs, sourceRow * a, probs, targetRow * a, rows * a);
            System.arraycopy(source.entropies, sourceRow, entropies, targetRow, rows);
            System.arraycopy(source.values, sourceRow, values, targetRow, rows);
            actorFeatures = actorWs.output();
            criticFeatures = criticWs.output();
        }

        void check(int batch) {
            if (batch > capacity) {
                throw new IllegalArgumentException("batch " + batch + " exceeds workspace capacity " + capacity);
            }
        }

        public int capacity() {
            return capacity;
        }

        /** [batch * actionCount] log-probabilities from the last {@link #policy} call. */
        public float[] logProbs() {
            return logProbs;
        }

        /** [batch * actionCount] probabilities from the last {@link #policy} call. */
        public float[] probs() {
            return probs;
        }

        /** [batch] policy entropies from the last {@link #policy} call. */
        public float[] entropies() {
            return entropies;
        }

        /** [batch] values from the last {@link #value} call. */
        public float[] values() {
            return values;
        }

        /** [batch * actionCount] dL/dlogits, filled by the caller before {@link #backward}. */
        public float[] logitGrads() {
            return logitGrads;
        }

        /** [batch] dL/dV, filled by the caller before {@link #backward}. */
        public float[] valueGrads() {
            return valueGrads;
        }
    }
}
