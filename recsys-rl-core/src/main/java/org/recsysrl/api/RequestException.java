package org.recsysrl.api;

/**
 * A request the model cannot answer as asked: an unknown user or item id (status 404), a bad
 * {@code k}, or a request that lacks what this model needs (400). The message names the problem.
 */
public final class RequestException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int status;

    /** @param status the HTTP status that fits: 400 or 404 */
    public RequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status that fits the problem. */
    public int status() {
        return status;
    }
}
