package org.recsysrl.workload;

import java.util.Arrays;
import java.util.List;
import org.recsysrl.agent.A2c;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.agent.Learner;
import org.recsysrl.agent.Ppo;
import org.recsysrl.config.EnvConfig;
import org.recsysrl.config.RunConfig;
import org.recsysrl.env.VectorEnv;
import org.recsysrl.util.Rng;
import org.recsysrl.util.UserInputException;

/**
 * The training algorithms, parsed once from {@code --algo}: the actor-critics that learn in an
 * environment ({@code ppo}, {@code a2c}) and the sequence models trained offline on a log
 * ({@code supervised}, {@code sa2c}). What differs between two algorithms of a family is said here,
 * once, so that no other class compares algorithm names.
 */
public enum Algorithm {
    /** Proximal policy optimisation ({@code ppo.*}). */
    PPO("ppo", Family.ACTOR_CRITIC) {
        @Override
        public OnPolicy onPolicy(RunConfig cfg) {
            long rows = cfg.ppo().nSteps();
            return new OnPolicy(cfg.ppo().numEnvs(), rows, Math.max(cfg.ppo().batchSize(), cfg.ppo().numEnvs()),
                    "ppo.batch_size / ppo.num_envs", cfg.ppo().lr(), cfg.ppo().vfCoef(), cfg.ppo().entCoef());
        }

        @Override
        public Learner newLearner(RunConfig cfg, ActorCritic model, VectorEnv env, Rng actions, Rng minibatches) {
            return new Ppo(cfg.ppo(), model, env, actions, minibatches, cfg.train().totalTimesteps(),
                    cfg.ppo().threads());
        }
    },
    /** Advantage actor-critic ({@code a2c.*}). */
    A2C("a2c", Family.ACTOR_CRITIC) {
        @Override
        public OnPolicy onPolicy(RunConfig cfg) {
            long rows = (long) cfg.a2c().nSteps() * cfg.a2c().numEnvs();
            return new OnPolicy(cfg.a2c().numEnvs(), rows, rows, "a2c.n_steps × a2c.num_envs", cfg.a2c().lr(),
                    cfg.a2c().vfCoef(), cfg.a2c().entCoef());
        }

        @Override
        public Learner newLearner(RunConfig cfg, ActorCritic model, VectorEnv env, Rng actions, Rng minibatches) {
            return new A2c(cfg.a2c(), model, env, actions, cfg.train().totalTimesteps());
        }
    },
    /** A sequence model trained by next-item cross-entropy. */
    SUPERVISED("supervised", Family.SEQUENCE),
    /** The same plus the Q head's TD loss and the advantage-weighted cross-entropy ({@code seq.td_weight}, {@code seq.ac_weight}). */
    SA2C("sa2c", Family.SEQUENCE),
    /**
     * A platform policy learnt from an impression log by the λ-translated self-normalised IPS loss
     * (BanditNet; {@code org.recsysrl.learn.OffPolicyLearner}).
     */
    BANDITNET("banditnet", Family.LOGGED_BANDIT),
    /** A platform policy learnt from an impression log by the doubly robust loss with a ridge reward model. */
    OFFPOLICY_DR("offpolicy-dr", Family.LOGGED_BANDIT),
    /**
     * A platform policy learnt from an impression log's trajectories by fitted-Q policy iteration
     * ({@code org.recsysrl.learn.FittedQPolicyIteration}): a multi-step learner.
     */
    OFFPOLICY_FQI("offpolicy-fqi", Family.LOGGED_BANDIT);

    /**
     * What an algorithm trains: an actor-critic in an environment, a sequence model on a log, or an
     * actor-critic network's policy from a platform's logged bandit feedback (its checkpoints load
     * as actor-critic ones).
     */
    public enum Family {
        ACTOR_CRITIC, SEQUENCE, LOGGED_BANDIT
    }

