package org.recsysrl.report;

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
public final class MovieLensEvaluation {
    private MovieLensEvaluation() {
    }

    /**
     * Ranking metrics and returns of the agent and the three baselines.
     *
     * @param loaded the checkpoint
     * @param data the data set, described
     * @param split the split it was trained with
     * @param mfTestRmse the factorisation's held-out RMSE
     * @param setupSeconds time to read the data and rebuild the environment
     * @param rankingUsers held-out users ranked for
     * @param options what was asked for (K, episodes, sampling)
     * @param rows the agent, random, popularity and the factorisation's greedy policy
     * @param evalSeconds time of the evaluation itself
     */
    public record Result(Checkpoint.Loaded loaded, String data, SplitSpec split, double mfTestRmse,
            double setupSeconds, int rankingUsers, EvaluationOptions options, List<Row> rows, double evalSeconds)
            implements EvaluationResult {
        /** Copies {@code rows}. */
        public Result {
            rows = List.copyOf(rows);
        }

        @Override
        public String text() {
            return MovieLensEvaluation.text(this) + System.lineSeparator();
        }

        @Override
        public String json() {
            return MovieLensEvaluation.json(this) + System.lineSeparator();
        }
    }

    static Result run(EvaluationOptions o, Checkpoint.Loaded loaded, RunConfig cfg) {
        if (o.k() <= 0) {
            throw new UserInputException("--k must be positive (got " + o.k() + ")");
        }
        String source = "checkpoint " + loaded.path();
        DataIdentity trained = DataIdentity.fromMetadata(loaded.info().extra(), source);
        SplitSpec split = SplitSpec.fromMetadata(loaded.info().extra(), source);
        Path dataPath = o.data() != null ? o.data() : Path.of(trained.path());
        if (o.data() == null && !Files.exists(dataPath)) {
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
        long t1 = System.nanoTime();
        List<Row> rows = rows(o, loaded.info().algorithm(), model, real);
        double evalSeconds = (System.nanoTime() - t1) / 1e9;
        return new Result(loaded, ratings.identity().describe(), split, real.mf().testRmse(), setupSeconds,
                real.rankingTask().users(), o, rows, evalSeconds);
    }

    /** The agent, random, popularity and the factorisation's greedy policy, on the same users. */
    private static List<Row> rows(EvaluationOptions o, String algo, ActorCritic model, RealData real) {
        MovieLensWorld world = real.world();
        RankingTask task = real.rankingTask();
        int[] users = Comparison.drawUsers(o.episodes(), world.userCount(), Rng.stream(o.seed(), Evaluation.USER_STREAM));
        List<Row> rows = new ArrayList<>();
        ItemScorer actor = Recommenders.actor(algo, model);
        Policy agent = new ActorCriticPolicy(algo, model, !o.sample(), Rng.stream(o.seed(), Evaluation.AGENT_STREAM), 1);
        rows.add(row(actor, agent, world, task, users, o.k()));
        rows.add(row(Recommenders.random(world.itemCount(), Rng.stream(o.seed(), Evaluation.RANDOM_POLICY_STREAM)),
                new RandomPolicy(world.itemCount(), Rng.stream(o.seed(), Evaluation.RANDOM_POLICY_STREAM + 100)),
                world, task, users, o.k()));
        rows.add(row(Recommenders.popularity(task.popularity()), null, world, task, users, o.k()));
        rows.add(row(Recommenders.factorisation(world), null, world, task, users, o.k()));
        return rows;
    }

    static String json(Result r) {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        root.put("checkpoint", r.loaded().path().toString());
        root.put("algorithm", r.loaded().info().algorithm());
        root.put("steps", r.loaded().info().steps());
        root.put("data", r.data());
        root.put("mf_test_rmse", r.mfTestRmse());
        root.put("k", r.options().k());
        root.put("ranking_users", r.rankingUsers());
        root.put("episodes", r.options().episodes());
        ObjectNode pol = root.putObject("policies");
        for (Row row : r.rows()) {
            ObjectNode o = pol.putObject(row.ranking.name());
            o.put("ndcg", row.ranking.ndcg());
            o.put("recall", row.ranking.recall());
            o.put("hit_rate", row.ranking.hitRate());
            o.put("coverage", row.ranking.coverage());
            o.put("diversity", row.ranking.diversity());
            o.put("return", row.episodes.total());
            o.put("return_std", row.episodes.totalStd());
        }
        try {
            return m.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the evaluation as JSON", e);
        }
    }

    static String text(Result r) {
        EvaluationOptions o = r.options();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "checkpoint %s: %s, %d steps%n", r.loaded().path(),
                r.loaded().info().algorithm(), r.loaded().info().steps()));
        sb.append(String.format(Locale.ROOT, "data %s; split %s; ALS held-out RMSE %.4f (rebuilt in %.1f s)%n",
                r.data(), r.split().describe(), r.mfTestRmse(), r.setupSeconds()));
        sb.append(String.format(Locale.ROOT, "ranking over %d held-out users (training items masked), K = %d;"
                + " return over %d sessions (%s actions)%n%n", r.rankingUsers(), o.k(), o.episodes(),
                o.sample() ? "sampled" : "argmax"));
        String kk = "@" + o.k();
        sb.append(String.format(Locale.ROOT, "%-12s %9s %10s %8s %9s %10s %9s %8s%n", "policy", "NDCG" + kk,
                "Recall" + kk, "HR" + kk, "coverage", "diversity", "return", "±"));
        for (Row row : r.rows()) {
            RankingReport q = row.ranking;
            sb.append(String.format(Locale.ROOT, "%-12s %9.4f %10.4f %8.4f %9.4f %10.4f %9.3f %8.3f%n", q.name(),
                    q.ndcg(), q.recall(), q.hitRate(), q.coverage(), q.diversity(), row.episodes.total(),
                    row.episodes.totalStd()));
        }
        sb.append(String.format(Locale.ROOT, "%n(evaluated in %.1f s)", r.evalSeconds()));
        return sb.toString();
    }

    /**
     * One policy's figures.
     *
     * @param ranking its top-K ranking metrics
     * @param episodes its return over the sessions
     */
    public record Row(RankingReport ranking, PolicySummary episodes) {
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
