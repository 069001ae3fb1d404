package org.recsysrl.setup;

import java.nio.file.Path;
import java.util.Arrays;
import org.recsysrl.config.DataConfig;
import org.recsysrl.data.AlsTrainer;
import org.recsysrl.data.FactorizationModel;
import org.recsysrl.data.FactorizationResult;
import org.recsysrl.data.FactorizationSpec;
import org.recsysrl.data.MovieLensSessions;
import org.recsysrl.data.RatingDataset;
import org.recsysrl.data.RatingsReader;
import org.recsysrl.data.Split;
import org.recsysrl.data.SplitSpec;
import org.recsysrl.env.MovieLensWorld;
import org.recsysrl.eval.RankingTask;

/**
 * The real-data side of a run ({@code env.type = movielens}): the ratings read from
 * {@code data.path}, their chronological split, the ALS factorisation fitted on the training part
 * (deterministic per {@code data.mf_seed}), the environment world and the offline ranking task.
 * This layer wires {@code data} to {@code env} and {@code eval}; neither of those imports data.
 *
 * @param mf the factorisation with its held-out RMSE
 */
public record RealData(RatingDataset data, Split split, FactorizationResult mf, MovieLensWorld world,
        RankingTask rankingTask) {

    /** The split settings of {@code d}. */
    public static SplitSpec splitSpec(DataConfig d) {
        return d.holdoutLast() > 0 ? SplitSpec.lastK(d.holdoutLast(), d.minUserRatings())
                : SplitSpec.lastFraction(d.holdoutFraction(), d.minUserRatings());
    }

    /** The factorisation settings of {@code d} (the rest as {@link FactorizationSpec#DEFAULT}). */
    public static FactorizationSpec factorizationSpec(DataConfig d) {
        FactorizationSpec s = FactorizationSpec.DEFAULT;
        return new FactorizationSpec(d.mfDim(), d.mfIterations(), d.mfLambda(), s.biases(), s.weightedLambda(),
                s.initStd(), d.mfSeed(), s.threads());
    }

    /**
     * Reads {@code data.path} (a user's mistake there is a {@link org.recsysrl.util.UserInputException}),
     * splits, fits and builds the world with sessions of at most {@code maxEpisodeSteps}.
     */
    public static RealData load(DataConfig d, int maxEpisodeSteps) {
        return of(RatingsReader.load(Path.of(d.path())), d, maxEpisodeSteps);
    }

    /** As {@link #load} for ratings already in memory. */
    public static RealData of(RatingDataset data, DataConfig d, int maxEpisodeSteps) {
        return of(data, d, maxEpisodeSteps, null);
    }

    /**
     * As {@link #of(RatingDataset, DataConfig, int)} with the factorisation {@code fitted} (a
     * checkpoint's, fitted on the same split with the same settings) instead of fitting it again;
     * null fits it. A given factorisation has no sweep history; its held-out RMSE is measured.
     *
     * @throws IllegalArgumentException if {@code fitted} has other user or item counts than the data
     */
    public static RealData of(RatingDataset data, DataConfig d, int maxEpisodeSteps, FactorizationModel fitted) {
        Split split = Split.chronological(data, splitSpec(d));
        FactorizationResult mf;
        if (fitted == null) {
            mf = AlsTrainer.fit(split, factorizationSpec(d), null);
        } else {
            if (fitted.userCount() != data.userCount() || fitted.itemCount() != data.itemCount()) {
                throw new IllegalArgumentException("a factorisation of " + fitted.userCount() + " users and "
                        + fitted.itemCount() + " items for data of " + data.userCount() + " and " + data.itemCount());
            }
            mf = new FactorizationResult(fitted, factorizationSpec(d), java.util.List.of(),
                    fitted.rmse(data, split.test()), split.test().length);
        }
        MovieLensWorld world = MovieLensSessions.world(split, mf.model(), maxEpisodeSteps, d.leaveThreshold(),
                d.leavePatience(), d.sessionUsers().equals("heldout"));
        return new RealData(data, split, mf, world, rankingTask(split, world));
    }

    /**
     * The offline ranking task over the world's session users that have held-out ratings: their
     * training items (masked when ranking) and their held-out items (relevant), popularity = training
     * interactions per item over all users, diversity measured on the factorisation's item vectors.
     */
    public static RankingTask rankingTask(Split split, MovieLensWorld world) {
        RatingDataset data = split.data();
        int[] sessionUsers = world.sessionUsers();
        int m = 0;
        for (int u : sessionUsers) {
            if (split.testCount(u) > 0) {
                m++;
            }
        }
        int[] envUsers = new int[m];
        int[] trainOff = new int[m + 1];
        int[] testOff = new int[m + 1];
        int k = 0;
        for (int s = 0; s < sessionUsers.length; s++) {
            int u = sessionUsers[s];
            if (split.testCount(u) > 0) {
                envUsers[k] = s;
                trainOff[k + 1] = trainOff[k] + split.trainCount(u);
                testOff[k + 1] = testOff[k] + split.testCount(u);
                k++;
            }
        }
        int[] trainItems = new int[trainOff[m]];
        int[] testItems = new int[testOff[m]];
        for (k = 0; k < m; k++) {
            int u = sessionUsers[envUsers[k]];
            int t0 = split.trainOffsets()[u];
            for (int j = 0; j < split.trainCount(u); j++) {
                trainItems[trainOff[k] + j] = data.item(split.train()[t0 + j]);
            }
            int h0 = split.testOffsets()[u];
            for (int j = 0; j < split.testCount(u); j++) {
                testItems[testOff[k] + j] = data.item(split.test()[h0 + j]);
            }
            Arrays.sort(testItems, testOff[k], testOff[k + 1]);
        }
        int[] popularity = new int[data.itemCount()];
        for (int t : split.train()) {
            popularity[data.item(t)]++;
        }
        return new RankingTask(data.itemCount(), envUsers, trainOff, trainItems, testOff, testItems,
                world.itemEmbeddings(), world.dim(), popularity);
    }

}
