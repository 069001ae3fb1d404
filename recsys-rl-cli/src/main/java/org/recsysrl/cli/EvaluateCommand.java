package org.recsysrl.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.agent.ActorCriticPolicy;
import org.recsysrl.config.RunConfig;
import org.recsysrl.env.SimulatorWorld;
import org.recsysrl.eval.EpisodeStats;
import org.recsysrl.eval.Evaluation;
import org.recsysrl.eval.EvaluationReport;
import org.recsysrl.eval.PolicySummary;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.model.CheckpointConfig;
import org.recsysrl.model.Models;
import org.recsysrl.workload.LogWorkload;
import org.recsysrl.workload.MovieLensWorkload;
import org.recsysrl.workload.PlatformWorkload;
import org.recsysrl.workload.SimulatorWorkload;
import org.recsysrl.workload.Workload;
import org.recsysrl.util.Rng;
import org.recsysrl.util.UserInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code recsys-rl evaluate}: plays episodes with a checkpoint and the reference policies. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a checkpoint against random, best-constant and greedy-oracle policies"
                + " on the same users, in the exact environment it was trained on.")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, description = "a .safetensors file written by train")
    Path checkpoint;

    @Option(names = "--episodes", defaultValue = "10", description = "episodes per policy (default: ${DEFAULT-VALUE})")
    int episodes;

    @Option(names = "--sample", description = "sample actions from the policy instead of taking the most probable")
    boolean sample;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the users drawn (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--algo", description = "optional check that the checkpoint was trained with this algorithm")
    String algo;

    @Option(names = "--json", description = "print the report as JSON")
    boolean json;

    @Option(names = "--data", paramLabel = "DIR", description = "for a checkpoint trained on real data: the data"
            + " set (default: the path recorded in the checkpoint); it must be the same data")
    Path data;

    @Option(names = "--k", defaultValue = "10", description = "length K of the ranked lists (default: ${DEFAULT-VALUE})")
    int k;

    @Option(names = "--models", defaultValue = "all", description = "for a checkpoint trained on logs: the baselines"
            + " beside it, all or a comma-separated list (default: ${DEFAULT-VALUE})")
    String models;

    @Option(names = "--compare", split = ",", paramLabel = "CHECKPOINT", description = "for a checkpoint trained on"
            + " logs: other checkpoints trained on the same data and protocol (e.g. another algorithm or seed), evaluated"
            + " beside it and compared with it, paired, on the same test users")
    List<Path> compare = List.of();

    @Option(names = "--no-progress", description = "never draw the progress bar")
    boolean noProgress;

    /** Episodes listed one per line in the text report. */
    static final int LISTED_EPISODES = 100;

    /** Upper bound of {@code --episodes}. */
    static final int MAX_EPISODES = 1_000_000;

    /** Upper bound of episodes × steps per policy on the simulator (about a minute per policy). */
    static final long MAX_STEPS_PER_POLICY = 100_000_000L;

    @Override
    public Integer call() throws Exception {
        if (episodes <= 0 || episodes > MAX_EPISODES) {
            throw new UserInputException("--episodes must be in [1, " + MAX_EPISODES + "] (got " + episodes + ")");
        }
        if (k <= 0) {
            throw new UserInputException("--k must be at least 1 (got " + k + ")");
        }
        Checkpoint.Loaded loaded = Checkpoint.read(checkpoint);
        String trainedWith = loaded.info().algorithm();
        if (algo != null && !algo.equals(trainedWith)) {
            throw new UserInputException("--algo " + algo + " but " + checkpoint + " was trained with " + trainedWith
                    + ": drop --algo or pass --algo " + trainedWith);
        }
        RunConfig cfg = CheckpointConfig.read(loaded, data);
        Workload workload = Workload.of(cfg);
        if (!compare.isEmpty() && !(workload instanceof LogWorkload)) {
            throw new UserInputException("--compare: " + checkpoint + " was not trained on logs (train --env logs);"
                    + " drop --compare");
        }
        workload.accept(new Workload.Visitor<Void>() {
            @Override
            public Void simulator(SimulatorWorkload w) {
                evaluateSimulator(loaded, w);
                return null;
            }

            @Override
            public Void movieLens(MovieLensWorkload w) {
                RealDataEvaluation.run(EvaluateCommand.this, loaded, cfg);
                return null;
            }

            @Override
            public Void platform(PlatformWorkload w) {
                refuseData(w);
                PlatformEvaluation.run(EvaluateCommand.this, Models.policy(loaded, w), w.platform());
                return null;
            }

            @Override
            public Void logs(LogWorkload w) {
                LogEvaluation.run(EvaluateCommand.this, Models.sequence(loaded, w));
                return null;
            }
        });
        return 0;
    }

    private void refuseData(Workload w) {
        if (data != null) {
            throw new UserInputException("--data: " + checkpoint + " was trained on " + w.name()
                    + ", not on a data set; drop --data");
        }
    }

    /** The simulator: the agent and the three reference policies on the same users. */
    private void evaluateSimulator(Checkpoint.Loaded loaded, SimulatorWorkload w) {
        if (data != null) {
            throw new UserInputException("--data: " + checkpoint + " was trained on the simulator, not on a data set;"
                    + " drop --data");
        }
        RunConfig cfg = w.config();
        long steps = (long) episodes * cfg.env().maxEpisodeSteps();
        if (steps > MAX_STEPS_PER_POLICY) {
            throw new UserInputException(String.format(Locale.ROOT, "--episodes %d × env.max_episode_steps %d of %s"
                    + " = %,d steps per policy, more than %,d: lower --episodes", episodes,
                    cfg.env().maxEpisodeSteps(), checkpoint, steps, MAX_STEPS_PER_POLICY));
        }
        SimulatorWorld world = w.world();
        ActorCritic model = Models.actorCritic(cfg, SimulatorWorkload.setup(world));
        loaded.loadInto(model.parameters());
        ActorCriticPolicy policy = new ActorCriticPolicy(loaded.info().algorithm(), model, !sample,
                Rng.stream(seed, Evaluation.AGENT_STREAM), 1);
        EvaluationReport report = Evaluation.compare(() -> world.newEnvironment(0), policy, !sample, episodes, seed);
        try {
            System.out.println(json ? toJson(report, loaded) : toText(report, loaded));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the evaluation as JSON", e);
        }
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

    static String toJson(EvaluationReport r, Checkpoint.Loaded loaded) throws Exception {
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
        return m.writeValueAsString(root);
    }
}
