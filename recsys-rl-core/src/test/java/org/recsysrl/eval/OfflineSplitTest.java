package org.recsysrl.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.Interactions;
import org.recsysrl.data.Layout;
import org.recsysrl.data.SplitSpec;
import org.recsysrl.data.TinyLog;
import org.recsysrl.recommend.History;
import org.recsysrl.util.UserInputException;

/** The three offline protocols and the ranking tasks they produce. */
class OfflineSplitTest {

    private static int[] slice(Interactions x, int user) {
        return Arrays.copyOfRange(x.items(), x.start(user), x.end(user));
    }

    private static int[] targets(EvalTask t, int k) {
        return Arrays.copyOfRange(t.targets(), t.targetOffsets()[k], t.targetOffsets()[k + 1]);
    }

    private static ProtocolSpec temporalAt(String cutoffTime, boolean allTargets) {
        return new ProtocolSpec(ProtocolSpec.Kind.TEMPORAL, 0.9, cutoffTime, allTargets, false, SplitSpec.DEFAULT);
    }

    // ---------------------------------------------------------------- leave-one-out

    @Test
    void leaveOneOutHoldsOutTheLastTwoOfUsersWithAtLeastThree() {
        // u0: 0 1 2 3 4 | u1: 5 6 7 | u2: 1 2 | u3: 3   (no times: file order is time order)
        InteractionLog log = TinyLog.of(8, new int[][] {{0, 1, 2, 3, 4}, {5, 6, 7}, {1, 2}, {3}});
        OfflineSplit s = OfflineSplit.of(log, ProtocolSpec.LOO);
        Interactions train = s.trainPart();
        assertThat(slice(train, 0)).containsExactly(0, 1, 2);
        assertThat(slice(train, 1)).containsExactly(5);
        assertThat(slice(train, 2)).containsExactly(1, 2); // < 3 interactions: training only
        assertThat(slice(train, 3)).containsExactly(3);
        assertThat(train.totalCount()).isEqualTo(7);
        assertThat(s.cutoff()).isEqualTo(Long.MIN_VALUE);

        EvalTask v = s.validationTask(false);
        assertThat(v.name()).isEqualTo("validation");
        assertThat(v.users()).containsExactly(0, 1);
        assertThat(targets(v, 0)).containsExactly(3); // second-to-last
        assertThat(targets(v, 1)).containsExactly(6);
        History h = v.history(0);
        assertThat(h.user()).isEqualTo(0);
        assertThat(Arrays.copyOfRange(h.items(), h.from(), h.to())).containsExactly(0, 1, 2);

        EvalTask t = s.testTask(false);
        assertThat(t.users()).containsExactly(0, 1);
        assertThat(targets(t, 0)).containsExactly(4); // last
        assertThat(targets(t, 1)).containsExactly(7);
        // at test time the validation interaction is history (not fitting data)
        History th = t.history(1);
        assertThat(Arrays.copyOfRange(th.items(), th.from(), th.to())).containsExactly(5, 6);
        assertThat(s.describe()).isEqualTo("leave-one-out: 7 train, 2 validation, 2 test interactions");
    }

    // ---------------------------------------------------------------- temporal

