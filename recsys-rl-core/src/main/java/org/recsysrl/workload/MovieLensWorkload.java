package org.recsysrl.workload;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.recsysrl.config.RunConfig;
import org.recsysrl.data.DataIdentity;
import org.recsysrl.data.FactorizationModel;
import org.recsysrl.data.IdMap;
import org.recsysrl.data.RatingDataset;
import org.recsysrl.data.RatingsReader;
import org.recsysrl.env.MovieLensWorld;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.io.Tensor;
import org.recsysrl.setup.RealData;
import org.recsysrl.setup.Setup;
import org.recsysrl.util.UserInputException;

/**
 * Sessions over a real rating log ({@code env.type=movielens}): the data of {@code data.path},
 * split and factorised ({@link RealData}) into a {@link MovieLensWorld}.
 */
public record MovieLensWorkload(RunConfig config) implements EnvironmentWorkload {
    private static final String MF_DIM = "mf_dim";
    private static final String MF_USER_FACTORS = "mf_user_factors";
    private static final String MF_ITEM_FACTORS = "mf_item_factors";
    private static final String MF_USER_BIAS = "mf_user_bias";
    private static final String MF_ITEM_BIAS = "mf_item_bias";
    private static final String MF_GLOBAL_MEAN_BITS = "mf_global_mean_bits";

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

    /**
     * Reads the data, refuses it unless it is the checkpoint's, and rebuilds the world from the
     * factorisation the checkpoint stores ({@link #servingTensors}); a checkpoint of an earlier
     * version has none, and the factorisation is fitted again (deterministic per
     * {@code data.mf_seed}, so the same).
     */
    @Override
    public Setup setupFor(Checkpoint.Loaded checkpoint) {
        RatingDataset ratings = RatingsReader.load(Path.of(config.data().path()));
        String source = "checkpoint " + checkpoint.path();
        DataIdentity.fromMetadata(checkpoint.info().extra(), source).requireSame(ratings.identity(), source);
        return setup(RealData.of(ratings, config.data(), config.env().maxEpisodeSteps(),
                storedFactorization(checkpoint, ratings)));
    }

    /**
     * The factorisation's vectors, biases and global mean, so that loading a checkpoint fits
     * nothing (the item vectors are also what the embedding head scores with).
     */
    @Override
    public List<Tensor> servingTensors(Setup setup) {
        FactorizationModel m = setup.real().mf().model();
        String p = Checkpoint.SERVING_PREFIX;
        return List.of(
                Tensor.i32(p + MF_DIM, new long[] {1}, new int[] {m.dim()}),
                Tensor.f32(p + MF_USER_FACTORS, new long[] {m.userFactors().length}, m.userFactors()),
                Tensor.f32(p + MF_ITEM_FACTORS, new long[] {m.itemFactors().length}, m.itemFactors()),
                Tensor.f32(p + MF_USER_BIAS, new long[] {m.userBias().length}, m.userBias()),
                Tensor.f32(p + MF_ITEM_BIAS, new long[] {m.itemBias().length}, m.itemBias()),
                Tensor.i64(p + MF_GLOBAL_MEAN_BITS, new long[] {1}, new long[] {Double.doubleToRawLongBits(m.globalMean())}));
    }

    /**
     * The factorisation {@code checkpoint} stores ({@link #servingTensors}) over {@code ratings} (its
     * data, already checked), or null for a checkpoint of an earlier version that stores none.
     *
     * @throws UserInputException naming the checkpoint if the stored tensors do not fit the data
     */
    public static FactorizationModel storedFactorization(Checkpoint.Loaded checkpoint, RatingDataset ratings) {
        if (!checkpoint.hasServing(MF_USER_FACTORS)) {
            return null;
        }
        String source = "checkpoint " + checkpoint.path();
        try {
            int[] dim = checkpoint.serving(MF_DIM, "I32").toInts();
            long[] mean = checkpoint.serving(MF_GLOBAL_MEAN_BITS, "I64").toLongs();
            if (dim.length != 1 || mean.length != 1 || dim[0] <= 0) {
                throw new IllegalArgumentException("dimension or mean is not one positive value");
            }
            float[] users = checkpoint.serving(MF_USER_FACTORS, "F32").toFloats();
            float[] items = checkpoint.serving(MF_ITEM_FACTORS, "F32").toFloats();
            if (users.length != (long) ratings.userCount() * dim[0] || items.length != (long) ratings.itemCount() * dim[0]) {
                throw new IllegalArgumentException("factors of " + users.length + " and " + items.length
                        + " values for " + ratings.userCount() + " users, " + ratings.itemCount() + " items, dim " + dim[0]);
            }
            return new FactorizationModel(dim[0], users, items, checkpoint.serving(MF_USER_BIAS, "F32").toFloats(),
                    checkpoint.serving(MF_ITEM_BIAS, "F32").toFloats(), Double.longBitsToDouble(mean[0]),
                    ratings.minRating(), ratings.maxRating());
        } catch (IllegalArgumentException e) {
            throw new UserInputException(source + ": its stored factorisation is inconsistent (" + e.getMessage()
                    + "): the file is damaged; retrain or pick another checkpoint");
        }
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
