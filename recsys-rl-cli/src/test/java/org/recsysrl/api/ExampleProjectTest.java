package org.recsysrl.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.cli.Cli;

/** docs/examples/recommend-example compiles against the project and prints what the library answers. */
class ExampleProjectTest {
    @TempDir
    Path dir;

    @Test
    void theExampleCompilesAndRuns() throws Exception {
        Path checkpoint = Cli.trainOk("ppo", dir.resolve("run"), 64);
        Path source = Path.of("../docs/examples/recommend-example/src/main/java/example/Example.java");
        assertThat(source).exists();
        assertThat(Files.readAllLines(source).size()).isLessThan(30);
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int code = javac.run(null, diagnostics, diagnostics, "-cp", System.getProperty("java.class.path"), "-d",
                classes.toString(), source.toString());
        assertThat(code).as(diagnostics.toString(StandardCharsets.UTF_8)).isZero();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                getClass().getClassLoader())) {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            loader.loadClass("example.Example").getMethod("main", String[].class)
                    .invoke(null, (Object) new String[] {checkpoint.toString(), "3"});
        } finally {
            System.setOut(old);
        }
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        Recommender model = Recommender.load(checkpoint);
        List<ScoredItem> top = model.recommend(RecommendRequest.forUser("3", 5));
        assertThat(lines.get(0)).isEqualTo("ppo model, 50 items");
        assertThat(lines.get(1)).isEqualTo("user 3: item " + top.get(0).id() + " score " + top.get(0).score());
        assertThat(lines).hasSize(7);
        assertThat(lines.get(6)).startsWith("after items 1 and 2: [").doesNotContain(" 1,").doesNotContain("[1,");
    }
}