    @Test
    void temporalSplitsNeverTrainOnAnythingAtOrAfterTheCutoff() {
        double[] fractions = {0.2, 0.5, 0.8};
        for (long seed = 1; seed <= 6; seed++) {
            // times 1000..1039 drawn at random, so many ties, some exactly at the cutoff
            InteractionLog log = TinyLog.random(seed, 40, 15, 9, Layout.LOG_CSV);
            long[] times = log.times();
            long[] sorted = times.clone();
            Arrays.sort(sorted);
            for (double f : fractions) {
                for (int variant = 0; variant < 4; variant++) {
                    boolean all = (variant & 1) != 0;
                    boolean cold = (variant & 2) != 0;
                    String what = "seed " + seed + " fraction " + f + " all " + all + " cold " + cold;
                    OfflineSplit s = OfflineSplit.of(log, ProtocolSpec.temporal(f, all, cold));
                    long cutoff = s.cutoff();
                    // the time by which a fraction f of interactions happened: sorted[floor(f · n)]
                    assertThat(cutoff).as(what).isEqualTo(sorted[(int) Math.floor(f * sorted.length)]);
                    Interactions train = s.trainPart();
                    EvalTask test = s.testTask(false);
                    int testUsers = 0;
                    for (int u = 0; u < log.userCount(); u++) {
                        for (int p = train.start(u); p < train.end(u); p++) {
                            assertThat(times[p]).as(what).isLessThan(cutoff);
                        }
                        int st = log.start(u);
                        int e = log.end(u);
                        int c = st;
                        while (c < e && times[c] < cutoff) {
                            c++;
                        }
                        int pre = c - st;
                        // every pre-cutoff interaction is training or validation; validation = the last one
                        assertThat(s.validEnd(u)).as(what).isEqualTo(c);
                        assertThat(s.fitEnd(u)).as(what).isEqualTo(pre >= 2 ? c - 1 : c);
                        // test targets: the first interaction at/after the cutoff (or all of them), for users
                        // with some history before it, and for users new after it if cold users are tested
                        int expectedEnd = (pre == 0 && !cold) || c == e ? c : all ? e : c + 1;
                        assertThat(s.testEnd(u)).as(what).isEqualTo(expectedEnd);
                        for (int p = s.validEnd(u); p < s.testEnd(u); p++) {
                            assertThat(times[p]).as(what).isGreaterThanOrEqualTo(cutoff);
                        }
                        if (s.testEnd(u) > s.validEnd(u)) {
                            testUsers++;
                        }
                    }
                    assertThat(test.size()).as(what).isEqualTo(testUsers);
                    for (int k = 0; k < test.size(); k++) {
                        int u = test.users()[k];
                        TreeSet<Integer> expected = new TreeSet<>();
                        for (int p = s.validEnd(u); p < s.testEnd(u); p++) {
                            expected.add(log.items()[p]);
                        }
                        assertThat(targets(test, k)).as(what).containsExactly(
                                expected.stream().mapToInt(Integer::intValue).toArray());
                    }
                }
            }
        }
    }

    /**
     * u0: 2015-12-31T23:59:59Z, 2016-01-01T00:00:00Z, 00:01:40; u1: 2015-12-31T22:13:20, 23:58:20,
     * 2016-01-01T00:00:01. 2016-01-01 is day 46·365 + 11 leap days = 16801 → 1451606400 s.
     */
    private static InteractionLog newYear(long scale) {
        long[][] t = {{1451606399L, 1451606400L, 1451606500L}, {1451600000L, 1451606300L, 1451606401L}};
        for (long[] row : t) {
            for (int k = 0; k < row.length; k++) {
                row[k] *= scale;
            }
        }
        return TinyLog.of(6, new int[][] {{0, 1, 2}, {3, 4, 5}}, t, null, Layout.LOG_CSV);
    }

    @Test
    void anIsoCutoffDateIsConvertedToTheLogsUnit() {
        OfflineSplit s = OfflineSplit.of(newYear(1), temporalAt("2016-01-01", false));
        assertThat(s.cutoff()).isEqualTo(1451606400L);
        // u0 has one interaction before the cutoff: training only; the one exactly AT the cutoff is the test target
        assertThat(s.fitEnd(0)).isEqualTo(1);
        assertThat(s.validEnd(0)).isEqualTo(1);
        assertThat(s.testEnd(0)).isEqualTo(2);
        // u1 has two before: the second is the validation target, the first after it the test target
        assertThat(s.fitEnd(1)).isEqualTo(4);
        assertThat(s.validEnd(1)).isEqualTo(5);
        assertThat(s.testEnd(1)).isEqualTo(6);
        assertThat(targets(s.testTask(false), 0)).containsExactly(1);
        assertThat(targets(s.validationTask(false), 0)).containsExactly(4);
        assertThat(s.describe()).contains("2016-01-01T00:00:00Z");

        // times in milliseconds (≥ 10^11): the date becomes 1451606400000
        assertThat(OfflineSplit.of(newYear(1000), temporalAt("2016-01-01", false)).cutoff()).isEqualTo(1451606400000L);
        // an offset: 2016-01-01T00:00+01:00 is 23:00Z the day before, 3600 s earlier
        OfflineSplit early = OfflineSplit.of(newYear(1), temporalAt("2016-01-01T00:00:00+01:00", false));
        assertThat(early.cutoff()).isEqualTo(1451602800L);
        assertThat(early.validEnd(0)).isEqualTo(0); // nothing of u0 is before 23:00
        assertThat(early.testEnd(0)).isEqualTo(0); // so u0 has no test target either
        // an integer is taken as it is
        assertThat(OfflineSplit.of(newYear(1), temporalAt("1451606401", false)).cutoff()).isEqualTo(1451606401L);
        assertThatThrownBy(() -> OfflineSplit.of(newYear(1), temporalAt("2016-13-01", false)))
                .isInstanceOf(UserInputException.class).hasMessageContaining("eval.cutoff_time");
    }

