package org.recsysrl.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.recsysrl.cli.Cli;
import org.recsysrl.cli.Main;
import org.recsysrl.io.SafeTensors;
import org.recsysrl.io.Tensor;

/**
 * A run whose optimiser state drives the weights to infinity stops at the first update with exit
 * code 3 and one line naming the step, the term and the settings, and leaves the last good
 * checkpoint exactly as it was.
 */
class DivergenceTest {
    @TempDir
    Path dir;

    /** Replaces the Adam moments of the state the manifest names by finite but absurd values. */
    private static void poisonMoments(Path ck, String algo) throws Exception {
        poisonMoments(ck, algo, 3e38f, 1e-30f); // m / sqrt(v) overflows
    }

    private static Path stateOf(Path ck, String algo) throws Exception {
        String stateName = Files.readAllLines(ck.resolve(algo + ".latest")).stream()
                .filter(l -> l.startsWith("state=")).findFirst().orElseThrow().substring("state=".length());
        return ck.resolve(stateName);
    }

    private static void poisonMoments(Path ck, String algo, float m, float v) throws Exception {
        Path state = stateOf(ck, algo);
        SafeTensors.Contents c = SafeTensors.read(state);
        List<Tensor> tensors = new ArrayList<>();
        for (Tensor t : c.tensors().values()) {
            if (t.name().startsWith("adam.")) {
                float[] values = new float[t.elementCount()];
                Arrays.fill(values, t.name().equals("adam.m") ? m : v);
                tensors.add(Tensor.f32(t.name(), t.shape(), values));
            } else {
                tensors.add(t);
            }
        }
        SafeTensors.write(state, c.metadata(), tensors);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ppo", "a2c"})
    void divergenceStopsWithExitCode3AndKeepsTheLastGoodCheckpoint(String algo) throws Exception {
        Path checkpoint = Cli.trainOk(algo, dir, 128);
        byte[] good = Files.readAllBytes(checkpoint);
        poisonMoments(dir.resolve("ck"), algo);

        Cli.Result r = Cli.train(algo, dir, 256, "--resume");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(Main.DIVERGED).isEqualTo(3);
        assertThat(r.errLines()).as(r.toString()).hasSize(1);
        String line = r.errLines().get(0);
        long failedUpdate = 128 + (algo.equals("ppo") ? 64 : 16); // the rollout before the failed update counts
        assertThat(line).startsWith("error: training diverged at step " + failedUpdate + ": ")
                .contains("a parameter after the optimiser step is Infinity")
                .contains(algo + ".lr (now")
                .contains("the last good checkpoint " + checkpoint + " (step 128) is kept");
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(Files.readAllBytes(checkpoint)).isEqualTo(good);
    }

    @ParameterizedTest
    @ValueSource(floats = {Float.NaN, Float.POSITIVE_INFINITY})
    void aStateWithANonFiniteMomentIsRefusedInOneLine(float bad) throws Exception {
        Cli.trainOk("ppo", dir, 128);
        poisonMoments(dir.resolve("ck"), "ppo", bad, 1f);
        Cli.Result r = Cli.train("ppo", dir, 256, "--resume");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(Main.USER_ERROR);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines().get(0)).contains("optimiser moment 0 is adam.m = " + bad)
                .contains("start a new run without --resume");
    }

    @org.junit.jupiter.api.Test
    void aStateWithANegativeCounterIsRefusedInOneLine() throws Exception {
        Cli.trainOk("ppo", dir, 128);
        Path state = stateOf(dir.resolve("ck"), "ppo");
        SafeTensors.Contents c = SafeTensors.read(state);
        java.util.Map<String, String> meta = new java.util.LinkedHashMap<>(c.metadata());
        meta.put("updates", "-3");
        SafeTensors.write(state, meta, new ArrayList<>(c.tensors().values()));
        Cli.Result r = Cli.train("ppo", dir, 256, "--resume");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(Main.USER_ERROR);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines().get(0)).contains("metadata 'updates' is -3, below 0");
    }
}
