package org.recsysrl.model;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.recsysrl.baselines.Ease;
import org.recsysrl.baselines.ItemKnn;
import org.recsysrl.baselines.MarkovChain;
import org.recsysrl.baselines.MostPopular;
import org.recsysrl.data.Interactions;
import org.recsysrl.eval.EvalTask;
import org.recsysrl.eval.FullRankingEvaluator;
import org.recsysrl.eval.RankingSetup;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.io.Tensor;
import org.recsysrl.recommend.FitContext;
import org.recsysrl.recommend.Hyperparameters;
import org.recsysrl.recommend.ModelFamily;
import org.recsysrl.recommend.Recommender;
import org.recsysrl.seq.Blend;
import org.recsysrl.seq.ItemTable;
import org.recsysrl.seq.TransitionTable;
import org.recsysrl.util.UserInputException;

/**
 * The served blend of a sequence model with fitted baselines ({@link Blend}): the components
 * fitted on the training part and tuned on validation like {@code benchmark}'s baselines, the
 * weight search on validation, the guarantee (the served model is never worse on validation than
 * the best component), and the blend as a checkpoint stores and rebuilds it.
 *
 * <p>Components, in order: {@value #NETWORK}, {@code markov} (transitions with the tuned β),
 * {@code item-knn} (neighbour lists, {@link ItemTable}), {@code ease} (rows pruned to the
 * {@value #KEEP} largest positive entries; left out when its fit would be a primal solve on more
 * than {@value #EASE_MAX_ITEMS} items), {@code popular}.
 *
 * <p>What serving uses: the network, the stored item tables (fitted on the training part, the
 * ones validated) and, for {@code markov} and {@code popular}, the transitions and popularity of
 * the whole log (as the Markov mixture always did); {@code evaluate} rebuilds exactly the
 * validated blend (counts of the training part).
 */
public final class Blends {
    /** Metadata key of the chosen weights, e.g. {@code network=0.700,markov=0.300}. */
    public static final String BLEND = "sequence.blend";
    /** Metadata key of the Markov component's back-off β. */
    public static final String MARKOV_BETA = "sequence.blend_markov_beta";
    /** The network's name among the components. */
    public static final String NETWORK = "network";
    /** Entries kept per item-table row (item-kNN's largest k; EASE's rows are pruned to this). */
    public static final int KEEP = 200;
    /** EASE joins the blend when its fit is a dual solve or a primal one on at most this many items. */
    public static final int EASE_MAX_ITEMS = 5000;
    /** The components in their fixed order. */
    public static final List<String> COMPONENTS = List.of(NETWORK, "markov", "item-knn", "ease", "popular");
    private static final String TABLE_PREFIX = "blend_";

    private Blends() {
    }

    /**
     * The baselines of the blend, fitted on {@code train} and each tuned on validation.
     *
     * @param markovBeta the tuned β of the transitions
     * @param tables the item tables by name (item-knn, ease), as stored
     * @param validation each tuned baseline's own validation value, by name
     * @param notes one line per component left out
     */
    public record Baselines(double markovBeta, Map<String, ItemTable> tables, Map<String, Double> validation,
            List<String> notes) {
    }

    /** The outcome of {@link #choose}: the weights in {@link #COMPONENTS} order and what they served. */
    public record Chosen(double[] weights, double value, String bestBaseline, double bestBaselineValue,
            double networkValue, Baselines baselines) {
        /** True if the served model is one baseline alone (the network adds nothing on validation). */
        public boolean baselineOnly() {
            return weights[0] == 0 && soleIndex() > 0;
        }

        int soleIndex() {
            for (int c = 0; c < weights.length; c++) {
                if (weights[c] == 1) {
                    return c;
                }
            }
            return -1;
        }
    }

    /**
     * Fits popular, markov, item-kNN and (when small enough) EASE on {@code train}, each at the
     * grid point with the best validation metric, and turns item-kNN and EASE into item tables.
     */
    public static Baselines fitBaselines(Interactions train, EvalTask validation, RankingSetup setup, int threads,
            String metric, long seed, PrintStream out) {
        FitContext ctx = new FitContext(threads, seed, false, false);
        Map<String, Double> values = new LinkedHashMap<>();
        Map<String, ItemTable> tables = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        Tuned markov = tune(new MarkovChain(), train, ctx, validation, setup, threads, metric);
        values.put("markov", markov.value);
        Tuned knn = tune(new ItemKnn(), train, ctx, validation, setup, threads, metric);
        values.put("item-knn", knn.value);
        tables.put("item-knn", ItemTable.of(knn.model, KEEP, threads));
        int users = 0;
        for (int u = 0; u < train.userCount(); u++) {
            if (train.end(u) > train.start(u)) {
                users++;
            }
        }
        int items = train.itemCount();
        if (users < items || items <= EASE_MAX_ITEMS) {
            Tuned ease = tune(new Ease(), train, ctx, validation, setup, threads, metric);
            values.put("ease", ease.value);
            tables.put("ease", ItemTable.of(ease.model, KEEP, threads));
        } else {
            notes.add(String.format(Locale.ROOT, "ease: left out of the blend (a primal fit on %,d items > %,d is too"
                    + " large to run and carry here)", items, EASE_MAX_ITEMS));
        }
        Tuned popular = tune(new MostPopular(), train, ctx, validation, setup, threads, metric);
        values.put("popular", popular.value);
        StringBuilder line = new StringBuilder("blend baselines on validation " + metric + ":");
        values.forEach((k, v) -> line.append(String.format(Locale.ROOT, " %s %.4f", k, v)));
        line.append(String.format(Locale.ROOT, " (markov beta=%s)", plain(markov.hp.get("beta"))));
        out.println(line);
        notes.forEach(out::println);
        return new Baselines(markov.hp.get("beta"), tables, values, notes);
    }

