package org.recsysrl.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SvgChartTest {
    @Test
    void drawsEachSeriesAsAPolylineInsideThePlotWithALegend() {
        String svg = SvgChart.render("t <1>", "steps", "return", List.of(
                new SvgChart.Series("a&b", new double[] {0, 50, 100}, new double[] {0, 5, 10}),
                new SvgChart.Series("c", new double[] {0, 100}, new double[] {Double.NaN, 2})));
        assertThat(svg).startsWith("<svg").endsWith("</svg>\n");
        assertThat(svg).contains("t &lt;1&gt;").contains(">a&amp;b<").contains(">c<");
        // plot area x ∈ [70, 560], y ∈ [40, 390]; y ticks 0..10 → y = 390 − v/10·350
        assertThat(svg).contains("points=\"70.0,390.0 315.0,215.0 560.0,40.0\"");
        // the NaN point is skipped: one point only
        assertThat(svg).contains("points=\"560.0,320.0\"");
    }

    @Test
    void ticksAreRoundAndCoverTheRange() {
        assertThat(SvgChart.ticks(0, 18.3)).containsExactly(0, 5, 10, 15, 20);
        assertThat(SvgChart.ticks(0, 100_000)).containsExactly(0, 20_000, 40_000, 60_000, 80_000, 100_000);
        double[] t = SvgChart.ticks(-0.3, 0.9);
        double[] expected = {-0.4, -0.2, 0.0, 0.2, 0.4, 0.6, 0.8, 1.0};
        assertThat(t).hasSize(expected.length);
        for (int i = 0; i < t.length; i++) {
            assertThat(t[i]).isCloseTo(expected[i], org.assertj.core.api.Assertions.within(1e-9));
        }
    }
}
