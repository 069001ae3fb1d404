package org.recsysrl.serve;

import org.recsysrl.api.Recommender;

/**
 * The model being served with what the server derives from it; swapped as one on a reload.
 *
 * @param model the library's recommender
 * @param popular the ranking for unknown users
 */
record ServedModel(Recommender model, PopularItems popular) {
    static ServedModel of(Recommender model) {
        return new ServedModel(model, PopularItems.of(model));
    }
}
