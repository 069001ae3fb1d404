package org.recsysrl.seq;

import org.recsysrl.nn.EncoderKind;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.data.InteractionLog;
import org.recsysrl.data.TinyLog;
import org.recsysrl.util.Rng;

/** docs/sequential.md's rule: every interaction after a user's first is a target exactly once. */
class TrainingWindowsTest {

    /** (user, position of the previous item, target item) of every target that fill() writes. */
    private static List<String> targetsWritten(InteractionLog log, int maxLength) {
        TrainingWindows windows = TrainingWindows.of(log, maxLength);
        SequenceModel model = new SequenceModel(new SequenceSpec(EncoderKind.MEAN, log.itemCount(),
                maxLength, 4, 1, 1, 0.0, true, false));
        int window = model.windowLength();
        SequenceModel.Workspace ws = model.newWorkspace(1);
        int[] targets = new int[window];
        float[] rewards = new float[window];
        List<String> written = new ArrayList<>();
        for (int w = 0; w < windows.size(); w++) {
            Arrays.fill(targets, -7);
            int length = windows.fill(new int[] {w}, ws, targets, rewards);
            assertThat(length).isEqualTo(windows.length(w)).isLessThanOrEqualTo(window);
            for (int t = 0; t < length; t++) {
                if (targets[t] >= 0) {
                    // the input at t, then its target: a pair that identifies one transition
                    written.add(ws.ids()[t] + "->" + targets[t] + "@" + w);
                    assertThat(rewards[t]).isEqualTo(1f);
                } else {
                    assertThat(rewards[t]).isZero();
                }
            }
            // the last position of a window has no target in it
            assertThat(targets[length - 1]).isEqualTo(-1);
        }
        return written;
    }

    @Test
    void everyInteractionAfterAUsersFirstIsATargetExactlyOnce() {
        // distinct items per user, so every transition "a->b" names one interaction
        int[][] seqs = {
            {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, // 11 targets over several windows of length ≤ 4
            {20, 21}, // one target
            {30}, // none
            {40, 41, 42, 43}, // exactly one full window
            {50, 51, 52, 53, 54}, // one item more than a window
        };
        InteractionLog log = TinyLog.of(60, seqs);
        for (int maxLength : new int[] {2, 3, 4, 50}) {
            List<String> written = targetsWritten(log, maxLength);
            List<String> expected = new ArrayList<>();
            for (int[] s : seqs) {
                for (int i = 1; i < s.length; i++) {
                    expected.add(s[i - 1] + "->" + s[i]);
                }
            }
            List<String> transitions = written.stream().map(x -> x.substring(0, x.indexOf('@'))).toList();
            assertThat(transitions).as("maxLength %d", maxLength).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(TrainingWindows.of(log, maxLength).targetCount()).isEqualTo(expected.size());
        }
    }

    @Test
    void consecutiveWindowsOverlapByOneItemAndRespectTheMaximumLength() {
        InteractionLog log = TinyLog.of(12, new int[][] {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}});
        TrainingWindows windows = TrainingWindows.of(log, 4);
        // newest first: [6..9], [3..6], [0..3] → lengths 4, 4, 4 and 9 targets
        assertThat(windows.size()).isEqualTo(3);
        for (int w = 0; w < 3; w++) {
            assertThat(windows.length(w)).isEqualTo(4);
        }
        assertThat(windows.targetCount()).isEqualTo(9);
        int[][] batches = windows.batches(2, Rng.stream(1, 1));
        assertThat(Arrays.stream(batches).mapToInt(b -> b.length).sum()).isEqualTo(3);
    }
}