    /**
     * The settings of an on-policy learner that the training loop and the memory estimate need.
     *
     * @param numEnvs environments stepped in parallel
     * @param bufferRows steps stored in the rollout buffer
     * @param updateRows rows of the widest forward/backward pass of an update
     * @param rowsSetting the settings that decide {@code updateRows}, for messages
     */
    public record OnPolicy(int numEnvs, long bufferRows, long updateRows, String rowsSetting, double lr,
            double vfCoef, double entCoef) {
    }

    private final String id;
    private final Family family;

    Algorithm(String id, Family family) {
        this.id = id;
        this.family = family;
    }

    /** The name used by {@code --algo}, in file names and in checkpoints, e.g. {@code ppo}. */
    public String id() {
        return id;
    }

    /** What it trains. */
    public Family family() {
        return family;
    }

    /** Whether the sequence model gets the Q head and the TD and advantage terms (the offline actor-critic). */
    public boolean offlineActorCritic() {
        return this == SA2C;
    }

    /** The on-policy settings of an actor-critic algorithm. */
    public OnPolicy onPolicy(RunConfig cfg) {
        throw new IllegalStateException(id + " is not an on-policy algorithm");
    }

    /** The learner of an actor-critic algorithm over {@code env} (already reset). */
    public Learner newLearner(RunConfig cfg, ActorCritic model, VectorEnv env, Rng actions, Rng minibatches) {
        throw new IllegalStateException(id + " is not an on-policy algorithm");
    }

    /** The ids of a family's algorithms, in declaration order. */
    public static List<String> ids(Family family) {
        return Arrays.stream(values()).filter(a -> a.family == family).map(Algorithm::id).toList();
    }

    /** The algorithm called {@code id}, or null. */
    public static Algorithm find(String id) {
        for (Algorithm a : values()) {
            if (a.id.equals(id)) {
                return a;
            }
        }
        return null;
    }

    /**
     * An actor-critic algorithm ({@code ppo} or {@code a2c}).
     *
     * @throws UserInputException for anything else
     */
    public static Algorithm actorCritic(String id) {
        Algorithm a = find(id);
        if (a == null || a.family != Family.ACTOR_CRITIC) {
            throw new UserInputException("unknown algorithm '" + id + "': use --algo ppo or --algo a2c"
                    + (a != null && a.family == Family.LOGGED_BANDIT ? " (" + id + " learns from an impression log:"
                    + " train --algo " + id + " --env PLATFORM --data LOG.jsonl)" : ""));
        }
        return a;
    }

    /**
     * An algorithm of training on logs ({@code supervised} or {@code sa2c}).
     *
     * @throws UserInputException for anything else
     */
    public static Algorithm sequence(String id) {
        Algorithm a = find(id);
        if (a == null || a.family != Family.SEQUENCE) {
            throw new UserInputException("--algo " + id + " does not train on logs: use supervised or sa2c"
                    + " (ppo and a2c train in the simulator and movielens environments)");
        }
        return a;
    }

    /**
     * The algorithm {@code train} runs for {@code --algo id} ({@code null}: the default, {@code ppo}
     * or {@code supervised} on logs), checked against the {@code --env} given ({@code envType}, null
     * for the preset's): training on logs or in an environment.
     *
     * @throws UserInputException for an unknown algorithm or one of the other family
     */
    public static Algorithm forTraining(String id, String envType) {
        boolean onLogs = EnvConfig.LOGS.equals(envType);
        if (id == null) {
            return onLogs ? SUPERVISED : PPO;
        }
        Algorithm a = find(id);
        if (a != null && a.family == Family.LOGGED_BANDIT) {
            if (onLogs) {
                throw new UserInputException("--algo " + id + " learns a platform environment's policy from its"
                        + " impression log: give the platform, e.g. --env short-video --data LOG.jsonl, not --env logs");
            }
            return a;
        }
        if (onLogs) {
            return sequence(id);
        }
        if (a != null && a.family == Family.SEQUENCE) {
            throw new UserInputException("--algo " + id + " trains on logs: add --env logs --data PATH");
        }
        return actorCritic(id);
    }

    @Override
    public String toString() {
        return id;
    }
}
