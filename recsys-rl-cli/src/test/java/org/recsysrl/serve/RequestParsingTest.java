package org.recsysrl.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * {@link RequestParsing} without a server: every field of a JSON body and of a query string, its
 * default, and the 400 (with the field named) for each kind of wrong value.
 */
class RequestParsingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    /** The BadRequest {@code call} throws; fails if it throws nothing. */
    private static BadRequest bad(ThrowingCallable call) {
        BadRequest e = catchThrowableOfType(BadRequest.class, call);
        assertThat(e).as("a BadRequest").isNotNull();
        return e;
    }

    private static void assertBad(ThrowingCallable call, int status, String contains) {
        BadRequest e = bad(call);
        assertThat(e.status).as(e.getMessage()).isEqualTo(status);
        assertThat(e.getMessage()).contains(contains);
    }

    @Test
    void anEmptyBodyObjectGivesTheDefaults() throws Exception {
        RequestParsing.Parsed p = RequestParsing.fromJson(json("{}"));
        assertThat(p.user).isNull();
        assertThat(p.session).isNull();
        assertThat(p.history).isEmpty();
        assertThat(p.exclude).isNull();
        assertThat(p.candidates).isNull();
        assertThat(p.excludeHistory).isTrue();
        assertThat(p.k).isEqualTo(10);
        assertThat(p.requestId).isNull();
        assertThat(p.seed).isNull();
        assertThat(p.filter).isNull();
    }

    @Test
    void everyBodyFieldIsRead() throws Exception {
        RequestParsing.Parsed p = RequestParsing.fromJson(json("{\"user\": 7, \"session\": \"s-1\","
                + " \"history\": [\"a\", 2], \"exclude\": [\"b\"], \"candidates\": [3, \"c\"],"
                + " \"exclude_history\": false, \"k\": 4, \"filter\": {\"genre\": [\"x\", 5], \"year\": 1999},"
                + " \"request_id\": \"r-9\", \"seed\": -12345678901}"));
        assertThat(p.user).isEqualTo("7");
        assertThat(p.session).isEqualTo("s-1");
        assertThat(p.history).containsExactly("a", "2");
        assertThat(p.exclude).containsExactly("b");
        assertThat(p.candidates).containsExactly("3", "c");
        assertThat(p.excludeHistory).isFalse();
        assertThat(p.k).isEqualTo(4);
        assertThat(p.filter).containsExactly(Map.entry("genre", List.of("x", "5")), Map.entry("year", List.of("1999")));
        assertThat(p.requestId).isEqualTo("r-9");
        assertThat(p.seed).isEqualTo(-12345678901L);
        assertThat(RequestParsing.fromJson(json("{\"exclude_history\": true}")).excludeHistory).isTrue();
    }

    @Test
    void nullBodyFieldsMeanNotGiven() throws Exception {
        RequestParsing.Parsed p = RequestParsing.fromJson(json("{\"user\": null, \"session\": null, \"history\": null,"
                + " \"exclude\": null, \"candidates\": null, \"filter\": null, \"request_id\": null}"));
        assertThat(p.user).isNull();
        assertThat(p.session).isNull();
        assertThat(p.history).isEmpty();
        assertThat(p.exclude).isNull();
        assertThat(p.candidates).isNull();
        assertThat(p.filter).isNull();
        assertThat(p.requestId).isNull();
    }

    @Test
    void wrongBodyValuesAre400sNamingTheField() {
        assertBad(() -> RequestParsing.fromJson(json("{\"exclude_history\": \"yes\"}")), 400,
                "\"exclude_history\" must be true or false, got \"yes\"");
        assertBad(() -> RequestParsing.fromJson(json("{\"k\": 2.5}")), 400, "\"k\" must be a whole number, got 2.5");
        assertBad(() -> RequestParsing.fromJson(json("{\"k\": 3000000000}")), 400, "\"k\" must be a whole number");
        assertBad(() -> RequestParsing.fromJson(json("{\"seed\": \"1\"}")), 400, "\"seed\" must be a whole number");
        assertBad(() -> RequestParsing.fromJson(json("{\"seed\": 99999999999999999999}")), 400,
                "\"seed\" must be a whole number");
        assertBad(() -> RequestParsing.fromJson(json("{\"session\": true}")), 400, "\"session\" must be an id");
        assertBad(() -> RequestParsing.fromJson(json("{\"history\": \"a\"}")), 400,
                "\"history\" must be a list of ids, got \"a\"");
        assertBad(() -> RequestParsing.fromJson(json("{\"exclude\": [1.5]}")), 400, "\"exclude\" must be an id");
        assertBad(() -> RequestParsing.fromJson(json("{\"candidates\": {}}")), 400, "\"candidates\" must be a list");
        assertBad(() -> RequestParsing.fromJson(json("{\"request_id\": 1.5}")), 400, "\"request_id\" must be an id");
        assertBad(() -> RequestParsing.fromJson(json("{\"colour\": 1}")), 400,
                "unknown field \"colour\": use user, session, history");
    }

    @Test
    void aRequestIdHasOneTo256Characters() throws Exception {
        String longest = "r".repeat(RequestParsing.MAX_REQUEST_ID);
        assertThat(RequestParsing.fromJson(json("{\"request_id\": \"" + longest + "\"}")).requestId).isEqualTo(longest);
        assertThat(RequestParsing.fromJson(json("{\"request_id\": 5}")).requestId).isEqualTo("5");
        assertThat(RequestParsing.fromQuery(Map.of("request_id", "x"), null).requestId).isEqualTo("x");
        assertBad(() -> RequestParsing.fromJson(json("{\"request_id\": \"\"}")), 400,
                "\"request_id\" must have 1 to 256 characters");
        assertBad(() -> RequestParsing.fromJson(json("{\"request_id\": \"" + longest + "r\"}")), 400,
                "must have 1 to 256 characters");
        assertBad(() -> RequestParsing.fromQuery(Map.of("request_id", ""), null), 400, "1 to 256 characters");
    }

    @Test
    void aBodyFilterIsAnObjectOfValuesOrLists() throws Exception {
        assertThat(RequestParsing.filter(json("{\"a\": \"1\"}"))).containsExactly(Map.entry("a", List.of("1")));
        assertThat(RequestParsing.filter(json("{\"a\": []}"))).containsExactly(Map.entry("a", List.of()));
        assertBad(() -> RequestParsing.filter(json("{}")), 400, "\"filter\" must be an object");
        assertBad(() -> RequestParsing.filter(json("[\"a\"]")), 400, "got [\"a\"]");
        assertBad(() -> RequestParsing.filter(json("{\"a\": {\"b\": 1}}")), 400, "\"filter.a\" must be an id");
        assertBad(() -> RequestParsing.filter(json("{\"a\": [true]}")), 400, "\"filter.a\" must be an id");
    }

    @Test
    void everyQueryParameterIsRead() {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("user", "u1");
        q.put("history", "a,b");
        q.put("exclude", "c");
        q.put("candidates", "d,e,f");
        q.put("exclude_history", "false");
        q.put("k", "-3");
        q.put("filter", "genre:x,y");
        q.put("request_id", "r");
        q.put("seed", "42");
        RequestParsing.Parsed p = RequestParsing.fromQuery(q, "sess");
        assertThat(p.session).isEqualTo("sess");
        assertThat(p.user).isEqualTo("u1");
        assertThat(p.history).containsExactly("a", "b");
        assertThat(p.exclude).containsExactly("c");
        assertThat(p.candidates).containsExactly("d", "e", "f");
        assertThat(p.excludeHistory).isFalse();
        assertThat(p.k).isEqualTo(-3);
        assertThat(p.filter).containsExactly(Map.entry("genre", List.of("x", "y")));
        assertThat(p.requestId).isEqualTo("r");
        assertThat(p.seed).isEqualTo(42L);
        assertThat(RequestParsing.fromQuery(Map.of("exclude_history", "true"), null).excludeHistory).isTrue();
        RequestParsing.Parsed none = RequestParsing.fromQuery(Map.of(), null);
        assertThat(none.excludeHistory).isTrue();
        assertThat(none.k).isEqualTo(10);
        assertThat(none.history).isEmpty();
        assertThat(none.exclude).isNull();
        assertThat(none.seed).isNull();
    }

    @Test
    void wrongQueryValuesAre400sNamingTheParameter() {
        assertBad(() -> RequestParsing.fromQuery(Map.of("exclude_history", "TRUE"), null), 400,
                "exclude_history must be true or false, got TRUE");
        assertBad(() -> RequestParsing.fromQuery(Map.of("exclude_history", ""), null), 400,
                "exclude_history must be true or false");
        assertBad(() -> RequestParsing.fromQuery(Map.of("k", "2.0"), null), 400, "k must be a whole number, got 2.0");
        assertBad(() -> RequestParsing.fromQuery(Map.of("seed", "x"), null), 400, "seed must be a whole number, got x");
        assertBad(() -> RequestParsing.fromQuery(Map.of("kk", "1"), null), 400,
                "unknown parameter \"kk\": use user, history");
    }

    @Test
    void aQueryFilterNeedsAnAttributeAndAValue() {
        assertThat(RequestParsing.filter("a:1")).containsExactly(Map.entry("a", List.of("1")));
        assertThat(RequestParsing.filter("a:b:c")).containsExactly(Map.entry("a", List.of("b:c")));
        assertBad(() -> RequestParsing.filter(":1"), 400, "filter must be attribute:value[,value...]");
        assertBad(() -> RequestParsing.filter("a:"), 400, "got a:");
        assertBad(() -> RequestParsing.filter("a"), 400, "filter must be attribute:value");
    }

    @Test
    void listsSplitOnEveryComma() {
        assertThat(RequestParsing.split("")).isEmpty();
        assertThat(RequestParsing.split("a")).containsExactly("a");
        assertThat(RequestParsing.split("a,,b,")).containsExactly("a", "", "b", "");
    }

    @Test
    void idsAreStringsOrWholeNumbers() throws Exception {
        assertThat(RequestParsing.id(json("\"x y\""), "f")).isEqualTo("x y");
        assertThat(RequestParsing.id(json("-12"), "f")).isEqualTo("-12");
        assertBad(() -> RequestParsing.id(json("1.0"), "field"), 400,
                "\"field\" must be an id (a string or a whole number), got 1.0");
        assertBad(() -> RequestParsing.id(json("null"), "field"), 400, "got null");
        assertThat(RequestParsing.ids(json("[]"), "f")).isEmpty();
        assertThat(RequestParsing.ids(json("[1, \"2\"]"), "f")).containsExactly("1", "2");
        assertBad(() -> RequestParsing.ids(json("7"), "things"), 400, "\"things\" must be a list of ids, got 7");
    }

    @Test
    void aBodyMustBeOneJsonObject() {
        assertThat(RequestParsing.object("{\"a\":1}".getBytes(StandardCharsets.UTF_8)).get("a").intValue())
                .isEqualTo(1);
        assertBad(() -> RequestParsing.object(new byte[0]), 400, "empty request body: send a JSON object");
        assertBad(() -> RequestParsing.object("{\"a\":".getBytes(StandardCharsets.UTF_8)), 400, "malformed JSON: ");
        assertBad(() -> RequestParsing.object("{} {}".getBytes(StandardCharsets.UTF_8)), 400, "malformed JSON");
        assertBad(() -> RequestParsing.object("[]".getBytes(StandardCharsets.UTF_8)), 400,
                "the body must be a JSON object");
        assertBad(() -> RequestParsing.object("3".getBytes(StandardCharsets.UTF_8)), 400, "must be a JSON object");
        assertBad(() -> RequestParsing.object(" ".getBytes(StandardCharsets.UTF_8)), 400, "must be a JSON object");
    }

    @Test
    void urlComponentsArePercentDecoded() {
        String plain = "abc-1_2.3~";
        assertThat(RequestParsing.decode(plain, "query")).isSameAs(plain);
        assertThat(RequestParsing.decode("a+b", "query")).isEqualTo("a b");
        assertThat(RequestParsing.decode("+a", "query")).isEqualTo(" a");
        assertThat(RequestParsing.decode("%41", "query")).isEqualTo("A");
        assertThat(RequestParsing.decode("%41%2C%C3%A9", "query")).isEqualTo("A,é");
        assertBad(() -> RequestParsing.decode("%4", "session id"), 400,
                "malformed percent-encoding in the session id: %4");
    }

    @Test
    void aQueryStringKeepsItsOrderDecodesBothSidesAndRefusesRepeats() {
        assertThat(RequestParsing.query(null)).isEmpty();
        assertThat(RequestParsing.query("")).isEmpty();
        assertThat(RequestParsing.query("b=2&&a&%6B=%33+4")).containsExactly(Map.entry("b", "2"), Map.entry("a", ""),
                Map.entry("k", "3 4"));
        assertThat(RequestParsing.query("x==1")).containsExactly(Map.entry("x", "=1"));
        assertThat(RequestParsing.query("=v")).containsExactly(Map.entry("", "v"));
        assertBad(() -> RequestParsing.query("k=1&%6b=2"), 400, "parameter \"k\" given twice");
        assertBad(() -> RequestParsing.query("a&a"), 400, "parameter \"a\" given twice");
        assertBad(() -> RequestParsing.query("a=%zz"), 400, "malformed percent-encoding in the query");
    }
}
