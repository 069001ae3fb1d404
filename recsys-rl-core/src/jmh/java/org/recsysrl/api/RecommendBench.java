package org.recsysrl.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.RunConfig;
import org.recsysrl.env.SimulatorWorld;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.train.Experiment;

/**
 * One library call, {@code Recommender.recommend} of the top 10 for a known user, on a simulator
 * model of the default preset (an untrained one: training changes no cost) with 1,000 or 100,000
 * items. Sample mode, so the median and percentiles of single calls are reported.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseSerialGC", "-XX:MaxNewSize=32m"})
public class RecommendBench {
    @Param({"1000", "100000"})
    int items;

    private Recommender model;
    private RecommendRequest[] requests;
    private int next;

    @Setup
    public void setUp() throws Exception {
        RunConfig cfg = ConfigJson.withOverrides(RunConfig.defaults(), List.of("env.num_items=" + items));
        SimulatorWorld world = Experiment.world(cfg.env());
        ActorCritic ac = Experiment.newModel(cfg, world);
        Path dir = Files.createTempDirectory("recsys-rl-jmh");
        Path file = dir.resolve("ppo.safetensors");
        Checkpoint.save(file, ac.parameters(), new Checkpoint.Info("ppo", ConfigJson.toPortableJson(cfg),
                cfg.env().seed(), 0));
        model = Recommender.load(file);
        requests = new RecommendRequest[cfg.env().numUsers()];
        for (int u = 0; u < requests.length; u++) {
            requests[u] = RecommendRequest.forUser(Integer.toString(u), 10);
        }
    }

    @Benchmark
    public List<ScoredItem> recommendTop10() {
        RecommendRequest r = requests[next];
        next = (next + 1) % requests.length;
        return model.recommend(r);
    }
}
