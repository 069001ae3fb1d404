package org.recsysrl.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.agent.ActorCriticPolicy;
import org.recsysrl.agent.Policy;
import org.recsysrl.agent.RandomPolicy;
import org.recsysrl.config.RunConfig;
import org.recsysrl.data.DataIdentity;
import org.recsysrl.data.RatingsReader;
import org.recsysrl.data.SplitSpec;
import org.recsysrl.env.MovieLensEnv;
import org.recsysrl.env.MovieLensWorld;
import org.recsysrl.eval.Comparison;
import org.recsysrl.eval.EpisodeRunner;
import org.recsysrl.eval.Evaluation;
import org.recsysrl.eval.ItemScorer;
import org.recsysrl.eval.PolicySummary;
import org.recsysrl.eval.RankingEvaluation;
import org.recsysrl.eval.RankingReport;
import org.recsysrl.eval.RankingTask;
import org.recsysrl.eval.Recommenders;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.model.Models;
import org.recsysrl.setup.RealData;
import org.recsysrl.setup.Setup;
import org.recsysrl.util.Rng;
import org.recsysrl.util.UserInputException;
import org.recsysrl.workload.MovieLensWorkload;

/**
 * {@code evaluate} for a checkpoint trained on real data: rebuilds the environment (same data set,
 * checked by content hash; same split; the factorisation refitted deterministically), then prints
 * the top-K ranking metrics and the environment return of the policy and of the random,
 * most-popular and greedy-by-factorisation baselines.
 */
final class RealDataEvaluation {
    private RealDataEvaluation() {
    }

