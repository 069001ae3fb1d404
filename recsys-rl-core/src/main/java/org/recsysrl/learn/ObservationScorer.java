package org.recsysrl.learn;

import org.recsysrl.agent.ActorCritic;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.ope.policy.ItemScorer;
import org.recsysrl.util.UserInputException;

/**
 * A platform policy network as an off-policy evaluation target on a log whose rows carry the
 * environment's observation as their context (what {@code recsys-rl log} writes): the score of an
 * item is log π(a | x) at the row's context, so a {@link org.recsysrl.ope.policy.ScorerPolicy} at
 * temperature 1 is the network's own softmax policy and at temperature 0 its greedy one. Items of
 * the log are the actions {@code i<a>}; an item that is not one gets probability 0.
 */
public final class ObservationScorer implements ItemScorer {
    private final ActorCritic model;
    private final int[] actionOfItem;
    private final ActorCritic.Workspace ws;
    private final float[] obs;

    private ObservationScorer(ActorCritic model, int[] actionOfItem) {
        this.model = model;
        this.actionOfItem = actionOfItem;
        this.ws = model.newWorkspace(1);
        this.obs = new float[model.observationSize()];
    }

    /**
     * Whether {@code log} can be scored by a network of {@code observationSize} inputs: its rows carry
     * contexts of that width and at least one of its item ids is an action {@code i<a>} of the network.
     */
    public static boolean applies(LoggedFeedback log, int observationSize, int actionCount) {
        if (log.contextDim() != observationSize) {
            return false;
        }
        for (String id : log.itemIds()) {
            int a = LoggedContexts.actionOf(id);
            if (a >= 0 && a < actionCount) {
                return true;
            }
        }
        return false;
    }

    /**
     * The scorer of {@code model} over {@code log}'s items.
     *
     * @throws UserInputException if the log's contexts are not the model's observations
     */
    public static ObservationScorer of(ActorCritic model, LoggedFeedback log, String what) {
        if (!applies(log, model.observationSize(), model.actionCount())) {
            throw new UserInputException(what + ": the log's rows need the environment's observation as their context ("
                    + model.observationSize() + " features, got " + log.contextDim() + ") and items i0 .. i"
                    + (model.actionCount() - 1) + ": log with `recsys-rl log` on the checkpoint's environment");
        }
        if (model.historyLength() > 0 || model.slateSize() != 1) {
            throw new UserInputException(what + ": the checkpoint reads item histories or shows slates, which the log's"
                    + " contexts do not describe: evaluate a single-item policy without model.history_length");
        }
        int[] actionOfItem = new int[log.numItems()];
        for (int i = 0; i < actionOfItem.length; i++) {
            int a = LoggedContexts.actionOf(log.itemIds().get(i));
            actionOfItem[i] = a < model.actionCount() ? a : -1;
        }
        return new ObservationScorer(model, actionOfItem);
    }

    /**
     * The scorer of the checkpoint {@code file} over {@code log}, or null when it does not apply: the
     * checkpoint is not a policy of a platform environment, or the log's rows do not carry that
     * environment's observations and actions (then the caller scores by user, as for other models).
     */
    public static ObservationScorer forCheckpoint(java.nio.file.Path file, LoggedFeedback log, String what) {
        org.recsysrl.model.LoadedModel loaded = org.recsysrl.model.Models.load(file, null);
        if (!(loaded instanceof org.recsysrl.model.PolicyCheckpoint policy)
                || !(policy.workload() instanceof org.recsysrl.workload.PlatformWorkload)) {
            return null;
        }
        ActorCritic network = policy.network();
        if (!applies(log, network.observationSize(), network.actionCount())) {
            return null;
        }
        return of(network, log, what);
    }

    @Override
    public void score(LoggedFeedback log, int row, double[] out) {
        for (int j = 0; j < obs.length; j++) {
            obs[j] = (float) log.context(row, j);
        }
        model.policy(ws, obs, 1);
        float[] logp = ws.logProbs();
        for (int i = 0; i < out.length; i++) {
            int a = actionOfItem[i];
            out[i] = a < 0 ? Double.NEGATIVE_INFINITY : logp[a];
        }
    }
}
