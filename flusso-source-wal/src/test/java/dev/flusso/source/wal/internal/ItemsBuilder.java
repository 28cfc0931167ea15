package dev.flusso.source.wal.internal;

import dev.flusso.api.BuildOutput;
import dev.flusso.api.Change;
import dev.flusso.api.DocumentBuilder;
import dev.flusso.api.DocumentId;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.Operation;
import dev.flusso.api.Resolution;
import dev.flusso.testing.postgres.PostgresDatabase;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A test-only builder for one index: {@code items} documents with their {@code tags}, rebuilt from the current
 * rows. It follows the capture's TRUNCATE contract for a child table: every document is rebuilt.
 */
final class ItemsBuilder implements DocumentBuilder {

    static final IndexDefinition INDEX = TestSource.index("items", "items", "tags");

    private final PostgresDatabase database;

    ItemsBuilder(PostgresDatabase database) {
        this.database = database;
    }

    @Override
    public List<IndexDefinition> indexes() {
        return List.of(INDEX);
    }

    @Override
    public void resolve(List<Change> changes, Set<String> indexes, Resolution out) {
        for (Change change : changes) {
            boolean root = change.table().name().equals("items");
            if (change.operation() == Operation.TRUNCATE) {
                database.query("SELECT id FROM items").forEach(row -> out.affects(id(row.get("id")), change.version()));
            } else if (root) {
                out.affects(id(change.key().get("id")), change.version());
                if (change.oldValues().containsKey("id")) {
                    out.affects(id(change.oldValues().get("id")), change.version());
                }
            } else {
                for (Map<String, Object> values : List.of(change.oldValues(), change.newValues())) {
                    if (values.get("item_id") != null) {
                        out.affects(id(values.get("item_id")), change.version());
                    }
                }
            }
        }
    }

    @Override
    public void build(Collection<DocumentId> documents, BuildOutput out) {
        for (DocumentId document : documents) {
            List<Map<String, Object>> rows = database.query("SELECT i.name, coalesce((SELECT string_agg(tag, ',' ORDER BY tag)"
                    + " FROM tags WHERE item_id = i.id), '') AS tags FROM items i WHERE i.id = " + Long.parseLong(document.id()));
            if (rows.isEmpty()) {
                out.deleted(document);
            } else {
                out.document(document, "{\"name\":\"" + rows.get(0).get("name") + "\",\"tags\":\"" + rows.get(0).get("tags") + "\"}");
            }
        }
    }

    private static DocumentId id(Object key) {
        return new DocumentId("items", String.valueOf(key));
    }
}
