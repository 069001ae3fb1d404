package org.recsysrl.api;

import java.util.function.LongFunction;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.data.IdMap;
import org.recsysrl.env.Environment;
import org.recsysrl.env.ItemHistories;
import org.recsysrl.env.StepResult;
import org.recsysrl.model.LoadedModel;
import org.recsysrl.model.LogServing;
import org.recsysrl.model.PolicyCheckpoint;
import org.recsysrl.model.SequenceCheckpoint;
import org.recsysrl.model.SequenceModels;
import org.recsysrl.nn.QuantizedTopK;
import org.recsysrl.recommend.History;
import org.recsysrl.seq.SequenceRecommender;
import org.recsysrl.workload.EnvironmentWorkload;

/** The {@link Recommender.Backend}s of the two kinds of loaded model. */
final class Backends {
    private Backends() {
    }

    /** The backend of {@code model}. */
    static Recommender.Backend of(LoadedModel model) {
        if (model instanceof SequenceCheckpoint sequence) {
            return logs(sequence);
        }
        PolicyCheckpoint policy = (PolicyCheckpoint) model;
        EnvironmentWorkload.Serving serving = policy.serving();
        Recommender.Backend backend = policy(policy.network(), policy.setup().newEnv(), serving.items(),
                serving.users(), serving.replaySteps());
        backend.categories = policy.setup().actionGroups();
        return backend;
    }

    /**
     * A sequence model trained on a log: the checkpoint (or, for one of an earlier version, the log)
     * gives the item ids, the transitions and every known user's history.
     */
    private static Recommender.Backend logs(SequenceCheckpoint model) {
        LogServing serving = model.serving();
        org.recsysrl.recommend.Recommender scorer;
        if (org.recsysrl.model.Blends.stored(model.checkpoint())) {
            // the blend chosen on validation; its transitions and popularity are the whole log's
            scorer = SequenceModels.servedBlend(model.network(), model.checkpoint(), serving.transitions());
        } else {
            double alpha = SequenceModels.fixedMix(model.checkpoint(), model.config());
            if (Double.isNaN(alpha)) { // an earlier checkpoint without a stored α: Models read its log
                alpha = SequenceModels.mixOf(model.checkpoint(), model.network(), model.config(), model.data(),
                        System.err);
            }
            // serving knows every logged transition, so the mixture counts them all
            scorer = SequenceModels.served(model.network(), model.checkpoint().info().algorithm(), alpha,
                    serving.transitions(), "checkpoint " + model.checkpoint().path());
        }
        int[] offsets = serving.historyOffsets();
        int[] histories = serving.historyItems();
        Recommender.Backend backend = new Recommender.Backend(serving.items(), serving.users(), false) {
            @Override
            int userHistory(int user, Recommender.Workspace ws) {
                int from = offsets[user];
                int len = offsets[user + 1] - from;
                ws.ensureHistory(len + 1);
                System.arraycopy(histories, from, ws.history, 0, len);
                return len;
            }

            @Override
            org.recsysrl.recommend.Recommender.Scorer newScorer() {
                return scorer.newScorer();
            }

            @Override
            float[] itemVectors() {
                return model.network().itemVectors();
            }

            @Override
            int quantizedQueryLength() {
                return model.network().spec().dim();
            }

            @Override
            void quantizedQuery(Recommender.Workspace ws, History h, float[] query) {
                ((SequenceRecommender.StateScorer) ws.scorer).state(h, query);
            }
        };
        if (scorer instanceof SequenceRecommender network && quantize(serving.items().size())) {
            backend.quantized = network.quantizedTopK();
        }
        return backend;
    }

    /**
     * Whether a catalog of {@code items} gets the int8 table: from {@link QuantizedTopK#MIN_ITEMS}
     * items on, unless {@code -Drecsysrl.topk=float} asks for the float scan (for comparisons).
     */
    static boolean quantize(int items) {
        return items >= QuantizedTopK.MIN_ITEMS && !"float".equals(System.getProperty("recsysrl.topk"));
    }

