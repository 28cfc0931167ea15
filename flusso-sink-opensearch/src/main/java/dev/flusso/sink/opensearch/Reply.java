package dev.flusso.sink.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP answer from OpenSearch.
 *
 * @param status the status code
 * @param body the body, possibly empty
 */
record Reply(int status, byte[] body) {

    boolean ok() {
        return status >= 200 && status < 300;
    }

    /** {@return whether the server may answer differently later: overloaded or failing} */
    boolean transientFailure() {
        return status == 429 || status >= 500;
    }

    JsonNode json() {
        return Json.read(body);
    }

    /** {@return the server's error type and reason, for messages} */
    String error() {
        try {
            JsonNode error = json().path("error");
            if (error.isObject()) {
                return error.path("type").asText() + ": " + error.path("reason").asText();
            }
            return error.isMissingNode() ? "(no error body)" : error.asText();
        } catch (RuntimeException e) {
            return new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
        }
    }
}
