package org.recsysrl.workload;

import java.util.Locale;
import java.util.function.Consumer;
import org.recsysrl.config.RunConfig;
import org.recsysrl.data.DataIdentity;
import org.recsysrl.data.IdMap;
import org.recsysrl.env.MovieLensWorld;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.setup.RealData;
import org.recsysrl.setup.Setup;
import org.recsysrl.util.UserInputException;

/**
 * Sessions over a real rating log ({@code env.type=movielens}): the data of {@code data.path},
 * split and factorised ({@link RealData}) into a {@link MovieLensWorld}.
 */
public record MovieLensWorkload(RunConfig config) implements EnvironmentWorkload {

    /** The setup of {@code real}: its world, item embeddings from its factorisation. */
    public static Setup setup(RealData real) {
        MovieLensWorld w = real.world();
        return new Setup(w.observationSize(), w.itemCount(), w.itemEmbeddings(), w.dim(), w.userCount(),
                w::newEnvironment, real);
    }

    @Override
    public boolean readsData() {
        return true;
    }

    @Override
    public String name() {
        return "movielens";
    }

    /** Reads, splits and factorises {@code data.path} (reports the factorisation on {@code log}, if given). */
    @Override
    public Setup setup(Consumer<String> log) {
        long t0 = System.nanoTime();
        RealData real = RealData.load(config.data(), config.env().maxEpisodeSteps());
        if (log != null) {
            log.accept(String.format(Locale.ROOT,
                    "data %s; split %s: %d train, %d held out; ALS dim %d, %d sweeps: held-out RMSE %.4f (%.1f s)",
                    real.data().identity().describe(), real.split().spec().describe(), real.split().trainSize(),
                    real.split().testSize(), real.mf().spec().dim(), real.mf().spec().iterations(), real.mf().testRmse(),
                    (System.nanoTime() - t0) / 1e9));
        }
        return setup(real);
    }

    @Override
    public void requireSameData(Setup setup, Checkpoint.Loaded checkpoint) {
        DataIdentity.fromMetadata(checkpoint.info().extra(), "checkpoint " + checkpoint.path())
                .requireSame(setup.real().data().identity(), "checkpoint " + checkpoint.path());
    }

    /** Items are the data's; users are the world's session users. */
    @Override
    public Serving serving(Setup setup, Checkpoint.Loaded checkpoint) {
        RealData real = setup.real();
        MovieLensWorld w = real.world();
        String[] users = new String[w.sessionUsers().length];
        for (int u = 0; u < users.length; u++) {
            users[u] = real.data().userIds().raw(w.sessionUsers()[u]);
        }
        return new Serving(real.data().itemIds(), IdMap.of(users), config.env().maxEpisodeSteps());
    }

    @Override
    public SimulatorWorkload requireSimulator() {
        throw new UserInputException("env.type=movielens is supported by train and evaluate only;"
                + " sweep and bench run the simulator: drop env.type/--env/--data");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.movieLens(this);
    }
}
