package org.recsysrl.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsysrl.api.RecommendRequest;
import org.recsysrl.api.Recommender;
import org.recsysrl.cli.Cli;
import org.recsysrl.model.Models;
import org.recsysrl.model.PolicyCheckpoint;

/** Attribute filters on a model whose items have categories (the e-commerce platform's). */
class ServerFilterTest {
    @TempDir
    static Path dir;
    static Recommender lib;
    static int[] categories;
    static RecommendServer server;

    @BeforeAll
    static void start() throws Exception {
        Path ck = Cli.trainOk("ppo", dir, 64, "--env", "e-commerce");
        lib = Recommender.load(ck);
        categories = ((PolicyCheckpoint) Models.load(ck, null)).setup().actionGroups();
        server = new RecommendServer(ck, null, new RecommendServer.Options(0, 2, 64, 1 << 16, 10, 10, 60_000, 1000),
                l -> { });
        server.start();
    }

    private static final java.net.http.HttpClient CLIENT = java.net.http.HttpClient.newHttpClient();

    /** GET (body null) or POST to this test's server. */
    private static HttpResponse<String> call(String path, String body) throws Exception {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + server.port() + path)).timeout(java.time.Duration.ofSeconds(10));
        if (body != null) {
            b.POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @AfterAll
    static void stop() {
        server.stop(1);
    }

    private static Set<String> inCategories(int... wanted) {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < categories.length; i++) {
            for (int c : wanted) {
                if (categories[i] == c) {
                    out.add(Integer.toString(i));
                }
            }
        }
        return out;
    }

    @Test
    void recommendationsKeepToTheFilteredCategories() throws Exception {
        assertThat(lib.attributes()).containsExactly("category");
        assertThat(new HashSet<>(lib.itemsWith("category", Set.of("1")))).isEqualTo(inCategories(1));
        JsonNode r = ServerApiTest.ok(call("/v1/recommend?user=0&k=4&filter=category:1", null));
        List<String> got = ServerApiTest.ids(r.get("items"));
        assertThat(got).isNotEmpty().allMatch(inCategories(1)::contains);
        // the library's answer with the category's items as candidates
        List<String> expected = ServerApiTest.ids(lib.recommend(RecommendRequest.forUser("0", 4)
                .withCandidates(lib.itemsWith("category", Set.of("1")))));
        assertThat(got).isEqualTo(expected);
        // two categories in a body, intersected with the request's candidates
        List<String> candidates = new ArrayList<>(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
        String body = "{\"user\":\"0\",\"k\":10,\"filter\":{\"category\":[\"0\",\"2\"]},\"candidates\":"
                + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(candidates) + "}";
        List<String> both = ServerApiTest.ids(ServerApiTest.ok(call("/v1/recommend", body))
                .get("items"));
        Set<String> allowed = inCategories(0, 2);
        allowed.retainAll(candidates);
        assertThat(new HashSet<>(both)).isEqualTo(allowed);
    }

    @Test
    void badFiltersAreOneLine400s() throws Exception {
        HttpResponse<String> noValue = call("/v1/recommend?user=0&filter=category", null);
        assertThat(noValue.statusCode()).isEqualTo(400);
        assertThat(noValue.body()).contains("filter must be attribute:value");
        HttpResponse<String> unknown = call("/v1/recommend?user=0&filter=colour:red", null);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("no attribute colour").contains("use category");
        assertThat(call("/v1/recommend", "{\"user\":\"0\",\"filter\":[1]}").statusCode())
                .isEqualTo(400);
    }
}
