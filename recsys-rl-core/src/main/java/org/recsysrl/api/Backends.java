package org.recsysrl.api;

import java.util.function.LongFunction;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.config.RunConfig;
import org.recsysrl.data.DataIdentity;
import org.recsysrl.data.IdMap;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.env.Environment;
import org.recsysrl.env.ItemHistories;
import org.recsysrl.env.MovieLensWorld;
import org.recsysrl.env.SimulatorWorld;
import org.recsysrl.env.StepResult;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.recommend.History;
import org.recsysrl.seq.SequenceModel;
import org.recsysrl.train.Experiment;
import org.recsysrl.train.LogData;
import org.recsysrl.train.LogTraining;
import org.recsysrl.train.Platforms;
import org.recsysrl.train.RealData;
import org.recsysrl.util.UserInputException;

/** The {@link Recommender.Backend}s of the three kinds of checkpoint. */
final class Backends {
    /** Items of a session history replayed into a platform environment, at most. */
    static final int PLATFORM_REPLAY_STEPS = 1000;

    private Backends() {
    }

    /** A sequence model trained on a log: the log gives the ids and every known user's history. */
    static Recommender.Backend logs(Checkpoint.Loaded loaded, RunConfig cfg) {
        LogData data = LogData.load(cfg.data(), cfg.eval());
        InteractionLog log = data.log();
        DataIdentity.fromMetadata(loaded.info().extra(), "checkpoint " + loaded.path())
                .requireSame(log.identity(), "checkpoint " + loaded.path());
        SequenceModel model = LogTraining.load(loaded, cfg, log.itemCount());
        // serving knows every logged transition, so the mixture counts them all
        double alpha = LogTraining.mixOf(loaded, model, cfg, data, System.err);
        org.recsysrl.recommend.Recommender scorer = LogTraining.served(model, loaded.info().algorithm(), alpha, log);
        return new Recommender.Backend(log.itemIds(), log.userIds(), false) {
            @Override
            int userHistory(int user, Recommender.Workspace ws) {
                int from = log.start(user);
                int len = log.end(user) - from;
                ws.ensureHistory(len + 1);
                System.arraycopy(log.items(), from, ws.history, 0, len);
                return len;
            }

            @Override
            org.recsysrl.recommend.Recommender.Scorer newScorer() {
                return scorer.newScorer();
            }
        };
    }

    /** A PPO/A2C policy of the simulator: items and users are 0 … n−1. */
    static Recommender.Backend simulator(Checkpoint.Loaded loaded, RunConfig cfg) {
        SimulatorWorld world = Experiment.world(cfg.env());
        ActorCritic model = Experiment.newModel(cfg, world);
        loaded.loadInto(model.parameters());
        return policy(model, world::newEnvironment, numbered(cfg.env().numItems()), numbered(cfg.env().numUsers()),
                cfg.env().maxEpisodeSteps());
    }

    /** A PPO/A2C policy of a platform environment: items and users are 0 … n−1. */
    static Recommender.Backend platform(Checkpoint.Loaded loaded, RunConfig cfg) {
        Experiment.Setup setup = Platforms.get(cfg.env().type()).setup(cfg.env().seed());
        if (setup.slateSize() > 1) {
            throw new UserInputException(cfg.env().type() + " checkpoints cannot be served: their actions are slots of"
                    + " candidates the simulator draws each step, not catalogue items; use evaluate");
        }
        ActorCritic model = Experiment.newModel(cfg, setup);
        loaded.loadInto(model.parameters());
        return policy(model, setup.newEnv(), numbered(setup.actionCount()), numbered(setup.userCount()),
                PLATFORM_REPLAY_STEPS);
    }

    /** A PPO/A2C policy of the movielens environment: the data is read and factorised again. */
    static Recommender.Backend movieLens(Checkpoint.Loaded loaded, RunConfig cfg) {
        RealData real = RealData.load(cfg.data(), cfg.env().maxEpisodeSteps());
        DataIdentity.fromMetadata(loaded.info().extra(), "checkpoint " + loaded.path())
                .requireSame(real.data().identity(), "checkpoint " + loaded.path());
        ActorCritic model = Experiment.newModel(cfg, Experiment.setup(real));
        loaded.loadInto(model.parameters());
        MovieLensWorld w = real.world();
        String[] users = new String[w.sessionUsers().length];
        for (int u = 0; u < users.length; u++) {
            users[u] = real.data().userIds().raw(w.sessionUsers()[u]);
        }
        return policy(model, w::newEnvironment, real.data().itemIds(), IdMap.of(users), cfg.env().maxEpisodeSteps());
    }

    private static IdMap numbered(int n) {
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = Integer.toString(i);
        }
        return IdMap.of(ids);
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
            org.recsysrl.recommend.Recommender.Scorer newScorer() {
                Environment env = newEnv.apply(0L);
                ActorCritic.Workspace ws = model.newWorkspace(1);
                float[] obs = new float[env.observationSize()];
                StepResult step = new StepResult();
                ItemHistories window = model.historyLength() > 0 ? new ItemHistories(1, model.historyLength()) : null;
                int[] replayed = new int[items.size()];
                int[] stamp = {0};
                return (History h, float[] out) -> {
                    env.reset(h.user(), obs, 0);
                    int s = ++stamp[0];
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
                    int[] hist = null;
                    if (window != null) {
                        window.clear(0);
                        for (int p = Math.max(h.from(), h.to() - window.length()); p < h.to(); p++) {
                            window.push(0, h.items()[p]);
                        }
                        hist = window.windows();
                    }
                    model.policy(ws, obs, hist, 1, null);
                    System.arraycopy(ws.logProbs(), 0, out, 0, model.actionCount());
                };
            }
        };
    }
}
