package org.recsysrl.serve;

import java.nio.charset.StandardCharsets;

/**
 * One HTTP answer, independent of the transport: status, content type, body and at most one extra
 * header (enough for {@code Allow}, {@code Retry-After} and {@code WWW-Authenticate}).
 *
 * @param status HTTP status
 * @param contentType the body's media type
 * @param body the body's bytes
 * @param headerName an extra header's name, or null
 * @param headerValue its value
 * @param impression the impression log's ticket of the last line this answer logged (0: none); the
 *     answer leaves only once that line has been written ({@link ImpressionLog#hold})
 */
record Reply(int status, String contentType, byte[] body, String headerName, String headerValue, long impression) {
    static final String JSON = "application/json";

    /** A reply that logged no impression. */
    Reply(int status, String contentType, byte[] body, String headerName, String headerValue) {
        this(status, contentType, body, headerName, headerValue, 0);
    }

    /** A JSON reply. */
    static Reply json(int status, String json) {
        return new Reply(status, JSON, json.getBytes(StandardCharsets.UTF_8), null, null);
    }

    /** A one-line JSON error {@code {"error": message}}. */
    static Reply error(int status, String message) {
        return json(status, Json.error(message));
    }

    /** This reply with an extra header. */
    Reply with(String name, String value) {
        return new Reply(status, contentType, body, name, value, impression);
    }

    /** This reply, leaving only once the impression line of {@code ticket} is written (0: at once). */
    Reply afterImpression(long ticket) {
        return ticket == impression ? this : new Reply(status, contentType, body, headerName, headerValue, ticket);
    }
}
