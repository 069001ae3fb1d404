package org.recsysrl.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The impression line's byte writer: the same text as the {@code String} it replaced, as UTF-8. */
class JsonBytesTest {
    private static String quotedAsBefore(String s) {
        StringBuilder sb = new StringBuilder();
        Json.quote(sb, s);
        return sb.toString();
    }

    @Test
    void stringsAreEscapedAsJsonQuoteDoesAndEncodedAsUtf8() {
        String[] samples = {"", "plain", "quote \" and \\ backslash", "tab\tnew\nline\rret", "ctl \u0001\u001f",
            "sep \u2028 \u2029", "é ü ß", "€ 中文", "clef 𝄞 pair", "lone \ud800 high", "lone \udc00 low",
            "end high \ud834", "\u007f del"};
        for (String s : samples) {
            JsonBytes b = new JsonBytes().quoted(s);
            byte[] expected = quotedAsBefore(s).getBytes(StandardCharsets.UTF_8);
            assertThat(java.util.Arrays.copyOf(b.array(), b.length())).as(s).isEqualTo(expected);
        }
        assertThat(new JsonBytes().quoted("a\u0001").toString()).isEqualTo("\"a\\u0001\"");
        assertThat(new JsonBytes().quoted("\u2028").toString()).isEqualTo("\"\\u2028\"");
    }

    @Test
    void numbersAreWrittenAsTheJdkWritesThem() {
        long[] longs = {0, 7, 10, -1, 1796561603843L, Long.MIN_VALUE};
        for (long v : longs) {
            assertThat(new JsonBytes().number(v).toString()).isEqualTo(Long.toString(v));
        }
        double[] doubles = {1.0, 0.95005, 0.95005, 0.9500000000501503, 1e-7, 5e-324, 1.0E23, -0.0, 0.95005};
        JsonBytes row = new JsonBytes(); // the last double's text is reused: repeats and changes must both hold
        StringBuilder expected = new StringBuilder();
        for (double v : doubles) {
            row.number(v).ascii(',');
            expected.append(v).append(',');
        }
        assertThat(row.toString()).isEqualTo(expected.toString());
        float[] floats = {0f, -0f, 1f, 0.1f, -0.048316445f, 1e-3f, 9.999999e-4f, 9999999f, 1e7f, 1e-45f, 3.4028235e38f,
            Float.NaN, Float.NEGATIVE_INFINITY, 123456.7f, 0.3f, 2.5f, 100f};
        for (float v : floats) {
            assertThat(new JsonBytes().number(v).toString()).as("%s", v).isEqualTo(Float.toString(v));
        }
    }

    @Test
    void theBufferGrowsAndResets() {
        JsonBytes b = new JsonBytes();
        for (int i = 0; i < 1000; i++) {
            b.quoted("abcdefghij").ascii(',');
        }
        assertThat(b.length()).isEqualTo(13_000);
        assertThat(b.toString()).startsWith("\"abcdefghij\",\"abc").endsWith("hij\",");
        assertThat(b.reset().ascii("x").toString()).isEqualTo("x");
        assertThat(JsonBytes.forThisThread()).isSameAs(JsonBytes.forThisThread());
    }

    @Test
    void floatTextHandlesExactlyThePlainNotationRange() {
        assertThat(FloatText.handles(1e-3f)).isTrue();
        assertThat(FloatText.handles(Math.nextDown(1e-3f))).isFalse(); // below 10^-3: Float.toString's E notation
        assertThat(FloatText.handles(Math.nextDown(1e7f))).isTrue();
        assertThat(FloatText.handles(1e7f)).isFalse();
        assertThat(FloatText.handles(-0.5f)).isTrue();
        assertThat(FloatText.handles(0f)).isFalse();
        assertThat(FloatText.handles(Float.NaN)).isFalse();
    }

    @Test
    void floatTextMatchesFloatToStringByHand() {
        // short and long digit strings, both ends of the range, powers of two (a narrower gap below),
        // leading zeros after the point and zeros before it
        String[][] cases = {{"0.1", "0.1"}, {"1.0", "1.0"}, {"100.0", "100.0"}, {"0.001", "0.001"},
            {"9999999.0", "9999999.0"}, {"123456.7", "123456.7"}, {"0.17598833", "0.17598833"},
            {"-0.048316445", "-0.048316445"}, {"0.0625", "0.0625"}, {"1048576", "1048576.0"},
            {"8388608.0", "8388608.0"}, {"0.3", "0.3"}, {"2.5", "2.5"}, {"4.0E-3", "0.004"}};
        byte[] out = new byte[32];
        for (String[] c : cases) {
            float v = Float.parseFloat(c[0]);
            assertThat(FloatText.handles(v)).isTrue();
            int end = FloatText.write(v, out, 0);
            assertThat(new String(out, 0, end, StandardCharsets.US_ASCII)).as(c[0]).isEqualTo(c[1])
                    .isEqualTo(Float.toString(v));
        }
        for (int k = -9; k <= 23; k++) { // every power of two in the range, and its neighbours
            float p = (float) Math.scalb(1.0, k);
            for (float v : new float[] {Math.nextDown(p), p, Math.nextUp(p)}) {
                if (FloatText.handles(v)) {
                    int end = FloatText.write(v, out, 0);
                    assertThat(new String(out, 0, end, StandardCharsets.US_ASCII)).as("%s", v).isEqualTo(Float.toString(v));
                }
            }
        }
    }

    @Test
    void floatTextMatchesFloatToStringOnASampleOfTheRange() {
        // the whole range (278 million floats) was compared once with Float.toString; this samples it
        SplittableRandom random = new SplittableRandom(24);
        int from = Float.floatToRawIntBits(FloatText.MIN);
        int to = Float.floatToRawIntBits(FloatText.MAX);
        byte[] out = new byte[32];
        for (int i = 0; i < 300_000; i++) {
            float v = Float.intBitsToFloat(random.nextInt(from, to) | (random.nextBoolean() ? 0x80000000 : 0));
            int end = FloatText.write(v, out, 3);
            String text = new String(out, 3, end - 3, StandardCharsets.US_ASCII);
            assertThat(text).as("%s", v).isEqualTo(Float.toString(v));
            assertThat(Float.parseFloat(text)).isEqualTo(v);
        }
        for (int i = 0; i < 100_000; i++) { // an observation's usual values
            float v = (float) (random.nextDouble(-1, 1) * Math.pow(10, random.nextInt(-2, 3)));
            if (FloatText.handles(v)) {
                int end = FloatText.write(v, out, 0);
                assertThat(new String(out, 0, end, StandardCharsets.US_ASCII)).isEqualTo(Float.toString(v));
            }
        }
    }
}
