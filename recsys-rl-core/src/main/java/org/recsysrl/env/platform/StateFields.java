package org.recsysrl.env.platform;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleConsumer;
import java.util.function.DoubleSupplier;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.function.IntSupplier;
import org.recsysrl.util.UserInputException;

/**
 * A platform environment's mutable user state, declared once: every field is listed here, in the
 * order snapshots store it, and saving, loading and copying follow from the list. Scalars are
 * declared with a getter and a setter, arrays by themselves (fixed-length arrays owned by the
 * environment).
 *
 * <pre>{@code
 * state = new StateFields()
 *         .real(() -> budget, v -> budget = v)
 *         .integer(() -> skipStreak, v -> skipStreak = v)
 *         .floats(interest, satiation);   // interest[0], satiation[0], interest[1], …
 * }</pre>
 */
public final class StateFields {
    private interface Field {
        void save(DataOutput out) throws IOException;

        void load(DataInput in) throws IOException;

        void copyFrom(Field other);
    }

    private final List<Field> fields = new ArrayList<>();

    /** A {@code double} field, stored as 8 bytes. */
    public StateFields real(DoubleSupplier get, DoubleConsumer set) {
        fields.add(new Real(get, set));
        return this;
    }

    /** An {@code int} field, stored as 4 bytes. */
    public StateFields integer(IntSupplier get, IntConsumer set) {
        fields.add(new Int(get, set));
        return this;
    }

    /**
     * Float arrays of one length, stored element by element across the arrays (with two arrays:
     * {@code a[0], b[0], a[1], b[1], …}; with one: the array in order).
     */
    public StateFields floats(float[]... arrays) {
        for (float[] a : arrays) {
            if (a.length != arrays[0].length) {
                throw new IllegalArgumentException("interleaved state arrays must have one length");
            }
        }
        fields.add(new Floats(arrays));
        return this;
    }

    /**
     * An int array, stored in order; a loaded value that fails {@code valid} is refused with the
     * message {@code invalid} gives it.
     */
    public StateFields ints(int[] values, IntPredicate valid, IntFunction<String> invalid) {
        fields.add(new Ints(values, valid, invalid));
        return this;
    }

    /** Writes every field, in declaration order. */
    public void save(DataOutput out) throws IOException {
        for (Field f : fields) {
            f.save(out);
        }
    }

    /** Reads what {@link #save} wrote. */
    public void load(DataInput in) throws IOException {
        for (Field f : fields) {
            f.load(in);
        }
    }

    /** Copies every field of {@code other}, the state of an environment of the same kind and spec. */
    public void copyFrom(StateFields other) {
        if (other.fields.size() != fields.size()) {
            throw new IllegalArgumentException("can copy the state of an environment of the same kind only");
        }
        for (int k = 0; k < fields.size(); k++) {
            fields.get(k).copyFrom(other.fields.get(k));
        }
    }

    private static final class Real implements Field {
        final DoubleSupplier get;
        final DoubleConsumer set;

        Real(DoubleSupplier get, DoubleConsumer set) {
            this.get = get;
            this.set = set;
        }

        @Override
        public void save(DataOutput out) throws IOException {
            out.writeDouble(get.getAsDouble());
        }

        @Override
        public void load(DataInput in) throws IOException {
            set.accept(in.readDouble());
        }

        @Override
        public void copyFrom(Field other) {
            set.accept(((Real) other).get.getAsDouble());
        }
    }

    private static final class Int implements Field {
        final IntSupplier get;
        final IntConsumer set;

        Int(IntSupplier get, IntConsumer set) {
            this.get = get;
            this.set = set;
        }

        @Override
        public void save(DataOutput out) throws IOException {
            out.writeInt(get.getAsInt());
        }

        @Override
        public void load(DataInput in) throws IOException {
            set.accept(in.readInt());
        }

        @Override
        public void copyFrom(Field other) {
            set.accept(((Int) other).get.getAsInt());
        }
    }

    private static final class Floats implements Field {
        final float[][] arrays;

        Floats(float[][] arrays) {
            this.arrays = arrays;
        }

        @Override
        public void save(DataOutput out) throws IOException {
            for (int i = 0; i < arrays[0].length; i++) {
                for (float[] a : arrays) {
                    out.writeFloat(a[i]);
                }
            }
        }

        @Override
        public void load(DataInput in) throws IOException {
            for (int i = 0; i < arrays[0].length; i++) {
                for (float[] a : arrays) {
                    a[i] = in.readFloat();
                }
            }
        }

        @Override
        public void copyFrom(Field other) {
            float[][] from = ((Floats) other).arrays;
            for (int j = 0; j < arrays.length; j++) {
                System.arraycopy(from[j], 0, arrays[j], 0, arrays[j].length);
            }
        }
    }

    private static final class Ints implements Field {
        final int[] values;
        final IntPredicate valid;
        final IntFunction<String> invalid;

        Ints(int[] values, IntPredicate valid, IntFunction<String> invalid) {
            this.values = values;
            this.valid = valid;
            this.invalid = invalid;
        }

        @Override
        public void save(DataOutput out) throws IOException {
            for (int v : values) {
                out.writeInt(v);
            }
        }

        @Override
        public void load(DataInput in) throws IOException {
            for (int i = 0; i < values.length; i++) {
                int v = in.readInt();
                if (!valid.test(v)) {
                    throw new UserInputException(invalid.apply(v));
                }
                values[i] = v;
            }
        }

        @Override
        public void copyFrom(Field other) {
            System.arraycopy(((Ints) other).values, 0, values, 0, values.length);
        }
    }
}
