package org.recsysrl.learn;

import java.util.ArrayList;
import java.util.List;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.ope.sequential.ActionDistribution;
import org.recsysrl.ope.sequential.FeedbackTrajectories;
import org.recsysrl.ope.sequential.LoggedTrajectory;

/**
 * Some of a {@link LoggedBandit}'s rows read as trajectories (the rows of one {@code session} in
 * {@code step} order, as {@link FeedbackTrajectories} groups them), with the platform's actions:
 * what fitted-Q evaluation and the multi-step estimators read. Steps are numbered in trajectory
 * order, trajectory after trajectory.
 */
final class LoggedSteps {
    private final int[] rows;
    private final List<LoggedTrajectory> trajectories;
    private final double[] rewards;
    private final LoggedBandit data;

    private LoggedSteps(LoggedBandit data, int[] rows, List<LoggedTrajectory> trajectories, double[] rewards) {
        this.data = data;
        this.rows = rows;
        this.trajectories = trajectories;
        this.rewards = rewards;
    }

    /**
     * The trajectories of {@code data} whose rows are among {@code subset} (a split by session keeps
     * a trajectory whole, so a trajectory is taken when its first step is in the subset).
     *
     * @throws org.recsysrl.util.UserInputException if a row has no session or step, or a session repeats a step
     */
    static LoggedSteps of(LoggedBandit data, int[] subset) {
        boolean[] in = new boolean[data.rows()];
        for (int r : subset) {
            in[r] = true;
        }
        List<int[]> groups = new ArrayList<>();
        int count = 0;
        for (int[] g : FeedbackTrajectories.of(data.log()).rows()) {
            if (in[g[0]]) {
                groups.add(g);
                count += g.length;
            }
        }
        int[] rows = new int[count];
        double[] rewards = new double[count];
        List<LoggedTrajectory> trajectories = new ArrayList<>(groups.size());
        int d = data.contextDim();
        float[] scratch = new float[d];
        int s = 0;
        for (int[] g : groups) {
            double[][] x = new double[g.length][d];
            int[] a = new int[g.length];
            double[] r = new double[g.length];
            double[] p = new double[g.length];
            for (int t = 0; t < g.length; t++, s++) {
                data.context(g[t], scratch, 0);
                for (int j = 0; j < d; j++) {
                    x[t][j] = scratch[j];
                }
                a[t] = data.action(g[t]);
                r[t] = data.reward(g[t]);
                p[t] = data.propensity(g[t]);
                rows[s] = g[t];
                rewards[s] = r[t];
            }
            trajectories.add(new LoggedTrajectory(x, a, r, p));
        }
        return new LoggedSteps(data, rows, trajectories, rewards);
    }

    /** The log's row of every step. */
    int[] rows() {
        return rows;
    }

    /** The trajectories, in the log's order of first appearance. */
    List<LoggedTrajectory> trajectories() {
        return trajectories;
    }

    /** The state features of every trajectory's steps. */
    List<double[][]> features() {
        List<double[][]> out = new ArrayList<>(trajectories.size());
        for (LoggedTrajectory tr : trajectories) {
            out.add(tr.features());
        }
        return out;
    }

    /** The reward of step {@code s}. */
    double reward(int s) {
        return rewards[s];
    }

    /** (1/n) Σ_i Σ_t γ^t r_{i,t}: the logging policy's discounted return on these trajectories. */
    double meanReturn(double gamma) {
        double sum = 0;
        for (LoggedTrajectory tr : trajectories) {
            double discount = 1;
            for (double r : tr.rewards()) {
                sum += discount * r;
                discount *= gamma;
            }
        }
        return trajectories.isEmpty() ? 0 : sum / trajectories.size();
    }

    /** The model's softmax policy at every step, as dense distributions (renormalised in double precision). */
    List<ActionDistribution[]> distributions(ActorCritic model) {
        int n = data.actionCount();
        int d = data.contextDim();
        int batch = 256;
        ActorCritic.Workspace ws = model.newWorkspace(batch);
        float[] obs = new float[batch * d];
        ActionDistribution[] flat = new ActionDistribution[rows.length];
        for (int from = 0; from < rows.length; from += batch) {
            int b = Math.min(batch, rows.length - from);
            for (int j = 0; j < b; j++) {
                data.context(rows[from + j], obs, j * d);
            }
            model.policy(ws, obs, b);
            float[] p = ws.probs();
            for (int j = 0; j < b; j++) {
                double sum = 0;
                for (int a = 0; a < n; a++) {
                    sum += p[j * n + a];
                }
                double[] q = new double[n];
                for (int a = 0; a < n; a++) {
                    q[a] = p[j * n + a] / sum;
                }
                flat[from + j] = ActionDistribution.dense(q);
            }
        }
        List<ActionDistribution[]> out = new ArrayList<>(trajectories.size());
        int s = 0;
        for (LoggedTrajectory tr : trajectories) {
            ActionDistribution[] dist = new ActionDistribution[tr.length()];
            for (int t = 0; t < dist.length; t++) {
                dist[t] = flat[s++];
            }
            out.add(dist);
        }
        return out;
    }
}
