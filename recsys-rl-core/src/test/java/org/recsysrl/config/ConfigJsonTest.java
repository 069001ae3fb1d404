package org.recsysrl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.recsysrl.util.UserInputException;

class ConfigJsonTest {
    private static final RunConfig D = RunConfig.original();

    @TempDir
    Path dir;

    // ---------------------------------------------------------------- defaults

    @Test
    void envDefaultsAreTheOriginals() {
        EnvConfig e = D.env();
        assertThat(e.numItems()).isEqualTo(1000);
        assertThat(e.numUsers()).isEqualTo(100);
        assertThat(e.stateDim()).isEqualTo(64);
        assertThat(e.maxEpisodeSteps()).isEqualTo(20);
        assertThat(e.rewardDecay()).isEqualTo(0.99);
        assertThat(e.userFeatureDim()).isEqualTo(32);
        assertThat(e.itemFeatureDim()).isEqualTo(32);
        assertThat(e.interestDrift()).isEqualTo(0.05);
    }

    @Test
    void modelDefaultsAreTheOriginals() {
        PolicyNetworkConfig m = D.model().policy();
        assertThat(m.actorHiddenDims()).containsExactly(128, 64);
        assertThat(m.criticHiddenDims()).containsExactly(128, 64);
        assertThat(m.activation()).isEqualTo(org.recsysrl.nn.Activation.TANH);
        assertThat(m.init()).isEqualTo(org.recsysrl.nn.WeightInit.PYTORCH);
    }

    @Test
    void ppoDefaultsAreTheOriginals() {
        PpoConfig p = D.ppo();
        assertThat(p.lr()).isEqualTo(3e-4);
        assertThat(p.gamma()).isEqualTo(0.99);
        assertThat(p.gaeLambda()).isEqualTo(0.95);
        assertThat(p.clipEps()).isEqualTo(0.2);
        assertThat(p.entCoef()).isEqualTo(0.01);
        assertThat(p.vfCoef()).isEqualTo(0.5);
        assertThat(p.maxGradNorm()).isEqualTo(0.5);
        assertThat(p.updateEpochs()).isEqualTo(10);
        assertThat(p.batchSize()).isEqualTo(64);
        assertThat(p.nSteps()).isEqualTo(2048);
        assertThat(p.numEnvs()).isEqualTo(8);
        assertThat(p.stepsPerEnv()).isEqualTo(256);
        // additions default to the original's behaviour
        assertThat(p.advantageNorm()).isEqualTo(AdvantageNormalisation.ROLLOUT);
        assertThat(p.clipValueLoss()).isFalse();
        assertThat(p.targetKl()).isZero();
        assertThat(p.annealLr()).isFalse();
        assertThat(p.adamBeta1()).isEqualTo(0.9);
        assertThat(p.adamBeta2()).isEqualTo(0.999);
        assertThat(p.adamEps()).isEqualTo(1e-8);
    }

    @Test
    void a2cDefaultsAreTheOriginals() {
        A2cConfig a = D.a2c();
        assertThat(a.lr()).isEqualTo(7e-4);
        assertThat(a.gamma()).isEqualTo(0.99);
        assertThat(a.gaeLambda()).isEqualTo(0.95);
        assertThat(a.entCoef()).isEqualTo(0.01);
        assertThat(a.vfCoef()).isEqualTo(0.5);
        assertThat(a.maxGradNorm()).isEqualTo(0.5);
        assertThat(a.nSteps()).isEqualTo(5);
        assertThat(a.numEnvs()).isEqualTo(1);
        assertThat(a.annealLr()).isFalse();
    }

    @Test
    void trainDefaultsAreTheOriginals() {
        TrainConfig t = D.train();
        assertThat(t.totalTimesteps()).isEqualTo(100_000);
        assertThat(t.logInterval()).isEqualTo(1000);
        assertThat(t.evalInterval()).isEqualTo(10_000);
        assertThat(t.saveInterval()).isEqualTo(50_000);
        assertThat(t.logDir()).isEqualTo("logs");
        assertThat(t.checkpointDir()).isEqualTo("checkpoints");
        assertThat(t.seed()).isEqualTo(42);
    }

    @Test
    void defaultsAreValid() {
        assertThat(D.validate()).isSameAs(D);
    }

    // ---------------------------------------------------------------- JSON

