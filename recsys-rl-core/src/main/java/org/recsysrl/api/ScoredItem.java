package org.recsysrl.api;

/**
 * One recommended item.
 *
 * @param id the item's id in the data
 * @param score the model's score (higher first; for a policy its log-probability)
 */
public record ScoredItem(String id, float score) {
}
