package org.recsysrl.ope.sim;

import org.recsysrl.model.CheckpointConfig;
import org.recsysrl.model.Models;
import org.recsysrl.workload.Workload;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.agent.ActorCriticPolicy;
import org.recsysrl.agent.OnlinePolicy;
import org.recsysrl.agent.Policy;
import org.recsysrl.config.RunConfig;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.setup.Setup;
import org.recsysrl.setup.Platform;
import org.recsysrl.util.Rng;
import org.recsysrl.util.UserInputException;

/**
 * Resolves policy names on one platform environment: {@code random} (uniform), a reference policy
 * of the platform by its name ({@code myopic} stands for {@code myopic-oracle}; the contextual
 * bandits are left out: they learn while they act, so they have no fixed probabilities), or
 * {@code checkpoint:FILE}, a PPO/A2C checkpoint trained on this platform and environment seed.
 */
public final class SimPolicies {
    private final Platform platform;
    private final Setup setup;
    private final long envSeed;
    private final long seed;
    private List<Policy> references;

    /** The policies of {@code platform}'s setup of {@code envSeed}; {@code seed} drives the references' own randomness. */
    public SimPolicies(Platform platform, Setup setup, long envSeed, long seed) {
        this.platform = platform;
        this.setup = setup;
        this.envSeed = envSeed;
        this.seed = seed;
    }

    /** The setup the policies act in. */
    public Setup setup() {
        return setup;
    }

    /** The names {@link #resolve} accepts besides {@code checkpoint:FILE}. */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        out.add("random");
        for (Policy p : references()) {
            if (!(p instanceof OnlinePolicy) && !p.name().equals("random")) {
                out.add(p.name());
            }
        }
        return out;
    }

    private List<Policy> references() {
        if (references == null) {
            references = platform.references(setup, envSeed, seed);
        }
        return references;
    }

    /**
     * The policy {@code spec} with {@code exploration}.
     *
     * @param flag the option it came from, for messages
     * @throws UserInputException for an unknown name or a checkpoint of another environment
     */
    public ExploringPolicy resolve(String spec, Exploration exploration, String flag) {
        int n = setup.actionCount();
        int k = setup.slateSize();
        if (exploration.kind().equals("softmax") && !spec.startsWith("checkpoint:")) {
            throw new UserInputException(spec + ": softmax needs the policy's probabilities, which only checkpoints"
                    + " have (reference policies give their choice alone): use --explore epsilon=E");
        }
        if (spec.equals("random")) {
            return new ExploringPolicy("random", null, Exploration.NONE, n, k);
        }
        Policy base;
        String baseName;
        if (spec.startsWith("checkpoint:")) {
            base = checkpoint(Path.of(spec.substring("checkpoint:".length())), flag);
            baseName = spec;
        } else {
            String name = spec.equals("myopic") ? "myopic-oracle" : spec;
            base = null;
            for (Policy p : references()) {
                if (p.name().equals(name) && !(p instanceof OnlinePolicy)) {
                    base = p;
                }
            }
            if (base == null) {
                throw new UserInputException(flag + " " + spec + " is not a policy of " + platform.name() + "; known: "
                        + String.join(", ", names()) + ", checkpoint:FILE");
            }
            baseName = name;
        }
        String name = exploration.kind().equals("none") ? baseName : baseName + "@" + exploration;
        return new ExploringPolicy(name, base, exploration, n, k);
    }

    private Policy checkpoint(Path file, String flag) {
        Checkpoint.Loaded loaded = Checkpoint.read(file);
        RunConfig cfg = CheckpointConfig.merge(loaded, RunConfig.original());
        String trainedOn = Workload.of(cfg).name();
        if (!trainedOn.equals(platform.name())) {
            throw new UserInputException(flag + " " + file + " was trained on env.type=" + trainedOn + ", not "
                    + platform.name() + ": use --env " + trainedOn + " or another checkpoint");
        }
        if (cfg.env().seed() != envSeed) {
            throw new UserInputException(flag + " " + file + " was trained with env.seed=" + cfg.env().seed()
                    + ": pass --env-seed " + cfg.env().seed());
        }
        ActorCritic model = Models.actorCritic(cfg, setup);
        loaded.loadInto(model.parameters());
        return new ActorCriticPolicy(loaded.info().algorithm(), model, true, Rng.stream(seed, 3), 1);
    }
}
