package dev.flusso.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;

/** What the harness asks OpenSearch directly, with the JDK HTTP client: the same client raw bulk uses. */
final class Search {

    static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    Search(URI base) {
        this.base = base;
    }

    URI base() {
        return base;
    }

    HttpClient http() {
        return http;
    }

    JsonNode send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + path + ": OpenSearch answered HTTP " + response.statusCode()
                        + " " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + method + " " + path, e);
        }
    }

    long count(String index) {
        send("POST", "/" + index + "/_refresh", null);
        return send("GET", "/" + index + "/_count", null).path("count").asLong();
    }

    /** {@return the highest value of a numeric field visible to searches, or -1} */
    long maxVisible(String index, String field) {
        JsonNode answer = send("POST", "/" + index + "/_search?size=0&filter_path=aggregations",
                "{\"aggs\":{\"m\":{\"max\":{\"field\":\"" + field + "\"}}}}");
        JsonNode value = answer.path("aggregations").path("m").path("value");
        return value.isNumber() ? value.asLong() : -1;
    }

    /**
     * Creates {@code target} with the mapping, shards, replicas and analysis of the index behind {@code alias}, and
     * the given refresh interval: the same index settings for the raw bulk limit.
     */
    void createLike(String alias, String target, String refreshInterval) {
        JsonNode mappings = first(send("GET", "/" + alias + "/_mapping", null)).path("mappings");
        JsonNode index = first(send("GET", "/" + alias + "/_settings", null)).path("settings").path("index");
        ObjectNode settings = JSON.createObjectNode();
        for (String key : List.of("number_of_shards", "number_of_replicas", "analysis")) {
            if (index.has(key)) {
                settings.set(key, index.get(key));
            }
        }
        settings.put("refresh_interval", refreshInterval);
        ObjectNode body = JSON.createObjectNode();
        body.set("settings", JSON.createObjectNode().set("index", settings));
        body.set("mappings", mappings);
        send("DELETE", "/" + target + "?ignore_unavailable=true", null);
        send("PUT", "/" + target, body.toString());
    }

    private static JsonNode first(JsonNode byIndex) {
        Iterator<JsonNode> values = byIndex.elements();
        if (!values.hasNext()) {
            throw new IllegalStateException("OpenSearch answered no index: " + byIndex);
        }
        return values.next();
    }
}
