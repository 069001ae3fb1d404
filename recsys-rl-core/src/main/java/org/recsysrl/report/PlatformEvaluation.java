package org.recsysrl.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.agent.ActorCriticPolicy;
import org.recsysrl.agent.Policy;
import org.recsysrl.config.RunConfig;
import org.recsysrl.eval.Estimate;
import org.recsysrl.eval.Evaluation;
import org.recsysrl.eval.PlatformComparison;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.model.PolicyCheckpoint;
import org.recsysrl.setup.Platform;
import org.recsysrl.setup.Setup;
import org.recsysrl.util.Rng;

/**
 * {@code evaluate} for a checkpoint trained on a platform environment: the agent and every
 * reference policy of that platform on the same users, with the long-term return and the
 * platform's engagement figures, each as a mean ± 95 % interval over the users; the return is also
 * given relative to the platform's baseline (the myopic oracle).
 */
public final class PlatformEvaluation {
    private PlatformEvaluation() {
    }

    /**
     * The agent and the platform's references on the same users.
     *
     * @param loaded the checkpoint
     * @param platform the platform it was trained on
     * @param rows one per policy, the agent first
     * @param users users played
     * @param argmax whether the agent took its most probable actions
     */
    public record Result(Checkpoint.Loaded loaded, Platform platform, List<PlatformComparison.Row> rows, int users,
            boolean argmax) implements EvaluationResult {
        /** Copies {@code rows}. */
        public Result {
            rows = List.copyOf(rows);
        }

        @Override
        public String text() {
            return PlatformEvaluation.text(loaded, platform, rows, users, argmax);
        }

        @Override
        public String json() {
            return PlatformEvaluation.json(loaded, platform, rows, users, argmax);
        }
    }

    static Result run(EvaluationOptions o, PolicyCheckpoint checkpoint, Platform platform) {
        Checkpoint.Loaded loaded = checkpoint.checkpoint();
        RunConfig cfg = checkpoint.config();
        Setup setup = checkpoint.setup();
        ActorCritic model = checkpoint.network();
        List<Policy> policies = new ArrayList<>();
        policies.add(new ActorCriticPolicy(loaded.info().algorithm(), model, !o.sample(),
                Rng.stream(o.seed(), Evaluation.AGENT_STREAM), 1));
        policies.addAll(platform.references(setup, cfg.env().seed(), o.seed()));
        int[] users = PlatformComparison.users(o.episodes(), setup.userCount(), o.seed());
        List<PlatformComparison.Row> rows = PlatformComparison.run(setup.newEnv(), policies, users, o.seed(),
                platform.figures());
        return new Result(loaded, platform, rows, users.length, !o.sample());
    }

    /** The same figures as JSON: every policy's return and figures as {mean, low, high}. */
    static String json(Checkpoint.Loaded loaded, Platform platform, List<PlatformComparison.Row> rows, int users,
            boolean argmax) {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        root.put("checkpoint", loaded.path().toString());
        root.put("algorithm", loaded.info().algorithm());
        root.put("steps", loaded.info().steps());
        root.put("environment", platform.name());
        root.put("users", users);
        root.put("deterministic", argmax);
        root.put("baseline", platform.baseline());
        ObjectNode policies = root.putObject("policies");
        for (PlatformComparison.Row r : rows) {
            ObjectNode p = policies.putObject(r.policy());
            estimate(p.putObject("return"), r.episodeReturn());
            ObjectNode figures = p.putObject("figures");
            for (int j = 0; j < r.figures().size(); j++) {
                estimate(figures.putObject(platform.figures().names().get(j)), r.figures().get(j));
            }
        }
        try {
            return m.writeValueAsString(root) + System.lineSeparator();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the evaluation as JSON", e);
        }
    }

    private static void estimate(ObjectNode o, Estimate e) {
        o.put("mean", e.mean());
        o.put("low", e.low());
        o.put("high", e.high());
    }

    static String text(Checkpoint.Loaded loaded, Platform platform, List<PlatformComparison.Row> rows, int users,
            boolean argmax) {
        double baseline = rows.stream().filter(r -> r.policy().equals(platform.baseline())).findFirst().orElseThrow()
                .episodeReturn().mean();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "checkpoint %s: %s, %d steps, %s; %d users, agent %s; mean ± 95%% interval over users%n%n",
                loaded.path(), loaded.info().algorithm(), loaded.info().steps(), platform.name(), users,
                argmax ? "argmax" : "sampled"));
        sb.append(String.format(Locale.ROOT, "%-18s %-16s %-10s", "policy", "return", "vs " + platform.baseline()
                .replace("-oracle", "")));
        for (String name : platform.figures().names()) {
            sb.append(String.format(Locale.ROOT, " %-15s", name));
        }
        sb.append('\n');
        for (PlatformComparison.Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-18s %-16s %-10s", r.policy(), pm(r.episodeReturn()),
                    String.format(Locale.ROOT, "%+.1f%%", 100 * (r.episodeReturn().mean() / baseline - 1))));
            for (Estimate e : r.figures()) {
                sb.append(String.format(Locale.ROOT, " %-15s", pm(e)));
            }
            sb.append('\n');
        }
        return sb.toString().replaceAll(" +\n", "\n");
    }

    private static String pm(Estimate e) {
        return String.format(Locale.ROOT, "%.2f ±%.2f", e.mean(), e.halfWidth());
    }
}