    private record Tuned(Recommender model, Hyperparameters hp, double value) {
    }

    private static Tuned tune(ModelFamily family, Interactions train, FitContext ctx, EvalTask validation,
            RankingSetup setup, int threads, String metric) {
        ModelFamily.Fitter fitter = family.prepare(train, ctx);
        Tuned best = null;
        for (Hyperparameters hp : family.grid(train, ctx)) {
            Recommender model = fitter.fit(hp);
            double v = FullRankingEvaluator.evaluate(model, validation, setup, threads, null).mean(metric);
            if (best == null || v > best.value) {
                best = new Tuned(model, hp, v);
            }
        }
        return best;
    }

    /**
     * The components over {@code countsData} (transitions and popularity counted there), with the
     * network first: a null entry for a component the baselines lack.
     */
    public static List<Recommender> components(Recommender network, Baselines b, Interactions countsData) {
        TransitionTable transitions = TransitionTable.of(countsData, (float) b.markovBeta());
        return componentList(network, transitions, b.tables());
    }

    private static List<Recommender> componentList(Recommender network, TransitionTable transitions,
            Map<String, ItemTable> tables) {
        List<Recommender> out = new ArrayList<>();
        out.add(network);
        out.add(transitions);
        out.add(tables.get("item-knn"));
        out.add(tables.get("ease"));
        out.add(transitions == null ? null : popularity(transitions));
        return out;
    }

    /** Popularity as the transitions count it (the share of each item among all interactions). */
    private static Recommender popularity(TransitionTable t) {
        float[] pop = t.popularity();
        return new Recommender() {
            @Override
            public String name() {
                return "popular";
            }

            @Override
            public int itemCount() {
                return pop.length;
            }

            @Override
            public Scorer newScorer() {
                return (h, out) -> System.arraycopy(pop, 0, out, 0, pop.length);
            }
        };
    }

    /**
     * Chooses the weights on validation ({@link Blend#search}) over the components present, and
     * prints what is served: the blend, or, when the network gets no weight, the best baseline
     * alone, in one line.
     */
    public static Chosen choose(Recommender network, Baselines b, Interactions train, EvalTask validation,
            RankingSetup setup, int threads, String metric, PrintStream out) {
        List<Recommender> all = components(network, b, train);
        List<Integer> present = new ArrayList<>();
        for (int c = 0; c < all.size(); c++) {
            if (all.get(c) != null) {
                present.add(c);
            }
        }
        List<Recommender> used = new ArrayList<>();
        present.forEach(c -> used.add(all.get(c)));
        Blend.Guarded guarded = searchGuarded(used, validation, setup, threads, metric, out);
        Blend.Choice choice = guarded.choice();
        if (guarded.shrunk()) {
            out.println(shrunkLine(guarded, present, metric));
        }
        double[] weights = new double[COMPONENTS.size()];
        for (int k = 0; k < present.size(); k++) {
            weights[present.get(k)] = choice.weights()[k];
        }
        String bestName = null;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (var e : b.validation().entrySet()) {
            if (e.getValue() > bestValue) {
                bestValue = e.getValue();
                bestName = e.getKey();
            }
        }
        Chosen chosen = new Chosen(weights, choice.value(), bestName, bestValue, choice.vertices()[0], b);
        out.println(servedLine(chosen, metric, choice.evaluations()));
        return chosen;
    }

    /**
     * {@link Blend#search} over {@code components} (the network first, read as logits; the others
     * as mass), each weight vector judged by {@code metric} on {@code validation}.
     */
    public static Blend.Choice search(List<Recommender> components, EvalTask validation, RankingSetup setup,
            int threads, String metric, PrintStream out) {
        List<Blend.Kind> kinds = kinds(components.size());
        return Blend.search(components.size(), w -> FullRankingEvaluator.evaluate(
                new Blend(components, kinds, w, "blend"), validation, setup, threads, null).mean(metric), out::println);
    }

