package org.recsysrl.env.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.recsysrl.util.UserInputException;

class StateFieldsTest {
    /** A state of every kind of field, as an environment would hold it. */
    private static final class Holder {
        double budget;
        int streak;
        final float[] a = new float[2];
        final float[] b = new float[2];
        final int[] slots = new int[2];
        final StateFields state = new StateFields()
                .real(() -> budget, v -> budget = v)
                .integer(() -> streak, v -> streak = v)
                .floats(a, b)
                .ints(slots, v -> v >= 0 && v < 10, v -> "slot " + v + " is outside [0, 10)");
    }

    private static Holder filled() {
        Holder h = new Holder();
        h.budget = 2.5;
        h.streak = 3;
        h.a[0] = 1f;
        h.a[1] = 2f;
        h.b[0] = 10f;
        h.b[1] = 20f;
        h.slots[0] = 7;
        h.slots[1] = 9;
        return h;
    }

    private static byte[] save(Holder h) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        h.state.save(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    @Test
    void savesInDeclarationOrderWithInterleavedArrays() throws IOException {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(expected);
        out.writeDouble(2.5);
        out.writeInt(3);
        out.writeFloat(1f);
        out.writeFloat(10f);
        out.writeFloat(2f);
        out.writeFloat(20f);
        out.writeInt(7);
        out.writeInt(9);
        assertThat(save(filled())).isEqualTo(expected.toByteArray());
    }

    @Test
    void loadAndCopyRestoreEveryField() throws IOException {
        byte[] bytes = save(filled());
        Holder loaded = new Holder();
        loaded.state.load(new DataInputStream(new ByteArrayInputStream(bytes)));
        assertThat(save(loaded)).isEqualTo(bytes);
        Holder copy = new Holder();
        copy.state.copyFrom(filled().state);
        assertThat(copy.budget).isEqualTo(2.5);
        assertThat(copy.streak).isEqualTo(3);
        assertThat(copy.b).containsExactly(10f, 20f);
        assertThat(copy.slots).containsExactly(7, 9);
        assertThat(save(copy)).isEqualTo(bytes);
    }

    @Test
    void refusesALoadedValueOutsideItsRange() throws IOException {
        Holder h = filled();
        h.slots[1] = 12;
        byte[] bytes = save(h);
        assertThatThrownBy(() -> new Holder().state.load(new DataInputStream(new ByteArrayInputStream(bytes))))
                .isInstanceOf(UserInputException.class).hasMessage("slot 12 is outside [0, 10)");
    }
}
