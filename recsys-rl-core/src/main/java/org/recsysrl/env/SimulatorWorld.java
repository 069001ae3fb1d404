package org.recsysrl.env;

import java.util.Objects;
import org.recsysrl.util.Rng;

/**
 * The shared world: one catalog and one population, both derived deterministically from
 * {@code spec.seed()}: the catalog from {@code Rng.stream(seed, }{@value #CATALOG_STREAM}{@code )},
 * the users from {@code Rng.stream(seed, }{@value #USER_STREAM}{@code )}. Every environment made
 * by {@link #newEnvironment} shares them (read-only), so all training and evaluation environments
 * built from one spec see the same items and users, however many are created.
 */
public final class SimulatorWorld {
    /** Stream id (under {@code spec.seed()}) of the catalog's generator. */
    public static final long CATALOG_STREAM = 1;
    /** Stream id (under {@code spec.seed()}) of the population's generator. */
    public static final long USER_STREAM = 2;

    private final SimulatorSpec spec;
    private final ItemCatalog catalog;
    private final UserPopulation users;

    /** Generates the catalog and the population of {@code spec}. */
    public SimulatorWorld(SimulatorSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.catalog = ItemCatalog.generate(spec.numItems(), spec.itemDim(),
                Rng.stream(spec.seed(), CATALOG_STREAM));
        this.users = UserPopulation.generate(spec.numUsers(), spec.userDim(),
                Rng.stream(spec.seed(), USER_STREAM));
    }

    /**
     * The world of {@code spec} with a given catalog and population (e.g. the ones a checkpoint
     * stores) instead of generating them from {@code spec.seed()}.
     *
     * @throws IllegalArgumentException if their sizes are not the spec's
     */
    public SimulatorWorld(SimulatorSpec spec, ItemCatalog catalog, UserPopulation users) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.users = Objects.requireNonNull(users, "users");
        if (catalog.size() != spec.numItems() || catalog.dim() != spec.itemDim()) {
            throw new IllegalArgumentException("catalog is " + catalog.size() + " x " + catalog.dim() + ", the spec "
                    + spec.numItems() + " x " + spec.itemDim());
        }
        if (users.size() != spec.numUsers() || users.dim() != spec.userDim()) {
            throw new IllegalArgumentException("population is " + users.size() + " x " + users.dim() + ", the spec "
                    + spec.numUsers() + " x " + spec.userDim());
        }
    }

    /** The parameters this world was built from. */
    public SimulatorSpec spec() {
        return spec;
    }

    /** The shared item catalog. */
    public ItemCatalog catalog() {
        return catalog;
    }

    /** The shared user population. */
    public UserPopulation users() {
        return users;
    }

    /**
     * A new environment over this world. Its user-choice rng is {@code Rng.stream(streamSeed, 0)}
     * (hashed, so nearby or related seeds such as 0, 1, 2 still give unrelated streams); it is the
     * only randomness the environment consumes.
     */
    public RecommendationEnv newEnvironment(long streamSeed) {
        return new RecommendationEnv(spec, catalog, users, Rng.stream(streamSeed, 0));
    }
}
