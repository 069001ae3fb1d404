package org.recsysrl.ope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.ope.estimator.DoublyRobust;
import org.recsysrl.ope.estimator.Estimators;
import org.recsysrl.ope.estimator.InversePropensity;
import org.recsysrl.ope.estimator.ItemGroups;
import org.recsysrl.ope.estimator.MarginalizedDoublyRobust;
import org.recsysrl.ope.estimator.MarginalizedIps;
import org.recsysrl.ope.estimator.OpeInput;
import org.recsysrl.ope.estimator.UnitTerms;
import org.recsysrl.ope.evaluation.Estimate;
import org.recsysrl.ope.evaluation.OffPolicyEvaluation;
import org.recsysrl.ope.model.RewardModel;
import org.recsysrl.ope.policy.ContextFreePolicy;
import org.recsysrl.ope.policy.TargetPolicy;
import org.recsysrl.util.UserInputException;

/** MIPS and marginalized DR against values worked out by hand on a four-row log, and their refusals. */
class MarginalizedEstimatorsTest {
    private static final double EPS = 1e-12;

    /**
     * Items A, B (group g) and C, D (group h). Rows (shown, logger distribution over A B C D, reward):
     * (A; .4 .1 .3 .2; 1), (B; .25 .25 .25 .25; 0), (C; .4 .1 .3 .2; 1), (D; .1 .1 .1 .7; .5).
     */
    static LoggedFeedback tinyLog() {
        LoggedFeedback.Builder b = LoggedFeedback.builder("tiny");
        double[][] mu = {{.4, .1, .3, .2}, {.25, .25, .25, .25}, {.4, .1, .3, .2}, {.1, .1, .1, .7}};
        String[] shown = {"A", "B", "C", "D"};
        double[] reward = {1, 0, 1, 0.5};
        for (int r = 0; r < 4; r++) {
            Map<String, Double> dist = Map.of("A", mu[r][0], "B", mu[r][1], "C", mu[r][2], "D", mu[r][3]);
            assertThat(b.add(new Impression(r, "r" + r, null, null, -1, new double[0], 0, List.of(shown[r]),
                    new double[] {mu[r][r]}, Double.NaN, null, reward[r], dist))).isNull();
        }
        return b.build();
    }

    /** e(A) = e(B) = g, e(C) = e(D) = h, in the log's item order. */
    static ItemGroups groups(LoggedFeedback log) {
        return ItemGroups.ofLabels("gh", log.itemIds().stream().map(id -> id.equals("A") || id.equals("B") ? "g" : "h")
                .toList());
    }

    /** π = (A .1, B .5, C .3, D .1): p(g | π) = .6, p(h | π) = .4. */
    static ContextFreePolicy target() {
        return new ContextFreePolicy("t", List.of(Map.of("A", 0.1, "B", 0.5, "C", 0.3, "D", 0.1)));
    }

    /**
     * q̂ = (A .3, B .5, C .6, D .2): v̂ = .03 + .25 + .18 + .02 = .48 (by item id: the log numbers its items
     * in the order it meets them, which for a row's action_probabilities is the map's).
     */
    static final RewardModel MODEL = (log, row, position, item) -> Map.of("A", 0.3, "B", 0.5, "C", 0.6, "D", 0.2)
            .get(log.itemIds().get(item));

    /** The same policy, but not declared context-free (the per-row path). */
    static TargetPolicy perRow(TargetPolicy p) {
        return new TargetPolicy() {
            @Override
            public String name() {
                return "per-row";
            }

            @Override
            public double probability(LoggedFeedback log, int row, int position, int item) {
                return p.probability(log, row, position, item);
            }
        };
    }

    private static double estimate(org.recsysrl.ope.estimator.Estimator<OpeInput> e, TargetPolicy t) {
        LoggedFeedback log = tinyLog();
        return e.terms(OpeInput.prepare(log, t, MODEL, groups(log))).estimate();
    }

    @Test
    void mipsAndMarginalizedDrMatchHandComputedValues() {
        // marginal weights: .6/(.4+.1), .6/(.25+.25), .4/(.3+.2), .4/(.1+.7) = 1.2, 1.2, .8, .5
        LoggedFeedback log = tinyLog();
        OpeInput in = OpeInput.prepare(log, target(), MODEL, groups(log));
        assertThat(in.marginalWeights()).containsExactly(new double[] {1.2, 1.2, 0.8, 0.5}, within(EPS));
        // MIPS = (1.2·1 + 1.2·0 + .8·1 + .5·.5) / 4
        assertThat(estimate(new MarginalizedIps(), target())).isCloseTo(2.25 / 4, within(EPS));
        // MDR = .48 + (1.2·.7 + 1.2·(−.5) + .8·.4 + .5·.3) / 4 = .48 + .71 / 4
        assertThat(estimate(new MarginalizedDoublyRobust(), target())).isCloseTo(0.48 + 0.71 / 4, within(EPS));
        assertThat(estimate(new MarginalizedIps(), perRow(target()))).isCloseTo(2.25 / 4, within(EPS));
        assertThat(estimate(new MarginalizedDoublyRobust(), perRow(target()))).isCloseTo(0.48 + 0.71 / 4,
                within(EPS));
    }

