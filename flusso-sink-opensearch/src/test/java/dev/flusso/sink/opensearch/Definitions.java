package dev.flusso.sink.opensearch;

import dev.flusso.api.Document;
import dev.flusso.api.DocumentId;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.TableRef;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Index definitions and documents for the sink's own tests. */
final class Definitions {

    private static final TableRef TABLE = new TableRef("public", "items");

    private Definitions() {
    }

    /** {@return an index with a strict mapping of {@code title} (text) and {@code count} (long)} */
    static IndexDefinition items(String name, String fingerprint) {
        Map<String, Object> mapping = Map.of("dynamic", "strict", "properties", Map.of(
                "title", Map.of("type", "text"),
                "count", Map.of("type", "long")));
        return new IndexDefinition(name, TABLE, List.of("id"), Set.of(TABLE), mapping,
                Map.of("index", Map.of("number_of_shards", 1, "number_of_replicas", 0)), fingerprint);
    }

    static Document item(String index, String id, long version, long count) {
        return Document.upsert(new DocumentId(index, id), version, "{\"title\":\"item " + id + "\",\"count\":" + count + "}");
    }
}
