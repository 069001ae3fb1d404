package org.recsysrl.api;

/**
 * What model answers.
 *
 * @param kind {@code simulator}, {@code movielens}, {@code logs} or a platform environment such as {@code short-video} (what it was trained on)
 * @param algorithm {@code ppo}, {@code a2c}, {@code supervised} or {@code sa2c}
 * @param steps training steps (environment steps, or the best epoch for logs)
 * @param sha256 SHA-256 of the checkpoint file's bytes
 * @param items catalog size
 * @param users known users
 * @param path the checkpoint file
 */
public record ModelInfo(String kind, String algorithm, long steps, String sha256, int items, int users, String path) {
}
