package org.recsysrl.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.Layout;
import org.recsysrl.data.TinyLog;
import org.recsysrl.eval.EvalTask;
import org.recsysrl.eval.OfflineBenchmark;
import org.recsysrl.eval.OfflineSplit;
import org.recsysrl.eval.ProtocolSpec;
import org.recsysrl.eval.RankingSetup;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.nn.EncoderKind;
import org.recsysrl.recommend.FixedRecommender;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Recommender;
import org.recsysrl.seq.Blend;
import org.recsysrl.seq.SequenceModel;
import org.recsysrl.seq.SequenceRecommender;
import org.recsysrl.seq.SequenceSpec;
import org.recsysrl.seq.TransitionTable;
import org.recsysrl.util.Rng;

/** The blend's weight search on validation, the guarantee, and the blend as a checkpoint stores it. */
class BlendsTest {
    @TempDir
    Path dir;

    private static final float NEG = Float.NEGATIVE_INFINITY;

    /** Scores chosen by the history's last item (all −∞, or 0 for a mass component, elsewhere). */
    private static Recommender byLastItem(int items, boolean logits, Map<Integer, float[]> rows) {
        return new Recommender() {
            @Override
            public String name() {
                return "by-last-item";
            }

            @Override
            public int itemCount() {
                return items;
            }

            @Override
            public Scorer newScorer() {
                return (History h, float[] out) -> {
                    Arrays.fill(out, logits ? NEG : 0f);
                    float[] row = rows.get(h.lastItem());
                    for (int k = 0; row != null && k < row.length; k += 2) {
                        out[(int) row[k]] = logits ? (float) Math.log(row[k + 1]) : row[k + 1];
                    }
                };
            }
        };
    }

    private record Task(OfflineSplit split, EvalTask validation, RankingSetup setup) {
    }

    private static Task task(InteractionLog log, int k) {
        OfflineSplit split = OfflineSplit.of(log, ProtocolSpec.LOO);
        OfflineBenchmark.Settings s = new OfflineBenchmark.Settings(new int[] {k}, k, "ndcg", true, 10, 10, 1, 1);
        return new Task(split, split.validationTask(true), OfflineBenchmark.setup(split, s));
    }

