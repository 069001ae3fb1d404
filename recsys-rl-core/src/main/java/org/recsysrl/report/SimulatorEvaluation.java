package org.recsysrl.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.agent.ActorCriticPolicy;
import org.recsysrl.config.RunConfig;
import org.recsysrl.env.SimulatorWorld;
import org.recsysrl.eval.EpisodeStats;
import org.recsysrl.eval.Evaluation;
import org.recsysrl.eval.EvaluationReport;
import org.recsysrl.eval.PolicySummary;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.model.Models;
import org.recsysrl.util.Rng;
import org.recsysrl.util.UserInputException;
import org.recsysrl.workload.SimulatorWorkload;

/**
 * {@code evaluate} for a checkpoint trained in the simulator: the agent and the random,
 * best-constant and greedy-oracle policies on the same users, with the personalisation score.
 */
public final class SimulatorEvaluation {
    /** Episodes listed one per line in the text report. */
    static final int LISTED_EPISODES = 100;

    /** Upper bound of episodes × steps per policy on the simulator (about a minute per policy). */
    static final long MAX_STEPS_PER_POLICY = 100_000_000L;

    private SimulatorEvaluation() {
    }

    /**
     * The agent's and the references' episodes.
     *
     * @param report the comparison on the same users
     * @param loaded the checkpoint
     */
    public record Result(EvaluationReport report, Checkpoint.Loaded loaded) implements EvaluationResult {
        @Override
        public String text() {
            return toText(report, loaded) + System.lineSeparator();
        }

        @Override
        public String json() {
            return toJson(report, loaded) + System.lineSeparator();
        }
    }

    /** The simulator: the agent and the three reference policies on the same users. */
    static Result run(EvaluationOptions o, Checkpoint.Loaded loaded, SimulatorWorkload w) {
        if (o.data() != null) {
            throw new UserInputException("--data: " + o.checkpoint() + " was trained on the simulator, not on a data set;"
                    + " drop --data");
        }
        RunConfig cfg = w.config();
        long steps = (long) o.episodes() * cfg.env().maxEpisodeSteps();
        if (steps > MAX_STEPS_PER_POLICY) {
            throw new UserInputException(String.format(Locale.ROOT, "--episodes %d × env.max_episode_steps %d of %s"
                    + " = %,d steps per policy, more than %,d: lower --episodes", o.episodes(),
                    cfg.env().maxEpisodeSteps(), o.checkpoint(), steps, MAX_STEPS_PER_POLICY));
        }
        SimulatorWorld world = w.world();
        org.recsysrl.setup.Setup setup = SimulatorWorkload.setup(world);
        Models.requireSameCatalog(loaded, setup);
        ActorCritic model = Models.actorCritic(cfg, setup);
        loaded.loadInto(model.parameters());
        ActorCriticPolicy policy = new ActorCriticPolicy(loaded.info().algorithm(), model, !o.sample(),
                Rng.stream(o.seed(), Evaluation.AGENT_STREAM), 1);
        EvaluationReport report = Evaluation.compare(() -> world.newEnvironment(0), policy, !o.sample(), o.episodes(),
                o.seed());
        return new Result(report, loaded);
    }

    static String toText(EvaluationReport r, Checkpoint.Loaded loaded) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "checkpoint %s: %s, %d steps, env seed %d; %d episodes, %s actions%n",
                loaded.path(), loaded.info().algorithm(), loaded.info().steps(), loaded.info().envSeed(),
                r.episodes().size(), r.deterministic() ? "argmax" : "sampled"));
        int i = 1;
        for (EpisodeStats e : r.episodes()) {
            if (i > LISTED_EPISODES) {
                sb.append(String.format(Locale.ROOT, "... and %,d more episodes (--json lists every one)%n",
                        r.episodes().size() - LISTED_EPISODES));
                break;
            }
            sb.append(String.format(Locale.ROOT, "episode %3d  user %4d  total reward %8.3f%n", i++, e.user(), e.total()));
        }
        sb.append(String.format(Locale.ROOT, "%n%-15s %9s %9s %9s %9s %9s %9s%n", "policy", "total", "±", "mean",
                "max", "min", "std"));
        for (PolicySummary s : r.summaries()) {
            sb.append(String.format(Locale.ROOT, "%-15s %9.3f %9.3f %9.4f %9.4f %9.4f %9.4f%n", s.policy(), s.total(),
                    s.totalStd(), s.mean(), s.max(), s.min(), s.std()));
        }
        sb.append(String.format(Locale.ROOT,
                "%n(averages over episodes of the total, mean, max, min and std of step rewards; ± = std of totals;"
                        + " best-constant item %d)%n", r.bestConstantItem()));
        sb.append(String.format(Locale.ROOT,
                "personalisation score P = (R - R_best-constant) / (R_oracle - R_best-constant) = %s",
                org.recsysrl.eval.Personalisation.format(r.personalisation())));
        return sb.toString();
    }

    static String toJson(EvaluationReport r, Checkpoint.Loaded loaded) {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        root.put("checkpoint", loaded.path().toString());
        root.put("algorithm", loaded.info().algorithm());
        root.put("steps", loaded.info().steps());
        root.put("env_seed", loaded.info().envSeed());
        root.put("deterministic", r.deterministic());
        ArrayNode eps = root.putArray("episodes");
        for (EpisodeStats e : r.episodes()) {
            ObjectNode o = eps.addObject();
            o.put("user", e.user());
            o.put("total", e.total());
            o.put("mean", e.mean());
            o.put("max", e.max());
            o.put("min", e.min());
            o.put("std", e.std());
        }
        ObjectNode pol = root.putObject("policies");
        for (PolicySummary s : r.summaries()) {
            ObjectNode o = pol.putObject(s.policy());
            o.put("episodes", s.episodes());
            o.put("total", s.total());
            o.put("total_std", s.totalStd());
            o.put("mean", s.mean());
            o.put("max", s.max());
            o.put("min", s.min());
            o.put("std", s.std());
        }
        root.put("best_constant_item", r.bestConstantItem());
        if (Double.isNaN(r.personalisation())) {
            root.putNull("personalisation");
            root.put("personalisation_note", org.recsysrl.eval.Personalisation.UNDEFINED);
        } else {
            root.put("personalisation", r.personalisation());
        }
        try {
            return m.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the evaluation as JSON", e);
        }
    }
}
