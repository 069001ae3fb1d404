package org.recsysrl.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns query strings and JSON bodies into {@link Parsed} requests; every mistake is a {@link BadRequest}. */
final class RequestParsing {
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private RequestParsing() {
    }

    /** A parsed recommendation request. */
    static final class Parsed {
        String user;
        String session;
        List<String> history = List.of();
        List<String> exclude;
        List<String> candidates;
        boolean excludeHistory = true;
        int k = 10;
        /** The client's request id, or null (the server makes one when it needs one). */
        String requestId;
        /** The seed of this request's exploration, or null (random). */
        Long seed;
        /** Item attribute → the values allowed, or null (no filter). */
        Map<String, List<String>> filter;
    }

    /** The longest request id accepted. */
    static final int MAX_REQUEST_ID = 256;

    private static String requestId(String id) {
        if (id.isEmpty() || id.length() > MAX_REQUEST_ID) {
            throw new BadRequest(400, "\"request_id\" must have 1 to " + MAX_REQUEST_ID + " characters");
        }
        return id;
    }

    static Parsed fromJson(JsonNode body) {
        Parsed p = new Parsed();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            switch (f.getKey()) {
                case "user" -> p.user = v.isNull() ? null : id(v, "user");
                case "session" -> p.session = v.isNull() ? null : id(v, "session");
                case "history" -> p.history = v.isNull() ? List.of() : ids(v, "history");
                case "exclude" -> p.exclude = v.isNull() ? null : ids(v, "exclude");
                case "candidates" -> p.candidates = v.isNull() ? null : ids(v, "candidates");
                case "exclude_history" -> {
                    if (!v.isBoolean()) {
                        throw new BadRequest(400, "\"exclude_history\" must be true or false, got "
                                + Json.abbreviate(v.toString()));
                    }
                    p.excludeHistory = v.booleanValue();
                }
                case "k" -> {
                    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                        throw new BadRequest(400, "\"k\" must be a whole number, got " + Json.abbreviate(v.toString()));
                    }
                    p.k = v.intValue();
                }
                case "filter" -> p.filter = v.isNull() ? null : filter(v);
                case "request_id" -> p.requestId = v.isNull() ? null : requestId(id(v, "request_id"));
                case "seed" -> {
                    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                        throw new BadRequest(400, "\"seed\" must be a whole number, got " + Json.abbreviate(v.toString()));
                    }
                    p.seed = v.longValue();
                }
                default -> throw new BadRequest(400, "unknown field \"" + Json.abbreviate(f.getKey())
                        + "\": use user, session, history, exclude, candidates, exclude_history, filter, k, request_id, seed");
            }
        }
        return p;
    }

    static Parsed fromQuery(Map<String, String> q, String session) {
        Parsed p = new Parsed();
        p.session = session;
        for (Map.Entry<String, String> e : q.entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case "user" -> p.user = v;
                case "history" -> p.history = split(v);
                case "exclude" -> p.exclude = split(v);
                case "candidates" -> p.candidates = split(v);
                case "exclude_history" -> {
                    if (!v.equals("true") && !v.equals("false")) {
                        throw new BadRequest(400, "exclude_history must be true or false, got " + Json.abbreviate(v));
                    }
                    p.excludeHistory = v.equals("true");
                }
                case "k" -> {
                    try {
                        p.k = Integer.parseInt(v);
                    } catch (NumberFormatException ex) {
                        throw new BadRequest(400, "k must be a whole number, got " + Json.abbreviate(v));
                    }
                }
                case "filter" -> p.filter = filter(v);
                case "request_id" -> p.requestId = requestId(v);
                case "seed" -> {
                    try {
                        p.seed = Long.parseLong(v);
                    } catch (NumberFormatException ex) {
                        throw new BadRequest(400, "seed must be a whole number, got " + Json.abbreviate(v));
                    }
                }
                default -> throw new BadRequest(400, "unknown parameter \"" + Json.abbreviate(e.getKey())
                        + "\": use user, history, exclude, candidates, exclude_history, filter, k, request_id, seed");
            }
        }
        return p;
    }

    /** {@code filter=attribute:value[,value…]} in a query: one attribute, any of the values. */
    static Map<String, List<String>> filter(String v) {
        int colon = v.indexOf(':');
        if (colon <= 0 || colon == v.length() - 1) {
            throw new BadRequest(400, "filter must be attribute:value[,value...], e.g. filter=category:3, got "
                    + Json.abbreviate(v));
        }
        return Map.of(v.substring(0, colon), split(v.substring(colon + 1)));
    }

    /** {@code "filter": {"attribute": value or [values], ...}} in a body: every attribute, any of its values. */
    static Map<String, List<String>> filter(JsonNode v) {
        if (!v.isObject() || v.size() == 0) {
            throw new BadRequest(400, "\"filter\" must be an object of attribute: value or [values], e.g."
                    + " {\"category\": [\"3\", \"5\"]}, got " + Json.abbreviate(v.toString()));
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String field = "filter." + f.getKey();
            out.put(f.getKey(), f.getValue().isArray() ? ids(f.getValue(), field) : List.of(id(f.getValue(), field)));
        }
        return out;
    }

    static List<String> split(String v) {
        List<String> out = new ArrayList<>();
        if (!v.isEmpty()) {
            for (String s : v.split(",", -1)) {
                out.add(s);
            }
        }
        return out;
    }

    static String id(JsonNode v, String field) {
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isIntegralNumber()) {
            return v.asText();
        }
        throw new BadRequest(400, "\"" + field + "\" must be an id (a string or a whole number), got "
                + Json.abbreviate(v.toString()));
    }

    static List<String> ids(JsonNode v, String field) {
        if (!v.isArray()) {
            throw new BadRequest(400, "\"" + field + "\" must be a list of ids, got " + Json.abbreviate(v.toString()));
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode e : v) {
            out.add(id(e, field));
        }
        return out;
    }

    /** The body as a JSON object (the transport has already bounded its size). */
    static JsonNode object(byte[] body) {
        if (body.length == 0) {
            throw new BadRequest(400, "empty request body: send a JSON object");
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequest(400, "malformed JSON: " + Json.abbreviate(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new BadRequest(400, "unreadable body: " + Json.abbreviate(e.getMessage()));
        }
        if (node == null || !node.isObject()) {
            throw new BadRequest(400, "the body must be a JSON object");
        }
        return node;
    }

    /** Decodes one percent-encoded URL component; a malformed escape is a 400. */
    static String decode(String s, String what) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(400, "malformed percent-encoding in the " + what + ": " + Json.abbreviate(s));
        }
    }

    /** The query string's parameters in order; a parameter given twice is a 400. */
    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq), "query");
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1), "query");
            if (out.put(k, v) != null) {
                throw new BadRequest(400, "parameter \"" + Json.abbreviate(k) + "\" given twice");
            }
        }
        return out;
    }
}
