package org.recsysrl.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.util.UserInputException;

class SyntheticLogTest {
    private static String generate(SyntheticLog.Settings s) throws IOException {
        StringWriter w = new StringWriter();
        long n = SyntheticLog.write(s, w);
        assertThat(n).isEqualTo(s.interactions());
        return w.toString();
    }

    /** Rows of user, item, time. */
    private static List<long[]> rows(String text) {
        String[] lines = text.split("\n");
        assertThat(lines[0]).isEqualTo("user_id\titem_id\ttimestamp");
        List<long[]> out = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split("\t");
            out.add(new long[] {Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2])});
        }
        return out;
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() throws IOException {
        SyntheticLog.Settings s = SyntheticLog.Settings.of(3_000, 100, 400, 7);
        String a = generate(s);
        assertThat(generate(s)).isEqualTo(a);
        assertThat(generate(SyntheticLog.Settings.of(3_000, 100, 400, 8))).isNotEqualTo(a);
        assertThat(rows(a)).hasSize(3_000);
    }

    @Test
    void everyUserHasTheMinimumAndTimesIncreaseWithinAUser() throws IOException {
        SyntheticLog.Settings s = SyntheticLog.Settings.of(20_000, 300, 1_000, 3);
        List<long[]> rows = rows(generate(s));
        int[] perUser = new int[300];
        long[] previous = null;
        for (long[] r : rows) {
            assertThat(r[0]).isBetween(0L, 299L);
            assertThat(r[1]).isBetween(0L, 999L);
            perUser[(int) r[0]]++;
            if (previous != null) {
                assertThat(r[0]).isGreaterThanOrEqualTo(previous[0]); // users in order
                if (previous[0] == r[0]) {
                    assertThat(r[2]).isGreaterThan(previous[2]);
                }
            }
            previous = r;
        }
        assertThat(Arrays.stream(perUser).min().getAsInt()).isGreaterThanOrEqualTo(5);
        assertThat(Arrays.stream(perUser).sum()).isEqualTo(20_000);
    }

    @Test
    void itemPopularityFollowsThePowerLawAndZeroExponentIsFlat() throws IOException {
        // Zipf 1.0 over 2,000 items: the top 1 % (20 items) would take H(20)/H(2000) ≈ 44 % alone
        double skewed = topShare(rows(generate(SyntheticLog.Settings.of(100_000, 500, 2_000, 5))), 2_000, 20);
        assertThat(skewed).isBetween(0.25, 0.6);
        SyntheticLog.Settings flat = new SyntheticLog.Settings(100_000, 500, 2_000, 0.0, 1.2, 5, 8, 0.5, 0, 5);
        assertThat(topShare(rows(generate(flat)), 2_000, 20)).isLessThan(0.02);
    }

    private static double topShare(List<long[]> rows, int items, int top) {
        long[] counts = new long[items];
        for (long[] r : rows) {
            counts[(int) r[1]]++;
        }
        Arrays.sort(counts);
        long sum = 0;
        for (int i = items - top; i < items; i++) {
            sum += counts[i];
        }
        return (double) sum / rows.size();
    }

    @Test
    void userActivityIsHeavyTailedAndSigmaZeroIsEven() throws IOException {
        long[] heavy = SyntheticLog.activity(SyntheticLog.Settings.of(500_000, 5_000, 1_000, 9));
        long[] sorted = heavy.clone();
        Arrays.sort(sorted);
        assertThat(Arrays.stream(heavy).sum()).isEqualTo(500_000);
        // log-normal σ = 1.2: the most active of 5,000 users is tens of times the median
        assertThat((double) sorted[sorted.length - 1] / sorted[sorted.length / 2]).isGreaterThan(20);
        long[] even = SyntheticLog.activity(new SyntheticLog.Settings(500_000, 5_000, 1_000, 1.0, 0.0, 5, 8, 0.5, 0, 9));
        assertThat(Arrays.stream(even).max().getAsLong() - Arrays.stream(even).min().getAsLong()).isLessThanOrEqualTo(1);
        assertThat(Arrays.stream(even).sum()).isEqualTo(500_000);
    }

    @Test
    void eventsComeInSessionsMinutesApartSeparatedByDays() throws IOException {
        List<long[]> rows = rows(generate(SyntheticLog.Settings.of(50_000, 200, 1_000, 11)));
        int gaps = 0;
        int long_ = 0;
        List<Long> all = new ArrayList<>();
        for (int i = 1; i < rows.size(); i++) {
            if (rows.get(i)[0] == rows.get(i - 1)[0]) {
                long gap = rows.get(i)[2] - rows.get(i - 1)[2];
                all.add(gap);
                gaps++;
                if (gap > 6 * 3600) {
                    long_++;
                }
            }
        }
        // one session in 8 events ends: about 12.5 % of the gaps are between sessions (a few of those are short)
        assertThat((double) long_ / gaps).isBetween(0.09, 0.15);
        all.sort(null);
        assertThat(all.get(all.size() / 2)).isLessThan(300L);
    }

    @Test
    void theProjectsReaderReadsTheGeneratedFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("log.tsv");
        Files.writeString(f, generate(SyntheticLog.Settings.of(5_000, 200, 300, 1)));
        InteractionLog log = LogReader.read(f, LogSpec.DEFAULT);
        assertThat(log.size()).isEqualTo(5_000);
        assertThat(log.userCount()).isEqualTo(200);
        assertThat(log.hasTimes()).isTrue();
    }

    @Test
    void tooFewInteractionsForTheUsersIsRefusedNamingTheFlags() {
        assertThatThrownBy(() -> SyntheticLog.Settings.of(40, 10, 100, 1).validate())
                .isInstanceOf(UserInputException.class).hasMessageContaining("--interactions")
                .hasMessageContaining("--min-per-user");
    }
}
