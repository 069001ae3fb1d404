package org.recsysrl.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IdMapTest {

    @Test
    void numericIdsRoundTripInOrderOfFirstAppearance() {
        IdMap.Builder b = new IdMap.Builder();
        assertThat(b.intern("42")).isEqualTo(0);
        assertThat(b.intern("7")).isEqualTo(1);
        assertThat(b.intern("42")).isEqualTo(0);
        assertThat(b.intern("0")).isEqualTo(2);
        IdMap m = b.build();
        assertThat(m.numeric()).isTrue();
        assertThat(m.size()).isEqualTo(3);
        assertThat(m.raw(0)).isEqualTo("42");
        assertThat(m.raw(1)).isEqualTo("7");
        assertThat(m.raw(2)).isEqualTo("0");
        assertThat(m.rawLong(1)).isEqualTo(7L);
        assertThat(m.index("7")).isEqualTo(1);
        assertThat(m.index(42L)).isEqualTo(0);
        assertThat(m.index("8")).isEqualTo(-1);
        assertThat(m.index(8L)).isEqualTo(-1);
        assertThat(m.index("007")).isEqualTo(-1); // not the same text as "7"
        assertThat(m.index("abc")).isEqualTo(-1);
        assertThat(m.index(-1L)).isEqualTo(-1);
    }

    @Test
    void manyIdsSurviveRehashingAndRoundTrip() {
        IdMap.Builder b = new IdMap.Builder();
        int n = 50_000;
        for (int k = 0; k < n; k++) {
            long raw = (k * 2_654_435_761L) % 1_000_000_007L; // distinct, scattered
            assertThat(b.intern(Long.toString(raw))).isEqualTo(k);
        }
        for (int k = 0; k < n; k += 7) {
            long raw = (k * 2_654_435_761L) % 1_000_000_007L;
            assertThat(b.intern(Long.toString(raw))).isEqualTo(k);
        }
        IdMap m = b.build();
        assertThat(m.size()).isEqualTo(n);
        for (int k = 0; k < n; k++) {
            assertThat(m.index(m.raw(k))).isEqualTo(k);
            assertThat(m.index(m.rawLong(k))).isEqualTo(k);
        }
    }

    @Test
    void smallAndLargeNumericIdsMixAcrossTheDirectAndHashedTables() {
        long[] raws = {5, 3_000_000, (1 << 21) - 1, 1 << 21, 999_999_999_999_999_999L, 0, 1_000_000};
        IdMap.Builder b = new IdMap.Builder();
        for (int k = 0; k < raws.length; k++) {
            assertThat(b.intern(Long.toString(raws[k]))).isEqualTo(k);
        }
        for (int k = 0; k < raws.length; k++) {
            assertThat(b.intern(Long.toString(raws[k]))).isEqualTo(k);
        }
        IdMap m = b.build();
        assertThat(m.numeric()).isTrue();
        for (int k = 0; k < raws.length; k++) {
            assertThat(m.index(raws[k])).isEqualTo(k);
            assertThat(m.index(Long.toString(raws[k]))).isEqualTo(k);
            assertThat(m.rawLong(k)).isEqualTo(raws[k]);
        }
        assertThat(m.index(6L)).isEqualTo(-1);
        assertThat(m.index(2_999_999L)).isEqualTo(-1);
        assertThat(m.index(5_000_000L)).isEqualTo(-1); // beyond the direct table's current length
        assertThat(m.index("1000000000000000000")).isEqualTo(-1); // 19 digits: never numeric
        // 19 digits is text: the map switches mode and keeps every index
        IdMap.Builder t = new IdMap.Builder();
        t.intern("5");
        t.intern("3000000");
        assertThat(t.intern("1000000000000000000")).isEqualTo(2);
        IdMap tm = t.build();
        assertThat(tm.numeric()).isFalse();
        assertThat(tm.index(3_000_000L)).isEqualTo(1);
        assertThat(tm.raw(2)).isEqualTo("1000000000000000000");
    }

    @Test
    void textIdsSwitchTheMapToTextModeKeepingEarlierIndices() {
        IdMap.Builder b = new IdMap.Builder();
        b.intern("5");
        b.intern("12");
        byte[] bytes = "user-é".getBytes(StandardCharsets.UTF_8);
        assertThat(b.intern(bytes, 0, bytes.length)).isEqualTo(2);
        assertThat(b.intern("007")).isEqualTo(3); // leading zero: text, distinct from 7
        assertThat(b.intern("7")).isEqualTo(4);
        assertThat(b.intern("12")).isEqualTo(1);
        IdMap m = b.build();
        assertThat(m.numeric()).isFalse();
        assertThat(m.raw(2)).isEqualTo("user-é");
        for (int k = 0; k < m.size(); k++) {
            assertThat(m.index(m.raw(k))).isEqualTo(k);
        }
        assertThat(m.index(12L)).isEqualTo(1);
        assertThat(m.index("nobody")).isEqualTo(-1);
        assertThatThrownBy(() -> m.rawLong(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void ofRejectsDuplicates() {
        assertThat(IdMap.of("a", "b").index("b")).isEqualTo(1);
        assertThatThrownBy(() -> IdMap.of("1", "2", "1")).isInstanceOf(IllegalArgumentException.class);
    }
}
