package org.recsysrl.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.recsysrl.api.ModelInfo;

/** The server's hand-written JSON ({@link Json}, {@link Reply}): escapes by hand, and what a parser reads back. */
class JsonTextTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String quoted(String s) {
        StringBuilder sb = new StringBuilder();
        Json.quote(sb, s);
        return sb.toString();
    }

    @Test
    void stringsAreEscapedAsJsonRequires() throws Exception {
        assertThat(quoted("plain é")).isEqualTo("\"plain é\"");
        assertThat(quoted("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(quoted("\n\r\t")).isEqualTo("\"\\n\\r\\t\"");
        assertThat(quoted("\u0000\u0001\u001f")).isEqualTo("\"\\u0000\\u0001\\u001f\"");
        // the first character that needs no escape, and the two line separators JavaScript chokes on
        assertThat(quoted(" ~\u007f")).isEqualTo("\" ~\u007f\"");
        assertThat(quoted("\u2028\u2029\u2027")).isEqualTo("\"\\u2028\\u2029\u2027\"");
        assertThat(quoted("")).isEqualTo("\"\"");
        String awkward = "q\"\\\n\r\t\u0002\u2028z";
        assertThat(JSON.readTree(quoted(awkward)).textValue()).isEqualTo(awkward);
    }

    @Test
    void anErrorIsOneJsonObjectWithOneField() throws Exception {
        assertThat(Json.error("bad \"k\"")).isEqualTo("{\"error\":\"bad \\\"k\\\"\"}");
        Reply r = Reply.error(418, "line\nbreak");
        assertThat(r.status()).isEqualTo(418);
        assertThat(r.contentType()).isEqualTo("application/json");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"error\":\"line\\nbreak\"}");
        assertThat(r.headerName()).isNull();
        Reply with = r.with("Retry-After", "1");
        assertThat(with.headerName()).isEqualTo("Retry-After");
        assertThat(with.headerValue()).isEqualTo("1");
        assertThat(with.status()).isEqualTo(418);
        assertThat(with.body()).isEqualTo(r.body());
    }

    @Test
    void theModelsIdentityIsAnObject() throws Exception {
        ModelInfo info = new ModelInfo("simulator", "p\"po", 1234, "ab12", 50, 10, "ck.safetensors");
        assertThat(Json.model(info)).isEqualTo(
                "{\"kind\":\"simulator\",\"algorithm\":\"p\\\"po\",\"steps\":1234,\"sha256\":\"ab12\"}");
    }

    @Test
    void userInputIsQuotedOnOneShortLine() {
        assertThat(Json.abbreviate(null)).isEmpty();
        assertThat(Json.abbreviate("a \n\t b\r\nc")).isEqualTo("a b c");
        String eighty = "x".repeat(80);
        assertThat(Json.abbreviate(eighty)).isEqualTo(eighty);
        assertThat(Json.abbreviate(eighty + "yz")).isEqualTo(eighty + "…");
    }
}
