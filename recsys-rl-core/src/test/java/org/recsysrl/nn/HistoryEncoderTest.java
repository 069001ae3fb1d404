package org.recsysrl.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.recsysrl.util.Rng;

/**
 * Every {@link EncoderKind} through the {@link HistoryEncoder} interface: finite-difference
 * gradients of its parameters and of the input embeddings (with and without dropout), causality,
 * inert padding, and a hand-computed mean.
 */
class HistoryEncoderTest {

    private static final int DIM = 4;
    private static final int MAX_LENGTH = 5;
    private static final int BATCH = 2;
    private static final int[] FIRST_VALID = {0, 2};

    private static HistoryEncoder encoder(EncoderKind kind, ParameterStore store) {
        HistoryEncoder enc = kind.create(store, "enc", DIM, MAX_LENGTH, 1, 2);
        enc.initialize(new Rng(3));
        return enc;
    }

    private static void gradientCheck(EncoderKind kind, double dropout) {
        ParameterStore store = new ParameterStore();
        HistoryEncoder enc = encoder(kind, store);
        Rng rng = new Rng(17);
        int n = BATCH * MAX_LENGTH * DIM;
        float[] e = GradCheck.randomArray(rng, n, -1, 1);
        float[] c = GradCheck.randomArray(rng, n, -1, 1);
        for (int b = 0; b < BATCH; b++) {
            // the states at padding positions are never used: the loss does not read them
            Arrays.fill(c, b * MAX_LENGTH * DIM, (b * MAX_LENGTH + FIRST_VALID[b]) * DIM, 0f);
        }
        float[] states = new float[n];
        HistoryEncoder.Workspace ws = enc.newWorkspace(BATCH, MAX_LENGTH);
        DoubleSupplier loss = () -> {
            enc.forward(ws, e, FIRST_VALID, BATCH, MAX_LENGTH, states, dropout, dropout > 0 ? new Rng(5) : null);
            return GradCheck.dot(states, c, n);
        };
        loss.getAsDouble();
        store.zeroGrad();
        float[] dE = new float[n];
        Arrays.fill(dE, Float.NaN);
        enc.backward(ws, e, FIRST_VALID, c.clone(), dE, BATCH, MAX_LENGTH);
        float[] grad = store.grad().clone();
        GradCheck.check(kind + " embeddings", e, 0, dE, 0, n, 3e-3, 3e-2, 3e-4, loss);
        for (ParameterStore.Entry entry : store.entries()) {
            GradCheck.check(kind + " " + entry.name(), store.data(), entry.offset(), grad, entry.offset(),
                    entry.length(), 3e-3, 3e-2, 3e-4, loss);
        }
        for (int b = 0; b < BATCH; b++) {
            for (int i = b * MAX_LENGTH * DIM; i < (b * MAX_LENGTH + FIRST_VALID[b]) * DIM; i++) {
                if (kind != EncoderKind.LAST_ITEM) {
                    assertThat(dE[i]).as("%s padding gradient %d", kind, i).isEqualTo(0f);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(EncoderKind.class)
    void gradientsMatchFiniteDifferences(EncoderKind kind) {
        gradientCheck(kind, 0);
    }

    @ParameterizedTest
    @EnumSource(EncoderKind.class)
    void gradientsWithDropoutMatchFiniteDifferencesOfTheSameMask(EncoderKind kind) {
        gradientCheck(kind, 0.3);
    }

    /** Dropout only while training: with a random stream a state differs, without one it does not. */
    @ParameterizedTest
    @EnumSource(EncoderKind.class)
    void dropoutAppliesOnlyWithARandomStream(EncoderKind kind) {
        ParameterStore store = new ParameterStore();
        HistoryEncoder enc = encoder(kind, store);
        int n = BATCH * MAX_LENGTH * DIM;
        float[] e = GradCheck.randomArray(new Rng(2), n, -1, 1);
        float[] plain = new float[n];
        float[] evaluation = new float[n];
        float[] training = new float[n];
        HistoryEncoder.Workspace ws = enc.newWorkspace(BATCH, MAX_LENGTH);
        enc.forward(ws, e, FIRST_VALID, BATCH, MAX_LENGTH, plain, 0, null);
        enc.forward(ws, e, FIRST_VALID, BATCH, MAX_LENGTH, evaluation, 0.5, null);
        enc.forward(ws, e, FIRST_VALID, BATCH, MAX_LENGTH, training, 0.5, new Rng(1));
        assertThat(evaluation).containsExactly(plain);
        assertThat(training).isNotEqualTo(plain);
        float[] noDropout = new float[n];
        enc.forward(ws, e, FIRST_VALID, BATCH, MAX_LENGTH, noDropout, 0, new Rng(1));
        assertThat(noDropout).containsExactly(plain);
    }

    /** The state at t reads positions ≤ t only, and never a padding position's input. */
    @ParameterizedTest
    @EnumSource(EncoderKind.class)
    void causalAndBlindToPadding(EncoderKind kind) {
        ParameterStore store = new ParameterStore();
        HistoryEncoder enc = encoder(kind, store);
        int n = BATCH * MAX_LENGTH * DIM;
        float[] e = GradCheck.randomArray(new Rng(4), n, -1, 1);
        float[] states = new float[n];
        HistoryEncoder.Workspace ws = enc.newWorkspace(BATCH, MAX_LENGTH);
        enc.forward(ws, e, FIRST_VALID, BATCH, MAX_LENGTH, states, 0, null);
        int t = 3;
        float[] changed = e.clone();
        for (int b = 0; b < BATCH; b++) {
            changed[(b * MAX_LENGTH + t) * DIM] += 0.75f;
        }
        changed[(MAX_LENGTH + 1) * DIM + 1] += 9f; // position 1 of sequence 1: padding
        float[] after = new float[n];
        enc.forward(ws, changed, FIRST_VALID, BATCH, MAX_LENGTH, after, 0, null);
        for (int b = 0; b < BATCH; b++) {
            int from = FIRST_VALID[b];
            int rowStart = (b * MAX_LENGTH + from) * DIM;
            int at = (b * MAX_LENGTH + t) * DIM;
            assertThat(Arrays.copyOfRange(after, rowStart, at)).as("%s before t, sequence %d", kind, b)
                    .containsExactly(Arrays.copyOfRange(states, rowStart, at));
            assertThat(Arrays.copyOfRange(after, at, at + DIM)).as("%s at t", kind)
                    .isNotEqualTo(Arrays.copyOfRange(states, at, at + DIM));
        }
    }

    /** mean: with W = I and b = 0 the state at t is the mean of the valid embeddings up to t. */
    @Test
    void meanEncoderAveragesTheValidPrefix() {
        ParameterStore store = new ParameterStore();
        HistoryEncoder enc = EncoderKind.MEAN.create(store, "m", 1, 3, 0, 1);
        float[] p = store.data();
        ParameterStore.Entry w = store.entry("m.proj.weight");
        p[w.offset()] = 1f;
        p[store.entry("m.proj.bias").offset()] = 0f;
        float[] e = {5f, 1f, 3f, 8f, 2f, 4f}; // sequence 1 starts at position 1
        float[] states = new float[6];
        HistoryEncoder.Workspace ws = enc.newWorkspace(2, 3);
        enc.forward(ws, e, new int[] {0, 1}, 2, 3, states, 0, null);
        assertThat(states).containsExactly(new float[] {5f, 3f, 3f, 0f, 2f, 3f}, within(1e-6f));
        // d/d e_s of Σ_t state_t: Σ_{t ≥ s} 1/n_t; sequence 0: 1 + 1/2 + 1/3, 1/2 + 1/3, 1/3
        float[] dE = new float[6];
        store.zeroGrad();
        enc.backward(ws, e, new int[] {0, 1}, new float[] {1, 1, 1, 1, 1, 1}, dE, 2, 3);
        assertThat(dE).containsExactly(new float[] {11f / 6, 5f / 6, 1f / 3, 0f, 1.5f, 0.5f}, within(1e-6f));
    }

    /** last-item: with W = 2 and b = 1 the state is 2·e + 1 at every position. */
    @Test
    void lastItemEncoderMapsEachPosition() {
        ParameterStore store = new ParameterStore();
        HistoryEncoder enc = EncoderKind.LAST_ITEM.create(store, "l", 1, 3, 0, 1);
        store.data()[store.entry("l.proj.weight").offset()] = 2f;
        store.data()[store.entry("l.proj.bias").offset()] = 1f;
        float[] states = new float[3];
        enc.forward(enc.newWorkspace(1, 3), new float[] {1f, -2f, 0.5f}, new int[] {0}, 1, 3, states, 0, null);
        assertThat(states).containsExactly(3f, -3f, 2f);
    }

    /**
     * attention with a look-ahead item: the positions move by one, so the states before the
     * look-ahead equal those of the history without it.
     */
    @Test
    void attentionLookaheadNumbersPositionsAsIfTheHistoryEndedOneEarlier() {
        ParameterStore store = new ParameterStore();
        HistoryEncoder enc = encoder(EncoderKind.ATTENTION, store);
        int full = MAX_LENGTH;
        float[] e = GradCheck.randomArray(new Rng(8), full * DIM, -1, 1);
        float[] withLookahead = new float[full * DIM];
        enc.forward(enc.newWorkspace(1, full), e, new int[] {0}, 1, full, true, withLookahead, 0, null);
        float[] shorter = new float[(full - 1) * DIM];
        enc.forward(enc.newWorkspace(1, full), Arrays.copyOf(e, (full - 1) * DIM), new int[] {0}, 1, full - 1,
                shorter, 0, null);
        assertThat(Arrays.copyOf(withLookahead, (full - 1) * DIM)).containsExactly(shorter, within(1e-6f));
        float[] without = new float[full * DIM];
        enc.forward(enc.newWorkspace(1, full), e, new int[] {0}, 1, full, false, without, 0, null);
        assertThat(without).isNotEqualTo(withLookahead);
        // the other encoders have no positions: the look-ahead flag changes nothing
        ParameterStore gruStore = new ParameterStore();
        HistoryEncoder gru = encoder(EncoderKind.GRU, gruStore);
        float[] a = new float[full * DIM];
        float[] b = new float[full * DIM];
        gru.forward(gru.newWorkspace(1, full), e, new int[] {0}, 1, full, true, a, 0, null);
        gru.forward(gru.newWorkspace(1, full), e, new int[] {0}, 1, full, b, 0, null);
        assertThat(a).containsExactly(b);
    }

    @Test
    void kindsAreFoundByTheirConfigNames() {
        assertThat(EncoderKind.ids()).containsExactly("last-item", "mean", "gru", "attention");
        for (EncoderKind kind : EncoderKind.values()) {
            assertThat(EncoderKind.of(kind.id())).isSameAs(kind);
        }
        assertThatThrownBy(() -> EncoderKind.of("lstm")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown encoder lstm; one of [last-item, mean, gru, attention]");
    }
}
