package org.recsysrl.ope.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.recsysrl.ope.estimator.ItemGroups;
import org.recsysrl.setup.Setup;
import org.recsysrl.util.UserInputException;
import org.recsysrl.workload.Platforms;

/** The platforms' item features as embeddings, and the marginalized estimators in the validation. */
class SimItemFeaturesTest {
    private static Setup setup(String platform) {
        return Platforms.get(platform).setup(0);
    }

    private static int[] groupSizes(ItemGroups g) {
        int[] sizes = new int[g.count()];
        for (int a : g.groups()) {
            sizes[a]++;
        }
        return sizes;
    }

    @Test
    void decodesThePublishedItemFeatures() {
        // short-video: 8 topics of 25 items (item a has topic a / 25); length in 4 bins of 50 items
        ItemGroups topic = SimItemFeatures.of("short-video", setup("short-video"), "topic");
        assertThat(groupSizes(topic)).containsOnly(25).hasSize(8);
        for (int a = 0; a < 200; a++) {
            assertThat(topic.labels().get(topic.group(a))).isEqualTo("topic=" + a / 25);
        }
        assertThat(groupSizes(SimItemFeatures.of("short-video", setup("short-video"), "length")))
                .containsOnly(50).hasSize(4);
        assertThat(SimItemFeatures.of("short-video", setup("short-video"), "topic+length:2").count())
                .isBetween(9, 16);
        // e-commerce: 6 categories of 20; education: 8 skills × 10 levels, levels in pairs: 40 groups of 2
        assertThat(groupSizes(SimItemFeatures.of("e-commerce", setup("e-commerce"), "category")))
                .containsOnly(20).hasSize(6);
        assertThat(groupSizes(SimItemFeatures.of("education", setup("education"), "skill"))).containsOnly(10)
                .hasSize(8);
        assertThat(groupSizes(SimItemFeatures.of("education", setup("education"), "level"))).containsOnly(8)
                .hasSize(10);
        assertThat(SimItemFeatures.of("education", setup("education"), "skill+level").count()).isEqualTo(80);
        assertThat(groupSizes(SimItemFeatures.of("education", setup("education"), "skill+level:5")))
                .containsOnly(2).hasSize(40);
        assertThat(SimItemFeatures.of("education", setup("education"), "item").count()).isEqualTo(80);
    }

    @Test
    void writesThePublishedFeaturesAsACsvTable() {
        // short-video: item a has topic a / 25 (the hot column within the block) and its length as published
        Setup sv = setup("short-video");
        List<String> lines = SimItemFeatures.csv("short-video", sv).lines().toList();
        assertThat(lines).hasSize(201);
        assertThat(lines.get(0)).isEqualTo("item_id,topic,length");
        assertThat(lines.get(60)).isEqualTo("i59,2," + sv.itemEmbeddings()[59 * sv.itemDim() + sv.itemDim() - 1]);
        assertThat(SimItemFeatures.names("e-commerce", setup("e-commerce"))).containsExactly("category", "price");
        assertThat(SimItemFeatures.names("long-video", setup("long-video"))).containsExactly("genre", "length");
        assertThat(SimItemFeatures.names("social-feed", setup("social-feed"))).containsExactly("type", "length");
        // long-video's genre column groups the items as the spec "genre" does
        Setup lv = setup("long-video");
        ItemGroups genre = SimItemFeatures.of("long-video", lv, "genre");
        List<String> rows = SimItemFeatures.csv("long-video", lv).lines().skip(1).toList();
        for (int a = 0; a < lv.actionCount(); a++) {
            assertThat(genre.labels().get(genre.group(a))).isEqualTo("genre=" + rows.get(a).split(",")[1]);
        }
        // slates have no single-item features
        assertThat(SimItemFeatures.names("interest-evolution", setup("interest-evolution"))).isEmpty();
        assertThatThrownBy(() -> SimItemFeatures.csv("interest-evolution", setup("interest-evolution")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesUnknownFeaturesAndBadBins() {
        assertThatThrownBy(() -> SimItemFeatures.of("short-video", setup("short-video"), "genre"))
                .isInstanceOf(UserInputException.class)
                .hasMessage("--item-features genre: short-video has no item feature genre; use some of topic, length,"
                        + " item (joined by +)");
        assertThatThrownBy(() -> SimItemFeatures.of("short-video", setup("short-video"), "length:x"))
                .isInstanceOf(UserInputException.class).hasMessageContaining("x is not a number of bins");
    }

    @Test
    void oneGroupPerItemReproducesIpsAndDrInTheValidation() {
        OpeValidation.Settings s = new OpeValidation.Settings("short-video", 0, "myopic", Exploration.epsilon(0.3),
                List.of("budget-aware@epsilon=0.5"), new int[] {1000}, 2, 0.9, 1.0, 2, 200, 1000, 0, 1);
        OpeValidation.Result r = OpeValidation.run(s, false, List.of("item", "topic"), line -> { });
        Map<String, double[]> oneStep = new HashMap<>();
        for (OpeValidation.Cell c : r.cells()) {
            if (c.form().equals("one-step")) {
                oneStep.put(c.estimator(), c.signedErrors());
            }
        }
        assertThat(oneStep).containsKeys("mips:topic", "mdr:topic");
        for (int i = 0; i < 2; i++) {
            assertThat(oneStep.get("mips:item")[i]).isCloseTo(oneStep.get("ips")[i], within(1e-12));
            assertThat(oneStep.get("mdr:item")[i]).isCloseTo(oneStep.get("dr")[i], within(1e-12));
        }
    }
}
