package org.recsysrl.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.recsysrl.util.Rng;

/** Integer and ISO-8601 times, to milliseconds since 1970-01-01T00:00Z. */
class TimeParserTest {
    private static final long DAY = 86_400_000L;

    private static long parse(String text) {
        return TimeParser.parse(text, null);
    }

    private static boolean isDate(String text) {
        boolean[] date = new boolean[1];
        assertThat(TimeParser.parse(text, date)).isNotEqualTo(TimeParser.MALFORMED);
        return date[0];
    }

    @Test
    void epochDaysOfKnownDates() {
        assertThat(TimeParser.epochDay(1970, 1, 1)).isZero();
        assertThat(TimeParser.epochDay(1969, 12, 31)).isEqualTo(-1);
        // 1970..1999: 30·365 + 7 leap days (72 76 80 84 88 92 96) = 10957 = 2000-01-01;
        // + 31 (January) + 29 (February of the leap year 2000) = 11017
        assertThat(TimeParser.epochDay(2000, 1, 1)).isEqualTo(10957);
        assertThat(TimeParser.epochDay(2000, 3, 1)).isEqualTo(11017);
        assertThat(parse("2000-03-01")).isEqualTo(11017 * DAY);
        assertThat(parse("1970-01-01")).isZero();
        // 2024-01-01: 54·365 + 13 leap days (1972..2020) = 19723; 2024-02-29: + 31 + 28 = 19782
        assertThat(parse("2024-02-29")).isEqualTo(19782 * DAY);
        assertThat(parse("2024-03-01")).isEqualTo(19783 * DAY);
    }

    @Test
    void leapYearsFollowTheGregorianRules() {
        assertThat(parse("2000-02-29")).isEqualTo(11016 * DAY); // divisible by 400: leap
        assertThat(parse("1900-02-29")).isEqualTo(TimeParser.MALFORMED); // by 100, not 400: not leap
        assertThat(parse("2023-02-29")).isEqualTo(TimeParser.MALFORMED);
        assertThat(parse("2023-02-28")).isNotEqualTo(TimeParser.MALFORMED);
        assertThat(parse("2023-04-31")).isEqualTo(TimeParser.MALFORMED); // April has 30 days
    }

    @Test
    void epochDaysAgreeWithJavaTimeOverFiveCenturies() {
        Rng rng = new Rng(8);
        for (int k = 0; k < 2000; k++) {
            LocalDate d = LocalDate.ofEpochDay(-200_000 + rng.nextInt(300_000)); // 1422 .. 2791
            assertThat(TimeParser.epochDay(d.getYear(), d.getMonthValue(), d.getDayOfMonth())).as(d.toString())
                    .isEqualTo(d.toEpochDay());
        }
    }

    @Test
    void timesOfDayZonesAndFractions() {
        // 2019-10-01 is day 49·365 + 12 leap days + 273 (Jan..Sep) = 18170
        long midnight = 18170 * DAY;
        long at0630 = midnight + (6 * 60 + 30) * 60_000L;
        assertThat(parse("2019-10-01T06:30:00Z")).isEqualTo(at0630);
        assertThat(parse("2019-10-01T06:30Z")).isEqualTo(at0630); // seconds optional
        assertThat(parse("2019-10-01 06:30:00")).isEqualTo(at0630); // space, no zone: UTC
        assertThat(parse("2019-10-01 06:30:00 UTC")).isEqualTo(at0630);
        // 08:30 at +02:00 is 06:30Z; 01:30 at −05:00 is 06:30Z
        assertThat(parse("2019-10-01T08:30:00+02:00")).isEqualTo(at0630);
        assertThat(parse("2019-10-01T08:30:00+0200")).isEqualTo(at0630);
        assertThat(parse("2019-10-01T08:30:00+02")).isEqualTo(at0630);
        assertThat(parse("2019-10-01T01:30:00-05:00")).isEqualTo(at0630);
        // an offset can move the instant to the previous day: 00:15+01:00 = 23:15Z on 09-30
        assertThat(parse("2019-10-01T00:15+01:00")).isEqualTo(midnight - 45 * 60_000L);
        // fractions: .5 s = 500 ms; digits beyond milliseconds are cut; a comma works too
        assertThat(parse("2019-10-01T06:30:00.5Z")).isEqualTo(at0630 + 500);
        assertThat(parse("2019-10-01T06:30:00.123456Z")).isEqualTo(at0630 + 123);
        assertThat(parse("2019-10-01T06:30:00,25")).isEqualTo(at0630 + 250);
        assertThat(parse("  2019-10-01  ")).isEqualTo(midnight); // the String form trims
        assertThat(isDate("2019-10-01")).isTrue();
    }

    @Test
    void integersAreTakenAsTheyAre() {
        assertThat(parse("1571902200")).isEqualTo(1571902200L);
        assertThat(parse("-42")).isEqualTo(-42);
        assertThat(parse("+7")).isEqualTo(7);
        assertThat(parse("20191001")).isEqualTo(20191001L); // digits only: an integer, not a date
        assertThat(isDate("1571902200")).isFalse();
    }

    @Test
    void malformedInputs() {
        String[] bad = {"", "abc", "2019/10/01", "2019-1-01", "2019-13-01", "2019-00-10", "2019-10-32",
            "2019-10-00", "2019-10-01T24:00", "2019-10-01T08:60", "2019-10-01T08:30:61", "2019-10-01T08",
            "2019-10-01Z", "2019-10-01T08:30:00.", "2019-10-01T08:30:00+2", "2019-10-01T08:30:00+19:00",
            "2019-10-01T08:30:00 GMT", "2019-10-01T08:30:00ZZ", "2019-10-01x", "1.5", "12a"};
        for (String s : bad) {
            assertThat(parse(s)).as("\"%s\"", s).isEqualTo(TimeParser.MALFORMED);
        }
        boolean[] date = {true};
        TimeParser.parse("nonsense", date);
        assertThat(date[0]).isTrue(); // untouched on failure
    }
}
