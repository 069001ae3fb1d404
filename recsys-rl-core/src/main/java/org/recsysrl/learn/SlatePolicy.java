package org.recsysrl.learn;

import java.nio.file.Path;
import java.util.Arrays;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.model.LoadedModel;
import org.recsysrl.model.Models;
import org.recsysrl.model.PolicyCheckpoint;
import org.recsysrl.nn.PlackettLuce;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.ope.policy.TargetPolicy;
import org.recsysrl.util.UserInputException;
import org.recsysrl.workload.PlatformWorkload;

/**
 * A Plackett–Luce slate policy as an off-policy evaluation target on a slate log whose rows carry the
 * environment's observation as their context: K distinct actions drawn from p = softmax(z) one
 * position after the other, z the slate actor's scores at the row's context (the policy a slate
 * checkpoint of {@code train --algo banditnet|offpolicy-dr} defines), or p uniform. Its
 * per-position marginals π(a at k | x) are exact ({@link SlateObjectives#marginals}, every ordered
 * slate enumerated) and its probability of the logged slate is the Plackett–Luce product, so the
 * per-position estimators ({@code iips}, {@code sdr}) and the whole-slate ones ({@code sips}, the
 * multi-step estimators on whole-slate ratios) read it alike. Items of the log are the actions
 * {@code i<a>}; an item that is not one gets probability 0. Computes one row at a time and keeps
 * the last (the estimators visit a row's positions in turn).
 */
public final class SlatePolicy implements TargetPolicy {
    private final String name;
    private final ActorCritic model;
    private final int actionCount;
    private final int slateSize;
    private final int[] actionOfItem;
    private final ActorCritic.Workspace ws;
    private final float[] obs;
    private final double[] probs;
    private final float[] logp;
    private final double[] marginals;
    private final int[] slate;
    private LoggedFeedback cachedLog;
    private int cachedRow = -1;

    private SlatePolicy(String name, ActorCritic model, int actionCount, int slateSize, LoggedFeedback log) {
        this.name = name;
        this.model = model;
        this.actionCount = actionCount;
        this.slateSize = slateSize;
        long slates = SlateObjectives.slateCount(actionCount, slateSize);
        if (slates > SlateObjectives.MAX_SLATES) {
            throw new UserInputException("slates of " + slateSize + " from " + actionCount + " actions are " + slates
                    + " ordered slates, more than the " + SlateObjectives.MAX_SLATES + " the exact marginals enumerate");
        }
        this.actionOfItem = new int[log.numItems()];
        for (int i = 0; i < actionOfItem.length; i++) {
            int a = LoggedBandit.actionOf(log.itemIds().get(i));
            actionOfItem[i] = a >= 0 && a < actionCount ? a : -1;
        }
        this.ws = model == null ? null : model.newWorkspace(1);
        this.obs = model == null ? null : new float[model.observationSize()];
        this.probs = new double[actionCount];
        this.logp = new float[actionCount];
        this.marginals = new double[slateSize * actionCount];
        this.slate = new int[slateSize];
        if (model == null) {
            Arrays.fill(probs, 1.0 / actionCount);
            Arrays.fill(logp, (float) -Math.log(actionCount));
            SlateObjectives.marginals(probs, 0, actionCount, slateSize, marginals);
        }
    }

    /**
     * The uniform policy over ordered slates of {@code slateSize} distinct actions among
     * {@code actionCount}: every action at every position with probability 1/n, every slate with
     * (n − K)!/n!.
     */
    public static SlatePolicy uniform(String name, int actionCount, int slateSize, LoggedFeedback log) {
        return new SlatePolicy(name, null, actionCount, slateSize, log);
    }

    /**
     * The Plackett–Luce policy of {@code model} (a slate actor over {@code log}'s contexts).
     *
     * @throws UserInputException if the log's contexts are not the model's observations or the model does not show slates
     */
    public static SlatePolicy of(String name, ActorCritic model, LoggedFeedback log, String what) {
        if (model.slateSize() < 2 || model.historyLength() > 0) {
            throw new UserInputException(what + ": not a slate policy over the observation (slates of "
                    + model.slateSize() + ", item history " + model.historyLength() + ")");
        }
        if (!ObservationScorer.applies(log, model.observationSize(), model.actionCount())) {
            throw new UserInputException(what + ": the log's rows need the environment's observation as their context ("
                    + model.observationSize() + " features, got " + log.contextDim() + ") and items i0 .. i"
                    + (model.actionCount() - 1) + ": log with `recsys-rl log` on the checkpoint's environment");
        }
        return new SlatePolicy(name, model, model.actionCount(), model.slateSize(), log);
    }

    /**
     * The Plackett–Luce policy of the slate checkpoint {@code file} over {@code log}, or null when it
     * is not a slate policy of a platform environment whose observations the log's rows carry.
     */
    public static SlatePolicy forCheckpoint(String name, Path file, LoggedFeedback log, String what) {
        LoadedModel loaded = Models.load(file, null);
        if (!(loaded instanceof PolicyCheckpoint policy) || !(policy.workload() instanceof PlatformWorkload)) {
            return null;
        }
        ActorCritic network = policy.network();
        if (network.slateSize() < 2 || !ObservationScorer.applies(log, network.observationSize(),
                network.actionCount())) {
            return null;
        }
        return of(name, network, log, what);
    }

    @Override
    public String name() {
        return name;
    }

    /** Computes p, log p and the marginals at {@code row}'s context (nothing for the uniform policy). */
    private void at(LoggedFeedback log, int row) {
        if (model == null || (log == cachedLog && row == cachedRow)) {
            return;
        }
        for (int j = 0; j < obs.length; j++) {
            obs[j] = (float) log.context(row, j);
        }
        model.policy(ws, obs, 1);
        float[] p = ws.probs();
        float[] lp = ws.logProbs();
        for (int a = 0; a < actionCount; a++) {
            probs[a] = p[a];
            logp[a] = lp[a];
        }
        SlateObjectives.marginals(probs, 0, actionCount, slateSize, marginals);
        cachedLog = log;
        cachedRow = row;
    }

    @Override
    public double probability(LoggedFeedback log, int row, int position, int item) {
        int a = actionOfItem[item];
        if (a < 0 || position >= slateSize) {
            return 0;
        }
        at(log, row);
        return marginals[position * actionCount + a];
    }

    @Override
    public void distribution(LoggedFeedback log, int row, int position, double[] out) {
        at(log, row);
        for (int i = 0; i < out.length; i++) {
            int a = actionOfItem[i];
            out[i] = a < 0 || position >= slateSize ? 0 : marginals[position * actionCount + a];
        }
    }

    /** The Plackett–Luce probability of the logged slate (0 if it repeats an action or shows a non-action). */
    @Override
    public double slateProbability(LoggedFeedback log, int row) {
        if (log.slateLength(row) != slateSize || log.position(row) != 0) {
            return 0;
        }
        for (int k = 0; k < slateSize; k++) {
            slate[k] = actionOfItem[log.item(row, k)];
            if (slate[k] < 0) {
                return 0;
            }
            for (int m = 0; m < k; m++) {
                if (slate[m] == slate[k]) {
                    return 0;
                }
            }
        }
        at(log, row);
        return Math.exp(PlackettLuce.logProb(logp, 0, actionCount, slate, 0, slateSize));
    }

    @Override
    public boolean contextFree() {
        return model == null;
    }
}