    @Test
    void jsonUsesSnakeCaseGroups() {
        String json = ConfigJson.toJson(D);
        assertThat(json).contains("\"env\"", "\"model\"", "\"ppo\"", "\"a2c\"", "\"train\"",
                "\"num_items\" : 1000", "\"actor_hidden_dims\" : [ 128, 64 ]", "\"total_timesteps\" : 100000");
        assertThat(ConfigJson.toCompactJson(D)).doesNotContain("\n").contains("\"n_steps\":2048");
    }

    @Test
    void jsonRoundTripOfNonDefaultConfigGivesEqualRecord() {
        RunConfig cfg = D;
        for (String o : List.of("env.num_items=77", "env.seed=9", "env.interest_drift=0.125",
                "model.actor_hidden_dims=16,8", "model.activation=relu", "model.init=orthogonal",
                "ppo.lr=0.00123", "ppo.clip_value_loss=true", "ppo.advantage_norm=minibatch",
                "a2c.n_steps=7", "a2c.anneal_lr=true", "train.total_timesteps=12345", "train.log_dir=somewhere",
                "train.seed=-3")) {
            cfg = ConfigJson.withOverride(cfg, o);
        }
        assertThat(cfg).isNotEqualTo(D);
        assertThat(ConfigJson.merge(D, ConfigJson.toJson(cfg), "test")).isEqualTo(cfg);
        assertThat(ConfigJson.merge(D, ConfigJson.toCompactJson(cfg), "test")).isEqualTo(cfg);
        // merging over a different base changes nothing either: every key is present
        assertThat(ConfigJson.merge(cfg, ConfigJson.toJson(D), "test")).isEqualTo(D);
    }

    @Test
    void portableJsonLeavesOutTheDirectoriesAndMergesOverTheBasesDirectories() {
        RunConfig cfg = ConfigJson.withOverride(ConfigJson.withOverride(ConfigJson.withOverride(D,
                "train.log_dir=/tmp/a/logs"), "train.checkpoint_dir=/tmp/a/ck"), "ppo.lr=0.002");
        String portable = ConfigJson.toPortableJson(cfg);
        assertThat(portable).doesNotContain("/tmp/a").doesNotContain("log_dir").doesNotContain("checkpoint_dir")
                .doesNotContain("\n").contains("\"lr\":0.002");
        RunConfig other = ConfigJson.withOverride(D, "train.checkpoint_dir=elsewhere");
        RunConfig back = ConfigJson.merge(other, portable, "checkpoint");
        assertThat(back.train().checkpointDir()).isEqualTo("elsewhere");
        assertThat(back.train().logDir()).isEqualTo("logs");
        assertThat(back.ppo()).isEqualTo(cfg.ppo());
        assertThat(ConfigJson.withOverride(ConfigJson.withOverride(back, "train.log_dir=/tmp/a/logs"),
                "train.checkpoint_dir=/tmp/a/ck")).isEqualTo(cfg);
        // same settings, different directories: same text
        assertThat(ConfigJson.toPortableJson(ConfigJson.withOverride(cfg, "train.log_dir=x"))).isEqualTo(portable);
    }

    @Test
    void partialJsonChangesOnlyTheGivenKeys() {
        RunConfig merged = ConfigJson.merge(D, "{\"ppo\": {\"lr\": 0.001, \"num_envs\": 4}, \"train\": {\"seed\": 7}}",
                "test");
        PpoConfig p = D.ppo();
        PpoConfig expectedPpo = new PpoConfig(0.001, p.gamma(), p.gaeLambda(), p.clipEps(), p.entCoef(), p.vfCoef(),
                p.maxGradNorm(), p.updateEpochs(), p.batchSize(), p.nSteps(), 4, p.advantageNorm(), p.clipValueLoss(),
                p.targetKl(), p.annealLr(), p.adamBeta1(), p.adamBeta2(), p.adamEps());
        TrainConfig t = D.train();
        TrainConfig expectedTrain = new TrainConfig(t.totalTimesteps(), t.logInterval(), t.evalInterval(),
                t.evalEpisodes(), t.saveInterval(), t.logDir(), t.checkpointDir(), 7);
        assertThat(merged).isEqualTo(new RunConfig(D.env(), D.model(), expectedPpo, D.a2c(), expectedTrain));
    }

    @Test
    void emptyObjectChangesNothing() {
        assertThat(ConfigJson.merge(D, "{}", "test")).isEqualTo(D);
        assertThat(ConfigJson.merge(D, "{\"ppo\": {}}", "test")).isEqualTo(D);
    }

