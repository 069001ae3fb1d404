package org.recsysrl.serve;

/** A client mistake with the HTTP status that fits; its message becomes the JSON error. */
final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    BadRequest(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }
}
