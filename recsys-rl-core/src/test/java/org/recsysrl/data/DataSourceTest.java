package org.recsysrl.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.util.UserInputException;

class DataSourceTest {
    @TempDir
    Path dir;

    private Path touch(String name) throws IOException {
        return Files.writeString(dir.resolve(name), "1,2,3,4\n");
    }

    /** Issue 27: a MovieLens folder without ratings.csv was read through movies.csv, the one .csv left. */
    @Test
    void aMovieLensFolderWithoutItsRatingsIsRefusedNotReadThroughItsMovies() throws IOException {
        Files.writeString(dir.resolve("movies.csv"), "movieId,title,genres\n1,\"Matrix, The (1999)\",Action\n");
        assertThatThrownBy(() -> DataSource.detect(dir)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("movies.csv").hasMessageContaining("not ratings.csv")
                .hasMessageContaining(dir.toString());
        Files.delete(dir.resolve("movies.csv"));
        touch("movies.dat");
        assertThatThrownBy(() -> DataSource.detect(dir)).hasMessageContaining("not ratings.dat");
    }

    @Test
    void detectsEachMovieLensLayoutWithItsMetadataFile() throws IOException {
        Path data = touch("u.data");
        assertThat(DataSource.detect(dir)).isEqualTo(new DataSource(Layout.ML_100K, data, null));
        Path item = touch("u.item");
        assertThat(DataSource.detect(dir)).isEqualTo(new DataSource(Layout.ML_100K, data, item));
        Files.delete(data);
        Files.delete(item);

        Path dat = touch("ratings.dat");
        Path movies = touch("movies.dat");
        assertThat(DataSource.detect(dir)).isEqualTo(new DataSource(Layout.ML_1M, dat, movies));
        Files.delete(dat);
        Files.delete(movies);

        Path csv = touch("ratings.csv");
        touch("tags.csv");
        Path moviesCsv = touch("movies.csv");
        assertThat(DataSource.detect(dir)).isEqualTo(new DataSource(Layout.ML_LATEST, csv, moviesCsv));
    }

    @Test
    void prefersTheFirstLayoutInTheDocumentedOrder() throws IOException {
        touch("ratings.csv");
        touch("ratings.dat");
        assertThat(DataSource.detect(dir).layout()).isEqualTo(Layout.ML_1M);
        touch("u.data");
        assertThat(DataSource.detect(dir).layout()).isEqualTo(Layout.ML_100K);
    }

    @Test
    void aFileIsReadByItsNameOrAsGenericCsv() throws IOException {
        Path dat = touch("ratings.dat");
        Path movies = touch("movies.dat");
        assertThat(DataSource.detect(dat)).isEqualTo(new DataSource(Layout.ML_1M, dat, movies));
        Path other = touch("interactions.txt");
        assertThat(DataSource.detect(other)).isEqualTo(new DataSource(Layout.GENERIC_CSV, other, null));
    }

    @Test
    void aDirectoryWithOneCsvIsGenericAndWithNoneOrSeveralIsRejectedListingTheLayouts() throws IOException {
        Path only = touch("mine.csv");
        assertThat(DataSource.detect(dir)).isEqualTo(new DataSource(Layout.GENERIC_CSV, only, null));
        touch("other.csv");
        assertThatThrownBy(() -> DataSource.detect(dir))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("u.data (MovieLens 100k)")
                .hasMessageContaining("ratings.dat (MovieLens 1M)")
                .hasMessageContaining("ratings.csv (MovieLens latest)")
                .hasMessageContaining("exactly one user,item,rating[,timestamp] .csv file (found 2)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThatThrownBy(() -> DataSource.detect(empty))
                .isInstanceOf(UserInputException.class).hasMessageContaining("(found 0)");
        assertThatThrownBy(() -> DataSource.detect(dir.resolve("missing")))
                .isInstanceOf(UserInputException.class).hasMessageContaining("does not exist");
    }

    @Test
    void layoutIdsAreStable() {
        assertThat(Layout.ML_100K.id()).isEqualTo("ml-100k");
        assertThat(Layout.ML_1M.id()).isEqualTo("ml-1m");
        assertThat(Layout.ML_LATEST.id()).isEqualTo("ml-latest");
        assertThat(Layout.GENERIC_CSV.id()).isEqualTo("csv");
        for (Layout l : Layout.values()) {
            assertThat(Layout.fromId(l.id())).isEqualTo(l);
        }
    }
}
