package org.recsysrl.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.recsysrl.learn.OffPolicyLearner;
import org.recsysrl.util.UserInputException;
import org.recsysrl.workload.Algorithm;

/**
 * The off-policy learner's settings from {@code --set learn.KEY=VALUE}: {@code lambdas} (BanditNet's λ
 * grid, comma-separated; default the training mean reward × 0, 0.5, 1, 1.5), {@code epochs},
 * {@code patience}, {@code batch_size}, {@code lr}, {@code held_out} (share of the rows) and
 * {@code ridge} (the reward model's).
 */
final class OffPolicySettings {
    static final String PREFIX = "learn.";
    static final List<String> KEYS = List.of("lambdas", "epochs", "patience", "batch_size", "lr", "held_out", "ridge");

    private OffPolicySettings() {
    }

    static OffPolicyLearner.Settings parse(Algorithm algorithm, List<String> sets, long seed) {
        OffPolicyLearner.Objective objective = algorithm == Algorithm.BANDITNET ? OffPolicyLearner.Objective.BANDITNET
                : OffPolicyLearner.Objective.DOUBLY_ROBUST;
        OffPolicyLearner.Settings d = OffPolicyLearner.Settings.defaults(objective, seed);
        double[] lambdas = d.lambdas();
        int epochs = d.epochs();
        int patience = d.patience();
        int batch = d.batchSize();
        double lr = d.learningRate();
        double heldOut = d.heldOutShare();
        double ridge = d.ridge();
        for (String set : sets) {
            int eq = set.indexOf('=');
            String key = eq < 0 ? set.substring(PREFIX.length()) : set.substring(PREFIX.length(), eq);
            String value = eq < 0 ? "" : set.substring(eq + 1).trim();
            try {
                switch (key) {
                    case "lambdas" -> lambdas = Arrays.stream(value.split(",")).map(String::trim)
                            .mapToDouble(Double::parseDouble).toArray();
                    case "epochs" -> epochs = Integer.parseInt(value);
                    case "patience" -> patience = Integer.parseInt(value);
                    case "batch_size" -> batch = Integer.parseInt(value);
                    case "lr" -> lr = Double.parseDouble(value);
                    case "held_out" -> heldOut = Double.parseDouble(value);
                    case "ridge" -> ridge = Double.parseDouble(value);
                    default -> throw new UserInputException("--set " + set + ": unknown key; the learner's keys are "
                            + PREFIX + String.join(", " + PREFIX, KEYS));
                }
            } catch (NumberFormatException e) {
                throw new UserInputException(String.format(Locale.ROOT, "--set %s: '%s' is not a number%s", set, value,
                        key.equals("lambdas") ? " list (e.g. learn.lambdas=0,0.1,0.2)" : ""));
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
        return new OffPolicyLearner.Settings(objective, lambdas, epochs, patience, batch, lr, heldOut, ridge, seed);
    }
}
