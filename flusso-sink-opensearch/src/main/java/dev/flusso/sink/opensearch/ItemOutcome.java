package dev.flusso.sink.opensearch;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How one item of a bulk response is classified.
 *
 * <ul>
 *   <li>{@link #DONE}: written or deleted; also a version conflict (the stored document is newer, which is what
 *       external versioning is for) and a deletion of a document that is not there.
 *   <li>{@link #RETRY}: refused for load (429) or failed on the server's side (5xx): sent again, alone with the
 *       other such items, after a wait.
 *   <li>{@link #REJECTED}: the document itself is refused (a mapping or parse error): an item rejection for the
 *       engine's failure policy.
 *   <li>{@link #FAILED}: the destination is not as ensured (its index is gone): the flush fails.
 * </ul>
 */
enum ItemOutcome {
    DONE, RETRY, REJECTED, FAILED;

    static ItemOutcome of(JsonNode item) {
        int status = item.path("status").asInt();
        String type = item.path("error").path("type").asText("");
        if (status >= 200 && status < 300) {
            return DONE;
        }
        if (status == 409 && type.equals("version_conflict_engine_exception")) {
            return DONE;
        }
        if (status == 404 && type.isEmpty()) {
            return DONE;
        }
        // A cluster block (a full disk, say) is lifted by an operator: retried like load.
        if (status == 429 || status >= 500 || type.equals("cluster_block_exception")) {
            return RETRY;
        }
        if (type.equals("index_not_found_exception") || type.equals("index_closed_exception")) {
            return FAILED;
        }
        return REJECTED;
    }

    static String reason(JsonNode item) {
        JsonNode error = item.path("error");
        return error.path("type").asText("HTTP " + item.path("status").asInt()) + ": " + error.path("reason").asText("");
    }
}
