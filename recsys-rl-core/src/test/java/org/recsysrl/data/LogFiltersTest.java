package org.recsysrl.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.util.UserInputException;

/** k-core to a fixed point, the repeat policy, and the renumbering that follows. */
class LogFiltersTest {
    @TempDir
    Path dir;

    private static LogSpec filters(String valueCol, int userCore, int itemCore, LogSpec.Repeats repeats) {
        return new LogSpec(LogSpec.Format.AUTO, "", "", "", "", valueCol, Map.of(), 0.0, userCore, itemCore, repeats);
    }

    private static String[] itemsOf(InteractionLog log, int user) {
        String[] out = new String[log.count(user)];
        for (int p = log.start(user); p < log.end(user); p++) {
            out[p - log.start(user)] = log.itemIds().raw(log.items()[p]);
        }
        return out;
    }

    /**
     * A: x y, B: x y, C: x z, D: z (times 1..7 in file order). With 2-cores for users and items:
     * round 1 drops D (1 interaction); round 2 drops C's z (z now has 1 user); round 3 drops C's x
     * (C now has 1 interaction); round 4 changes nothing. One pass would have left C and z in.
     */
    private Path chain() throws IOException {
        return Files.writeString(dir.resolve("chain.csv"), "user,item,time\n"
                + "A,x,1\nB,x,2\nC,x,3\nD,z,4\nA,y,5\nB,y,6\nC,z,7\n");
    }

    @Test
    void kCoreIteratesToAFixedPointAndRenumbers() throws IOException {
        InteractionLog log = LogReader.read(chain(), filters("", 2, 2, LogSpec.Repeats.KEEP));
        assertThat(log.userCount()).isEqualTo(2);
        assertThat(log.itemCount()).isEqualTo(2);
        // kept users and items keep their order of first appearance, renumbered 0, 1
        assertThat(log.userIds().raw(0)).isEqualTo("A");
        assertThat(log.userIds().raw(1)).isEqualTo("B");
        assertThat(log.userIds().index("C")).isEqualTo(-1);
        assertThat(log.itemIds().raw(0)).isEqualTo("x");
        assertThat(log.itemIds().raw(1)).isEqualTo("y");
        assertThat(log.itemIds().index("z")).isEqualTo(-1);
        assertThat(itemsOf(log, 0)).containsExactly("x", "y");
        assertThat(Arrays.copyOfRange(log.times(), log.start(1), log.end(1))).containsExactly(2, 6);
        assertThat(log.identity().ratings()).isEqualTo(4);
        assertThat(log.identity().users()).isEqualTo(2);
        assertThat(log.identity().items()).isEqualTo(2);
        // every remaining user and item meets its threshold
        assertThat(log.itemCounts()).containsExactly(2, 2);
    }

    @Test
    void aUserCoreAloneKeepsRareItems() throws IOException {
        // only D (1 interaction) goes; z keeps C's interaction although only one user has it now
        InteractionLog log = LogReader.read(chain(), filters("", 2, 0, LogSpec.Repeats.KEEP));
        assertThat(log.userCount()).isEqualTo(3);
        assertThat(log.itemCount()).isEqualTo(3);
        assertThat(itemsOf(log, 2)).containsExactly("x", "z");
    }

    @Test
    void filteringEverythingAwayIsAnError() throws IOException {
        Path f = chain();
        assertThatThrownBy(() -> LogReader.read(f, filters("", 0, 5, LogSpec.Repeats.KEEP)))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("no interactions of " + f + " are left")
                .hasMessageContaining("7 read");
    }

    @Test
    void repeatsFirstKeepsTheEarliestInteractionThenKCoreApplies() throws IOException {
        // user a: x@5 (v 1), y@3 (v 2), x@1 (v 3), y@3 (v 4); by time: x@1, y@3 (v 2), y@3 (v 4, later in
        // the file), x@5. "first" keeps x@1 (v 3) and the first y@3 (v 2).
        // user b: x@1, x@2 — a repeat; with it gone b has 1 interaction and falls below a user core of 2.
        Path f = Files.writeString(dir.resolve("rep.csv"), "user,item,time,v\n"
                + "a,x,5,1\na,y,3,2\na,x,1,3\na,y,3,4\nb,x,1,1\nb,x,2,1\n");
        InteractionLog kept = LogReader.read(f, filters("v", 0, 0, LogSpec.Repeats.KEEP));
        assertThat(kept.size()).isEqualTo(6);
        InteractionLog first = LogReader.read(f, filters("v", 0, 0, LogSpec.Repeats.FIRST));
        assertThat(itemsOf(first, 0)).containsExactly("x", "y");
        assertThat(Arrays.copyOfRange(first.times(), first.start(0), first.end(0))).containsExactly(1, 3);
        assertThat(Arrays.copyOfRange(first.weights(), first.start(0), first.end(0))).containsExactly(3f, 2f);
        assertThat(itemsOf(first, 1)).containsExactly("x");
        InteractionLog both = LogReader.read(f, filters("v", 2, 0, LogSpec.Repeats.FIRST));
        assertThat(both.userCount()).isEqualTo(1);
        assertThat(both.userIds().raw(0)).isEqualTo("a");
    }

    @Test
    void nothingToFilterGivesTheSameLog() {
        InteractionLog log = TinyLog.of(2, new int[][] {{0, 1}, {1, 0}});
        assertThat(LogFilters.apply(log, LogSpec.DEFAULT)).isSameAs(log);
        assertThat(LogFilters.apply(log, filters("", 2, 2, LogSpec.Repeats.FIRST))).isSameAs(log);
    }

    @Test
    void idMapAndMetadataSubsetsRenumberInTheGivenOrder() {
        IdMap numbers = IdMap.of("10", "20", "30");
        IdMap kept = numbers.subset(new int[] {2, 0});
        assertThat(kept.size()).isEqualTo(2);
        assertThat(kept.numeric()).isTrue();
        assertThat(kept.raw(0)).isEqualTo("30");
        assertThat(kept.raw(1)).isEqualTo("10");
        assertThat(kept.index(10L)).isEqualTo(1);
        assertThat(kept.index("20")).isEqualTo(-1);
        IdMap text = IdMap.of("a", "7", "c").subset(new int[] {2, 1});
        assertThat(text.raw(0)).isEqualTo("c");
        assertThat(text.raw(1)).isEqualTo("7");
        assertThat(text.index("a")).isEqualTo(-1);

        ItemMetadata.Builder b = new ItemMetadata.Builder(3);
        int drama = b.genre("Drama");
        int comedy = b.genre("Comedy");
        b.set(0, "Zero", new int[] {drama}, 1);
        b.set(2, "Two", new int[] {comedy, drama}, 2);
        ItemMetadata sub = b.build().subset(new int[] {2, 1});
        assertThat(sub.itemCount()).isEqualTo(2);
        assertThat(sub.title(0)).isEqualTo("Two");
        assertThat(sub.genres(0)).containsExactly("Comedy", "Drama");
        assertThat(sub.genreCountOf(1)).isZero(); // item 1 had no description
        assertThat(sub.genreNames()).containsExactly("Drama", "Comedy"); // the vocabulary is kept whole
    }
}