    static void run(EvaluateCommand cmd, Checkpoint.Loaded loaded, RunConfig cfg) {
        if (cmd.k <= 0) {
            throw new UserInputException("--k must be positive (got " + cmd.k + ")");
        }
        String source = "checkpoint " + loaded.path();
        DataIdentity trained = DataIdentity.fromMetadata(loaded.info().extra(), source);
        SplitSpec split = SplitSpec.fromMetadata(loaded.info().extra(), source);
        Path dataPath = cmd.data != null ? cmd.data : Path.of(trained.path());
        if (cmd.data == null && !Files.exists(dataPath)) {
            throw new UserInputException(source + " was trained on " + trained.describe() + ", which is not at "
                    + dataPath + " any more: pass --data DIR pointing at that data set");
        }
        long t0 = System.nanoTime();
        var ratings = RatingsReader.load(dataPath);
        trained.requireSame(ratings.identity(), source);
        // the checkpoint's own factorisation (earlier checkpoints: fitted again, deterministically the same)
        RealData real = RealData.of(ratings, cfg.data(), cfg.env().maxEpisodeSteps(),
                MovieLensWorkload.storedFactorization(loaded, ratings));
        if (!real.split().spec().equals(split)) {
            throw new UserInputException(source + " records the split " + split.describe() + " but its config gives "
                    + real.split().spec().describe() + ": the checkpoint is inconsistent; retrain");
        }
        double setupSeconds = (System.nanoTime() - t0) / 1e9;
        Setup setup = MovieLensWorkload.setup(real);
        Models.requireSameCatalog(loaded, setup);
        ActorCritic model = Models.actorCritic(cfg, setup);
        loaded.loadInto(model.parameters());
        MovieLensWorld world = real.world();
        RankingTask task = real.rankingTask();
        String algo = loaded.info().algorithm();

        long t1 = System.nanoTime();
        int[] users = Comparison.drawUsers(cmd.episodes, world.userCount(), Rng.stream(cmd.seed, Evaluation.USER_STREAM));
        List<Row> rows = new ArrayList<>();
        ItemScorer actor = Recommenders.actor(algo, model);
        Policy agent = new ActorCriticPolicy(algo, model, !cmd.sample, Rng.stream(cmd.seed, Evaluation.AGENT_STREAM), 1);
        rows.add(row(actor, agent, world, task, users, cmd.k));
        rows.add(row(Recommenders.random(world.itemCount(), Rng.stream(cmd.seed, Evaluation.RANDOM_POLICY_STREAM)),
                new RandomPolicy(world.itemCount(), Rng.stream(cmd.seed, Evaluation.RANDOM_POLICY_STREAM + 100)),
                world, task, users, cmd.k));
        rows.add(row(Recommenders.popularity(task.popularity()), null, world, task, users, cmd.k));
        rows.add(row(Recommenders.factorisation(world), null, world, task, users, cmd.k));
        double evalSeconds = (System.nanoTime() - t1) / 1e9;

        if (cmd.json) {
            ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = m.createObjectNode();
            root.put("checkpoint", loaded.path().toString());
            root.put("algorithm", algo);
            root.put("steps", loaded.info().steps());
            root.put("data", ratings.identity().describe());
            root.put("mf_test_rmse", real.mf().testRmse());
            root.put("k", cmd.k);
            root.put("ranking_users", task.users());
            root.put("episodes", cmd.episodes);
            ObjectNode pol = root.putObject("policies");
            for (Row r : rows) {
                ObjectNode o = pol.putObject(r.ranking.name());
                o.put("ndcg", r.ranking.ndcg());
                o.put("recall", r.ranking.recall());
                o.put("hit_rate", r.ranking.hitRate());
                o.put("coverage", r.ranking.coverage());
                o.put("diversity", r.ranking.diversity());
                o.put("return", r.episodes.total());
                o.put("return_std", r.episodes.totalStd());
            }
            try {
                System.out.println(m.writeValueAsString(root));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("cannot write the evaluation as JSON", e);
            }
            return;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "checkpoint %s: %s, %d steps%n", loaded.path(), algo, loaded.info().steps()));
        sb.append(String.format(Locale.ROOT, "data %s; split %s; ALS held-out RMSE %.4f (rebuilt in %.1f s)%n",
                ratings.identity().describe(), split.describe(), real.mf().testRmse(), setupSeconds));
        sb.append(String.format(Locale.ROOT, "ranking over %d held-out users (training items masked), K = %d;"
                + " return over %d sessions (%s actions)%n%n", task.users(), cmd.k, cmd.episodes,
                cmd.sample ? "sampled" : "argmax"));
        String kk = "@" + cmd.k;
        sb.append(String.format(Locale.ROOT, "%-12s %9s %10s %8s %9s %10s %9s %8s%n", "policy", "NDCG" + kk,
                "Recall" + kk, "HR" + kk, "coverage", "diversity", "return", "±"));
        for (Row r : rows) {
            RankingReport q = r.ranking;
            sb.append(String.format(Locale.ROOT, "%-12s %9.4f %10.4f %8.4f %9.4f %10.4f %9.3f %8.3f%n", q.name(),
                    q.ndcg(), q.recall(), q.hitRate(), q.coverage(), q.diversity(), r.episodes.total(),
                    r.episodes.totalStd()));
        }
        sb.append(String.format(Locale.ROOT, "%n(evaluated in %.1f s)", evalSeconds));
        System.out.println(sb);
    }

    private record Row(RankingReport ranking, PolicySummary episodes) {
    }

    /** Ranking metrics of {@code scorer} and the return of {@code policy} (default: greedy over the scorer). */
    private static Row row(ItemScorer scorer, Policy policy, MovieLensWorld world, RankingTask task, int[] users,
            int k) {
        RankingReport ranking = RankingEvaluation.evaluate(scorer, world.newEnvironment(0), task, k);
        MovieLensEnv env = world.newEnvironment(0);
        Policy p = policy != null ? policy : Recommenders.greedy(scorer, env);
        PolicySummary episodes = PolicySummary.of(scorer.name(), Comparison.play(new EpisodeRunner(env), p, users));
        return new Row(ranking, episodes);
    }
}
