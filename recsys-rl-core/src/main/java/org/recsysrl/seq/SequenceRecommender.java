package org.recsysrl.seq;

import org.recsysrl.nn.QuantizedTopK;
import org.recsysrl.recommend.History;
import org.recsysrl.recommend.Recommender;

/**
 * A trained {@link SequenceModel} as a {@link Recommender}: the last {@code maxLength} items of the
 * history are encoded (no dropout) and every item is scored from the state at the last position,
 * {@code s_i = h·o_i + c_i}. An empty history is scored from the output biases alone. The output
 * table is transposed once, when the recommender is made: make a new one after the model changes.
 */
public final class SequenceRecommender implements Recommender {
    private final SequenceModel model;
    private final float[] transposed;
    private final String name;

    /** A recommender over the model's current parameters, named after its encoder. */
    public SequenceRecommender(SequenceModel model) {
        this(model, model.spec().encoder().id());
    }

    /** As above, with a name for reports. */
    public SequenceRecommender(SequenceModel model, String name) {
        this.model = model;
        this.name = name;
        this.transposed = new float[model.spec().items() * model.spec().dim()];
        model.transposedOutput(transposed);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int itemCount() {
        return model.itemCount();
    }

    @Override
    public StateScorer newScorer() {
        return new StateScorer();
    }

    /**
     * The exact top-k of this recommender's scores over an int8 copy of the output table
     * ({@link QuantizedTopK}; the float table is the model's own, read again for the candidates),
     * with queries from {@link StateScorer#state}; null when the table has a value that is not finite.
     */
    public QuantizedTopK quantizedTopK() {
        float[] p = model.store().data();
        return QuantizedTopK.of(p, model.outputOffset(), model.spec().items(), model.spec().dim(), p,
                model.outputBiasOffset());
    }

    /** One thread's scorer; also gives the state a history is scored from. */
    public final class StateScorer implements Scorer {
        private final SequenceModel.Workspace ws = model.newWorkspace(1);
        private final float[] state = new float[model.spec().dim()];

        @Override
        public void score(History h, float[] out) {
            state(h, state);
            model.score(state, 1, transposed, out);
        }

        /**
         * Writes into {@code out} the state at the history's last position (zeros for an empty
         * history): item i's score is {@code out · o_i + c_i}, summed as {@link #score} sums it.
         */
        public void state(History h, float[] out) {
            int maxLength = model.spec().maxLength();
            int d = model.spec().dim();
            int len = Math.min(maxLength, h.length());
            if (len == 0) {
                java.util.Arrays.fill(out, 0, d, 0f);
                return;
            }
            int[] ids = ws.ids();
            for (int t = 0; t < len; t++) {
                ids[t] = h.items()[h.to() - len + t];
            }
            ws.firstValid()[0] = 0;
            model.encode(ws, 1, len, null);
            System.arraycopy(ws.states(), (len - 1) * d, out, 0, d);
        }
    }
}