    @Test
    void loadReadsAFile() throws Exception {
        Path f = dir.resolve("c.json");
        Files.writeString(f, "{\n  \"a2c\": {\"gamma\": 0.5}\n}\n");
        RunConfig cfg = ConfigJson.load(D, f);
        assertThat(cfg.a2c().gamma()).isEqualTo(0.5);
        assertThat(cfg.a2c().lr()).isEqualTo(7e-4);
        assertThat(cfg.ppo()).isEqualTo(D.ppo());
    }

    // ---------------------------------------------------------------- --set

    @Test
    void setParsesIntegers() {
        assertThat(ConfigJson.withOverride(D, "env.num_items=50").env().numItems()).isEqualTo(50);
        assertThat(ConfigJson.withOverride(D, "train.total_timesteps=1_000_000").train().totalTimesteps())
                .isEqualTo(1_000_000L);
        assertThat(ConfigJson.withOverride(D, " ppo.batch_size = 32 ").ppo().batchSize()).isEqualTo(32);
    }

    @Test
    void setParsesDoubles() {
        assertThat(ConfigJson.withOverride(D, "ppo.lr=1e-3").ppo().lr()).isEqualTo(1e-3);
        assertThat(ConfigJson.withOverride(D, "env.reward_decay=1").env().rewardDecay()).isEqualTo(1.0);
        assertThat(ConfigJson.withOverride(D, "a2c.gamma=0.25").a2c().gamma()).isEqualTo(0.25);
    }

    @Test
    void setParsesBooleans() {
        assertThat(ConfigJson.withOverride(D, "ppo.anneal_lr=true").ppo().annealLr()).isTrue();
        assertThat(ConfigJson.withOverride(D, "ppo.clip_value_loss=TRUE").ppo().clipValueLoss()).isTrue();
        RunConfig on = ConfigJson.withOverride(D, "a2c.anneal_lr=true");
        assertThat(ConfigJson.withOverride(on, "a2c.anneal_lr=false").a2c().annealLr()).isFalse();
    }

    @Test
    void setParsesStrings() {
        assertThat(ConfigJson.withOverride(D, "model.activation=elu").model().policy().activation()).isEqualTo(org.recsysrl.nn.Activation.ELU);
        assertThat(ConfigJson.withOverride(D, "train.log_dir=a b/c=d").train().logDir()).isEqualTo("a b/c=d");
    }

    @Test
    void setParsesListsWithAndWithoutBrackets() {
        assertThat(ConfigJson.withOverride(D, "model.actor_hidden_dims=16,8").model().policy().actorHiddenDims())
                .containsExactly(16, 8);
        assertThat(ConfigJson.withOverride(D, "model.critic_hidden_dims=[16,8]").model().policy().criticHiddenDims())
                .containsExactly(16, 8);
        assertThat(ConfigJson.withOverride(D, "model.actor_hidden_dims=[ 32 , 4 , 2 ]").model().policy().actorHiddenDims())
                .containsExactly(32, 4, 2);
        assertThat(ConfigJson.withOverride(D, "model.actor_hidden_dims=16").model().policy().actorHiddenDims())
                .containsExactly(16);
        // the other list is untouched
        assertThat(ConfigJson.withOverride(D, "model.actor_hidden_dims=16").model().policy().criticHiddenDims())
                .containsExactly(128, 64);
    }

    @Test
    void setChangesOnlyItsKey() {
        RunConfig cfg = ConfigJson.withOverride(D, "env.seed=5");
        assertThat(cfg.env()).isEqualTo(new EnvConfig(1000, 100, 64, 20, 0.99, 32, 32, 0.05, 5L));
        assertThat(cfg.model()).isEqualTo(D.model());
        assertThat(cfg.ppo()).isEqualTo(D.ppo());
        assertThat(cfg.a2c()).isEqualTo(D.a2c());
        assertThat(cfg.train()).isEqualTo(D.train());
    }