    /**
     * Scores = log π(· | s) of the policy, where s is the environment's observation for the user
     * after the history's last items were shown (replayed in a private environment, at most
     * {@code maxSteps − 1} of them so the session has not ended; items the environment allows only
     * once are replayed once), and, for a model with a history encoder, the history's last items.
     */
    private static Recommender.Backend policy(ActorCritic model, LongFunction<? extends Environment> newEnv,
            IdMap items, IdMap users, int maxSteps) {
        return new Recommender.Backend(items, users, true) {
            @Override
            float[] itemVectors() {
                return model.itemVectors();
            }

            @Override
            int logitDimension() {
                return model.logitDimension();
            }

            @Override
            float[] logitVectors() {
                return model.logitVectors();
            }

            @Override
            boolean logitBias() {
                return model.logitBias();
            }

            @Override
            void logitQuery(Recommender.Workspace ws, History h, float[] query) {
                ((PolicyScorer) ws.scorer).query(h, query);
            }

            @Override
            org.recsysrl.recommend.Recommender.Scorer newScorer() {
                return new PolicyScorer(model, newEnv.apply(0L), items.size(), maxSteps);
            }
        };
    }

    /**
     * One thread's policy scorer: replays the history in a private environment, then either scores
     * every item (log π) or, for an index, writes the query of the policy's inner-product form.
     */
    static final class PolicyScorer implements org.recsysrl.recommend.Recommender.Scorer {
        private final ActorCritic model;
        private final Environment env;
        private final ActorCritic.Workspace ws;
        private final float[] obs;
        private final StepResult step = new StepResult();
        private final ItemHistories window;
        private final int[] replayed;
        private final int maxSteps;
        private int stamp;

        PolicyScorer(ActorCritic model, Environment env, int items, int maxSteps) {
            this.model = model;
            this.env = env;
            this.ws = model.newWorkspace(1);
            this.obs = new float[env.observationSize()];
            this.window = model.historyLength() > 0 ? new ItemHistories(1, model.historyLength()) : null;
            this.replayed = new int[items];
            this.maxSteps = maxSteps;
        }

        @Override
        public void score(History h, float[] out) {
            model.logPolicy(ws, obs, replay(h), out);
        }

        /** The observation the last call scored at (the scorer's buffer: copy it to keep it). */
        float[] observation() {
            return obs;
        }

        void query(History h, float[] query) {
            model.logitQuery(ws, obs, replay(h), query);
        }

        /** The width of the query through which several histories share one pass over the items; 0 if none. */
        int queryWidth() {
            return model.inferenceQueryWidth();
        }

        /** Replays the history and writes its query of the shared pass into {@code queries} as row {@code row}. */
        void query(History h, float[] queries, int row) {
            model.inferenceQuery(ws, obs, replay(h), queries, row);
        }

        /** log π of {@code rows} queries of {@link #query(History, float[], int)} into {@code out[r]}, one pass over the items. */
        void scoreQueries(float[] queries, int rows, float[][] out) {
            if (rows > 0) {
                model.logPolicies(queries, rows, out);
            }
        }

        /** Puts the user's state after the history into {@code obs}; returns the history window or null. */
        private int[] replay(History h) {
            env.reset(h.user(), obs, 0);
            int s = ++stamp;
            int from = Math.max(h.from(), h.to() - (maxSteps - 1));
            for (int p = from; p < h.to(); p++) {
                int item = h.items()[p];
                if (replayed[item] == s) {
                    continue;
                }
                replayed[item] = s;
                env.step(item, obs, 0, step);
                if (step.terminated || step.truncated) {
                    break;
                }
            }
            if (window == null) {
                return null;
            }
            window.clear(0);
            for (int p = Math.max(h.from(), h.to() - window.length()); p < h.to(); p++) {
                window.push(0, h.items()[p]);
            }
            return window.windows();
        }
    }
}
