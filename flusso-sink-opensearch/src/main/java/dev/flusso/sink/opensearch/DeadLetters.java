package dev.flusso.sink.opensearch;

import dev.flusso.api.Document;
import dev.flusso.api.DocumentId;
import dev.flusso.api.FlussoException;
import dev.flusso.api.Rejection;
import dev.flusso.api.RetriableException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dead-letter index: one document per rejected item, with its logical index, id, version (the source position
 * it was built as of), reason, time, and its source as text so it can be re-driven once the cause is fixed. The id
 * is {@code index/id/version}, so a redelivered rejection does not duplicate its letter.
 */
final class DeadLetters {

    private static final Map<String, Object> MAPPING = Map.of("dynamic", false, "properties", Map.of(
            "index", Map.of("type", "keyword"),
            "id", Map.of("type", "keyword"),
            "version", Map.of("type", "long"),
            "reason", Map.of("type", "text"),
            "rejected_at", Map.of("type", "date"),
            "source", Map.of("type", "keyword", "index", false, "doc_values", false)));

    private final Connection connection;
    private final BulkWriter writer;
    private final String index;
    private final Clock clock;
    private boolean ready;

    DeadLetters(Connection connection, BulkWriter writer, String index, Clock clock) {
        this.connection = connection;
        this.writer = writer;
        this.index = index;
        this.clock = clock;
    }

    void write(List<Rejection> rejections) {
        if (rejections.isEmpty()) {
            return;
        }
        ensureIndex();
        List<BulkOperation> letters = new ArrayList<>(rejections.size());
        String now = clock.instant().toString();
        for (Rejection rejection : rejections) {
            Map<String, Object> letter = new LinkedHashMap<>();
            letter.put("index", rejection.document().id().index());
            letter.put("id", rejection.document().id().id());
            letter.put("version", rejection.document().version());
            letter.put("reason", rejection.reason());
            letter.put("rejected_at", now);
            letter.put("source", rejection.document().source());
            String id = rejection.document().id() + "/" + rejection.document().version();
            letters.add(BulkOperation.plain(rejection.document(), index, id, new String(Json.write(letter), java.nio.charset.StandardCharsets.UTF_8)));
        }
        List<Rejection> refused = new ArrayList<>();
        writer.send(letters, refused);
        if (!refused.isEmpty()) {
            throw new FlussoException(refused.size() + " dead letters were refused by index '" + index + "': " + refused.get(0).reason());
        }
    }

    /** {@return the index's letters, oldest first, the latest per document} */
    List<Rejection> read(String logical, int limit) {
        Reply refreshed = connection.post("/" + index + "/_refresh", new byte[0]);
        if (refreshed.status() == 404) {
            return List.of();
        }
        Map<String, Object> query = Map.of("size", Math.max(0, limit), "query", Map.of("term", Map.of("index", logical)),
                "sort", List.of(Map.of("rejected_at", "asc"), Map.of("version", "asc")));
        Reply reply = connection.post("/" + index + "/_search", Json.write(query));
        if (!reply.ok()) {
            throw new FlussoException("cannot read the dead letters of index '" + logical + "' from '" + index
                    + "': OpenSearch answered HTTP " + reply.status() + " " + reply.error());
        }
        Map<String, Rejection> latest = new LinkedHashMap<>();
        for (com.fasterxml.jackson.databind.JsonNode hit : reply.json().path("hits").path("hits")) {
            com.fasterxml.jackson.databind.JsonNode letter = hit.path("_source");
            String id = letter.path("id").asText();
            String source = letter.path("source").isNull() || letter.path("source").isMissingNode() ? null
                    : letter.path("source").asText();
            latest.remove(id);
            latest.put(id, new Rejection(new Document(new DocumentId(logical, id), letter.path("version").asLong(), source),
                    letter.path("reason").asText()));
        }
        return List.copyOf(latest.values());
    }

    /** Removes every letter of these documents, whatever its version; visible to the next read. */
    void forget(List<DocumentId> ids) {
        if (ids.isEmpty()) {
            return;
        }
        List<Object> each = new ArrayList<>();
        for (DocumentId id : ids) {
            each.add(Map.of("bool", Map.of("filter", List.of(Map.of("term", Map.of("index", id.index())),
                    Map.of("term", Map.of("id", id.id()))))));
        }
        // Found by search, removed by id: delete-by-query is a module some distributions leave out.
        connection.post("/" + index + "/_refresh", new byte[0]);
        Map<String, Object> query = Map.of("size", 10_000, "_source", false,
                "query", Map.of("bool", Map.of("should", each, "minimum_should_match", 1)));
        Reply found = connection.post("/" + index + "/_search", Json.write(query));
        if (found.status() == 404) {
            return;
        }
        StringBuilder deletes = new StringBuilder();
        for (com.fasterxml.jackson.databind.JsonNode hit : found.json().path("hits").path("hits")) {
            deletes.append(new String(Json.write(Map.of("delete", Map.of("_index", index, "_id", hit.path("_id").asText()))),
                    java.nio.charset.StandardCharsets.UTF_8)).append('\n');
        }
        if (!found.ok() || deletes.isEmpty()) {
            if (!found.ok()) {
                throw new FlussoException("cannot find the dead letters to forget in '" + index + "': OpenSearch answered"
                        + " HTTP " + found.status() + " " + found.error());
            }
            return;
        }
        Reply reply = connection.post("/_bulk?refresh=true", deletes.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (!reply.ok() || reply.json().path("errors").asBoolean()) {
            throw new FlussoException("cannot forget " + ids.size() + " dead letter(s) in '" + index + "': OpenSearch answered"
                    + " HTTP " + reply.status() + " " + (reply.ok() ? reply.json().toString() : reply.error()));
        }
    }

    private void ensureIndex() {
        if (ready) {
            return;
        }
        Reply existing = connection.get("/" + index + "/_settings");
        if (existing.status() == 404) {
            Map<String, Object> body = Map.of(
                    "settings", Map.of("index", Map.of("number_of_shards", 1, "auto_expand_replicas", "0-1")),
                    "mappings", MAPPING);
            Reply created = connection.put("/" + index, Json.write(body));
            if (!created.ok() && !created.error().startsWith("resource_already_exists_exception")) {
                throw new FlussoException("cannot create dead-letter index '" + index + "': OpenSearch answered HTTP "
                        + created.status() + " " + created.error());
            }
        } else if (!existing.ok()) {
            throw new RetriableException("cannot check dead-letter index '" + index + "': HTTP " + existing.status());
        }
        ready = true;
    }
}
