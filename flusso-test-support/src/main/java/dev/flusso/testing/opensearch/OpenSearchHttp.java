package dev.flusso.testing.opensearch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A small JSON-over-HTTP helper on the JDK's client, for tests that look at the server directly rather than
 * through the code under test.
 */
public final class OpenSearchHttp {

    private final URI base;
    private final HttpClient client;

    OpenSearchHttp(URI base) {
        this.base = base;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** {@return the answer to {@code GET path}} @param path such as {@code /my-index/_doc/1} */
    public HttpReply get(String path) {
        return send("GET", path, null);
    }

    /** {@return the answer to {@code PUT path} with a JSON body} */
    public HttpReply put(String path, String json) {
        return send("PUT", path, json);
    }

    /** {@return the answer to {@code POST path} with a JSON (or NDJSON) body, possibly {@code null}} */
    public HttpReply post(String path, String json) {
        return send("POST", path, json);
    }

    /** {@return the answer to {@code DELETE path}} */
    public HttpReply delete(String path) {
        return send("DELETE", path, null);
    }

    /** Makes every write to the indexes matching {@code pattern} visible to searches. */
    public void refresh(String pattern) {
        post("/" + pattern + "/_refresh", null).expectOk("refresh of " + pattern);
    }

    private HttpReply send(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            String type = path.contains("_bulk") ? "application/x-ndjson" : "application/json";
            request.header("Content-Type", type).method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new HttpReply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " on the test server failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " " + path, e);
        }
    }
}
