package org.recsysrl.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.recsysrl.config.RunConfig;
import org.recsysrl.learn.FittedQPolicyIteration;
import org.recsysrl.learn.OffPolicyLearner;
import org.recsysrl.learn.OffPolicyTraining;
import org.recsysrl.util.UserInputException;
import org.recsysrl.workload.Algorithm;

/**
 * The off-policy learners' settings from {@code --set learn.KEY=VALUE}: {@code lambdas} (BanditNet's λ
 * grid, comma-separated; default the training mean reward × 0, 0.5, 1, 1.5), {@code epochs},
 * {@code patience}, {@code batch_size}, {@code lr}, {@code held_out} (share of the rows) and
 * {@code ridge} (the reward model's); for {@code offpolicy-fqi} also {@code gamma}, {@code iterations},
 * {@code step}, {@code logger_mix} (the trust region's shares α, comma-separated), {@code select}
 * ({@code dr} or {@code dr-lower}) and {@code min_ess} (the kept policy's least held-out ESS, a share of
 * the held-out trajectories) (and no {@code lambdas}).
 */
final class OffPolicySettings {
    static final String PREFIX = "learn.";
    static final List<String> KEYS = List.of("lambdas", "epochs", "patience", "batch_size", "lr", "held_out", "ridge",
            "gamma", "iterations", "step", "logger_mix", "select", "min_ess");
    /** The keys only the multi-step learner takes. */
    static final List<String> MULTI_STEP_KEYS = List.of("gamma", "iterations", "step", "logger_mix", "select", "min_ess");

    private OffPolicySettings() {
    }

    /** Learns with {@code algorithm} from {@code log} as {@code train --algo} does; the checkpoint written. */
    static OffPolicyTraining.Outcome train(RunConfig cfg, Algorithm algorithm, List<String> sets, long seed, Path log,
            Consumer<String> progress) throws IOException {
        if (algorithm == Algorithm.OFFPOLICY_FQI) {
            return OffPolicyTraining.runMultiStep(cfg, parseMultiStep(sets, seed), log, progress);
        }
        return OffPolicyTraining.run(cfg, parse(algorithm, sets, seed), log, progress);
    }

    /**
     * The settings of {@code sets} that {@code algorithm} takes: {@code learn.lambdas} for
     * BanditNet only, {@code learn.gamma}, {@code learn.iterations}, {@code learn.step},
     * {@code learn.logger_mix}, {@code learn.select} and {@code learn.min_ess} for
     * {@code offpolicy-fqi} only, the others for every learner (what {@code loop} passes to each of
     * its learners).
     */
    static List<String> forLearner(Algorithm algorithm, List<String> sets) {
        List<String> out = new java.util.ArrayList<>();
        for (String set : sets) {
            int eq = set.indexOf('=');
            String key = eq < 0 ? set.substring(PREFIX.length()) : set.substring(PREFIX.length(), eq);
            boolean multiStepOnly = MULTI_STEP_KEYS.contains(key);
            if (key.equals("lambdas") ? algorithm == Algorithm.BANDITNET
                    : !multiStepOnly || algorithm == Algorithm.OFFPOLICY_FQI) {
                out.add(set);
            }
        }
        return out;
    }

    static FittedQPolicyIteration.Settings parseMultiStep(List<String> sets, long seed) {
        FittedQPolicyIteration.Settings d = FittedQPolicyIteration.Settings.defaults(seed);
        Values v = new Values(null, d.epochs(), d.patience(), d.batchSize(), d.learningRate(), d.heldOutShare(),
                d.ridge(), d.gamma(), d.iterations());
        v.step = d.step();
        v.loggerMixes = d.loggerMixes();
        v.selection = d.selection();
        v.minEss = d.minEss();
        v.apply(sets, false);
        return new FittedQPolicyIteration.Settings(v.gamma, v.iterations, v.step, v.epochs, v.patience, v.batch, v.lr,
                v.heldOut, v.ridge, seed, v.loggerMixes, v.selection, v.minEss);
    }

