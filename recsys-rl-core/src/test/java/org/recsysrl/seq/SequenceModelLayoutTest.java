package org.recsysrl.seq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.recsysrl.nn.EncoderKind;
import org.recsysrl.util.Rng;

/** Where a sequence model keeps its tables, and how {@code initialize} fills them. */
class SequenceModelLayoutTest {
    private static final int N = 200;
    private static final int D = 16;

    private static SequenceModel model(boolean tied, boolean qHead) {
        SequenceModel m = new SequenceModel(new SequenceSpec(EncoderKind.MEAN, N, 5, D, 1, 1, 0.0, tied, qHead));
        m.initialize(new Rng(12));
        return m;
    }

    /** Sample mean and standard deviation of {@code count} parameters from {@code offset}. */
    private static double[] moments(SequenceModel m, int offset, int count) {
        float[] p = m.store().data();
        double s = 0;
        double sq = 0;
        for (int i = offset; i < offset + count; i++) {
            s += p[i];
            sq += (double) p[i] * p[i];
        }
        double mean = s / count;
        return new double[] {mean, Math.sqrt(sq / count - mean * mean)};
    }

    @Test
    void anUntiedModelWithAQHeadHasThreeTablesOfStdOneOverRootDim() {
        SequenceModel m = model(false, true);
        int items = m.itemEmbedding().offset();
        int[] tables = {items, m.outputOffset(), m.qOffset()};
        assertThat(tables[1]).isNotEqualTo(items);
        assertThat(tables[2]).isNotIn(items, tables[1]);
        for (int t : tables) {
            double[] mo = moments(m, t, N * D);
            assertThat(mo[0]).isCloseTo(0, within(0.02));
            assertThat(mo[1]).isCloseTo(1 / Math.sqrt(D), within(0.02));
        }
        float[] p = m.store().data();
        for (int i = 0; i < N; i++) {
            assertThat(p[m.outputBiasOffset() + i]).isZero();
            assertThat(p[m.qBiasOffset() + i]).isZero();
        }
        // the tables are drawn apart, not copies of one another
        assertThat(p[tables[1]]).isNotEqualTo(p[items]);
        assertThat(p[tables[2]]).isNotEqualTo(p[tables[1]]);
    }

    @Test
    void aTiedModelScoresWithItsInputTableAndHasNoOutputTable() {
        SequenceModel tied = model(true, false);
        SequenceModel untied = model(false, false);
        SequenceModel withQ = model(true, true);
        assertThat(tied.outputOffset()).isEqualTo(tied.itemEmbedding().offset());
        assertThat(untied.store().size() - tied.store().size()).isEqualTo(N * D);
        assertThat(withQ.store().size() - tied.store().size()).isEqualTo(N * D + N);
    }
}
