package org.recsysrl.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.recsysrl.util.UserInputException;

/** {@link Tensor}'s factories and accessors refuse what does not fit, each with its own message. */
class TensorChecksTest {
    @Test
    void factoriesNameTheCountThatDoesNotMatchTheShape() {
        assertThatThrownBy(() -> Tensor.f32("w", new long[] {3}, new float[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tensor 'w': shape [3] has 3 elements but 2 values were given");
        assertThatThrownBy(() -> Tensor.i64("ids", new long[] {2, 2}, new long[] {1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tensor 'ids': shape [2, 2] has 4 elements but 3 values were given");
        assertThatThrownBy(() -> Tensor.i32("n", new long[] {1}, new int[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tensor 'n': shape [1] has 1 elements but 2 values were given");
        assertThatThrownBy(() -> Tensor.f32("w", new long[] {2}, new float[] {1, 2, 3}, 2, 2))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(Tensor.f32("w", new long[] {2}, new float[] {1, 2, 3}, 1, 2).toFloats()).containsExactly(2, 3);
    }

    @Test
    void accessorsRefuseAnotherDtype() {
        Tensor floats = Tensor.f32("w", new long[] {2}, new float[] {1.5f, -2});
        assertThatThrownBy(floats::toInts).isInstanceOf(IllegalStateException.class)
                .hasMessage("tensor 'w' has dtype F32, not I32");
        assertThatThrownBy(floats::toLongs).isInstanceOf(IllegalStateException.class)
                .hasMessage("tensor 'w' has dtype F32, not an integer dtype");
        Tensor ints = Tensor.i32("n", new long[] {2}, new int[] {-7, 9});
        assertThat(ints.toInts()).containsExactly(-7, 9);
        assertThat(ints.toLongs()).containsExactly(-7, 9);
        assertThatThrownBy(ints::toFloats).isInstanceOf(IllegalStateException.class)
                .hasMessage("tensor 'n' has dtype I32, not F32");
        assertThat(Tensor.u8("b", new byte[] {(byte) 255, 1}).toLongs()).containsExactly(255, 1);
        assertThat(Tensor.i64("l", new long[] {1}, new long[] {Long.MIN_VALUE}).toLongs()).containsExactly(Long.MIN_VALUE);
    }

    @Test
    void equalTensorsHaveEqualHashesAndAShortText() {
        Tensor a = Tensor.f32("w", new long[] {1, 2}, new float[] {1, 2});
        Tensor b = Tensor.f32("w", new long[] {1, 2}, new float[] {1, 2});
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(Tensor.f32("w", new long[] {2, 1}, new float[] {1, 2}));
        assertThat(a.toString()).isEqualTo("Tensor[w, F32, shape=[1, 2], 8 bytes]");
        assertThat(Tensor.elementCount(new long[] {})).isEqualTo(1);
        assertThat(Tensor.elementCount(new long[] {3, -1})).isEqualTo(-1);
        assertThat(Tensor.elementCount(new long[] {1L << 32, 1L << 32})).isEqualTo(-1);
    }

    @Test
    void theFirstNonFiniteElementIsFoundAndNamedByItsIndex() {
        Tensor t = Tensor.f32("w", new long[] {4}, new float[] {1, 2, Float.NaN, Float.POSITIVE_INFINITY});
        assertThat(SafeTensors.firstNonFinite(t)).isEqualTo(2);
        assertThat(SafeTensors.firstNonFinite(Tensor.f32("w", new long[] {2}, new float[] {1, 2}))).isEqualTo(-1);
        assertThat(SafeTensors.firstNonFinite(Tensor.i32("n", new long[] {1}, new int[] {0x7fc00000}))).isEqualTo(-1);
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("ok", Tensor.f32("ok", new long[] {1}, new float[] {0}));
        tensors.put("w", t);
        SafeTensors.Contents contents = new SafeTensors.Contents(Map.of(), tensors);
        assertThatThrownBy(() -> contents.requireFinite("f.safetensors")).isInstanceOf(UserInputException.class)
                .hasMessageStartingWith("f.safetensors: tensor 'w' holds a non-finite value (NaN at element 2 of 4)");
    }
}
