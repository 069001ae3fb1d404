import java.nio.file.Path;
import java.util.Locale;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.env.Environment;
import org.recsysrl.env.StepResult;
import org.recsysrl.learn.LoggedSlates;
import org.recsysrl.learn.OffPolicyLearner;
import org.recsysrl.learn.OffPolicyTraining;
import org.recsysrl.model.Models;
import org.recsysrl.model.PolicyCheckpoint;
import org.recsysrl.nn.PlackettLuce;
import org.recsysrl.ope.FeedbackJsonl;
import org.recsysrl.ope.LoggedFeedback;
import org.recsysrl.setup.Setup;
import org.recsysrl.util.Rng;
import org.recsysrl.workload.PlatformWorkload;

/**
 * A slate checkpoint learnt by {@code train --algo banditnet|offpolicy-dr} judged two ways: its
 * IIPS, SNIPS and DR estimates on a slate log it never saw (the learner's own estimator,
 * {@code LoggedSlates.estimate}), and its on-policy value per impression from EPISODES fresh
 * episodes of the environment played by its Plackett–Luce slates (or its top K with {@code greedy}),
 * with a 95 % delta-method interval over episodes. docs/loop.md's slate tables come from it.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp target/recsys-rl.jar scripts/SlateLearnedValue.java \
 *     CHECKPOINT HELD_OUT_LOG.jsonl [EPISODES=2000] [sampled|greedy]
 * </pre>
 */
public class SlateLearnedValue {
    public static void main(String[] args) throws Exception {
        PolicyCheckpoint checkpoint = (PolicyCheckpoint) Models.load(Path.of(args[0]), null);
        ActorCritic model = checkpoint.network();
        Setup setup = ((PlatformWorkload) checkpoint.workload()).setup(line -> { });
        int n = setup.actionCount();
        int k = setup.slateSize();
        LoggedFeedback log = FeedbackJsonl.read(Path.of(args[1]), OffPolicyTraining.actionIds(n));
        LoggedSlates data = LoggedSlates.of(log, n, k, setup.observationSize(), args[1]);
        OffPolicyLearner.Estimates e = data.estimate(model, 1.0);
        int[] rows = new int[data.rows()];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = r;
        }
        System.out.printf(Locale.ROOT, "%s: %d slates, logger's mean reward %.4f; IIPS %.4f, SNIPS %.4f, DR %.4f"
                + " (ESS of the worst position %.0f)%n", args[1], data.rows(), data.meanReward(rows), e.ips(), e.snips(),
                e.dr(), e.ess());
        int episodes = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        boolean greedy = args.length > 3 && args[3].equals("greedy");
        Environment env = setup.newEnv().apply(Rng.stream(11, 1).nextLong());
        Rng rng = Rng.stream(11, 2);
        ActorCritic.Workspace ws = model.newWorkspace(1);
        float[] obs = new float[env.observationSize()];
        int[] slate = new int[k];
        StepResult result = new StepResult();
        double[] rewards = new double[episodes];
        double[] steps = new double[episodes];
        double sum = 0;
        double stepSum = 0;
        for (int ep = 0; ep < episodes; ep++) {
            env.reset(obs, 0);
            do {
                model.policy(ws, obs, 1);
                if (greedy) {
                    PlackettLuce.top(ws.logProbs(), 0, n, k, slate, 0);
                } else {
                    PlackettLuce.sample(ws.logProbs(), ws.probs(), 0, n, k, rng, slate, 0);
                }
                env.stepSlate(slate, 0, obs, 0, result);
                rewards[ep] += result.reward;
                steps[ep]++;
            } while (!result.done());
            sum += rewards[ep];
            stepSum += steps[ep];
        }
        double value = sum / stepSum;
        double squares = 0;
        for (int ep = 0; ep < episodes; ep++) {
            squares += (rewards[ep] - value * steps[ep]) * (rewards[ep] - value * steps[ep]);
        }
        double se = Math.sqrt(squares / ((double) episodes * (episodes - 1))) / (stepSum / episodes);
        System.out.printf(Locale.ROOT, "on-policy (%s), %d episodes: %.4f ± %.4f per impression, %.3f per episode,"
                + " %.2f steps per episode%n", greedy ? "top K" : "Plackett-Luce slates", episodes, value, 1.96 * se,
                sum / episodes, stepSum / episodes);
    }
}