    @Test
    void oneGroupPerItemGivesIpsAndDr() {
        LoggedFeedback log = tinyLog();
        ItemGroups own = ItemGroups.ofLabels("item", log.itemIds());
        OpeInput in = OpeInput.prepare(log, target(), MODEL, own);
        // IPS weights .1/.4, .5/.25, .3/.3, .1/.7
        double ips = (0.25 * 1 + 2 * 0 + 1 * 1 + 0.1 / 0.7 * 0.5) / 4;
        assertThat(new MarginalizedIps().terms(in).estimate()).isCloseTo(ips, within(EPS))
                .isCloseTo(new InversePropensity().terms(in).estimate(), within(EPS));
        assertThat(new MarginalizedDoublyRobust().terms(in).estimate())
                .isCloseTo(new DoublyRobust().terms(in).estimate(), within(EPS));
    }

    @Test
    void diagnosticsUseTheMarginalWeights() {
        LoggedFeedback log = tinyLog();
        UnitTerms t = new MarginalizedIps().terms(OpeInput.prepare(log, target(), MODEL, groups(log)));
        assertThat(t.notes()).singleElement().asString().isEqualTo("embedding=gh (2 groups)");
        Estimate e = OffPolicyEvaluation.summarise("mips", "t", t, new double[] {0.5, 0.6}, List.of());
        // ESS = (1.2 + 1.2 + .8 + .5)² / (1.44 + 1.44 + .64 + .25)
        assertThat(e.ess()).isCloseTo(3.7 * 3.7 / 3.77, within(EPS));
        assertThat(e.maxWeight()).isCloseTo(1.2, within(EPS));
        OffPolicyEvaluation.Report r = OffPolicyEvaluation.run(log, List.of(target()),
                List.of(Estimators.byName("mips"), Estimators.byName("mdr")), MODEL, groups(log), 50, 1);
        assertThat(r.estimates().get(0).get(0).value()).isCloseTo(2.25 / 4, within(EPS));
        assertThat(r.estimates().get(0).get(1).value()).isCloseTo(0.48 + 0.71 / 4, within(EPS));
    }

    @Test
    void refusesWithoutFeaturesOrLoggerDistribution() {
        LoggedFeedback log = tinyLog();
        OpeInput plain = OpeInput.prepare(log, target(), MODEL);
        assertThatThrownBy(() -> new MarginalizedIps().terms(plain)).isInstanceOf(UserInputException.class)
                .hasMessage("mips and mdr need the items' features: give --item-features FILE.csv (item_id,FEATURE)");
        LoggedFeedback.Builder b = LoggedFeedback.builder("bare.jsonl");
        b.add(new Impression(0, "q7", null, null, -1, new double[0], 0, List.of("A"), new double[] {0.5}, Double.NaN,
                null, 1.0, null));
        b.add(new Impression(1, "q8", null, null, -1, new double[0], 0, List.of("B"), new double[] {0.5}, Double.NaN,
                null, 0.0, null));
        LoggedFeedback bare = b.build();
        assertThatThrownBy(() -> OpeInput.prepare(bare, target(), null, ItemGroups.ofLabels("item", bare.itemIds())))
                .isInstanceOf(UserInputException.class)
                .hasMessageStartingWith("bare.jsonl row 1 (request q7) has no action_probabilities: mips and mdr need");
    }

    @Test
    void readsItemFeaturesFromCsvAndRefusesGaps(@TempDir Path dir) throws IOException {
        LoggedFeedback log = tinyLog();
        Path csv = dir.resolve("items.csv");
        Files.writeString(csv, "item_id,genre,band\nA,g,1\nB,g,2\nC,h,1\nD,h,1\nZ,k,1\n");
        ItemGroups genre = ItemGroups.readCsv(csv, log, List.of("genre"));
        assertThat(genre.count()).isEqualTo(2);
        assertThat(genre.name()).isEqualTo("items.csv:genre");
        assertThat(new MarginalizedIps().terms(OpeInput.prepare(log, target(), MODEL, genre)).estimate())
                .isCloseTo(2.25 / 4, within(EPS));
        ItemGroups both = ItemGroups.readCsv(csv, log, List.of());
        assertThat(both.count()).isEqualTo(3); // g|1, g|2, h|1
        assertThatThrownBy(() -> ItemGroups.readCsv(csv, log, List.of("color"))).isInstanceOf(UserInputException.class)
                .hasMessage("--item-features " + csv + " has no feature column color: its columns are item_id,genre,band");
        Path gap = dir.resolve("gap.csv");
        Files.writeString(gap, "item_id,genre\nA,g\nB,g\nD,h\n");
        assertThatThrownBy(() -> ItemGroups.readCsv(gap, log, List.of())).isInstanceOf(UserInputException.class)
                .hasMessage("--item-features " + gap + " has no row for item C of tiny: add a line C,genre");
        Path empty = dir.resolve("empty.csv");
        Files.writeString(empty, "item_id,genre\nA,\n");
        assertThatThrownBy(() -> ItemGroups.readCsv(empty, log, List.of())).isInstanceOf(UserInputException.class)
                .hasMessageContaining("line 2: no value in column genre");
        assertThatThrownBy(() -> ItemGroups.readCsv(dir.resolve("none.csv"), log, List.of()))
                .isInstanceOf(UserInputException.class).hasMessageContaining("no such file");
    }
}
