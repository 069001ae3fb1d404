package org.recsysrl.report;

import org.recsysrl.config.RunConfig;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.model.CheckpointConfig;
import org.recsysrl.model.Models;
import org.recsysrl.util.UserInputException;
import org.recsysrl.workload.LogWorkload;
import org.recsysrl.workload.MovieLensWorkload;
import org.recsysrl.workload.PlatformWorkload;
import org.recsysrl.workload.SimulatorWorkload;
import org.recsysrl.workload.Workload;

/**
 * {@code evaluate}: reads a checkpoint, resolves the workload it was trained on, and runs that
 * workload's evaluation (the simulator's reference policies, MovieLens ranking and return, a
 * platform's references, or the offline benchmark on logs).
 */
public final class CheckpointEvaluation {
    private CheckpointEvaluation() {
    }

    /**
     * Evaluates {@code o.checkpoint()}.
     *
     * @throws UserInputException for a checkpoint or option that does not fit (one line naming it)
     */
    public static EvaluationResult run(EvaluationOptions o, StatusOutput status) {
        Checkpoint.Loaded loaded = Checkpoint.read(o.checkpoint());
        String trainedWith = loaded.info().algorithm();
        if (o.algo() != null && !o.algo().equals(trainedWith)) {
            throw new UserInputException("--algo " + o.algo() + " but " + o.checkpoint() + " was trained with "
                    + trainedWith + ": drop --algo or pass --algo " + trainedWith);
        }
        RunConfig cfg = CheckpointConfig.read(loaded, o.data());
        Workload workload = Workload.of(cfg);
        Models.requireKnownAlgorithm(loaded, workload);
        if (!o.compare().isEmpty() && !(workload instanceof LogWorkload)) {
            throw new UserInputException("--compare: " + o.checkpoint() + " was not trained on logs (train --env logs);"
                    + " drop --compare");
        }
        return workload.accept(new Workload.Visitor<EvaluationResult>() {
            @Override
            public EvaluationResult simulator(SimulatorWorkload w) {
                return SimulatorEvaluation.run(o, loaded, w);
            }

            @Override
            public EvaluationResult movieLens(MovieLensWorkload w) {
                return MovieLensEvaluation.run(o, loaded, cfg);
            }

            @Override
            public EvaluationResult platform(PlatformWorkload w) {
                if (o.data() != null) {
                    throw new UserInputException("--data: " + o.checkpoint() + " was trained on " + w.name()
                            + ", not on a data set; drop --data");
                }
                return PlatformEvaluation.run(o, Models.policy(loaded, w), w.platform());
            }

            @Override
            public EvaluationResult logs(LogWorkload w) {
                return LogEvaluation.run(o, Models.sequence(loaded, w), status);
            }
        });
    }
}
