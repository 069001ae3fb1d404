package org.recsysrl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.io.SafeTensors;
import org.recsysrl.io.Tensor;

/** Every user mistake: exit code 2, one line on stderr starting with "error:", no stack trace. */
class CliErrorsTest {
    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    /** A valid checkpoint of a tiny PPO run, written once. */
    static Path checkpoint;

    @BeforeAll
    static void trainOnce() {
        checkpoint = Cli.trainOk("ppo", shared, 128);
    }

    private static String userError(Cli.Result r) {
        return Cli.userError(r);
    }

    private static String trainError(String... args) {
        List<String> all = new ArrayList<>(List.of("train"));
        all.addAll(Cli.TINY);
        all.addAll(Arrays.asList(args));
        return userError(Cli.run(all.toArray(String[]::new)));
    }

    private String evaluateError(Path file, String... args) {
        List<String> all = new ArrayList<>(List.of("evaluate", "--checkpoint", file.toString()));
        all.addAll(Arrays.asList(args));
        return userError(Cli.run(all.toArray(String[]::new)));
    }

    /** Issue 27: --data was silently ignored by the simulator and the platform environments. */
    @ParameterizedTest
    @ValueSource(strings = {"simulator", "short-video", "education"})
    void dataGivenToAnEnvironmentThatReadsNoneIsRefused(String env) {
        String line = trainError("--env", env, "--data", dir.toString(), "--total-timesteps", "128",
                "--checkpoint-dir", dir.resolve("ck").toString(), "--log-dir", dir.resolve("logs").toString());
        assertThat(line).contains("--data").contains("--env " + env);
        assertThat(dir.resolve("ck").resolve("ppo.safetensors")).doesNotExist();
    }