    @Test
    void keysListsEveryField() {
        List<String> keys = ConfigJson.keys();
        int fields = EnvConfig.class.getRecordComponents().length + ModelConfig.Keys.class.getRecordComponents().length
                + PpoConfig.class.getRecordComponents().length + A2cConfig.class.getRecordComponents().length
                + TrainConfig.class.getRecordComponents().length + DataConfig.class.getRecordComponents().length
                + EvalConfig.class.getRecordComponents().length + SeqConfig.class.getRecordComponents().length;
        assertThat(keys).hasSize(fields).contains("env.num_items", "model.actor_hidden_dims", "ppo.n_steps",
                "a2c.n_steps", "train.total_timesteps", "data.user_col", "eval.protocol", "eval.ks");
        assertThat(keys.get(0)).isEqualTo("env.num_items");
    }

    // ---------------------------------------------------------------- errors

    private static String oneLineError(Runnable r) {
        UserInputException e = catchThrowableOfType(UserInputException.class, r::run);
        assertThat(e).as("expected a UserInputException").isNotNull();
        assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r");
        return e.getMessage();
    }

    @Test
    void unknownKeyInSetNamesIt() {
        assertThat(oneLineError(() -> ConfigJson.withOverride(D, "ppo.learning_rate=0.1")))
                .contains("ppo.learning_rate").contains("unknown").contains("ppo.lr");
        assertThat(oneLineError(() -> ConfigJson.withOverride(D, "nogroup.lr=0.1"))).contains("nogroup.lr");
        assertThat(oneLineError(() -> ConfigJson.withOverride(D, "lr=0.1"))).contains("lr");
        assertThat(oneLineError(() -> ConfigJson.withOverride(D, "ppo.lr.x=0.1"))).contains("ppo.lr.x");
    }

    @Test
    void setWithoutEqualsSignIsRejected() {
        assertThat(oneLineError(() -> ConfigJson.withOverride(D, "ppo.lr"))).contains("ppo.lr")
                .contains("group.field=value");
        assertThat(oneLineError(() -> ConfigJson.withOverride(D, "=3"))).contains("=3");
    }

    @Test
    void unknownKeyInJsonNamesIt() {
        assertThat(oneLineError(() -> ConfigJson.merge(D, "{\"ppo\": {\"learning_rate\": 0.1}}", "file x.json")))
                .contains("x.json").contains("ppo.learning_rate").contains("ppo.lr");
        assertThat(oneLineError(() -> ConfigJson.merge(D, "{\"sac\": {}}", "file x.json")))
                .contains("'sac'").contains("ppo");
    }

    @ParameterizedTest
    @ValueSource(strings = {"env.num_items=1.5", "env.num_items=many", "ppo.lr=fast", "ppo.anneal_lr=yes",
            "model.actor_hidden_dims=16,x", "model.actor_hidden_dims=16.5", "train.seed=1e3"})
    void wrongTypeInSetNamesTheKey(String assignment) {
        String key = assignment.substring(0, assignment.indexOf('='));
        assertThat(oneLineError(() -> ConfigJson.withOverride(D, assignment))).contains(key).contains("expected");
    }

