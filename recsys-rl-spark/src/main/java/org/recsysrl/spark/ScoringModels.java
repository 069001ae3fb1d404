package org.recsysrl.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.recsysrl.baselines.ItemKnn;
import org.recsysrl.baselines.MostPopular;
import org.recsysrl.config.RunConfig;
import org.recsysrl.io.Checkpoint;
import org.recsysrl.model.CheckpointConfig;
import org.recsysrl.model.SequenceModels;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Recommender;
import org.recsysrl.seq.SequenceModel;
import org.recsysrl.seq.SequenceRecommender;
import org.recsysrl.util.UserInputException;

/** The {@link ScoringModel}s: fixed scores, item neighbours, factors and recsys-rl checkpoints. */
public final class ScoringModels {
    private ScoringModels() {
    }

    /** Every history gets {@code scores} (popularity), by the core's {@link MostPopular#fixedScores}. */
    public static ScoringModel fixed(String name, float[] scores) {
        return new Fixed(name, scores.clone());
    }

    /**
     * Item-kNN: item j's neighbours are {@code ids[offsets[j] .. offsets[j+1])}, most similar first,
     * with similarities {@code sims}; scored by the core's {@link ItemKnn#fromNeighbours}.
     */
    public static ScoringModel neighbours(String name, int[] offsets, int[] ids, float[] sims, int k) {
        return new Neighbours(name, offsets, ids, sims, k);
    }

    /**
     * Matrix factorisation: user u's score for item i is {@code x_u · y_i} ({@code dim} factors,
     * row-major); a history of a user without factors (or of an unknown user) scores every item 0.
     */
    public static ScoringModel factors(String name, int dim, float[] userFactors, float[] itemFactors) {
        return new Factors(name, dim, userFactors, itemFactors);
    }

    /**
     * A sequence model trained on logs ({@code train --env logs}): the checkpoint file's bytes, read
     * into the network on every executor; the network alone (without the Markov mixture that serving
     * may add).
     */
    public static ScoringModel checkpoint(Path file, int items) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserInputException("cannot read checkpoint " + file + " (" + e.getMessage() + ")");
        }
        Checkpointed m = new Checkpointed(file.getFileName().toString(), bytes, items);
        m.recommender(); // a file that is not a checkpoint, or of another catalog, fails here, on the driver
        return m;
    }

    /** Popularity (or any fixed scores). */
    private record Fixed(String name, float[] scores) implements ScoringModel {
        @Override
        public int itemCount() {
            return scores.length;
        }

        @Override
        public Recommender recommender() {
            return MostPopular.fixedScores(name, scores);
        }
    }

    /** Item-kNN's neighbour lists. */
    private record Neighbours(String name, int[] offsets, int[] ids, float[] sims, int k) implements ScoringModel {
        @Override
        public int itemCount() {
            return offsets.length - 1;
        }

        @Override
        public Recommender recommender() {
            return ItemKnn.fromNeighbours(offsets, ids, sims, k);
        }
    }

    /** User and item factors, row-major. */
    private record Factors(String name, int dim, float[] userFactors, float[] itemFactors) implements ScoringModel {
        @Override
        public int itemCount() {
            return itemFactors.length / dim;
        }

        @Override
        public Recommender recommender() {
            return new DotProducts(this);
        }
    }

    /** Scores {@code x_u · y_i} in double precision, rounded to float. */
    private record DotProducts(Factors f) implements Recommender {
        @Override
        public String name() {
            return f.name();
        }

        @Override
        public int itemCount() {
            return f.itemCount();
        }

        @Override
        public Scorer newScorer() {
            int items = itemCount();
            int users = f.userFactors().length / f.dim();
            return (History h, float[] out) -> {
                int u = h.user();
                if (u < 0 || u >= users) {
                    java.util.Arrays.fill(out, 0, items, 0f);
                    return;
                }
                for (int i = 0; i < items; i++) {
                    double s = 0;
                    for (int d = 0; d < f.dim(); d++) {
                        s += (double) f.userFactors()[u * f.dim() + d] * f.itemFactors()[i * f.dim() + d];
                    }
                    out[i] = (float) s;
                }
            };
        }
    }

    private static final class Checkpointed implements ScoringModel {
        private static final long serialVersionUID = 1L;
        private final String name;
        private final byte[] bytes;
        private final int items;
        private transient volatile Recommender loaded;

        Checkpointed(String name, byte[] bytes, int items) {
            this.name = name;
            this.bytes = bytes;
            this.items = items;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int itemCount() {
            return items;
        }

        @Override
        public Recommender recommender() {
            Recommender r = loaded;
            if (r == null) {
                synchronized (this) {
                    r = loaded;
                    if (r == null) {
                        r = load();
                        loaded = r;
                    }
                }
            }
            return r;
        }

        private Recommender load() {
            Path tmp = null;
            try {
                tmp = Files.createTempFile("recsys-rl-checkpoint", ".safetensors");
                Files.write(tmp, bytes);
                Checkpoint.Loaded checkpoint = Checkpoint.read(tmp);
                RunConfig cfg = CheckpointConfig.read(checkpoint, (Path) null);
                SequenceModel model = SequenceModels.load(checkpoint, cfg, items);
                return new SequenceRecommender(model, name);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                if (tmp != null) {
                    try {
                        Files.deleteIfExists(tmp);
                    } catch (IOException ignored) {
                        // a temporary file left behind is harmless
                    }
                }
            }
        }
    }
}