    /**
     * {@link Blend#searchGuarded} over {@code components} (the network first), each weight vector
     * judged by the per-user values of {@code metric} on {@code validation}.
     */
    public static Blend.Guarded searchGuarded(List<Recommender> components, EvalTask validation, RankingSetup setup,
            int threads, String metric, PrintStream out) {
        List<Blend.Kind> kinds = kinds(components.size());
        return Blend.searchGuarded(components.size(), w -> FullRankingEvaluator.evaluate(
                new Blend(components, kinds, w, "blend"), validation, setup, threads, null).column(metric),
                out::println);
    }

    /** The line saying that the search's best weights are not served: their gain over the best baseline is not sure. */
    private static String shrunkLine(Blend.Guarded g, List<Integer> present, String metric) {
        List<String> names = new ArrayList<>();
        present.forEach(c -> names.add(COMPONENTS.get(c)));
        double[] base = g.choice().vertices();
        return String.format(Locale.ROOT, "blend guard: the search's best, %s (validation %s %.4f), is not surely"
                + " above %s alone (%.4f): paired gain %+.4f, standard error %.4f on %d users (one-sided 95%% bound);"
                + " serving %s", Blend.describe(names, g.searched()), metric, g.searchedValue(),
                names.get(g.reference()), base[g.reference()], g.searchedGain().mean(),
                g.searchedGain().standardError(), g.searchedGain().users(),
                Blend.describe(names, g.choice().weights()));
    }

    /** The one line {@code train} prints about what the checkpoint serves. */
    static String servedLine(Chosen c, String metric, int evaluations) {
        if (c.baselineOnly()) {
            return String.format(Locale.ROOT, "served model: %s alone - on validation nothing beat it (%s %s %.4f;"
                    + " network alone %.4f; %d blends tried)", COMPONENTS.get(c.soleIndex()),
                    COMPONENTS.get(c.soleIndex()), metric, c.value(), c.networkValue(), evaluations);
        }
        if (c.weights()[0] == 0) {
            return String.format(Locale.ROOT, "served model: baselines blended, %s - the network adds nothing on"
                    + " validation (blend %s %.4f; network alone %.4f; best baseline %s %.4f; %d blends tried)",
                    Blend.describe(COMPONENTS, c.weights()), metric, c.value(), c.networkValue(), c.bestBaseline(),
                    c.bestBaselineValue(), evaluations);
        }
        return String.format(Locale.ROOT, "served model: blend %s, validation %s %.4f (network alone %.4f, best"
                + " baseline %s %.4f, %.2fx; %d blends tried)", Blend.describe(COMPONENTS, c.weights()), metric,
                c.value(), c.networkValue(), c.bestBaseline(), c.bestBaselineValue(),
                c.value() / c.bestBaselineValue(), evaluations);
    }

    /** The kinds of {@code m} components in order: the network first. */
    private static List<Blend.Kind> kinds(int m) {
        List<Integer> indices = new ArrayList<>();
        for (int c = 0; c < m; c++) {
            indices.add(c);
        }
        return kinds(indices);
    }

    private static List<Blend.Kind> kinds(List<Integer> present) {
        List<Blend.Kind> kinds = new ArrayList<>();
        for (int c : present) {
            kinds.add(c == 0 ? Blend.Kind.LOGITS : Blend.Kind.MASS);
        }
        return kinds;
    }

    /** The blend of {@code components} (in {@link #COMPONENTS} order, null where absent) with {@code weights}. */
    public static Recommender blend(List<Recommender> components, double[] weights, String name) {
        List<Integer> present = new ArrayList<>();
        for (int c = 0; c < components.size(); c++) {
            if (weights[c] > 0) {
                if (components.get(c) == null) {
                    throw new IllegalArgumentException("blend weight " + weights[c] + " on absent component "
                            + COMPONENTS.get(c));
                }
                present.add(c);
            }
        }
        List<Recommender> used = new ArrayList<>();
        double[] w = new double[present.size()];
        for (int k = 0; k < present.size(); k++) {
            used.add(components.get(present.get(k)));
            w[k] = weights[present.get(k)];
        }
        double total = 0;
        for (double v : w) {
            total += v;
        }
        for (int k = 0; k < w.length; k++) {
            w[k] /= total;
        }
        return new Blend(used, kinds(present), w, name);
    }

    // ---- the checkpoint ---------------------------------------------------------------------

