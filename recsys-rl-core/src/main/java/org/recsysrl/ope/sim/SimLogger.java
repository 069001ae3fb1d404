package org.recsysrl.ope.sim;

import java.util.ArrayList;
import java.util.List;
import org.recsysrl.env.Environment;
import org.recsysrl.env.StepResult;
import org.recsysrl.ope.sequential.ActionDistribution;
import org.recsysrl.setup.Setup;
import org.recsysrl.util.Rng;

/**
 * Plays episodes of a platform environment under a stochastic logging policy and records every
 * step with the probability the logger gave what it showed (and, optionally, the distributions of
 * target policies at the same states, for validation). Everything random comes from {@code seed}:
 * the environment's stream (users, responses) from stream 1, the logger's draws from stream 2, so
 * a seed gives the same log bit for bit.
 */
public final class SimLogger {
    private SimLogger() {
    }

    /**
     * Logs whole episodes until {@code episodes} are played, or, with {@code episodes} = 0, until
     * at least {@code rounds} steps are logged (the last episode is finished, not cut).
     *
     * @param targets policies whose distributions are recorded at every step (for slates: each
     *     target's per-position marginals, see {@link SimLog.Step#targets})
     * @param keepLogger whether every step keeps the logger's whole distribution (single items; a
     *     softmax's is dense: n doubles per step)
     */
    public static SimLog log(Setup setup, ExploringPolicy logger, List<ExploringPolicy> targets,
            int episodes, int rounds, long seed, boolean keepLogger) {
        if (episodes <= 0 && rounds <= 0) {
            throw new IllegalArgumentException("log at least one episode or round");
        }
        int n = setup.actionCount();
        int k = setup.slateSize();
        Environment env = setup.newEnv().apply(Rng.stream(seed, 1).nextLong());
        Rng draws = Rng.stream(seed, 2);
        logger.bind(env);
        for (ExploringPolicy t : targets) {
            t.bind(env);
        }
        float[] obs = new float[env.observationSize()];
        StepResult result = new StepResult();
        List<SimLog.Episode> out = new ArrayList<>();
        int logged = 0;
        int[] slate = new int[k];
        while (episodes > 0 ? out.size() < episodes : logged < rounds) {
            env.reset(obs, 0);
            int user = env.currentUser();
            List<SimLog.Step> steps = new ArrayList<>();
            do {
                float[] seen = obs.clone();
                SimLog.Step step;
                if (k == 1) {
                    ActionDistribution mu = logger.distribution(obs);
                    int a = mu.sample(draws.nextDouble(), draws::nextInt);
                    double p = mu.probability(a);
                    ActionDistribution[] pis = new ActionDistribution[targets.size()];
                    for (int j = 0; j < pis.length; j++) {
                        pis[j] = targets.get(j).distribution(obs);
                    }
                    env.step(a, obs, 0, result);
                    step = new SimLog.Step(seen, new int[] {a}, result.reward, 0, new double[] {p}, p,
                            keepLogger ? mu : null, pis);
                } else {
                    step = slateStep(env, logger, targets, draws, obs, slate, result);
                }
                steps.add(step);
                logged++;
            } while (!result.done());
            out.add(new SimLog.Episode(user, steps));
        }
        List<String> names = targets.stream().map(ExploringPolicy::name).toList();
        return new SimLog(n, k, logger.name(), names, out);
    }

    /**
     * One slate step: the logger draws a slate (into {@code slate}) at {@code obs}, every target's
     * per-position marginals at that state are recorded, and the environment answers (moving
     * {@code obs} on).
     */
    private static SimLog.Step slateStep(Environment env, ExploringPolicy logger, List<ExploringPolicy> targets,
            Rng draws, float[] obs, int[] slate, StepResult result) {
        int k = slate.length;
        float[] seen = obs.clone();
        int[] greedy = logger.greedySlate(obs);
        double ps = logger.sampleSlate(greedy, draws, slate);
        double[] pk = new double[k];
        for (int m = 0; m < k; m++) {
            pk[m] = logger.positionProbability(greedy, m, slate[m]);
        }
        ActionDistribution[] marginals = new ActionDistribution[targets.size() * k];
        for (int j = 0; j < targets.size(); j++) {
            int[] theirs = targets.get(j).greedySlate(obs);
            for (int m = 0; m < k; m++) {
                marginals[j * k + m] = targets.get(j).positionDistribution(theirs, m);
            }
        }
        env.stepSlate(slate, 0, obs, 0, result);
        return new SimLog.Step(seen, slate.clone(), result.reward, result.choice, pk, ps, null, marginals);
    }
}
