package org.recsysrl.agent;

import org.recsysrl.config.PolicyNetworkConfig;
import org.recsysrl.env.ActionMasks;
import org.recsysrl.nn.Activation;
import org.recsysrl.nn.Embedding;
import org.recsysrl.nn.HistoryEncoder;
import org.recsysrl.nn.Kernels;
import org.recsysrl.nn.WeightInit;
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
 * <p>With {@code model.history_encoder} set, the observation also carries the episode's item-id
 * history (the last L items shown, left-padded with −1): learned item embeddings
 * ({@code history.items.weight}) of the history are encoded by a {@link HistoryEncoder}
 * ({@code history.encoder.*}), and the state at the last position, h (width
 * {@code model.embedding_dim}; zeros for an empty history), is appended to the observation that
 * both MLPs read, x = [obs, h]. The gradients of both MLPs' inputs flow back into the encoder.
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
    // the item-history features (null without a history encoder)
    private final Embedding historyItems;
    private final HistoryEncoder historyEncoder;
    private final int historyLength;
    private final int historyDim;
    private final int inputSize;
    private final int historyParamsFrom;
    private final int historyParamsTo;
    private final int slateSize;

    /**
     * What the network is built for, apart from its settings: the observation size, the number of
     * actions and what an environment supplies for the heads that need it. Start from
     * {@link #of(int, int)} and add what applies.
     *
     * @param observationSize floats per observation (without the item history)
     * @param actionCount the actions (items, or candidate slots)
     * @param slateSize actions per step: 1, or K for an environment that shows slates of K
     *     distinct actions (the actor's scores then define a Plackett–Luce distribution over slates)
     * @param itemEmbeddings the catalog's item embeddings [actionCount × itemDim] for the embedding
     *     head ({@code model.actor_head = embedding}; the head keeps a transposed copy), or null
     * @param itemDim the width of {@code itemEmbeddings} (0 without them)
     * @param candidates where each observation describes each action's candidate, for the
     *     candidate head ({@code model.actor_head = candidates}), or null
     * @param actionGroups the group of every action for the hierarchical head
     *     ({@code model.actor_head = hierarchical}: a group, then an action of it), or null
     */
    public record Spec(int observationSize, int actionCount, int slateSize, float[] itemEmbeddings, int itemDim,
            CandidateBlocks candidates, int[] actionGroups) {

        /** Single actions over an observation alone: what the logits head needs. */
        public static Spec of(int observationSize, int actionCount) {
            return new Spec(observationSize, actionCount, 1, null, 0, null, null);
        }

        /** This spec for slates of {@code k} distinct actions per step. */
        public Spec slates(int k) {
            return new Spec(observationSize, actionCount, k, itemEmbeddings, itemDim, candidates, actionGroups);
        }

        /** This spec with the catalog's item embeddings ([actionCount × dim]) for the embedding head. */
        public Spec itemEmbeddings(float[] embeddings, int dim) {
            return new Spec(observationSize, actionCount, slateSize, embeddings, dim, candidates, actionGroups);
        }

        /** This spec with the observation's candidate blocks for the candidate head. */
        public Spec candidates(CandidateBlocks blocks) {
            return new Spec(observationSize, actionCount, slateSize, itemEmbeddings, itemDim, blocks, actionGroups);
        }

        /** This spec with every action's group for the hierarchical head. */
        public Spec actionGroups(int[] groups) {
            return new Spec(observationSize, actionCount, slateSize, itemEmbeddings, itemDim, candidates, groups);
        }
    }

    /**
     * Builds and initialises the network for {@code spec} with the settings of {@code config}; the
     * actor head is {@code config.actorHead()}.
     *
     * @param rng consumed for initialisation, layer by layer in parameter order
     * @throws org.recsysrl.util.UserInputException when the chosen head needs what the spec lacks
     *     (groups for {@code hierarchical}, candidate blocks for {@code candidates})
     */
    public ActorCritic(Spec spec, PolicyNetworkConfig config, Rng rng) {
        int observationSize = spec.observationSize();
        int actionCount = spec.actionCount();
        int slateSize = spec.slateSize();
        if (slateSize < 1 || slateSize > actionCount) {
            throw new IllegalArgumentException("slate size " + slateSize + " not in [1, " + actionCount + "]");
        }
        this.slateSize = slateSize;
        this.observationSize = observationSize;
        this.actionCount = actionCount;
        this.historyLength = config.historyLength();
        this.historyDim = historyLength > 0 ? config.history().dim() : 0;
        this.inputSize = observationSize + historyDim;
        Activation act = config.activation();
        this.actor = new Mlp(params, "actor.backbone", inputSize, toArray(config.actorHiddenDims()), act);
        this.head = createHead(spec, config);
        this.critic = new Mlp(params, "critic.backbone", inputSize, toArray(config.criticHiddenDims()), act);
        this.value = new Linear(params, "critic.value", critic.outputSize(), 1);
        if (historyLength > 0) {
            this.historyParamsFrom = params.size();
            this.historyItems = new Embedding(params, "history.items", actionCount, historyDim);
            this.historyEncoder = config.history().encoder().orElseThrow().create(params, "history.encoder",
                    historyDim, historyLength, config.history().blocks(), config.history().heads());
            this.historyParamsTo = params.size();
        } else {
            this.historyParamsFrom = 0;
            this.historyItems = null;
            this.historyEncoder = null;
            this.historyParamsTo = 0;
        }
        initialiseWeights(config.init(), rng);
    }

    /** The actor head {@code config.actorHead()} on the actor backbone, its parameters registered. */
    private ActorHead createHead(Spec spec, PolicyNetworkConfig config) {
        int observationSize = spec.observationSize();
        int actionCount = spec.actionCount();
        switch (config.actorHead()) {
            case HIERARCHICAL -> {
                int[] actionGroups = spec.actionGroups();
                if (actionGroups == null || actionGroups.length != actionCount) {
                    throw new org.recsysrl.util.UserInputException("model.actor_head=hierarchical needs an environment"
                            + " whose items come in groups (e.g. env.type=e-commerce: categories)");
                }
                return new HierarchicalHead(params, actor.outputSize(), actionGroups);
            }
            case CANDIDATES -> {
                CandidateBlocks candidates = spec.candidates();
                if (candidates == null || candidates.count() != actionCount) {
                    throw new org.recsysrl.util.UserInputException("model.actor_head=candidates needs an environment"
                            + " whose observation describes each action's candidate (e.g. env.type=interest-evolution)");
                }
                return new CandidateHead(params, actor.outputSize(), observationSize, candidates);
            }
            case EMBEDDING -> {
                float[] itemEmbeddings = spec.itemEmbeddings();
                int itemDim = spec.itemDim();
                if (itemEmbeddings == null || itemEmbeddings.length != actionCount * itemDim) {
                    throw new IllegalArgumentException("the embedding head needs the catalog's item embeddings");
                }
                return new ItemEmbeddingHead(params, actor.outputSize(), itemEmbeddings, itemDim,
                        config.logitScale(), config.learnLogitScale(), config.itemBias());
            }
            case LOGITS -> {
                return new LinearLogitsHead(params, "actor.logits", actor.outputSize(), actionCount);
            }
            default -> throw new IllegalStateException("unknown actor head " + config.actorHead());
        }
    }

    /**
     * Initialises every layer in parameter order (gain √2 for hidden layers, 0.01 for the actor's
     * output, 1 for the value), then the history embeddings and encoder.
     */
    private void initialiseWeights(WeightInit init, Rng rng) {
        double hiddenGain = Math.sqrt(2.0);
        for (Linear l : actor.layers()) {
            init.initialise(l, hiddenGain, rng);
        }
        if (head instanceof HierarchicalHead hierarchical) {
            for (Linear l : hierarchical.layers()) {
                init.initialise(l, 0.01, rng);
            }
        } else {
            init.initialise(head instanceof LinearLogitsHead logits ? logits.linear()
                    : head instanceof ItemEmbeddingHead embedding ? embedding.query() : ((CandidateHead) head).query(),
                    0.01, rng);
        }
        head.initialiseExtras();
        for (Linear l : critic.layers()) {
            init.initialise(l, hiddenGain, rng);
        }
        init.initialise(value, 1.0, rng);
        if (historyItems != null) {
            historyItems.initializeNormal(1.0 / Math.sqrt(historyDim), rng);
            historyEncoder.initialize(rng);
        }
    }

    /**
     * Actions per step: 1, or K when the policy chooses slates. A slate is drawn from the actor's
     * distribution π = softmax(logits) without replacement (Plackett–Luce, {@link
     * org.recsysrl.nn.PlackettLuce}), or taken as the K most probable actions when acting greedily.
     */
    public int slateSize() {
        return slateSize;
    }

    /** Length L of the item history the model reads (0: it reads the observation alone). */
    public int historyLength() {
        return historyLength;
    }


    private static int[] toArray(java.util.List<Integer> dims) {
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    public ParameterStore parameters() {
        return params;
    }

    /** The actor's backbone (for a minibatch step that splits the network between threads). */
    Mlp actorBackbone() {
        return actor;
    }

    /** The actor's head. */
    ActorHead actorHead() {
        return head;
    }

    /** The critic's backbone. */
    Mlp criticBackbone() {
        return critic;
    }

    /** The critic's value layer (one output). */
    Linear valueLayer() {
        return value;
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
        policy(ws, obs, null, batch, allowed);
    }

    /**
     * As {@link #policy(Workspace, float[], int, long[])} for a model with a history encoder:
     * {@code histories} holds row b's item history from {@code b * historyLength()} (as
     * {@link org.recsysrl.env.VectorEnv#histories()}); null only for a model without one.
     */
    public void policy(Workspace ws, float[] obs, int[] histories, int batch, long[] allowed) {
        ws.check(batch);
        float[] features = actor.forward(ws.actorWs, input(ws, obs, histories, batch), batch);
        ws.actorFeatures = features;
        head.forward(ws.headWs, features, obs, ws.logProbs, batch);
        int a = actionCount;
        if (allowed != null) {
            applyMask(ws.logProbs, batch, a, allowed);
        }
        for (int b = 0; b < batch; b++) {
            ws.entropies[b] = Kernels.softmax(ws.logProbs, b * a, a, ws.logProbs, ws.probs, b * a);
        }
    }

    /**
     * Inference for one row: writes log π(· | obs) into {@code out} (at least {@link #actionCount}
     * long), the same bits as {@code ws.logProbs()} after {@link #policy(Workspace, float[], int[], int, long[])}
     * with a batch of 1 and no mask, but without the probabilities and the entropy, and through the
     * head's single-row layout ({@link ActorHead#forwardInference}). Leaves the workspace unfit for
     * a backward pass.
     */
    public void logPolicy(Workspace ws, float[] obs, int[] histories, float[] out) {
        ws.check(1);
        float[] features = actor.forward(ws.actorWs, input(ws, obs, histories, 1), 1);
        head.forwardInference(ws.headWs, features, obs, out);
        Kernels.logSoftmax(out, 0, actionCount, out, 0);
    }

    /**
     * The width of the per-row query through which several rows of {@link #logPolicy} can share one
     * pass over the items ({@link #inferenceQuery}, {@link #logPolicies}); 0 if the head has none.
     */
    public int inferenceQueryWidth() {
        return head.inferenceQueryWidth();
    }

    /**
     * The first half of {@link #logPolicy} for one row: the actor's layers and the head's query,
     * written into {@code queries} from {@code row · inferenceQueryWidth()}.
     */
    public void inferenceQuery(Workspace ws, float[] obs, int[] histories, float[] queries, int row) {
        ws.check(1);
        float[] features = actor.forward(ws.actorWs, input(ws, obs, histories, 1), 1);
        head.inferenceQuery(ws.headWs, features, queries, row);
    }

    /**
     * The second half of {@link #logPolicy} for {@code rows} queries of {@link #inferenceQuery} at
     * once: {@code out[r]} gets row r's log π, the same bits as {@link #logPolicy} gives that row
     * alone, the items read once for all rows.
     */
    public void logPolicies(float[] queries, int rows, float[][] out) {
        head.inferenceLogits(queries, rows, out);
        for (int r = 0; r < rows; r++) {
            Kernels.logSoftmax(out[r], 0, actionCount, out[r], 0);
        }
    }

    /** The width of the head's inner-product form ({@link ActorHead#logitDimension}); 0 if it has none. */
    public int logitDimension() {
        return head.logitDimension();
    }

    /** Whether the last component of {@link #logitVectors}'s rows is an item bias ({@link ActorHead#logitBias}). */
    public boolean logitBias() {
        return head.logitBias();
    }

    /** The head's item vectors of its inner-product form ({@link ActorHead#logitVectors}), or null. */
    public float[] logitVectors() {
        return head.logitVectors();
    }

    /**
     * Inference for one row in inner-product form: writes into {@code query} (at least
     * {@link #logitDimension} long) the vector whose inner product with item i's row of
     * {@link #logitVectors} is the logit {@link #logPolicy} normalises; nothing per item is computed.
     */
    public void logitQuery(Workspace ws, float[] obs, int[] histories, float[] query) {
        ws.check(1);
        float[] features = actor.forward(ws.actorWs, input(ws, obs, histories, 1), 1);
        head.logitQuery(ws.headWs, features, query);
    }

    /** The actor head's vector per item ({@link ActorHead#itemVectors}), or null if it has none. */
    public float[] itemVectors() {
        return head.itemVectors();
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
        value(ws, obs, null, batch);
    }

    /** As {@link #value(Workspace, float[], int)} with the item histories (see {@link #policy(Workspace, float[], int[], int, long[])}). */
    public void value(Workspace ws, float[] obs, int[] histories, int batch) {
        ws.check(batch);
        float[] features = critic.forward(ws.criticWs, input(ws, obs, histories, batch), batch);
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
        backward(ws, obs, null, batch, accumulate);
    }

    /**
     * As {@link #backward(Workspace, float[], int, boolean)} for a model with a history encoder, whose
     * last {@link #policy} and {@link #value} passes read {@code histories}: the gradients of both
     * MLPs' inputs at the history features go back through the encoder into the item embeddings.
     */
    public void backward(Workspace ws, float[] obs, int[] histories, int batch, boolean accumulate) {
        ws.check(batch);
        float[] x = historyLength > 0 ? ws.input : obs;
        if (historyLength > 0 && !accumulate) {
            java.util.Arrays.fill(params.grad(), historyParamsFrom, historyParamsTo, 0f);
        }
        float[] dxActor = historyLength > 0 ? ws.inputGradActor : null;
        float[] dxCritic = historyLength > 0 ? ws.inputGradCritic : null;
        head.backward(ws.headWs, ws.actorFeatures, obs, ws.logitGrads, ws.actorFeatureGrads, batch, accumulate);
        actor.backward(ws.actorWs, x, ws.actorFeatureGrads, dxActor, batch, accumulate);
        value.backward(ws.criticFeatures, ws.valueGrads, ws.criticFeatureGrads, batch, accumulate);
        critic.backward(ws.criticWs, x, ws.criticFeatureGrads, dxCritic, batch, accumulate);
        if (historyLength > 0) {
            // dL/dh = the two MLPs' input gradients at the history columns, at each row's last position
            int l = historyLength;
            int d = historyDim;
            java.util.Arrays.fill(ws.dStates, 0, batch * l * d, 0f);
            for (int b = 0; b < batch; b++) {
                if (ws.firstValid[b] == l) {
                    continue; // an empty history contributes the constant 0
                }
                int src = b * inputSize + observationSize;
                int dst = (b * l + l - 1) * d;
                for (int j = 0; j < d; j++) {
                    ws.dStates[dst + j] = dxActor[src + j] + dxCritic[src + j];
                }
            }
            historyEncoder.backward(ws.encoderWs, ws.historyEmbeddings, ws.firstValid, ws.dStates,
                    ws.dHistoryEmbeddings, batch, l);
            historyItems.backward(ws.historyIds, batch * l, ws.dHistoryEmbeddings, null);
        }
    }

    /**
     * The MLPs' input for a batch: the observations themselves, or with a history encoder
     * [obs, h] per row (h = the encoder's state at the last position; zeros for an empty history).
     */
    private float[] input(Workspace ws, float[] obs, int[] histories, int batch) {
        if (historyLength == 0) {
            if (histories != null) {
                throw new IllegalArgumentException("this model reads no item histories (model.history_encoder=none)");
            }
            return obs;
        }
        if (histories == null) {
            throw new IllegalArgumentException("this model reads the item history: pass the histories of the batch");
        }
        int l = historyLength;
        int d = historyDim;
        for (int b = 0; b < batch; b++) {
            int fv = l;
            for (int t = 0; t < l; t++) {
                int id = histories[b * l + t];
                ws.historyIds[b * l + t] = id;
                if (id >= 0 && fv == l) {
                    fv = t;
                }
            }
            // a history is a suffix: ids before the first valid one are padding
            for (int t = 0; t < fv; t++) {
                ws.historyIds[b * l + t] = -1;
            }
            ws.firstValid[b] = fv; // l for an empty history: all padding, h = 0
        }
        historyItems.forward(ws.historyIds, batch * l, ws.historyEmbeddings);
        historyEncoder.forward(ws.encoderWs, ws.historyEmbeddings, ws.firstValid, batch, l, ws.states, 0, null);
        for (int b = 0; b < batch; b++) {
            System.arraycopy(obs, b * observationSize, ws.input, b * inputSize, observationSize);
            int src = (b * l + l - 1) * d;
            if (ws.firstValid[b] < l) {
                System.arraycopy(ws.states, src, ws.input, b * inputSize + observationSize, d);
            } else {
                java.util.Arrays.fill(ws.input, b * inputSize + observationSize, (b + 1) * inputSize, 0f);
            }
        }
        return ws.input;
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
        // history features (empty arrays without a history encoder)
        private final float[] input;
        private final float[] inputGradActor;
        private final float[] inputGradCritic;
        private final int[] historyIds;
        private final int[] firstValid;
        private final float[] historyEmbeddings;
        private final float[] states;
        private final float[] dStates;
        private final float[] dHistoryEmbeddings;
        private final HistoryEncoder.Workspace encoderWs;

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
            int h = historyLength > 0 ? capacity : 0;
            this.input = new float[h * inputSize];
            this.inputGradActor = new float[h * inputSize];
            this.inputGradCritic = new float[h * inputSize];
            this.historyIds = new int[h * historyLength];
            this.firstValid = new int[h];
            this.historyEmbeddings = new float[h * historyLength * historyDim];
            this.states = new float[h * historyLength * historyDim];
            this.dStates = new float[h * historyLength * historyDim];
            this.dHistoryEmbeddings = new float[h * historyLength * historyDim];
            this.encoderWs = historyLength > 0 ? historyEncoder.newWorkspace(capacity, historyLength) : null;
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
            if (historyLength > 0) {
                throw new IllegalStateException("the forward passes of a model with a history encoder cannot be copied;"
                        + " run them on this workspace");
            }
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
