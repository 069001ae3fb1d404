package org.recsysrl.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractStringAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.nn.ParameterStore;
import org.recsysrl.util.UserInputException;

/**
 * The checkpoint format: what {@link Checkpoint#save} writes (the metadata keys, the two formats,
 * the serving tensors) and every metadata check {@link Checkpoint#read} and {@link Checkpoint.Loaded}
 * make, each with the one-line message that names the file and the key.
 */
class CheckpointFormatTest {
    @TempDir
    Path dir;

    private static ParameterStore store() {
        ParameterStore store = blank();
        float[] data = store.data();
        for (int i = 0; i < data.length; i++) {
            data[i] = 0.25f * (i + 1);
        }
        return store;
    }

    private static ParameterStore blank() {
        ParameterStore store = new ParameterStore();
        store.allocateTransposed("actor.weight", 2, 3);
        store.allocate("critic.bias", 2);
        return store;
    }

    private static Checkpoint.Info info() {
        return new Checkpoint.Info("a2c", "{\"env\":{\"seed\":11,\"type\":\"simulator\"}}", 11, 0);
    }

    private static AbstractStringAssert<?> assertUserError(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(UserInputException.class);
        assertThat(thrown.getMessage()).doesNotContain("\n");
        return assertThat(thrown.getMessage());
    }

    /** A copy of a good checkpoint with its metadata changed: {@code value} null removes {@code key}. */
    private Path withMetadata(String key, String value) throws Exception {
        Path good = dir.resolve("good.safetensors");
        Checkpoint.save(good, store(), info());
        SafeTensors.Contents c = SafeTensors.read(good);
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        if (value == null) {
            meta.remove(key);
        } else {
            meta.put(key, value);
        }
        Path file = dir.resolve("edited-" + key + ".safetensors");
        SafeTensors.write(file, meta, new ArrayList<>(c.tensors().values()));
        return file;
    }

    /** A copy of a good checkpoint with {@code extra} tensors added. */
    private Path withTensors(List<Tensor> extra) throws Exception {
        Path good = dir.resolve("good.safetensors");
        Checkpoint.save(good, store(), info());
        SafeTensors.Contents c = SafeTensors.read(good);
        List<Tensor> tensors = new ArrayList<>(c.tensors().values());
        tensors.addAll(extra);
        Path file = dir.resolve("more.safetensors");
        SafeTensors.write(file, c.metadata(), tensors);
        return file;
    }

    @Test
    void aSaveWritesTheStandardKeysThenTheExtrasInNameOrder() throws Exception {
        Path file = dir.resolve("ck.safetensors");
        Checkpoint.Info written = new Checkpoint.Info("ppo", "{}", -3, 42, Map.of("z.data", "toys", "a.split", "0.8"));
        Checkpoint.save(file, store(), written);
        Map<String, String> meta = SafeTensors.read(file).metadata();
        assertThat(meta).containsExactly(Map.entry("format", Checkpoint.FORMAT), Map.entry("algorithm", "ppo"),
                Map.entry("config", "{}"), Map.entry("env_seed", "-3"), Map.entry("steps", "42"),
                Map.entry("a.split", "0.8"), Map.entry("z.data", "toys"));
        Checkpoint.Loaded loaded = Checkpoint.read(file);
        assertThat(loaded.path()).isEqualTo(file);
        assertThat(loaded.info()).isEqualTo(written);
        assertThat(loaded.info().extra()).containsOnlyKeys("a.split", "z.data");
        ParameterStore into = blank();
        loaded.loadInto(into);
        assertThat(into.data()).isEqualTo(store().data());
    }

    @Test
    void servingTensorsMakeTheSecondFormatAndAreNotParameters() throws Exception {
        Path file = dir.resolve("serving.safetensors");
        Tensor ids = Tensor.i64(Checkpoint.SERVING_PREFIX + "item_ids", new long[] {3}, new long[] {5, 6, 7});
        Tensor matrix = Tensor.i32(Checkpoint.SERVING_PREFIX + "pairs", new long[] {1, 2}, new int[] {1, 2});
        Checkpoint.save(file, store(), info(), List.of(ids, matrix));
        Checkpoint.Loaded loaded = Checkpoint.read(file);
        assertThat(loaded.contents().metadata()).containsEntry("format", Checkpoint.FORMAT_SERVING);
        assertThat(loaded.hasServing("item_ids")).isTrue();
        assertThat(loaded.hasServing("item_idz")).isFalse();
        assertThat(loaded.hasServing("actor.weight")).as("a parameter is not a serving tensor").isFalse();
        assertThat(loaded.serving("item_ids", "I64").toLongs()).containsExactly(5, 6, 7);
        assertUserError(() -> loaded.serving("item_ids", "I32")).isEqualTo("checkpoint " + file
                + ": tensor 'serving.item_ids' is I64 [3], not a vector of I32: the file is damaged; retrain or pick"
                + " another checkpoint");
        assertUserError(() -> loaded.serving("pairs", "I32")).contains("'serving.pairs' is I32 [1,2], not a vector");
        assertUserError(() -> loaded.serving("missing", "I32")).startsWith("checkpoint " + file
                + " has no tensor 'serving.missing'");
        ParameterStore into = blank();
        loaded.loadInto(into); // the serving tensors are not taken for foreign parameters
        assertThat(into.data()).isEqualTo(store().data());
        Path plain = dir.resolve("plain.safetensors");
        Checkpoint.save(plain, store(), info(), List.of());
        assertThat(Checkpoint.read(plain).contents().metadata()).containsEntry("format", Checkpoint.FORMAT);
    }

