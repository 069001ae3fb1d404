package org.recsysrl.train;

import java.io.IOException;
import java.io.PrintStream;
import org.recsysrl.config.RunConfig;
import org.recsysrl.workload.Algorithm;
import org.recsysrl.workload.EnvironmentWorkload;
import org.recsysrl.workload.Workload;

/**
 * Training as the workload supplies it: PPO or A2C in an environment ({@link Trainer}), or a
 * sequence model on a log ({@link LogTraining}). The one place that chooses between the two loops.
 */
public final class Training {
    private Training() {
    }

    /**
     * Trains {@code algorithm} on the workload of {@code cfg}.
     *
     * @param resume continue the saved run (environments only; the caller refuses it on logs)
     * @param terminal draw progress bars on {@code out}
     * @throws org.recsysrl.util.UserInputException if the workload does not train {@code algorithm}
     */
    public static void run(RunConfig cfg, Algorithm algorithm, boolean resume, PrintStream out, boolean terminal)
            throws IOException {
        run(cfg, algorithm, resume, false, out, terminal);
    }

    /**
     * As above; {@code tune} chooses a sequence model's settings on validation first
     * ({@link SequenceTuning}; logs only).
     */
    public static void run(RunConfig cfg, Algorithm algorithm, boolean resume, boolean tune, PrintStream out,
            boolean terminal) throws IOException {
        Workload workload = Workload.of(cfg);
        Algorithm checked = workload.algorithm(algorithm.id());
        if (workload instanceof EnvironmentWorkload) {
            new Trainer(cfg, checked, resume, out, terminal).run();
        } else {
            LogTraining.run(cfg, checked.id(), out, terminal, tune);
        }
    }
}