    @Test
    void unknownAlgorithm() {
        assertThat(trainError("--algo", "sac", "--checkpoint-dir", dir.toString())).contains("'sac'")
                .contains("ppo").contains("a2c");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5"})
    void nonPositiveTotalTimesteps(String n) {
        assertThat(trainError("--total-timesteps", n, "--checkpoint-dir", dir.toString()))
                .contains("total_timesteps").contains("got " + n);
        assertThat(dir.resolve("ppo.safetensors")).doesNotExist();
    }

    @Test
    void nonNumericTotalTimestepsIsAParseError() {
        assertThat(trainError("--total-timesteps", "lots")).contains("--total-timesteps").contains("lots");
    }

    @Test
    void setUnknownKey() {
        assertThat(trainError("--set", "ppo.learning_rate=0.1")).contains("ppo.learning_rate").contains("unknown");
    }

    @Test
    void setWrongType() {
        assertThat(trainError("--set", "ppo.n_steps=lots")).contains("ppo.n_steps").contains("whole number");
    }

    @Test
    void setNStepsNotMultipleOfNumEnvs() {
        assertThat(trainError("--set", "ppo.n_steps=63")).contains("ppo.n_steps (63)").contains("ppo.num_envs (2)");
    }

    @Test
    void configMissingFile() {
        Path missing = dir.resolve("missing.json");
        assertThat(trainError("--config", missing.toString())).contains(missing.toString());
    }

    @Test
    void configMalformedJson() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\n  \"ppo\": {\"lr\": 0.001,}\n}\n");
        assertThat(trainError("--config", bad.toString())).contains(bad.toString()).contains("line 2")
                .contains("column");
    }

    @Test
    void configUnknownKey() throws Exception {
        Path bad = dir.resolve("unknown.json");
        Files.writeString(bad, "{\"ppo\": {\"epochs\": 3}}");
        assertThat(trainError("--config", bad.toString())).contains(bad.toString()).contains("ppo.epochs");
    }

    @Test
    void unknownOption() {
        assertThat(trainError("--bogus")).contains("--bogus");
        assertThat(userError(Cli.run("evaluate", "--checkpoint", "x", "--bogus"))).contains("--bogus");
        assertThat(userError(Cli.run("frobnicate"))).contains("frobnicate");
    }

    @Test
    void missingCommand() {
        assertThat(userError(Cli.run())).contains("use one of train, evaluate, benchmark, serve, bench, presets, sweep, plot")
                .doesNotContain("help,");
    }

    @Test
    void evaluateWithoutCheckpointOption() {
        assertThat(userError(Cli.run("evaluate"))).contains("--checkpoint");
    }

    @Test
    void resumeWithoutCheckpoint() {
        String line = trainError("--resume", "--checkpoint-dir", dir.resolve("none").toString());
        assertThat(line).contains("--resume").contains(dir.resolve("none").resolve("ppo.safetensors").toString());
    }

    @Test
    void resumeWithAnotherAlgorithmsCheckpoint() throws Exception {
        Path ck = dir.resolve("ck");
        Files.createDirectories(ck);
        Files.copy(checkpoint, ck.resolve("a2c.safetensors"));
        Files.copy(checkpoint.resolveSibling("ppo.state.safetensors"), ck.resolve("a2c.state.safetensors"));
        assertThat(trainError("--algo", "a2c", "--resume", "--checkpoint-dir", ck.toString(),
                "--log-dir", dir.resolve("logs").toString())).contains("ppo").contains("--algo");
    }

    @Test
    void resumeWithoutStateFile() throws Exception {
        Path ck = dir.resolve("ck");
        Files.createDirectories(ck);
        Files.copy(checkpoint, ck.resolve("ppo.safetensors"));
        assertThat(trainError("--resume", "--checkpoint-dir", ck.toString(), "--log-dir",
                dir.resolve("logs").toString())).contains("ppo.state.safetensors");
    }

    @Test
    void checkpointDirectoryThatIsAFileFailsBeforeTraining() throws Exception {
        Path file = dir.resolve("afile");
        Files.writeString(file, "x");
        List<String> args = new ArrayList<>(List.of("train", "--total-timesteps", "128", "--checkpoint-dir",
                file.toString(), "--log-dir", dir.resolve("logs").toString()));
        args.addAll(Cli.TINY);
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertThat(userError(r)).contains(file.toString()).contains("--checkpoint-dir");
        assertThat(r.out()).doesNotContain("step ");
    }

    @Test
    void logDirectoryThatIsAFile() throws Exception {
        Path file = dir.resolve("afile");
        Files.writeString(file, "x");
        assertThat(trainError("--total-timesteps", "128", "--log-dir", file.toString(), "--checkpoint-dir",
                dir.resolve("ck").toString())).contains(file.toString());
    }

    @Test
    void configThatIsADirectory() {
        assertThat(trainError("--config", dir.toString())).contains(dir.toString());
    }

    @Test
    void evaluateADirectory() {
        assertThat(evaluateError(dir)).contains(dir.toString()).contains("directory");
    }

    @Test
    void evaluateMissingCheckpoint() {
        Path missing = dir.resolve("nope.safetensors");
        assertThat(evaluateError(missing)).contains(missing.toString());
    }

    @Test
    void evaluateZeroEpisodes() {
        assertThat(evaluateError(checkpoint, "--episodes", "0")).contains("--episodes");
        assertThat(evaluateError(checkpoint, "--episodes", "-3")).contains("--episodes");
    }

    @Test
    void evaluateWrongAlgo() {
        assertThat(evaluateError(checkpoint, "--algo", "a2c")).contains("ppo").contains("a2c");
    }

    @Test
    void evaluateTruncatedCheckpoint() throws Exception {
        byte[] bytes = Files.readAllBytes(checkpoint);
        for (int keep : new int[] {bytes.length - 1, bytes.length / 2, 100, 7, 0}) {
            Path cut = dir.resolve("cut" + keep + ".safetensors");
            Files.write(cut, Arrays.copyOf(bytes, keep));
            assertThat(evaluateError(cut)).as("truncated to " + keep).contains(cut.toString());
        }
    }

    @Test
    void evaluateCorruptHeader() throws Exception {
        byte[] bytes = Files.readAllBytes(checkpoint);
        Path garbage = dir.resolve("garbage.safetensors");
        byte[] junk = bytes.clone();
        for (int i = 0; i < 64; i++) {
            junk[i] = (byte) (i * 37 + 11);
        }
        Files.write(garbage, junk);
        assertThat(evaluateError(garbage)).contains(garbage.toString());

        // a plausible length but a broken JSON header
        byte[] broken = bytes.clone();
        broken[8] = '[';
        Path brokenJson = dir.resolve("broken.safetensors");
        Files.write(brokenJson, broken);
        assertThat(evaluateError(brokenJson)).contains(brokenJson.toString());

        Path text = dir.resolve("text.safetensors");
        Files.writeString(text, "this is not a checkpoint at all\n");
        assertThat(evaluateError(text)).contains(text.toString());
    }

    @Test
    void evaluateCheckpointWhoseTensorShapesDoNotFitItsConfig() throws Exception {
        SafeTensors.Contents c = SafeTensors.read(checkpoint);
        List<Tensor> tensors = new ArrayList<>();
        for (Tensor t : c.tensors().values()) {
            if (t.name().equals("actor.logits.bias")) {
                assertThat(t.shape()).containsExactly(50);
                tensors.add(Tensor.f32(t.name(), new long[] {49}, new float[49]));
            } else {
                tensors.add(t);
            }
        }
        Path reshaped = dir.resolve("reshaped.safetensors");
        SafeTensors.write(reshaped, c.metadata(), tensors);
        assertThat(evaluateError(reshaped)).contains(reshaped.toString()).contains("actor.logits.bias")
                .contains("[49]").contains("[50]");
    }

    @Test
    void evaluateCheckpointMissingATensor() throws Exception {
        SafeTensors.Contents c = SafeTensors.read(checkpoint);
        List<Tensor> tensors = new ArrayList<>(c.tensors().values());
        tensors.removeIf(t -> t.name().equals("critic.value.bias"));
        Path fewer = dir.resolve("fewer.safetensors");
        SafeTensors.write(fewer, c.metadata(), tensors);
        assertThat(evaluateError(fewer)).contains("critic.value.bias");
    }

    @Test
    void evaluateCheckpointWithAnExtraTensor() throws Exception {
        SafeTensors.Contents c = SafeTensors.read(checkpoint);
        List<Tensor> tensors = new ArrayList<>(c.tensors().values());
        tensors.add(Tensor.f32("actor.log_std", new long[] {1}, new float[] {0f}));
        Path more = dir.resolve("more.safetensors");
        SafeTensors.write(more, c.metadata(), tensors);
        assertThat(evaluateError(more)).contains("actor.log_std");
    }

    @Test
    void evaluateSafetensorsWithoutRecsysMetadata() throws Exception {
        Path plain = dir.resolve("plain.safetensors");
        SafeTensors.write(plain, Map.of(), List.of(Tensor.f32("w", new long[] {2}, new float[] {1f, 2f})));
        assertThat(evaluateError(plain)).contains(plain.toString()).contains("not a recsys-rl checkpoint");

        Path other = dir.resolve("other.safetensors");
        SafeTensors.write(other, Map.of("format", "pt"), List.of(Tensor.f32("w", new long[] {1}, new float[] {1f})));
        assertThat(evaluateError(other)).contains(other.toString()).contains("'pt'");
    }

    @Test
    void evaluateCheckpointWithDamagedConfigMetadata() throws Exception {
        SafeTensors.Contents c = SafeTensors.read(checkpoint);
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        meta.put(Checkpoint.CONFIG, "{\"env\": {\"num_items\": ");
        Path damaged = dir.resolve("damaged.safetensors");
        SafeTensors.write(damaged, meta, new ArrayList<>(c.tensors().values()));
        assertThat(evaluateError(damaged)).contains(damaged.toString()).contains("not valid JSON");

        meta.put(Checkpoint.CONFIG, "{\"env\": {\"num_items\": 51}}");
        Path otherWorld = dir.resolve("otherworld.safetensors");
        SafeTensors.write(otherWorld, meta, new ArrayList<>(c.tensors().values()));
        // the defaults fill in what the metadata lacks, so the catalogue (and the shapes) no longer fit
        assertThat(evaluateError(otherWorld)).contains(otherWorld.toString()).contains("trained on 50 items")
                .contains("gives 51");

        meta.remove(Checkpoint.STEPS);
        Path noSteps = dir.resolve("nosteps.safetensors");
        SafeTensors.write(noSteps, meta, new ArrayList<>(c.tensors().values()));
        assertThat(evaluateError(noSteps)).contains("'steps'");
    }

    @Test
    void helpIsNotAnError() {
        Cli.Result r = Cli.run("train", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--total-timesteps").contains("--resume");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void listKeysPrintsTheDefaults() {
        Cli.Result r = Cli.run("train", "--list-keys");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("\"num_items\" : 1000").contains("\"n_steps\" : 2048");
    }
}
