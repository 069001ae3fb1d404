package org.recsysrl.seq;

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
    public Scorer newScorer() {
        SequenceModel.Workspace ws = model.newWorkspace(1);
        int maxLength = model.spec().maxLength();
        int d = model.spec().dim();
        float[] state = new float[d];
        return (History h, float[] out) -> {
            int len = Math.min(maxLength, h.length());
            if (len == 0) {
                java.util.Arrays.fill(state, 0f);
                model.score(state, 1, transposed, out);
                return;
            }
            int[] ids = ws.ids();
            for (int t = 0; t < len; t++) {
                ids[t] = h.items()[h.to() - len + t];
            }
            ws.firstValid()[0] = 0;
            model.encode(ws, 1, len, null);
            System.arraycopy(ws.states(), (len - 1) * d, state, 0, d);
            model.score(state, 1, transposed, out);
        };
    }
}