    @Test
    void aSaveRefusesInfoThatNoReadWouldAccept() {
        Path file = dir.resolve("never.safetensors");
        assertThatThrownBy(() -> Checkpoint.save(file, store(), new Checkpoint.Info(" ", "{}", 1, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs an algorithm and steps >= 0");
        assertThatThrownBy(() -> Checkpoint.save(file, store(), new Checkpoint.Info(null, "{}", 1, 0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Checkpoint.save(file, store(), new Checkpoint.Info("ppo", "{}", 1, -1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ppo, -1");
        assertThatThrownBy(() -> Checkpoint.save(file, store(), info(),
                List.of(Tensor.i64("item_ids", new long[] {1}, new long[] {1}))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("serving tensor item_ids must start with serving.");
        assertThatThrownBy(() -> Checkpoint.save(file, store(), new Checkpoint.Info("ppo", "{}", 1, 0,
                Map.of("steps", "9")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("extra metadata key steps is reserved");
        assertThat(file).doesNotExist();
    }

    @Test
    void aFileWithoutTheFormatKeyOrWithAnotherFormatIsRefused() throws Exception {
        Path none = withMetadata(Checkpoint.FORMAT_KEY, null);
        assertUserError(() -> Checkpoint.read(none)).isEqualTo("checkpoint " + none + " has no 'format' metadata: it is"
                + " not a recsys-rl checkpoint; pass a file written by `recsys-rl train`");
        Path other = withMetadata(Checkpoint.FORMAT_KEY, "recsys-rl-checkpoint/3");
        assertUserError(() -> Checkpoint.read(other)).isEqualTo("checkpoint " + other + " has format"
                + " 'recsys-rl-checkpoint/3' but this version reads 'recsys-rl-checkpoint/1' and"
                + " 'recsys-rl-checkpoint/2': use the recsys-rl version that wrote it, or retrain");
        assertThat(Checkpoint.read(withMetadata(Checkpoint.FORMAT_KEY, Checkpoint.FORMAT_SERVING)).info().algorithm())
                .isEqualTo("a2c");
    }

    @Test
    void everyStandardKeyIsRequired() throws Exception {
        for (String key : List.of(Checkpoint.ALGORITHM, Checkpoint.CONFIG, Checkpoint.ENV_SEED, Checkpoint.STEPS)) {
            Path file = withMetadata(key, null);
            assertUserError(() -> Checkpoint.read(file)).isEqualTo("checkpoint " + file + " lacks the '" + key
                    + "' metadata: the file is damaged; retrain or pick another checkpoint");
        }
    }

    @Test
    void countsMustBeWholeNumbersAndStepsNotNegative() throws Exception {
        Path steps = withMetadata(Checkpoint.STEPS, "12x");
        assertUserError(() -> Checkpoint.read(steps)).isEqualTo("checkpoint " + steps + ": metadata 'steps' is '12x',"
                + " not a whole number: the file is damaged; retrain or pick another checkpoint");
        Path seed = withMetadata(Checkpoint.ENV_SEED, "1.5");
        assertUserError(() -> Checkpoint.read(seed)).contains("metadata 'env_seed' is '1.5', not a whole number");
        Path negative = withMetadata(Checkpoint.STEPS, "-1");
        assertUserError(() -> Checkpoint.read(negative)).isEqualTo("checkpoint " + negative + ": metadata 'steps' is"
                + " -1, a negative step count: the file is damaged; retrain or pick another checkpoint");
        assertThat(Checkpoint.read(withMetadata(Checkpoint.STEPS, "0")).info().steps()).isZero();
        assertThat(Checkpoint.read(withMetadata(Checkpoint.STEPS, "9000000000")).info().steps()).isEqualTo(9_000_000_000L);
        Path empty = withMetadata(Checkpoint.ALGORITHM, "");
        assertUserError(() -> Checkpoint.read(empty)).isEqualTo("checkpoint " + empty + ": metadata 'algorithm' is"
                + " empty: the file is damaged; retrain or pick another checkpoint");
    }

    @Test
    void theConfigMustBeJsonAndItsSeedMustMatchEnvSeed() throws Exception {
        Path broken = withMetadata(Checkpoint.CONFIG, "{\"env\": }");
        assertUserError(() -> Checkpoint.read(broken)).startsWith("checkpoint " + broken + ": metadata 'config' is not"
                + " valid JSON (").contains("at line 1, column").endsWith("): the file is damaged; retrain or pick"
                + " another checkpoint");
        Path mismatch = withMetadata(Checkpoint.CONFIG, "{\"env\":{\"seed\":12,\"type\":\"simulator\"}}");
        assertUserError(() -> Checkpoint.read(mismatch)).isEqualTo("checkpoint " + mismatch + ": metadata 'env_seed'"
                + " is 11 but its config's env.seed is 12: the file was altered or damaged; retrain or pick another"
                + " checkpoint");
        Path noType = withMetadata(Checkpoint.CONFIG, "{\"env\":{\"seed\":12}}");
        assertUserError(() -> Checkpoint.read(noType)).contains("env.seed is 12");
        // a seed that is not a whole number, or is too large for a long, is left to the config reader
        for (String config : List.of("{\"env\":{\"seed\":12.5}}", "{\"env\":{\"seed\":\"12\"}}",
                "{\"env\":{\"seed\":99999999999999999999}}", "{\"env\":{}}", "{\"other\":{\"seed\":12}}", "[]",
                "null")) {
            assertThat(Checkpoint.read(withMetadata(Checkpoint.CONFIG, config)).info().configJson()).isEqualTo(config);
        }
        assertThat(Checkpoint.read(withMetadata(Checkpoint.CONFIG, "{\"env\":{\"seed\":11,\"type\":\"logs\"}}"))
                .info().envSeed()).isEqualTo(11);
    }

    @Test
    void aFileWithTensorsTheModelDoesNotHaveIsRefusedNamingThem() throws Exception {
        Path one = withTensors(List.of(Tensor.f32("head.bias", new long[] {1}, new float[] {1})));
        ParameterStore into = blank();
        assertUserError(() -> Checkpoint.read(one).loadInto(into)).isEqualTo("checkpoint " + one + " has tensors this"
                + " model does not have (head.bias): it was written for another model; evaluate it with the settings"
                + " it was trained with");
        List<Tensor> many = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            many.add(Tensor.f32("extra" + (char) ('a' + i), new long[] {1}, new float[] {i}));
        }
        Path twelve = withTensors(many);
        assertUserError(() -> Checkpoint.read(twelve).loadInto(blank())).contains("(extraa, extrab, extrac, extrad,"
                + " extrae, extraf, extrag, extrah, extrai, extraj, ... (12 in all))");
        List<Tensor> ten = many.subList(0, 10);
        Path tenExtra = withTensors(ten);
        assertUserError(() -> Checkpoint.read(tenExtra).loadInto(blank())).contains("extrai, extraj)").doesNotContain("in all");
    }

    @Test
    void aTensorOfAnotherShapeOrDtypeIsRefusedBeforeAnythingIsCopied() throws Exception {
        Path file = dir.resolve("ck.safetensors");
        Checkpoint.save(file, store(), info());
        ParameterStore wider = new ParameterStore();
        wider.allocateTransposed("actor.weight", 2, 3);
        wider.allocate("critic.bias", 3);
        assertUserError(() -> Checkpoint.read(file).loadInto(wider)).isEqualTo("checkpoint " + file + ": tensor"
                + " 'critic.bias' has shape [2], expected [3]: pick a file written with the same model settings, or"
                + " change the settings to match");
        assertThat(wider.data()).containsOnly(0f);
        ParameterStore more = blank();
        more.allocate("critic.scale", 1);
        assertUserError(() -> Checkpoint.read(file).loadInto(more)).isEqualTo("checkpoint " + file
                + " has no tensor 'critic.scale' (it has actor.weight, critic.bias): pick a file written for this model"
                + " by this version of recsys-rl");
        assertThat(more.data()).containsOnly(0f);
    }

    @Test
    void parametersAreWrittenInTheirLogicalLayout() {
        List<Tensor> tensors = Checkpoint.tensors(store());
        assertThat(tensors).extracting(Tensor::name).containsExactly("actor.weight", "critic.bias");
        assertThat(tensors.get(0).shape()).containsExactly(2, 3);
        ParameterStore s = store();
        assertThat(tensors.get(0).toFloats()).isEqualTo(s.toLogical(s.entries().get(0), s.data()));
        assertThat(tensors.get(1).toFloats()).containsExactly(1.75f, 2.0f);
        assertThat(Checkpoint.longs(new int[] {4, 0, 7})).containsExactly(4, 0, 7);
    }
}
