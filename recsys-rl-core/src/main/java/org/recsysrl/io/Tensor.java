package org.recsysrl.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor of a safetensors file: a name, a dtype ({@code "F32"}, {@code "I64"}, {@code "I32"} or
 * {@code "U8"}), a shape and the raw little-endian bytes of its elements in row-major order.
 *
 * <p>The arrays are not copied (tensors can be large): do not modify them after construction.
 * {@link #equals} and {@link #hashCode} compare the array contents, and {@link #toString} does not
 * print the data.
 */
public record Tensor(String name, String dtype, long[] shape, byte[] bytes) {

    /** Validates the fields; a mismatch is a programming error, so this throws IllegalArgumentException. */
    public Tensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(bytes, "bytes");
        int size = dtypeSize(dtype);
        if (size < 0) {
            throw new IllegalArgumentException("tensor '" + name + "': unsupported dtype " + dtype);
        }
        long count = elementCount(shape);
        if (count < 0) {
            throw new IllegalArgumentException(
                    "tensor '" + name + "': invalid shape " + Arrays.toString(shape));
        }
        if (bytes.length % size != 0 || count != bytes.length / size) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape)
                    + " with dtype " + dtype + " needs " + count + " x " + size + " bytes, got "
                    + bytes.length);
        }
    }

    /** An F32 tensor holding {@code data[offset .. offset+length)}; {@code length} must match the shape. */
    public static Tensor f32(String name, long[] shape, float[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        checkCount(name, shape, length);
        ByteBuffer buffer = ByteBuffer.allocate(Math.multiplyExact(length, 4)).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(data, offset, length);
        return new Tensor(name, "F32", shape.clone(), buffer.array());
    }

    /** An F32 tensor holding all of {@code data}. */
    public static Tensor f32(String name, long[] shape, float[] data) {
        return f32(name, shape, data, 0, data.length);
    }

    /** An I64 tensor; {@code data.length} must match the shape. */
    public static Tensor i64(String name, long[] shape, long[] data) {
        checkCount(name, shape, data.length);
        ByteBuffer buffer = ByteBuffer.allocate(Math.multiplyExact(data.length, 8)).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asLongBuffer().put(data);
        return new Tensor(name, "I64", shape.clone(), buffer.array());
    }

    /** An I32 tensor; {@code data.length} must match the shape. */
    public static Tensor i32(String name, long[] shape, int[] data) {
        checkCount(name, shape, data.length);
        ByteBuffer buffer = ByteBuffer.allocate(Math.multiplyExact(data.length, 4)).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asIntBuffer().put(data);
        return new Tensor(name, "I32", shape.clone(), buffer.array());
    }

    /** A one-dimensional U8 tensor of shape {@code [data.length]} (the array is copied). */
    public static Tensor u8(String name, byte[] data) {
        return new Tensor(name, "U8", new long[] {data.length}, data.clone());
    }

    /** The elements of an F32 tensor. */
    public float[] toFloats() {
        requireDtype("F32");
        float[] out = new float[elementCount()];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** The elements of an I64, I32 or U8 tensor, widened to long (U8 as unsigned 0..255). */
    public long[] toLongs() {
        long[] out = new long[elementCount()];
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case "I64" -> buffer.asLongBuffer().get(out);
            case "I32" -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = buffer.getInt(i * 4);
                }
            }
            case "U8" -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = bytes[i] & 0xFF;
                }
            }
            default -> throw new IllegalStateException(
                    "tensor '" + name + "' has dtype " + dtype + ", not an integer dtype");
        }
        return out;
    }

    /** The elements of an I32 tensor. */
    public int[] toInts() {
        requireDtype("I32");
        int[] out = new int[elementCount()];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
        return out;
    }

    /** The number of elements: the product of the shape (1 for a scalar of shape []). */
    public int elementCount() {
        return Math.toIntExact(elementCount(shape));
    }

    /** Bytes per element of a dtype, or -1 if the dtype is not supported. */
    static int dtypeSize(String dtype) {
        return switch (dtype) {
            case "F32", "I32" -> 4;
            case "I64" -> 8;
            case "U8" -> 1;
            default -> -1;
        };
    }

    /** Product of the dimensions, or -1 if a dimension is negative or the product overflows. */
    static long elementCount(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            if (dim < 0) {
                return -1;
            }
            try {
                count = Math.multiplyExact(count, dim);
            } catch (ArithmeticException e) {
                return -1;
            }
        }
        return count;
    }

    private static void checkCount(String name, long[] shape, int length) {
        long count = elementCount(shape);
        if (count != length) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape)
                    + " has " + count + " elements but " + length + " values were given");
        }
    }

    private void requireDtype(String expected) {
        if (!dtype.equals(expected)) {
            throw new IllegalStateException("tensor '" + name + "' has dtype " + dtype + ", not " + expected);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t
                && name.equals(t.name)
                && dtype.equals(t.dtype)
                && Arrays.equals(shape, t.shape)
                && Arrays.equals(bytes, t.bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), Arrays.hashCode(bytes));
    }

    @Override
    public String toString() {
        return "Tensor[" + name + ", " + dtype + ", shape=" + Arrays.toString(shape) + ", "
                + bytes.length + " bytes]";
    }
}