    @Test
    void theSearchPicksTheWeightsAHandComputationGives() {
        // three users, history {0}, {3}, {6}; validation targets 1, 4, 7 (the last items are the test targets)
        InteractionLog log = TinyLog.of(12, new int[][] {{0, 1, 9}, {3, 4, 10}, {6, 7, 11}});
        Task t = task(log, 1);
        // the network's distributions (as softmax probabilities) and the counts' shares, per history:
        //   {0}: network 1: 0.6, 2: 0.4    counts 1: 0.45, 2: 0.55   target 1
        //   {3}: network 4: 0.4, 5: 0.6    counts 4: 0.9,  5: 0.1    target 4
        //   {6}: network 7: 0.3, 8: 0.7    counts 7: 1               target 7
        Recommender network = byLastItem(12, true, Map.of(0, new float[] {1, 0.6f, 2, 0.4f},
                3, new float[] {4, 0.4f, 5, 0.6f}, 6, new float[] {7, 0.3f, 8, 0.7f}));
        Recommender counts = byLastItem(12, false, Map.of(0, new float[] {1, 0.45f, 2, 0.55f},
                3, new float[] {4, 0.9f, 5, 0.1f}, 6, new float[] {7, 1f}));
        Recommender useless = FixedRecommender.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1); // all mass on item 11
        // NDCG@1 = HR@1. Alone: network 1/3 (first user), counts 2/3, useless 0: start at the counts.
        // With weight λ on the counts: user 1 right iff 0.6(1-λ) + 0.45λ > 0.4(1-λ) + 0.55λ, i.e. λ < 2/3;
        // user 2 iff λ > 0.2; user 3 iff 0.3(1-λ) + λ > 0.7(1-λ), i.e. λ > 2/7. Moves toward the network
        // by 0.1, 0.2, 0.3, 0.5 give λ = 0.9, 0.8, 0.7, 0.5: only 0.5 has all three right (HR 1).
        // Moves toward the useless component only lose. Round 2 cannot beat 1: stop.
        Blend.Choice c = Blends.search(List.of(network, counts, useless), t.validation(), t.setup(), 1, "ndcg@1",
                new PrintStream(new ByteArrayOutputStream()));
        assertThat(c.vertices()).containsExactly(new double[] {1.0 / 3, 2.0 / 3, 0}, within(1e-12));
        assertThat(c.weights()).containsExactly(new double[] {0.5, 0.5, 0}, within(1e-12));
        assertThat(c.value()).isEqualTo(1.0);
        assertThat(c.evaluations()).isEqualTo(3 + 2 * 4 + 3 * 4);
        // The guard: against the counts alone (the best baseline, hits 0, 1, 1) the blend's hits 1, 1, 1 differ
        // by (1, 0, 0): mean 1/3, sd sqrt(((2/3)^2 + 2 (1/3)^2) / 2) = sqrt(1/3), SE 1/3; 1/3 - 1.645/3 < 0,
        // one user's gain is not sure: the counts alone are served.
        Blend.Guarded g = Blends.searchGuarded(List.of(network, counts, useless), t.validation(), t.setup(), 1,
                "ndcg@1", new PrintStream(new ByteArrayOutputStream()));
        assertThat(g.searched()).containsExactly(new double[] {0.5, 0.5, 0}, within(1e-12));
        assertThat(g.reference()).isEqualTo(1);
        assertThat(g.searchedGain().mean()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(g.searchedGain().standardError()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(g.shrunk()).isTrue();
        assertThat(g.choice().weights()).containsExactly(0, 1, 0);
        assertThat(g.choice().value()).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void whenTheNetworkIsUselessTheServedModelIsTheBestBaselineAndTrainSaysSo() throws Exception {
        // item i is always followed by item i + 1: the transitions rank every validation target first
        int[][] seqs = new int[40][];
        for (int u = 0; u < 40; u++) {
            seqs[u] = new int[6];
            for (int t = 0; t < 6; t++) {
                seqs[u][t] = (u + t) % 15;
            }
        }
        InteractionLog log = TinyLog.of(15, seqs);
        Task t = task(log, 10);
        Recommender uselessNetwork = FixedRecommender.of(new float[15]);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
        Blends.Baselines b = Blends.fitBaselines(t.split().trainPart(), t.validation(), t.setup(), 1, "ndcg@10", 1,
                out);
        Blends.Chosen chosen = Blends.choose(uselessNetwork, b, t.split().trainPart(), t.validation(), t.setup(), 1,
                "ndcg@10", out);
        assertThat(b.validation().get("markov")).isEqualTo(1.0);
        assertThat(chosen.weights()).containsExactly(0, 1, 0, 0, 0);
        assertThat(chosen.baselineOnly()).isTrue();
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("served model: markov alone - on validation"
                + " nothing beat it");
        // the checkpoint serves it: the transitions' own scores
        SequenceModel model = model(15);
        Path file = save(model, chosen, log);
        Checkpoint.Loaded loaded = Checkpoint.read(file);
        TransitionTable stored = LogServing.read(loaded).transitions();
        Recommender served = Blends.read(loaded).recommender(new SequenceRecommender(model), stored, "served");
        float[] a = new float[15];
        float[] e = new float[15];
        served.newScorer().score(History.of(3, 4), a);
        TransitionTable.of(log, (float) b.markovBeta()).newScorer().score(History.of(3, 4), e);
        assertThat(a).containsExactly(e);
    }

    @Test
    void aCheckpointRoundTripServesTheSameTopTen() throws Exception {
        InteractionLog log = TinyLog.random(7, 60, 40, 12, Layout.LOG_CSV);
        Task t = task(log, 10);
        SequenceModel model = model(40);
        Recommender network = new SequenceRecommender(model);
        Blends.Baselines b = Blends.fitBaselines(t.split().trainPart(), t.validation(), t.setup(), 1, "ndcg@10", 1,
                new PrintStream(new ByteArrayOutputStream()));
        assertThat(b.tables()).containsKeys("item-knn", "ease");
        // every component weighted, so that every stored part is read back
        double[] weights = {0.4, 0.2, 0.2, 0.1, 0.1};
        Blends.Chosen chosen = new Blends.Chosen(weights, 0, "markov", 0, 0, b);
        Recommender before = Blends.blend(Blends.components(network, b, log), weights, "before");
        Checkpoint.Loaded loaded = Checkpoint.read(save(model, chosen, log));
        SequenceModel reloaded = model(40);
        Arrays.fill(reloaded.store().data(), 0f);
        loaded.loadInto(reloaded.store());
        Blends.Stored stored = Blends.read(loaded);
        assertThat(stored.weights()).containsExactly(weights);
        Recommender after = stored.recommender(new SequenceRecommender(reloaded), LogServing.read(loaded).transitions(),
                "after");
        Recommender.Scorer x = before.newScorer();
        Recommender.Scorer y = after.newScorer();
        float[] sx = new float[40];
        float[] sy = new float[40];
        for (int u = 0; u < log.userCount(); u++) {
            History h = new History(u, log.items(), null, log.start(u), log.end(u));
            x.score(h, sx);
            y.score(h, sy);
            assertThat(top(sy, 10)).as("user %d", u).containsExactly(top(sx, 10));
            assertThat(sy).containsExactly(sx);
        }
    }

    private static int[] top(float[] scores, int k) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> scores[a] != scores[b] ? Float.compare(scores[b], scores[a]) : a - b);
        return Arrays.stream(order).limit(k).mapToInt(Integer::intValue).toArray();
    }

    private static SequenceModel model(int items) {
        SequenceModel m = new SequenceModel(new SequenceSpec(EncoderKind.ATTENTION, items, 8, 8, 1, 1, 0.0, true,
                false));
        m.initialize(Rng.stream(3, 81));
        return m;
    }

    private Path save(SequenceModel model, Blends.Chosen chosen, InteractionLog log) throws Exception {
        Path file = dir.resolve("blend.safetensors");
        List<org.recsysrl.io.Tensor> tensors = new java.util.ArrayList<>(LogServing.of(log, false, false)
                .withTransitions(TransitionTable.of(log, (float) chosen.baselines().markovBeta())).tensors());
        tensors.addAll(Blends.tensors(chosen));
        Checkpoint.save(file, model.store(), new Checkpoint.Info("supervised", "{}", 0, 1, Blends.metadata(chosen)),
                tensors);
        return file;
    }
}
