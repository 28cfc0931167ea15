package dev.flusso.sink.opensearch;

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