    @Test
    void temporalNeedsTimes() {
        InteractionLog noTimes = TinyLog.of(3, new int[][] {{0, 1, 2}});
        assertThatThrownBy(() -> OfflineSplit.of(noTimes, ProtocolSpec.temporal(0.5, false, true)))
                .isInstanceOf(UserInputException.class).hasMessageContaining("needs times");
    }

    // ---------------------------------------------------------------- user-fraction

    @Test
    void userFractionHoldsOutTheLastShareTwice() {
        int[] ten = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        InteractionLog log = TinyLog.of(10, new int[][] {ten, {0, 1, 2, 3, 4}, {5, 6, 7, 8}});
        OfflineSplit s = OfflineSplit.of(log, ProtocolSpec.userFraction(SplitSpec.lastFraction(0.2, 5)));
        // u0, 10 interactions: test round(0.2 · 10) = 2; of the remaining 8, validation round(1.6) = 2; train 6
        assertThat(s.fitEnd(0)).isEqualTo(6);
        assertThat(s.validEnd(0)).isEqualTo(8);
        assertThat(s.testEnd(0)).isEqualTo(10);
        // u1, 5: test 1; the remaining 4 are below the minimum of 5: no validation, train 4
        assertThat(s.fitEnd(1) - log.start(1)).isEqualTo(4);
        assertThat(s.validEnd(1) - log.start(1)).isEqualTo(4);
        // u2, 4 < 5: nothing held out
        assertThat(s.fitEnd(2)).isEqualTo(log.end(2));
        assertThat(s.validationTask(false).users()).containsExactly(0);
        assertThat(targets(s.validationTask(false), 0)).containsExactly(6, 7);
        assertThat(s.testTask(false).users()).containsExactly(0, 1);
        assertThat(targets(s.testTask(false), 1)).containsExactly(4);
    }

    // ---------------------------------------------------------------- excludeKnown

    @Test
    void excludeKnownDropsTargetsAlreadyInTheHistory() {
        // u0: 1 2 1 3 → validation target 1 is already in the history (1 2); u1: 4 5 6
        InteractionLog log = TinyLog.of(7, new int[][] {{1, 2, 1, 3}, {4, 5, 6}});
        OfflineSplit s = OfflineSplit.of(log, ProtocolSpec.LOO);
        EvalTask excluding = s.validationTask(true);
        assertThat(excluding.users()).containsExactly(1); // u0 is left without a target
        assertThat(excluding.droppedTargets()).isEqualTo(1);
        assertThat(excluding.excludeKnown()).isTrue();
        EvalTask keeping = s.validationTask(false);
        assertThat(keeping.users()).containsExactly(0, 1);
        assertThat(targets(keeping, 0)).containsExactly(1);
        assertThat(keeping.droppedTargets()).isZero();
        // test: target 3 is new to the history 1 2 1
        EvalTask test = s.testTask(true);
        assertThat(test.users()).containsExactly(0, 1);
        assertThat(test.droppedTargets()).isZero();
    }

    @Test
    void allTargetsAreDeduplicatedAndKnownOnesDropped() {
        // before the cutoff (t < 10): 0, 1; at/after: 2, 2, 0
        long[][] t = {{1, 2, 10, 11, 12}};
        InteractionLog log = TinyLog.of(3, new int[][] {{0, 1, 2, 2, 0}}, t, null, Layout.LOG_CSV);
        OfflineSplit s = OfflineSplit.of(log, temporalAt("10", true));
        // history at test time = 0, 1 (training 0 + validation 1)
        EvalTask keep = s.testTask(false);
        assertThat(targets(keep, 0)).containsExactly(0, 2); // repeat of 2 collapsed, sorted
        assertThat(keep.targetCount(0)).isEqualTo(2);
        EvalTask drop = s.testTask(true);
        assertThat(targets(drop, 0)).containsExactly(2); // 0 is known
        assertThat(drop.droppedTargets()).isEqualTo(1); // the repeat of 2 is not counted as dropped
    }

    @Test
    void prefixViewsRejectEndsOutsideTheSlices() {
        InteractionLog log = TinyLog.of(3, new int[][] {{0, 1}, {2}});
        Interactions p = Interactions.prefix(log, new int[] {1, 3});
        assertThat(p.totalCount()).isEqualTo(2); // 1 of u0 + 1 of u1
        assertThat(p.itemCounts()).containsExactly(1, 0, 1);
        assertThat(p.weight(0)).isEqualTo(1f);
        assertThatThrownBy(() -> Interactions.prefix(log, new int[] {3, 3})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Interactions.prefix(log, new int[] {1})).isInstanceOf(IllegalArgumentException.class);
    }
}
