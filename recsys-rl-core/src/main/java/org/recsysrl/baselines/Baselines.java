package org.recsysrl.baselines;

import java.util.ArrayList;
import java.util.List;
import org.recsysrl.recommend.ModelFamily;
import org.recsysrl.util.UserInputException;

/** The non-learning (or classically fitted) recommenders every learned policy is measured against. */
public final class Baselines {
    private Baselines() {
    }

    /** Every baseline, in report order. */
    public static List<ModelFamily> all() {
        return List.of(new RandomItems(), new MostPopular(), new RecentlyPopular(), new ItemKnn(), new Ease(),
                new ImplicitAls(), new MarkovChain(), new RatingFactorization());
    }

    /** The names of {@link #all()}. */
    public static List<String> names() {
        List<String> out = new ArrayList<>();
        for (ModelFamily f : all()) {
            out.add(f.name());
        }
        return out;
    }

    /**
     * The baselines named in {@code spec}: {@code all}, or a comma-separated list of names.
     *
     * @throws UserInputException naming an unknown model and listing the known ones
     */
    public static List<ModelFamily> select(String spec) {
        if (spec == null || spec.isBlank() || spec.trim().equals("all")) {
            return all();
        }
        List<ModelFamily> out = new ArrayList<>();
        for (String name : spec.split(",")) {
            String n = name.trim();
            ModelFamily found = null;
            for (ModelFamily f : all()) {
                if (f.name().equals(n)) {
                    found = f;
                }
            }
            if (found == null) {
                throw new UserInputException("--models: unknown model " + n + "; known: all, "
                        + String.join(", ", names()));
            }
            for (ModelFamily f : out) {
                if (f.name().equals(n)) {
                    throw new UserInputException("--models names " + n + " twice");
                }
            }
            out.add(found);
        }
        return out;
    }
}