    static OffPolicyLearner.Settings parse(Algorithm algorithm, List<String> sets, long seed) {
        OffPolicyLearner.Objective objective = algorithm == Algorithm.BANDITNET ? OffPolicyLearner.Objective.BANDITNET
                : OffPolicyLearner.Objective.DOUBLY_ROBUST;
        OffPolicyLearner.Settings d = OffPolicyLearner.Settings.defaults(objective, seed);
        Values v = new Values(d.lambdas(), d.epochs(), d.patience(), d.batchSize(), d.learningRate(), d.heldOutShare(),
                d.ridge(), Double.NaN, 0);
        v.apply(sets, true);
        return new OffPolicyLearner.Settings(objective, v.lambdas, v.epochs, v.patience, v.batch, v.lr, v.heldOut,
                v.ridge, seed);
    }

    /** The values being parsed, starting from a learner's defaults. */
    private static final class Values {
        double[] lambdas;
        int epochs;
        int patience;
        int batch;
        double lr;
        double heldOut;
        double ridge;
        double gamma;
        int iterations;
        double step = Double.NaN;
        double[] loggerMixes;
        FittedQPolicyIteration.Selection selection;
        double minEss;

        Values(double[] lambdas, int epochs, int patience, int batch, double lr, double heldOut, double ridge,
                double gamma, int iterations) {
            this.lambdas = lambdas;
            this.epochs = epochs;
            this.patience = patience;
            this.batch = batch;
            this.lr = lr;
            this.heldOut = heldOut;
            this.ridge = ridge;
            this.gamma = gamma;
            this.iterations = iterations;
        }

        void apply(List<String> sets, boolean oneStep) {
            for (String set : sets) {
                int eq = set.indexOf('=');
                String key = eq < 0 ? set.substring(PREFIX.length()) : set.substring(PREFIX.length(), eq);
                String value = eq < 0 ? "" : set.substring(eq + 1).trim();
                if (oneStep ? MULTI_STEP_KEYS.contains(key) : key.equals("lambdas")) {
                    throw new UserInputException("--set " + set + ": " + PREFIX + key + " applies to "
                            + (oneStep ? "--algo offpolicy-fqi only (the multi-step learner)"
                                    : "--algo banditnet only") + "; drop it");
                }
                try {
                    set(set, key, value);
                } catch (NumberFormatException e) {
                    throw new UserInputException(String.format(Locale.ROOT, "--set %s: '%s' is not a number%s", set,
                            value, key.equals("lambdas") ? " list (e.g. learn.lambdas=0,0.1,0.2)"
                                    : key.equals("logger_mix") ? " list (e.g. learn.logger_mix=0,0.5,0.8)" : ""));
                }
            }
            if (!(heldOut > 0 && heldOut < 1)) {
                throw new UserInputException("--set learn.held_out must be in (0, 1) (got " + heldOut + ")");
            }
            if (lambdas != null) {
                if (lambdas.length == 0 || Arrays.stream(lambdas).anyMatch(l -> !Double.isFinite(l))) {
                    throw new UserInputException("--set learn.lambdas needs finite numbers, e.g. learn.lambdas=0,0.1,0.2");
                }
            }
        }

        private void set(String set, String key, String value) {
            switch (key) {
                case "lambdas" -> lambdas = Arrays.stream(value.split(",")).map(String::trim)
                        .mapToDouble(Double::parseDouble).toArray();
                case "epochs" -> epochs = Integer.parseInt(value);
                case "patience" -> patience = Integer.parseInt(value);
                case "batch_size" -> batch = Integer.parseInt(value);
                case "lr" -> lr = Double.parseDouble(value);
                case "held_out" -> heldOut = Double.parseDouble(value);
                case "ridge" -> ridge = Double.parseDouble(value);
                case "gamma" -> gamma = Double.parseDouble(value);
                case "iterations" -> iterations = Integer.parseInt(value);
                case "step" -> step = Double.parseDouble(value);
                case "logger_mix" -> loggerMixes = Arrays.stream(value.split(",")).map(String::trim)
                        .mapToDouble(Double::parseDouble).toArray();
                case "min_ess" -> minEss = Double.parseDouble(value);
                case "select" -> {
                    selection = FittedQPolicyIteration.Selection.find(value);
                    if (selection == null) {
                        throw new UserInputException("--set " + set + ": use learn.select=dr (the best held-out DR) or"
                                + " learn.select=dr-lower (the best lower bound of it)");
                    }
                }
                default -> throw new UserInputException("--set " + set + ": unknown key; the learner's keys are "
                        + PREFIX + String.join(", " + PREFIX, KEYS));
            }
        }
    }
}
