package org.recsysrl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotCommandTest {
    @TempDir
    Path dir;

    @Test
    void averagesTheSeedsOfEachConfiguration() throws Exception {
        Path csv = dir.resolve("curves.csv");
        Files.writeString(csv, "configuration,seed,step,episode_return_mean\n"
                + "\"a\",1,0,0\n\"a\",2,0,2\n\"a\",1,100,10\n\"a\",2,100,10\n\"b, c\",1,100,NaN\n\"b, c\",1,50,5\n");
        Path svg = dir.resolve("out.svg");
        Cli.Result r = Cli.run("plot", csv.toString(), "--out", svg.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String s = Files.readString(svg);
        // series a: (0, mean 1) and (100, 10); y ticks 0..10 over 350 px, x 0..100 over 490 px
        assertThat(s).contains("points=\"70.0,355.0 560.0,40.0\"");
        // series "b, c": the NaN point is dropped, one point left at (50, 5)
        assertThat(s).contains("points=\"315.0,215.0\"").contains(">b, c<");
    }

    @Test
    void aFileThatIsNotACurvesCsvIsAUserError() throws Exception {
        Path bad = dir.resolve("x.csv");
        Files.writeString(bad, "step,return\n1,2\n");
        Cli.Result r = Cli.run("plot", bad.toString(), "--out", dir.resolve("o.svg").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains(bad.toString()).contains("curves.csv");
    }

    @Test
    void drawsTheTrainingLogThatTrainWrites() throws Exception {
        Path csv = dir.resolve("ppo.csv");
        // the columns train writes (abridged to the first five): step first, ep_return_mean fourth
        Files.writeString(csv, "step,updates,episodes,ep_return_mean,eval_return\n"
                + "0,0,0,NaN,NaN\n100,1,4,2,NaN\n200,2,8,4,7.5\n");
        Path svg = dir.resolve("train.svg");
        Cli.Result r = Cli.run("plot", csv.toString(), "--out", svg.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String s = Files.readString(svg);
        // one curve named after the file: (100, 2) and (200, 4); the NaN row is skipped
        assertThat(s).contains(">ppo<").contains(">training episode return<");
        assertThat(s.split("<polyline", -1)).hasSize(2);
        // x: steps 100 and 200 on an axis 0..200 drawn over 490 px from 70; y: 4 at the top (40)
        assertThat(s).contains("points=\"315.0,215.0 560.0,40.0\"");
        // another column, chosen by name: a single point (200, 7.5)
        Cli.Result eval = Cli.run("plot", csv.toString(), "--column", "eval_return", "--out", svg.toString());
        assertThat(eval.exitCode()).as(eval.toString()).isZero();
        assertThat(Files.readString(svg)).contains(">eval_return<");
        Cli.Result missing = Cli.run("plot", csv.toString(), "--column", "nope", "--out", svg.toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.errLines()).hasSize(1);
        assertThat(missing.err()).contains("--column nope").contains("ep_return_mean");
    }

    @Test
    void anOutputThatIsNotSvgIsRefusedAndNothingIsWritten() throws Exception {
        Path csv = dir.resolve("ppo.csv");
        Files.writeString(csv, "step,ep_return_mean\n100,1\n");
        Path png = dir.resolve("x.png");
        Cli.Result r = Cli.run("plot", csv.toString(), "--out", png.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("--out " + png).contains("SVG only");
        assertThat(png).doesNotExist();
    }
}