    /** The metadata a checkpoint records for {@code chosen}. */
    public static Map<String, String> metadata(Chosen chosen) {
        Map<String, String> m = new LinkedHashMap<>();
        List<String> parts = new ArrayList<>();
        for (int c = 0; c < COMPONENTS.size(); c++) {
            if (chosen.weights()[c] > 0) {
                parts.add(COMPONENTS.get(c) + "=" + chosen.weights()[c]);
            }
        }
        m.put(BLEND, String.join(",", parts));
        m.put(MARKOV_BETA, Double.toString(chosen.baselines().markovBeta()));
        return m;
    }

    /** The item tables the chosen weights need, as checkpoint tensors. */
    public static List<Tensor> tensors(Chosen chosen) {
        List<Tensor> out = new ArrayList<>();
        for (var e : chosen.baselines().tables().entrySet()) {
            if (chosen.weights()[COMPONENTS.indexOf(e.getKey())] > 0) {
                String p = Checkpoint.SERVING_PREFIX + TABLE_PREFIX + e.getKey();
                ItemTable t = e.getValue();
                out.add(Tensor.i32(p + "_offsets", new long[] {t.offsets().length}, t.offsets()));
                out.add(Tensor.i32(p + "_ids", new long[] {t.ids().length}, t.ids()));
                out.add(Tensor.f32(p + "_values", new long[] {t.values().length}, t.values()));
            }
        }
        return out;
    }

    /** True if {@code checkpoint} records a blend (written by this version with {@code seq.markov_mix=auto}). */
    public static boolean stored(Checkpoint.Loaded checkpoint) {
        return checkpoint.info().extra().containsKey(BLEND);
    }

    /** A blend as a checkpoint records it. */
    public record Stored(double[] weights, double markovBeta, Map<String, ItemTable> tables) {
        /** True if the network gets weight. */
        public boolean usesNetwork() {
            return weights[0] > 0;
        }

        /** The served scorer over the network and {@code transitions} (counted on the data it serves). */
        public Recommender recommender(Recommender network, TransitionTable transitions, String name) {
            return blend(componentList(network, transitions, tables), weights, name);
        }

        /** The same over transitions counted on {@code countsData} with the stored β (evaluate). */
        public Recommender recommender(Recommender network, Interactions countsData, String name) {
            return recommender(network, TransitionTable.of(countsData, (float) markovBeta), name);
        }

        /** The weighted components alone (not the network), with names, over {@code countsData}. */
        public Map<String, Recommender> components(Interactions countsData) {
            List<Recommender> all = componentList(null,
                    TransitionTable.of(countsData, (float) markovBeta), tables);
            Map<String, Recommender> out = new LinkedHashMap<>();
            for (int c = 1; c < all.size(); c++) {
                if (weights[c] > 0) {
                    out.put(COMPONENTS.get(c), all.get(c));
                }
            }
            return out;
        }

        /** {@code network=0.700,markov=0.300}. */
        public String describe() {
            return Blend.describe(COMPONENTS, weights);
        }
    }

    /**
     * Reads the blend of {@code checkpoint} ({@link #stored} must be true).
     *
     * @throws UserInputException naming the file if what it records is damaged
     */
    public static Stored read(Checkpoint.Loaded checkpoint) {
        String text = checkpoint.info().extra().get(BLEND);
        try {
            double[] weights = parse(text);
            double beta = Double.parseDouble(checkpoint.info().extra().getOrDefault(MARKOV_BETA, "0.01"));
            Map<String, ItemTable> tables = new LinkedHashMap<>();
            for (String name : List.of("item-knn", "ease")) {
                if (weights[COMPONENTS.indexOf(name)] > 0) {
                    String p = TABLE_PREFIX + name;
                    tables.put(name, new ItemTable(name, checkpoint.serving(p + "_offsets", "I32").toInts(),
                            checkpoint.serving(p + "_ids", "I32").toInts(),
                            checkpoint.serving(p + "_values", "F32").toFloats()));
                }
            }
            return new Stored(weights, beta, tables);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new UserInputException("checkpoint " + checkpoint.path() + ": its blend (" + BLEND + "=" + text
                    + ") is damaged (" + e.getMessage() + "); retrain or pick another checkpoint");
        }
    }

    /** Parses {@code network=0.700,markov=0.300} into weights in {@link #COMPONENTS} order. */
    static double[] parse(String text) {
        double[] w = new double[COMPONENTS.size()];
        double total = 0;
        for (String part : text.split(",")) {
            String[] kv = part.split("=");
            int c = COMPONENTS.indexOf(kv[0].trim());
            if (kv.length != 2 || c < 0) {
                throw new IllegalArgumentException("'" + part + "' is not component=weight");
            }
            w[c] = Double.parseDouble(kv[1]);
            if (!(w[c] > 0 && w[c] <= 1)) {
                throw new IllegalArgumentException("weight " + w[c] + " outside (0, 1]");
            }
            total += w[c];
        }
        if (Math.abs(total - 1) > 0.01) {
            throw new IllegalArgumentException("weights sum to " + total);
        }
        return w;
    }

    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
