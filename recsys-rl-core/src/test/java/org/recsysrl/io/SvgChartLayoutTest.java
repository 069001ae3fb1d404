package org.recsysrl.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where {@link SvgChart} puts everything, computed by hand: the plot is x ∈ [70, 560] and
 * y ∈ [40, 390] (490 × 350), ticks are round steps over the data's range (from 0 when the data are
 * all positive), labels are whole numbers, two decimals, or thousands ("1k"), and the legend starts
 * at x = 572, 18 apart.
 */
class SvgChartLayoutTest {
    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void axesTicksPointsAndLegendAreWhereTheArithmeticPutsThem() {
        String longLabel = "a second series with a long name"; // 32 characters: legend column 50 + 7·32 = 274
        String svg = SvgChart.render("curves", "steps", "return", List.of(
                new SvgChart.Series("first", new double[] {0, 2500, 5000}, new double[] {0.5, Double.NaN, 1}),
                new SvgChart.Series(longLabel, new double[] {1000}, new double[] {0.2})));
        int width = 70 + 490 + 274;
        assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\"440\""
                + " viewBox=\"0 0 " + width + " 440\" font-family=\"sans-serif\" font-size=\"12\">\n");
        assertThat(svg).contains("<rect width=\"" + width + "\" height=\"440\" fill=\"white\"/>\n");
        assertThat(svg).contains("<text x=\"315\" y=\"22\" font-size=\"15\" text-anchor=\"middle\">curves</text>\n");
        // y from 0 (the data are positive) to 1 in steps of 0.2: y = 390 − 350·v
        assertThat(count(svg, "stroke=\"#ddd\"")).isEqualTo(6);
        assertThat(svg).contains("<line x1=\"70\" x2=\"560.0\" y1=\"390.0\" y2=\"390.0\" stroke=\"#ddd\"/>\n"
                + "<text x=\"64\" y=\"394.0\" text-anchor=\"end\">0</text>\n");
        assertThat(svg).contains("<line x1=\"70\" x2=\"560.0\" y1=\"320.0\" y2=\"320.0\" stroke=\"#ddd\"/>\n"
                + "<text x=\"64\" y=\"324.0\" text-anchor=\"end\">0.20</text>\n");
        assertThat(svg).contains("<line x1=\"70\" x2=\"560.0\" y1=\"40.0\" y2=\"40.0\" stroke=\"#ddd\"/>\n"
                + "<text x=\"64\" y=\"44.0\" text-anchor=\"end\">1</text>\n");
        // x from 0 to 5000 in steps of 1000: x = 70 + 490·t/5000, labelled in thousands from 1000 on
        assertThat(count(svg, "stroke=\"#eee\"")).isEqualTo(6);
        assertThat(svg).contains("<line x1=\"70.0\" x2=\"70.0\" y1=\"40\" y2=\"390.0\" stroke=\"#eee\"/>\n"
                + "<text x=\"70.0\" y=\"408.0\" text-anchor=\"middle\">0</text>\n");
        assertThat(svg).contains("<line x1=\"168.0\" x2=\"168.0\" y1=\"40\" y2=\"390.0\" stroke=\"#eee\"/>\n"
                + "<text x=\"168.0\" y=\"408.0\" text-anchor=\"middle\">1k</text>\n");
        assertThat(svg).contains("<text x=\"560.0\" y=\"408.0\" text-anchor=\"middle\">5k</text>\n");
        assertThat(svg).contains("<rect x=\"70\" y=\"40\" width=\"490.0\" height=\"350.0\" fill=\"none\""
                + " stroke=\"#333\"/>\n");
        assertThat(svg).contains("<text x=\"315.0\" y=\"430\" text-anchor=\"middle\">steps</text>\n");
        assertThat(svg).contains("<text x=\"16\" y=\"215.0\" text-anchor=\"middle\" transform=\"rotate(-90 16 215.0)\">"
                + "return</text>\n");
        // the series: (0, 0.5) and (5000, 1), the NaN skipped; (1000, 0.2)
        assertThat(svg).contains("<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.6\""
                + " points=\"70.0,215.0 560.0,40.0\"/>\n"
                + "<line x1=\"572.0\" x2=\"592.0\" y1=\"50.0\" y2=\"50.0\" stroke=\"#1f77b4\" stroke-width=\"3\"/>\n"
                + "<text x=\"598.0\" y=\"54.0\">first</text>\n");
        assertThat(svg).contains("<polyline fill=\"none\" stroke=\"#d62728\" stroke-width=\"1.6\""
                + " points=\"168.0,320.0\"/>\n"
                + "<line x1=\"572.0\" x2=\"592.0\" y1=\"68.0\" y2=\"68.0\" stroke=\"#d62728\" stroke-width=\"3\"/>\n"
                + "<text x=\"598.0\" y=\"72.0\">" + longLabel + "</text>\n");
        assertThat(svg).endsWith("</svg>\n");
    }

    @Test
    void negativeValuesExtendTheAxisBelowZeroAndShortLabelsKeepTheLegendColumn() {
        String svg = SvgChart.render("t", "x", "y", List.of(
                new SvgChart.Series("s", new double[] {2, 4}, new double[] {-3, 2})));
        assertThat(svg).contains("width=\"760\"");
        // y from −3 to 2 in steps of 1: y = 390 − 350·(v + 3)/5; x from 0 (always) to 4 in steps of 1
        assertThat(svg).contains("y1=\"390.0\" y2=\"390.0\" stroke=\"#ddd\"/>\n<text x=\"64\" y=\"394.0\""
                + " text-anchor=\"end\">-3</text>");
        assertThat(svg).contains("y1=\"180.0\" y2=\"180.0\" stroke=\"#ddd\"/>\n<text x=\"64\" y=\"184.0\""
                + " text-anchor=\"end\">0</text>");
        assertThat(svg).contains("points=\"315.0,390.0 560.0,40.0\"");
        assertThat(count(svg, "stroke=\"#eee\"")).isEqualTo(5);
    }

    @Test
    void withoutAFinitePointTheAxesAreTheUnitSquare() {
        String svg = SvgChart.render("t", "x", "y", List.of(
                new SvgChart.Series("s", new double[] {1, 2}, new double[] {Double.NaN, Double.NaN})));
        assertThat(svg).contains("points=\"\"");
        assertThat(count(svg, "stroke=\"#ddd\"")).isEqualTo(6);
        assertThat(svg).contains("<text x=\"560.0\" y=\"408.0\" text-anchor=\"middle\">1</text>");
        assertThat(svg).contains("<text x=\"266.0\" y=\"408.0\" text-anchor=\"middle\">0.40</text>");
        assertThat(SvgChart.render("t", "x", "y", List.of())).contains("<text x=\"64\" y=\"44.0\" text-anchor=\"end\">1"
                + "</text>");
    }

    @Test
    void theTenColoursRepeatFromTheEleventhSeries() {
        List<SvgChart.Series> series = new ArrayList<>();
        for (int k = 0; k < 11; k++) {
            series.add(new SvgChart.Series("s" + k, new double[] {0, 1}, new double[] {k, k + 1}));
        }
        String svg = SvgChart.render("t", "x", "y", series);
        assertThat(count(svg, "stroke=\"#1f77b4\"")).isEqualTo(4);
        assertThat(count(svg, "stroke=\"#17becf\"")).isEqualTo(2);
        assertThat(svg).contains("y1=\"230.0\" y2=\"230.0\" stroke=\"#1f77b4\" stroke-width=\"3\"/>\n<text x=\"598.0\""
                + " y=\"234.0\">s10</text>");
    }

    @Test
    void aRangeOfNothingGetsOneUnitOfTicks() {
        double[] t = SvgChart.ticks(3, 3);
        assertThat(t).hasSize(6);
        assertThat(t[0]).isEqualTo(3.0);
        assertThat(t[5]).isCloseTo(4.0, org.assertj.core.api.Assertions.within(1e-9));
        // a fifth of the range over its power of ten: below 1.5 → step 1, below 3.5 → 2, below 7.5 → 5, else 10
        assertThat(SvgChart.ticks(0, 7)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(SvgChart.ticks(0, 7.5)).containsExactly(0, 2, 4, 6, 8);
        assertThat(SvgChart.ticks(0, 17.5)).containsExactly(0, 5, 10, 15, 20);
        assertThat(SvgChart.ticks(0, 30)).containsExactly(0, 5, 10, 15, 20, 25, 30);
        assertThat(SvgChart.ticks(0, 37.5)).containsExactly(0, 10, 20, 30, 40);
    }
}
