package org.recsysrl.seq;

import org.recsysrl.nn.EncoderKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.util.Rng;

/**
 * The trainer's loss gradient — through the output layer (full or sampled softmax, TD term), the
 * encoder and the item lookups — against central finite differences of the same loss.
 */
class SequenceModelGradientTest {
    private static SequenceTrainer.Settings settings(boolean sampled, double td, boolean excludeSeen) {
        return SequenceTrainer.Settings.builder().epochs(1).batchSize(4).lr(1e-3).maxGradNorm(0).patience(1)
                .sampled(sampled).negatives(6).sparseAdam(true).offlineActorCritic(td, 0, 0.7, 0.1).seed(5).threads(2)
                .excludeSeen(excludeSeen).build();
    }

    private static void check(EncoderKind encoder, boolean sampled, double td) {
        check(encoder, sampled, td, false);
    }

    private static void check(EncoderKind encoder, boolean sampled, double td, boolean excludeSeen) {
        check(encoder, sampled, td, excludeSeen, 0.0);
    }

    /**
     * With {@code dropout} > 0 every evaluation of the loss draws its masks from a stream of the
     * same seed, so the finite differences see the same masks as the analytic gradient.
     */
    private static void check(EncoderKind encoder, boolean sampled, double td, boolean excludeSeen,
            double dropout) {
        InteractionLog log = SequenceTestData.randomLog(6, 5, 9, 3);
        SequenceSpec spec = new SequenceSpec(encoder, 9, 6, 4, 1, 2, dropout, !sampled, td > 0);
        SequenceModel m = new SequenceModel(spec);
        m.initialize(new Rng(4));
        float[] p = m.store().data();
        Rng jitter = new Rng(8);
        for (int i = 0; i < p.length; i++) {
            p[i] += (float) jitter.uniform(-0.3, 0.3); // biases, norms and Q head away from their initial values
        }
        SequenceTrainer t = new SequenceTrainer(m, log, settings(sampled, td, excludeSeen));
        int[] batch = {0, 1, 2, 3};
        double[] base = t.gradient(batch, true, masks(dropout));
        assertThat(base[2]).isPositive();
        float[] analytic = m.store().grad().clone();
        java.util.Arrays.fill(m.store().grad(), 0f);
        double v = base[2];
        int checked = 0;
        int nonZero = 0;
        Rng pick = new Rng(21);
        for (int probe = 0; probe < 160; probe++) {
            int i = pick.nextInt(p.length);
            float orig = p[i];
            double eps = 2e-3;
            p[i] = (float) (orig + eps);
            double lp = loss(t, batch, td, v, dropout);
            p[i] = (float) (orig - eps);
            double lm = loss(t, batch, td, v, dropout);
            p[i] = orig;
            double num = (lp - lm) / (2 * eps);
            double ana = analytic[i];
            if (Math.abs(num) > 1e-6) {
                nonZero++;
            }
            double tol = 3e-2 * Math.max(Math.abs(num), Math.abs(ana)) + 2e-4;
            if (!(Math.abs(num - ana) <= tol)) {
                fail("%s parameter %d: analytic %.7g vs numeric %.7g", encoder, i, ana, num);
            }
            checked++;
        }
        assertThat(checked).isEqualTo(160);
        assertThat(nonZero).isGreaterThan(20);
    }

    /** The dropout stream: the same seed every time, none without dropout. */
    private static Rng masks(double dropout) {
        return dropout > 0 ? new Rng(77) : null;
    }

    /** The loss whose gradient {@code gradient} returns: mean CE plus tdWeight·mean TD loss. */
    private static double loss(SequenceTrainer t, int[] batch, double td, double v, double dropout) {
        double[] l = t.gradient(batch, false, masks(dropout));
        t.clearGradient();
        return (l[0] + td * l[1]) / v;
    }

    @ParameterizedTest
    @EnumSource(EncoderKind.class)
    void fullSoftmax(EncoderKind encoder) {
        check(encoder, false, 0);
    }

    @ParameterizedTest
    @EnumSource(EncoderKind.class)
    void sampledSoftmax(EncoderKind encoder) {
        check(encoder, true, 0);
    }

    @ParameterizedTest
    @EnumSource(value = EncoderKind.class, names = {"ATTENTION", "GRU"})
    void withTemporalDifferenceTerm(EncoderKind encoder) {
        check(encoder, false, 0.8);
    }

    @ParameterizedTest
    @EnumSource(value = EncoderKind.class, names = {"ATTENTION", "MEAN"})
    void fullSoftmaxLeavingOutSeenItems(EncoderKind encoder) {
        check(encoder, false, 0, true);
    }

    @ParameterizedTest
    @EnumSource(value = EncoderKind.class, names = {"ATTENTION", "LAST_ITEM"})
    void sampledSoftmaxLeavingOutSeenItems(EncoderKind encoder) {
        check(encoder, true, 0, true);
    }

    @ParameterizedTest
    @EnumSource(EncoderKind.class)
    void withDropout(EncoderKind encoder) {
        check(encoder, false, 0, false, 0.3);
    }
}