    @Test
    void integerOutOfRangeInSetNamesTheKey() {
        assertThat(oneLineError(() -> ConfigJson.withOverride(D, "env.num_items=99999999999")))
                .contains("num_items");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"ppo\": {\"lr\": \"fast\"}}", "{\"ppo\": {\"n_steps\": 1.5}}",
            "{\"ppo\": {\"anneal_lr\": 1}}", "{\"ppo\": {\"n_steps\": null}}", "{\"ppo\": {\"lr\": [1]}}",
            "{\"ppo\": {\"n_steps\": \"64\"}}"})
    void wrongTypeInJsonNamesTheKey(String json) {
        String field = json.substring(json.indexOf("{\"", 2) + 2, json.indexOf("\":", json.indexOf("{\"", 2)));
        assertThat(oneLineError(() -> ConfigJson.merge(D, json, "file x.json")))
                .contains("x.json").contains("ppo." + field);
    }

    @Test
    void wrongTypeOfListInJsonIsAUserError() {
        assertThat(oneLineError(() -> ConfigJson.merge(D, "{\"model\": {\"actor_hidden_dims\": null}}", "f")))
                .contains("actor_hidden_dims");
        assertThat(oneLineError(() -> ConfigJson.merge(D, "{\"model\": {\"actor_hidden_dims\": [16, null]}}", "f")))
                .contains("actor_hidden_dims");
        assertThat(oneLineError(() -> ConfigJson.merge(D, "{\"model\": {\"actor_hidden_dims\": 16}}", "f")))
                .contains("actor_hidden_dims");
    }

    @Test
    void groupThatIsNotAnObjectIsRejected() {
        assertThat(oneLineError(() -> ConfigJson.merge(D, "{\"ppo\": 5}", "f"))).contains("'ppo'");
        assertThat(oneLineError(() -> ConfigJson.merge(D, "[1, 2]", "f"))).contains("JSON object");
    }

    @Test
    void malformedJsonNamesLineAndColumn() {
        String json = "{\n  \"ppo\": {\n    \"lr\": ,\n  }\n}\n";
        String msg = oneLineError(() -> ConfigJson.merge(D, json, "config file bad.json"));
        assertThat(msg).contains("bad.json").contains("not valid JSON").contains("line 3").contains("column 11");
    }

    @Test
    void trailingGarbageAfterJsonIsRejected() {
        String msg = oneLineError(() -> ConfigJson.merge(D, "{\"ppo\": {\"lr\": 0.001}} }", "config file t.json"));
        assertThat(msg).contains("t.json").contains("line 1");
    }

    @Test
    void missingConfigFileIsAUserError() {
        Path missing = dir.resolve("nope.json");
        assertThat(oneLineError(() -> ConfigJson.load(D, missing))).contains(missing.toString()).contains("--config");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5"})
    void nonPositiveTotalTimestepsIsRejected(String value) {
        assertThat(oneLineError(() -> ConfigJson.withOverride(D, "train.total_timesteps=" + value)))
                .contains("train.total_timesteps").contains("got " + value);
        assertThat(oneLineError(() -> ConfigJson.merge(D, "{\"train\": {\"total_timesteps\": " + value + "}}", "f")))
                .contains("train.total_timesteps");
    }

    @Test
    void nStepsNotAMultipleOfNumEnvsIsRejected() {
        assertThat(oneLineError(() -> ConfigJson.withOverride(D, "ppo.n_steps=100")))
                .contains("ppo.n_steps (100)").contains("ppo.num_envs (8)");
        // fine once consistent
        RunConfig ok = ConfigJson.merge(D, "{\"ppo\": {\"n_steps\": 100, \"num_envs\": 4}}", "f");
        assertThat(ok.ppo().stepsPerEnv()).isEqualTo(25);
    }

    @Test
    void stateDimMismatchIsRejected() {
        assertThat(oneLineError(() -> ConfigJson.withOverride(D, "env.state_dim=10")))
                .contains("env.state_dim (10)").contains("env.state_dim=64");
        assertThat(oneLineError(() -> ConfigJson.withOverride(D, "env.user_feature_dim=16")))
                .contains("env.user_feature_dim");
        RunConfig ok = ConfigJson.merge(D,
                "{\"env\": {\"user_feature_dim\": 8, \"item_feature_dim\": 8, \"state_dim\": 16}}", "f");
        assertThat(ok.env().stateDim()).isEqualTo(16);
    }

    @Test
    void otherRangeChecksNameTheirKey() {
        assertThat(oneLineError(() -> ConfigJson.withOverride(D, "ppo.gamma=1.5"))).contains("ppo.gamma");
        assertThat(oneLineError(() -> ConfigJson.withOverride(D, "ppo.batch_size=4096"))).contains("ppo.batch_size");
        assertThat(oneLineError(() -> ConfigJson.withOverride(D, "model.activation=sigmoid")))
                .contains("model.activation").contains("tanh, relu, elu");
        assertThat(oneLineError(() -> ConfigJson.withOverride(D, "model.actor_hidden_dims=16,0")))
                .contains("model.actor_hidden_dims");
        assertThat(oneLineError(() -> ConfigJson.withOverride(D, "a2c.lr=NaN"))).contains("a2c.lr");
        assertThat(oneLineError(() -> ConfigJson.withOverride(D, "env.reward_decay=0"))).contains("env.reward_decay");
        assertThat(oneLineError(() -> ConfigJson.withOverride(D, "train.checkpoint_dir= "))).contains(
                "train.checkpoint_dir");
    }

    @Test
    void constructingAnInvalidRecordDirectlyFailsOnlyOnValidate() {
        RunConfig bad = new RunConfig(new EnvConfig(10, 1, 64, 20, 0.99, 32, 32, 0.05, 0), D.model(), D.ppo(),
                D.a2c(), new TrainConfig(0, 1, 0, 1, 0, "l", "c", 1));
        assertThatThrownBy(bad::validate).isInstanceOf(UserInputException.class)
                .hasMessageContaining("train.total_timesteps");
    }
}
